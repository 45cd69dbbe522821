"""``campaign-guard review SPEC.yaml``: a campaign reviewed from its file, without Jira."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, RunCli

CAMPAIGNS = REPO_ROOT / "examples" / "campaigns"
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"
AS_OF = "2027-11-01T09:00Z"


def test_a_spec_file_is_reviewed_with_the_campaigns_given_by_with(
    cli: RunCli, workdir: Path
) -> None:
    sale = shutil.copy(CAMPAIGNS / "black-friday-flash-sale.yaml", workdir / "sale.yaml")
    twin = workdir / "twin.yaml"
    text = Path(sale).read_text(encoding="utf-8")
    twin.write_text(
        text.replace("id: black-friday-flash-2027", "id: black-friday-twin-2027").replace(
            "name: Black Friday Flash Sale", "name: Black Friday Twin"
        ),
        encoding="utf-8",
    )
    args = ["review", "sale.yaml", "--capacity", str(PROFILE), "--as-of", AS_OF, "--json"]
    code, out, err = cli(*args)
    assert code == 0, err
    alone = json.loads(out)
    assert alone["overlapping"] == []
    code, out, err = cli(*args, "--with", "twin.yaml")
    assert code == 0, err
    together = json.loads(out)
    assert together["overlapping"], "the twin runs at the same time"
    peaks = {load["name"]: load["peak"] for load in alone["loads"]}
    summed = {load["name"]: load["peak"] for load in together["loads"]}
    assert summed["web"] > peaks["web"], "the twin's load is added in"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--approve"], "a spec file is reviewed without Jira"),
        (["--plain"], "a spec file is reviewed without Jira"),
    ],
)
def test_decisions_need_a_ticket(
    cli: RunCli, workdir: Path, extra: list[str], message: str
) -> None:
    shutil.copy(CAMPAIGNS / "winter-newsletter.yaml", workdir / "winter.yaml")
    code, out, err = cli("review", "winter.yaml", *extra)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_as_of_goes_with_a_spec_file_and_with_is_read_before_jira(
    cli: RunCli, workdir: Path
) -> None:
    code, out, err = cli("review", "OPS-42", "--as-of", AS_OF)
    assert (code, out) == (2, "")
    assert "--as-of goes with a spec file" in err
    code, out, err = cli("review", "OPS-42", "--with", "other.yaml")
    assert (code, out) == (2, "")
    assert err == "error: no such file: 'other.yaml'\n"


def test_a_spec_with_problems_shows_them_and_reviews_nothing(cli: RunCli, workdir: Path) -> None:
    (workdir / "broken.yaml").write_text("schema_version: 1\nkind: campaign\n", encoding="utf-8")
    code, out, err = cli("review", "broken.yaml", "--as-of", AS_OF)
    assert code == 1, err
    assert "broken.yaml:" in err
    assert "RISK" not in out
