"""Property tests: whatever a spec file holds, ``lint`` answers with findings, not a crash.

The examples are derandomized (the same on every run and in CI) and no example database
is kept, so a failure here reproduces by rerunning the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from campaign_guard.cli import app
from campaign_guard.lint.rules.table import RULES
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.load import field_names

AS_OF = "2027-01-04T09:00Z"
PROPERTY = settings(
    deadline=None,
    max_examples=150,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LINE_RE = re.compile(r"^.+?(:\d+:\d+)?: (error|warning) .* \[([a-z-]+)\]$")
SUMMARY_RE = re.compile(
    r"Checked 1 file: (no problems found|(\d+ errors?)?(, )?(\d+ warnings?)?)\.\n"
)


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``spec.yaml`` in a folder of its own, made the current one (no project file above)."""
    folder = tmp_path_factory.mktemp("property")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield folder / "spec.yaml"


def lint_file(path: Path, content: bytes) -> tuple[int, str, str]:
    """Write ``content`` to ``path``, lint it in-process, and check the invariants."""
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["lint", path.name, "--as-of", AS_OF])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"lint raised {result.exception!r} on {content[:200]!r}"
    )
    assert "Traceback" not in result.stderr
    assert result.exit_code in {0, 1}, (result.exit_code, result.stderr, content[:200])
    assert SUMMARY_RE.fullmatch(result.stderr), result.stderr
    return result.exit_code, result.stdout, result.stderr


def assert_text_format(exit_code: int, stdout: str) -> None:
    """One finding per line, each ``file[:line:col]: level message [code]``."""
    assert stdout == "" or stdout.endswith("\n")
    lines = stdout.split("\n")[:-1]
    assert stdout.splitlines() == lines, "a finding spans several lines"
    levels = []
    for line in lines:
        match = LINE_RE.fullmatch(line)
        assert match is not None, f"not a text-format finding: {line!r}"
        assert line.startswith("spec.yaml")
        assert match.group(3) in RULES, f"unknown finding code in {line!r}"
        levels.append(match.group(2))
        event(f"finding {match.group(3)}")
    assert exit_code == (1 if "error" in levels else 0)
    event(f"exit {exit_code}")


# --- (a) arbitrary text and bytes ------------------------------------------------------

YAML_ISH = st.text(alphabet="ab: -[]{}#&*!|>'\"\n\t\r%@`,?09.\\\x00\x85\u2028\ufeff", max_size=200)
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)


@PROPERTY
@given(text=st.one_of(ANY_TEXT, YAML_ISH))
def test_lint_survives_arbitrary_text(spec_path: Path, text: str) -> None:
    exit_code, stdout, _ = lint_file(spec_path, text.encode("utf-8"))
    assert_text_format(exit_code, stdout)


@PROPERTY
@given(content=st.binary(max_size=300))
def test_lint_survives_arbitrary_bytes(spec_path: Path, content: bytes) -> None:
    exit_code, stdout, _ = lint_file(spec_path, content)
    assert_text_format(exit_code, stdout)


# --- (b) YAML-ish documents built from the spec's own keys -----------------------------

SPEC_KEYS = sorted(field_names(CampaignSpec))
"""Every key the spec knows, at any depth (traffic channels' fields included)."""
WORDS = (
    "1",
    "2027-01-05 09:00",
    "2027-03-02 09:00",
    "2026-11-01 09:00",
    "2027-03-02T09:00-05:00",
    "UTC",
    "Europe/Paris",
    "Mars/Olympus",
    "7d",
    "36h",
    "1 week",
    "P2D",
    "50k",
    "1.2M",
    "40,000",
    "2.9%",
    "150%",
    "email",
    "sms",
    "push",
    "tv_radio",
    "paid_social",
    "jane@example.com",
    "https://example.com/landing",
    "POST /api/signup",
    "GET",
    "PRIV-1",
    "OPS-123",
    "",
    " ",
    "-1",
    "1e400",
    "0x10",
    "yes",
    "~",
    "\u202etxt",
    "line\nbreak",
)
KEYS = st.one_of(st.sampled_from(SPEC_KEYS), st.text(max_size=8))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(WORDS),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)
    ),
    max_leaves=25,
)


