"""``campaign-guard estimate`` from the command line: output, exit codes, where the
capacity profile comes from.

The golden files hold the output for the example campaigns against the example profile.
Rewrite them with ``CG_UPDATE_GOLDEN=1`` after an intended change, and read the diff.
The JSON of the examples is over 3 MB (every target's series at every sample time), so
its golden file holds everything but the series and times, which it sums up (count,
maximum, sum) and fingerprints (SHA-256 of the whole output).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli, RunInstalled
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ("examples/campaigns", "--capacity", "examples/capacity/production.yaml")
WINTER = "examples/campaigns/winter-newsletter.yaml"
PRODUCTION = Path(__file__).resolve().parents[2] / "examples" / "capacity" / "production.yaml"


@pytest.fixture(autouse=True)
def _no_capacity_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile named in the developer's environment would change every output here."""
    monkeypatch.delenv("CAMPAIGN_GUARD_CAPACITY", raising=False)


@pytest.fixture
def at_repo_root(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo_root)
    return repo_root


def spec_text(name: str = "Spring Sale", extra_traffic: str = "") -> str:
    """A valid campaign: 36,000 paid visits in one hour (10/s) on one page."""
    return f"""\
schema_version: 1
name: {name}
owner: jane@example.com
launch:
  timezone: UTC
  start: 2027-03-02 09:00
  duration: 1h
traffic:
  - channel: paid_social
    expected_visits: 36000{extra_traffic}
landing_pages:
  - https://www.example.com/spring
endpoints:
  - POST /api/signup
new_data_fields: []
"""


def profile_text(name: str) -> str:
    """The example profile under another name (the name shows which one was used)."""
    text = PRODUCTION.read_text(encoding="utf-8")
    assert "\nname: Production (EU)\n" in text
    return text.replace("\nname: Production (EU)\n", f"\nname: {name}\n")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def used_profile(cli: RunCli, *args: str, env: dict[str, str | None] | None = None) -> Any:
    """The ``capacity_profile`` of ``estimate ARGS --json``."""
    code, out, err = cli("estimate", *args, "--json", env=env)
    assert code == 0, err
    return json.loads(out)["capacity_profile"]


def digest(output: str) -> str:
    """The JSON output without its bulky series, plus a fingerprint of all of it."""
    document = json.loads(output)
    times = document["times"]
    document["times"] = {"count": len(times), "first": times[0], "last": times[-1]}
    for target in document["targets"]:
        target["series"] = {
            scenario: {"count": len(values), "max": max(values), "sum": round(sum(values), 3)}
            for scenario, values in target["series"].items()
        }
    document["sha256"] = hashlib.sha256(output.encode("utf-8")).hexdigest()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- golden output ----------------------------------------------------------------------------


def test_examples_json(cli: RunCli, at_repo_root: Path) -> None:
    code, out, err = cli("estimate", *EXAMPLES, "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert {"headline", "campaigns", "targets"} <= document.keys()
    # Every series has a value per time, and its highest is the peak.
    for target in document["targets"]:
        for scenario, values in target["series"].items():
            assert len(values) == len(document["times"])
            assert max(values) == target["peak"][scenario]["value"], target["name"]
    assert_golden(digest(out), GOLDEN / "estimate-examples.json")


WIDTHS = pytest.mark.parametrize("width", [80, 120])


@WIDTHS
def test_examples_text(
    cli: RunCli, at_repo_root: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = cli("estimate", *EXAMPLES, "--color", "never")
    assert (code, err) == (0, "")
    assert_golden(out, GOLDEN / f"estimate-examples-{width}.txt")


@WIDTHS
def test_example_without_a_profile(
    cli: RunCli, at_repo_root: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = cli("estimate", WINTER, "--color", "never")
    assert (code, err) == (0, "")
    assert out.startswith("No capacity profile was given, so nothing is checked against capacity")
    assert_golden(out, GOLDEN / f"estimate-winter-no-profile-{width}.txt")


class _LaterDatetime(datetime):
    """``datetime`` whose clock says 2 January 2031."""

    @classmethod
    def now(cls, tz: Any = None) -> _LaterDatetime:
        return cls(2031, 1, 2, 3, 4, 5, tzinfo=tz or timezone.utc)


def test_output_depends_on_the_spec_dates_not_on_the_clock(
    cli: RunCli, at_repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = (["--json"], ["--color", "never"])
    first = [cli("estimate", *EXAMPLES, *flags).stdout for flags in outputs]
    # Years later, by every clock the estimate could read:
    import campaign_guard.loadmodel as package

    patched = []
    for module in pkgutil.iter_modules(package.__path__):
        loaded = importlib.import_module(f"campaign_guard.loadmodel.{module.name}")
        if getattr(loaded, "datetime", None) is datetime:
            monkeypatch.setattr(loaded, "datetime", _LaterDatetime)
            patched.append(module.name)
    assert "totals" in patched  # where the baselines' hours are read
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 4 * 365 * 86400)
    later = [cli("estimate", *EXAMPLES, *flags).stdout for flags in outputs]
    assert later == first
    assert digest(first[0]) == (GOLDEN / "estimate-examples.json").read_text(encoding="utf-8")


# --- exit codes -------------------------------------------------------------------------------


def test_an_invalid_spec_is_reported_with_its_place_and_exits_1(cli: RunCli, workdir: Path) -> None:
    write(workdir / "good.yaml", spec_text())
    write(workdir / "broken.yaml", "schema_version: 1\nname: [unclosed\n")
    write(workdir / "missing.yaml", spec_text().replace("owner: jane@example.com\n", ""))
    code, out, err = cli("estimate", ".")
    assert code == 1
    assert out == ""
    assert re.search(r"^\./broken\.yaml:\d+:\d+: error .*\[yaml-syntax\]$", err, re.M), err
    assert re.search(r"^\./missing\.yaml:\d+:\d+: error .*owner.*$", err, re.M), err
    assert "good.yaml" not in err
    assert err.endswith("Fix these first (campaign-guard lint shows the same problems).\n")


def test_an_invalid_capacity_profile_exits_1(cli: RunCli, workdir: Path) -> None:
    write(workdir / "spec.yaml", spec_text())
    broken = profile_text("Broken").replace("instances: 4\n", "instances: many\n")
    write(workdir / "broken-profile.yaml", broken)
    code, out, err = cli("estimate", "spec.yaml", "--capacity", "broken-profile.yaml")
    assert code == 1
    assert out == ""
    assert re.search(r"^broken-profile\.yaml:\d+:\d+: error ", err, re.M), err
    assert "Fix these first" in err


def test_a_missing_capacity_file_exits_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "spec.yaml", spec_text())
    code, out, err = cli("estimate", "spec.yaml", "--capacity", "nope.yaml")
    assert (code, out) == (2, "")
    assert err == "error: capacity profile not found: 'nope.yaml'\n"


def test_two_profiles_among_the_paths_without_capacity_exit_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "spec.yaml", spec_text())
    write(workdir / "capacity" / "eu.yaml", profile_text("EU"))
    write(workdir / "capacity" / "us.yaml", profile_text("US"))
    code, out, err = cli("estimate", "spec.yaml", "capacity")
    assert (code, out) == (2, "")
    assert "several capacity profiles given" in err
    assert "capacity/eu.yaml" in err
    assert "capacity/us.yaml" in err
    assert "--capacity" in err
    # Naming one settles it.
    assert used_profile(cli, "spec.yaml", "capacity", "--capacity", "capacity/us.yaml") == "US"


@pytest.mark.parametrize("paths", [["capacity"], ["empty"]], ids=["only-a-profile", "nothing"])
def test_no_spec_among_the_paths_exits_2(cli: RunCli, workdir: Path, paths: list[str]) -> None:
    write(workdir / "capacity" / "eu.yaml", profile_text("EU"))
    (workdir / "empty").mkdir()
    code, out, err = cli("estimate", *paths)
    assert (code, out) == (2, "")
    assert err == "error: no campaign spec among the files given\n"


# --- where the profile comes from ---------------------------------------------------------------


def test_a_profile_among_the_paths_is_used(cli: RunCli, workdir: Path) -> None:
    write(workdir / "campaigns" / "spec.yaml", spec_text())
    write(workdir / "capacity" / "eu.yaml", profile_text("EU"))
    assert used_profile(cli, "campaigns", "capacity") == "EU"
    assert used_profile(cli, "campaigns", "capacity/eu.yaml") == "EU"
    assert used_profile(cli, "campaigns") is None


def test_capacity_precedence_flag_then_environment_then_config(
    cli: RunCli, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir / "campaigns" / "spec.yaml", spec_text())
    write(workdir / "ops" / "from-config.yaml", profile_text("From config"))
    write(workdir / "env.yaml", profile_text("From env"))
    write(workdir / "flag.yaml", profile_text("From flag"))
    # The config file names its profile relative to itself, not to the current folder.
    write(workdir / "campaign-guard.yaml", "estimate:\n  capacity: ops/from-config.yaml\n")
    (workdir / ".git").mkdir()  # a repository: its project file is found from campaigns/
    monkeypatch.chdir(workdir / "campaigns")

    assert used_profile(cli, "spec.yaml") == "From config"
    env: dict[str, str | None] = {"CAMPAIGN_GUARD_CAPACITY": str(workdir / "env.yaml")}
    assert used_profile(cli, "spec.yaml", env=env) == "From env"
    flag = str(workdir / "flag.yaml")
    assert used_profile(cli, "spec.yaml", "--capacity", flag, env=env) == "From flag"
    assert used_profile(cli, "spec.yaml", "-c", flag) == "From flag"
    # A profile named by a setting beats one found among the paths.
    write(workdir / "campaigns" / "found.yaml", profile_text("Found"))
    assert used_profile(cli, ".") == "From config"


def test_a_missing_profile_named_by_the_config_exits_2(cli: RunCli, workdir: Path) -> None:
    write(workdir / "spec.yaml", spec_text())
    write(workdir / "campaign-guard.yaml", "estimate:\n  capacity: ops/gone.yaml\n")
    code, _, err = cli("estimate", "spec.yaml")
    assert code == 2
    assert err.startswith("error: capacity profile not found: ")
    assert "gone.yaml" in err


# --- output ------------------------------------------------------------------------------------


def test_json_output_parses(cli: RunCli, workdir: Path) -> None:
    write(workdir / "spec.yaml", spec_text())
    write(workdir / "capacity.yaml", profile_text("EU"))
    code, out, err = cli("estimate", "spec.yaml", "--capacity", "capacity.yaml", "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["version"] == 1
    assert document["capacity_profile"] == "EU"
    assert isinstance(document["headline"], str)
    assert document["headline"]
    (found,) = document["campaigns"]
    assert found["id"] == "spring-sale"
    # 36,000 visits; 12.3 % of them sign up (the example profile's default for the POST).
    assert found["visits"] == {"low": 27000, "expected": 36000, "high": 45000}
    assert found["leads"]["expected"] == round(36000 * 0.123)
    names = {(t["kind"], t["name"]) for t in document["targets"]}
    assert {("service", "web"), ("service", "api"), ("queue", "sqs")} <= names
    assert document["notes"] == []


def test_notes_appear_with_their_place_in_the_spec(cli: RunCli, workdir: Path) -> None:
    tv = "\n  - channel: tv_radio\n    label: Prime time\n    viewers: 1M"
    write(workdir / "spec.yaml", spec_text(extra_traffic=tv))
    code, out, err = cli("estimate", "spec.yaml", "--color", "never")
    assert (code, err) == (0, "")
    text = " ".join(out.split())  # the terminal table wraps long lines
    # The note points at the TV channel (line 11, column 5: its `channel:` key).
    assert (
        'spec.yaml:11:5: traffic[1].response_rate: tv_radio "Prime time": give '
        "`response_rate` (the share of the audience who visit the site after a spot) or "
        "`expected_visits`"
    ) in text
    assert "left out of the estimate [no-default]" in text
    # Under the headline, what was not counted (no profile: there is no verdict to name).
    assert 'Not counted: tv_radio "Prime time". The estimate leaves this load out: see the ' in text

    code, out, _ = cli("estimate", "spec.yaml", "--json")
    assert code == 0
    (note,) = json.loads(out)["notes"]
    assert note == {
        "path": "spec.yaml",
        "line": 11,
        "column": 5,
        "code": "no-default",
        "field": "traffic[1].response_rate",
        "message": note["message"],
    }
    assert note["message"].startswith('tv_radio "Prime time": give `response_rate`')


def test_an_unknown_route_is_a_note(cli: RunCli, workdir: Path) -> None:
    spec = spec_text().replace("  - POST /api/signup\n", "  - POST /api/unknown\n")
    write(workdir / "spec.yaml", spec)
    write(workdir / "capacity.yaml", profile_text("EU"))
    code, out, _ = cli("estimate", "spec.yaml", "--capacity", "capacity.yaml", "--json")
    assert code == 0
    (note,) = json.loads(out)["notes"]
    # endpoints: is line 13; its first item is on line 14, column 5.
    assert (note["line"], note["column"], note["code"]) == (14, 5, "unknown-route")
    assert note["field"] == "endpoints[0]"
    assert "POST /api/unknown" in note["message"]


def test_the_installed_script_estimates_the_examples(
    run_installed: RunInstalled, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    done = run_installed("estimate", *EXAMPLES, "--color", "never")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("Action needed before launch: ")
    assert done.stdout == (GOLDEN / "estimate-examples-80.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("paths", "fail_on", "code"),
    [
        # The examples together need scaling (expected), nothing overloads (expected).
        ("examples", "scale", 1),
        ("examples", "overload", 0),
        ("examples", "never", 0),
        ("winter", "scale", 0),
    ],
)
def test_fail_on_turns_the_verdict_into_the_exit_code(
    cli: RunCli, at_repo_root: Path, paths: str, fail_on: str, code: int
) -> None:
    profile = "examples/capacity/production.yaml"
    chosen = list(EXAMPLES) if paths == "examples" else [WINTER, "--capacity", profile]
    got, out, err = cli("estimate", *chosen, "--fail-on", fail_on, "--json")
    assert got == code
    assert err == ("--fail-on scale: the expected verdict is scale.\n" if code else "")
    assert json.loads(out)["headline"]


def test_fail_on_needs_a_profile_and_a_known_level(cli: RunCli, at_repo_root: Path) -> None:
    code, _, err = cli("estimate", WINTER, "--fail-on", "scale")
    assert code == 2
    assert "--fail-on scale needs a capacity profile" in err
    code, _, err = cli("estimate", *EXAMPLES, "--fail-on", "bad")
    assert code == 2
    assert "--fail-on must be one of never, scale, overload" in err


# --- load that was not counted fails the gate ----------------------------------------------

TV_WITHOUT_RATE = "\n  - channel: tv_radio\n    label: Prime time\n    viewers: 1M"


@pytest.mark.parametrize("fail_on", ["scale", "overload"])
def test_load_that_was_not_counted_fails_the_gate(cli: RunCli, workdir: Path, fail_on: str) -> None:
    # The paid channel fits easily; the TV spot has no response_rate, and the second page
    # has no route in the profile: neither is counted, so the gate cannot pass the launch.
    spec = spec_text(extra_traffic=TV_WITHOUT_RATE).replace(
        "  - https://www.example.com/spring\n",
        "  - https://www.example.com/spring\n  - https://other.example.org/x\n",
    )
    write(workdir / "spec.yaml", spec)
    write(workdir / "capacity.yaml", profile_text("EU"))
    args = ("estimate", "spec.yaml", "--capacity", "capacity.yaml", "--fail-on", fail_on)
    code, out, err = cli(*args, "--color", "never")
    assert code == 1
    assert out.startswith("Today's capacity holds")
    assert 'Not counted: tv_radio "Prime time"; page https://other.example.org/x.' in out
    assert err == (
        f"--fail-on {fail_on}: part of the load was not counted, so the verdict cannot pass "
        "it:\n"
        '  spec.yaml:11:5: tv_radio "Prime time" [no-default]\n'
        "  spec.yaml:16:5: page https://other.example.org/x [unknown-route]\n"
        "Fill in what the notes ask for, or add --allow-uncounted to judge only the load "
        "that was counted.\n"
    )
    # --allow-uncounted judges what was counted: it fits.
    code, out, err = cli(*args, "--allow-uncounted", "--json")
    assert (code, err) == (0, "")
    uncounted = json.loads(out)["uncounted"]
    assert [(u["what"], u["line"], u["code"]) for u in uncounted] == [
        ('tv_radio "Prime time"', 11, "no-default"),
        ("page https://other.example.org/x", 16, "unknown-route"),
    ]
    assert uncounted[0]["campaign"] == "spring-sale"
    assert uncounted[0]["path"] == "spec.yaml"
    # Without --fail-on the estimate informs and does not fail.
    code, _, err = cli("estimate", "spec.yaml", "--capacity", "capacity.yaml", "--json")
    assert (code, err) == (0, "")


def test_an_email_without_a_list_size_is_partly_uncounted(cli: RunCli, workdir: Path) -> None:
    email = "\n  - channel: email\n    expected_visits: 1000"
    write(workdir / "spec.yaml", spec_text(extra_traffic=email))
    write(workdir / "capacity.yaml", profile_text("EU"))
    code, out, err = cli(
        "estimate", "spec.yaml", "-c", "capacity.yaml", "--fail-on", "scale", "--json"
    )
    assert code == 1
    (uncounted,) = json.loads(out)["uncounted"]
    assert uncounted["what"] == "email: link scanners and image prefetch"
    assert "spec.yaml:11:5: email: link scanners and image prefetch [not-estimated]" in err


def test_both_reasons_to_fail_are_given(cli: RunCli, workdir: Path) -> None:
    # 36,000 visits in an hour is fine; 3.6 million is not: scale, and a TV spot uncounted.
    spec = spec_text(extra_traffic=TV_WITHOUT_RATE).replace("36000", "3600000")
    write(workdir / "spec.yaml", spec)
    write(workdir / "capacity.yaml", profile_text("EU"))
    code, _, err = cli("estimate", "spec.yaml", "-c", "capacity.yaml", "--fail-on", "scale")
    assert code == 1
    first, second = err.split("\n", 1)
    assert first.startswith("--fail-on scale: the expected verdict is ")
    assert second.startswith("--fail-on scale: part of the load was not counted")


# --- what the text output shows ------------------------------------------------------------


def test_every_target_that_needs_action_gets_a_chart(cli: RunCli, at_repo_root: Path) -> None:
    code, out, _ = cli("estimate", *EXAMPLES, "--color", "never")
    assert code == 0
    charted = re.findall(r"^(\S+): \S+/s over time$", out, re.M)
    # checkout and web must scale, sqs falls behind, main-db overloads at the high estimate.
    assert charted == ["checkout", "web", "sqs", "main-db"]
    assert out.count("─ today's capacity, ") == 4


def test_each_campaign_has_its_verdict_and_each_window_its_actions(
    cli: RunCli, at_repo_root: Path
) -> None:
    code, out, _ = cli("estimate", *EXAMPLES, "--color", "never")
    assert code == 0
    todo = out.split("\nWhat to do\n", 1)[1]
    titles = re.findall(r"^  (\S.*)$", todo, re.M)
    assert titles == [
        "Spring Product Launch (TV + social) (Mon 12 Apr 19:00 → Mon 19 Apr 19:00 CDT)",
        "Black Friday Flash Sale (Fri 26 Nov 12:00 → 14:00 CET)",
        "Winter Newsletter 2027 (Tue 7 Dec 09:00 → Fri 10 Dec 09:00 EST)",
    ]
    # Black Friday's queue backlog (high estimate) was hidden behind the TV launch's.
    assert "sqs: a backlog of 15,183 messages builds up" in " ".join(todo.split())
    document = json.loads(cli("estimate", *EXAMPLES, "--json").stdout)
    verdicts = {c["id"]: c["verdict"]["expected"] for c in document["campaigns"]}
    assert verdicts == {
        "black-friday-flash-2027": "scale",
        "spring-product-launch-tv-social": "scale",
        "winter-newsletter-2027": "ok",
    }
    assert [w["verdict"]["expected"] for w in document["windows"]] == ["scale", "scale", "ok"]


def _tables(out: str) -> list[list[str]]:
    """The header lines of each table (the lines above a ━━━╇━━━ rule)."""
    lines = out.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith("━"):
            top = i
            while top > 0 and "┃" in lines[top - 1]:
                top -= 1
            found.append(lines[top:i])
    return found


@pytest.mark.parametrize("width", [80, 120])
def test_the_examples_fit_the_terminal_and_cut_nothing(
    cli: RunCli, at_repo_root: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (EXAMPLES, (WINTER,)):
        code, out, _ = cli("estimate", *args, "--color", "never")
        assert code == 0
        assert max(len(line) for line in out.splitlines()) <= width
        assert "…" not in out  # nothing cut short
        # Every column of every table has a header.
        for header in _tables(out):
            cells = zip(*(line.split("┃") for line in header), strict=True)
            assert all(any(part.strip() for part in cell) for cell in cells), header
        # Every target's name is whole on one line, so two addresses can be told apart.
        document = json.loads(cli("estimate", *args, "--json").stdout)
        for target in document["targets"]:
            name = target["name"].split(" ")[-1]
            assert re.search(rf"(^| ){re.escape(name)}( |$)", out, re.M), name
        # A bullet that wraps goes on under its own text, never at column 0.
        for block in re.split(r"\n(?=\S)", out):
            if "  • " not in block:
                continue
            for line in block.splitlines()[1:]:
                assert not line or line.startswith("  "), line


def test_why_the_high_estimate_is_higher_names_ten_campaigns_then_counts(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    for index in range(12):
        write(tmp_path / f"c{index:02}.yaml", spec_text(f"Sale {index:02}"))
    code, out, err = cli("estimate", str(tmp_path))
    assert code == 0, err
    section = out.split("Why the high estimate is higher\n", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in section.splitlines()]
    assert len(lines) == 11
    assert lines[0] == (
        "• Sale 00: high mostly because the spec's own figures are taken as ±25% (an assumption)"
    )
    assert lines[-1] == "• and 2 more (--json gives each campaign's)"
    code, out, err = cli("estimate", str(tmp_path), "--json")
    campaigns = json.loads(out)["campaigns"]
    assert len(campaigns) == 12
    assert {c["high_mostly"]["default"] for c in campaigns} == {"given.spread"}