def usually(
    common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], one_in: int
) -> st.SearchStrategy[Any]:
    """``rare`` about once in ``one_in`` draws, ``common`` otherwise."""
    # Not integers(0, one_in - 1), nor one_of(common, common, rare): Hypothesis favours
    # the bounds of a range and merges repeated branches, so the weights would not hold.
    return st.integers(0, 999).flatmap(lambda n: rare if n % one_in == one_in // 2 else common)


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value about nine times in ten, anything at all otherwise."""
    return usually(valid, DOCUMENTS, 10)


@st.composite
def launches(draw: st.DrawFn) -> dict[str, Any]:
    """A launch section: a time zone, a start, and an end or a duration."""
    launch = {
        "timezone": draw(mostly(st.sampled_from(["UTC", "America/New_York"]))),
        "start": draw(mostly(st.sampled_from(WORDS[1:5]))),
    }
    if draw(st.booleans()):
        launch["duration"] = draw(mostly(st.sampled_from(["7d", "2h", "1 week"])))
    else:
        # Mostly after every start above; sometimes a campaign that already ended.
        ends = usually(st.just("2027-12-31 23:59"), st.just("2026-11-02 09:00"), 3)
        launch["end"] = draw(mostly(ends))
    return launch


CHANNELS: list[dict[str, Any]] = [
    {"channel": "email", "list_size": "50k", "click_rate": "3%"},
    {"channel": "sms", "recipients": "150k"},
    {"channel": "push", "recipients": 200000, "start": "2027-03-02 12:00"},
    {"channel": "organic_pr", "expected_visits": 1000},
]
CHANNEL = st.sampled_from(CHANNELS).flatmap(
    lambda channel: st.fixed_dictionaries({k: mostly(st.just(v)) for k, v in channel.items()})
)
DATA_FIELD = st.fixed_dictionaries(
    {"name": mostly(st.just("phone")), "personal_data": mostly(st.booleans())},
    optional={"purpose": mostly(st.just("sms")), "privacy_review": mostly(st.just("PRIV-1"))},
)
NEAR_SPECS = st.fixed_dictionaries(
    {
        "schema_version": mostly(st.just(1)),
        "name": mostly(st.sampled_from(["Spring Sale", "Flash"])),
        "owner": mostly(st.just("jane@example.com")),
        "launch": mostly(launches()),
        "traffic": mostly(st.lists(CHANNEL, min_size=1, max_size=3)),
        "landing_pages": mostly(st.just(["https://example.com/landing"])),
        "new_data_fields": mostly(
            usually(st.lists(DATA_FIELD, min_size=1, max_size=3), st.just([]), 3)
        ),
    },
    optional={
        "id": mostly(st.just("spring-2027")),
        "endpoints": mostly(st.lists(st.sampled_from(["POST /api/signup", "GET /"]), max_size=2)),
        "promo_code": mostly(st.just("SPRING27")),
        "notes": mostly(st.just("multi\nline")),
    },
)
TOP_LEVEL = usually(
    NEAR_SPECS, st.one_of(st.dictionaries(KEYS, DOCUMENTS, max_size=10), DOCUMENTS), 3
)
INSERTS = ("\t", "&a ", "*a", " &a", " *a ", "<<: *a\n", "!!python/object:os.system ", "!x ")


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """A dumped document, sometimes with a line duplicated or a tab or anchor inserted."""
    text = yaml.safe_dump(
        draw(TOP_LEVEL),
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None])),
    )
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            lines = text.splitlines(keepends=True)
            if lines:
                line = draw(st.sampled_from(lines))
                lines.insert(draw(st.integers(0, len(lines))), line)
                text = "".join(lines)
        else:
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
    return text


@PROPERTY
@given(text=yaml_documents())
def test_lint_survives_yaml_ish_documents(spec_path: Path, text: str) -> None:
    exit_code, stdout, _ = lint_file(spec_path, text.encode("utf-8"))
    assert_text_format(exit_code, stdout)
