"""Hostile text through every output: file names, project-file values, spec names.

Whatever a name holds, no output carries a raw escape sequence (ESC, BEL, CSI, OSC), a
carriage return, or a lone surrogate; no line starts with ``::`` (after spaces: GitHub
Actions would run it as a workflow command) unless it is one of the tool's own
annotations; no ``##[`` appears anywhere (GitHub reads it anywhere in a line); and
nothing ends in exit 4. How each character is shown instead is in the golden files.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
from pathlib import Path

import pytest

from campaign_guard.safe_text import one_line
from testing.fake_jira import FakeJira
from testing.fake_jira_data import CAMPAIGN_LAUNCH, custom_field
from tests.cli.test_doctor_cli import env, project
from tests.conftest import REPO_ROOT, RunCli
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = (REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml").read_text("utf-8")
PROFILE = (REPO_ROOT / "examples" / "capacity" / "production.yaml").read_bytes()

HOSTILE = {
    "esc": "esc\x1b[31mred\x1b[0m",
    "osc8": "\x1b]8;;https:evil.example\x07link\x1b]8;;\x07",
    "osc52": "clip\x1b]52;c;cHduZWQ=\x07",
    "bel": "bel\x07",
    "cr": "cr\roverwritten",
    "workflow": "x\n::warning file=x::pwned",
    "legacy": "x ##[error]pwned",
    "not-utf8": os.fsdecode(b"bad\xff\xfe"),
}
"""File-name stems (no ``/``, no NUL): escape sequences, a CR, a newline followed by a
workflow command, the legacy command marker, and bytes that are not UTF-8."""

SPEC_NAME = "Winter ::warning file=x::pwned ##[error]pwned"
"""A campaign name: specs refuse control characters, but not these."""

TV_CHANNEL = "  - channel: tv_radio\n    label: Prime time\n    viewers: 1M\n"
"""A channel the estimate cannot count: it brings a note placed in the spec's file."""

RICH_STYLE = re.compile("\x1b\\[[0-9;]*m")
"""The colours and styles Rich writes (SGR sequences): nothing else may be an escape."""

OWN_ANNOTATION = re.compile(
    r"::(error|warning) file=[^:,]*(,line=\d+,col=\d+)?,title=campaign-guard [a-z-]+::"
)


def assert_safe(output: str, *, annotations: bool = False) -> None:
    """Nothing in ``output`` that a terminal or GitHub Actions would act on."""
    __tracebackhide__ = True
    for char in "\x1b\x07\x9b\x9d\r":
        assert char not in output, f"{char!r} in {output!r}"
    assert not any("\ud800" <= c <= "\udfff" for c in output), repr(output)
    assert "##[" not in output, output
    for line in output.split("\n"):
        stripped = line.lstrip()  # the runner trims leading white space first
        if not stripped.startswith("::"):
            continue
        own = OWN_ANNOTATION.match(stripped) if annotations else None
        assert own is not None, f"a workflow command: {line!r}"
        assert "::" not in stripped[own.end() :], f"a second command: {line!r}"


def hostile_file(folder: Path, stem: str, suffix: str, content: bytes) -> Path:
    """``folder/STEM SUFFIX``, or a skip where the file system refuses the name."""
    path = folder / f"{stem}{suffix}"
    try:
        path.write_bytes(content)
    except OSError as exc:  # e.g. APFS refuses names that are not UTF-8
        pytest.skip(f"this file system refuses the name {stem!r}: {exc.strerror}")
    return path


def spec_text(name: str = SPEC_NAME) -> bytes:
    """The winter newsletter, renamed, with a TV channel the estimate cannot count."""
    text = EXAMPLE.replace("name: Winter Newsletter 2027", f"name: {json.dumps(name)}")
    text = text.replace("id: winter-newsletter-2027\n", "")
    return text.replace("\nlanding_pages:", f"{TV_CHANNEL}\nlanding_pages:").encode("utf-8")


# --- lint -------------------------------------------------------------------------------


@pytest.fixture
def hostile_specs(workdir: Path) -> Path:
    """A folder holding the spec under every hostile name (as many as the disk allows)."""
    folder = workdir / "specs"
    folder.mkdir()
    for stem in HOSTILE.values():
        try:
            (folder / f"{stem}.yaml").write_bytes(spec_text())
        except OSError:
            continue
    return folder


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
@pytest.mark.parametrize("output_format", ["text", "json", "github", "junit", "sarif"])
def test_lint_shows_hostile_file_names_safely(
    cli: RunCli, hostile_specs: Path, output_format: str, to_file: bool
) -> None:
    where = ["-o", "report.out"] if to_file else []
    args = ["lint", "specs", "-f", output_format, "--as-of", "2027-01-04T09:00Z", *where]
    code, out, err = cli(*args)
    assert code == 1  # one campaign id in every file: each is a duplicate of the others
    report = Path("report.out").read_bytes().decode("utf-8") if to_file else out
    assert report.count("[uncounted-traffic]" if output_format == "text" else "uncounted") >= 2
    assert_safe(report, annotations=output_format == "github")
    assert_safe(err)


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_lint_shows_each_character_as_an_escape(
    cli: RunCli, hostile_specs: Path, output_format: str
) -> None:
    if len(list(hostile_specs.iterdir())) < len(HOSTILE):
        pytest.skip("this file system refuses some of the names")
    args = ("lint", "specs", "-f", output_format, "--as-of", "2027-01-04T09:00Z")
    assert_golden(cli(*args).stdout, GOLDEN / f"hostile-lint.{output_format}.txt")


# --- estimate and submit --dry-run ------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("stem", HOSTILE.values(), ids=HOSTILE.keys())
def test_estimate_shows_hostile_names_safely(
    cli: RunCli, workdir: Path, stem: str, as_json: bool
) -> None:
    spec = hostile_file(workdir, stem, ".yaml", spec_text())
    profile = hostile_file(workdir, stem, "-capacity.yaml", PROFILE)
    if "\udcff" in stem:  # no YAML string holds it: named by the flag instead
        capacity = ["--capacity", str(profile)]
    else:  # a project-file value
        (workdir / "campaign-guard.yaml").write_text(
            f"estimate:\n  capacity: {json.dumps(profile.name)}\n", encoding="utf-8"
        )
        capacity = []
    shown = ["--json"] if as_json else ["--color", "always"]
    args = ("estimate", str(spec), *capacity, *shown, "--fail-on", "overload")
    code, out, err = cli(*args, env={"COLUMNS": "60", "TERM": "xterm-256color"})
    assert code == 1  # the TV channel was not counted
    assert_safe(RICH_STYLE.sub("", out))  # the tool's own colours aside
    assert_safe(err)
    assert "not counted" in err
    if as_json:
        document = json.loads(out)
        assert document["campaigns"][0]["name"] == SPEC_NAME  # JSON keeps it exact
    else:
        words = RICH_STYLE.sub("", out).split()  # the table wraps the name
        assert ":\\x3awarning" in words
        assert "##\\x5berror]pwned" in words


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("stem", HOSTILE.values(), ids=HOSTILE.keys())
def test_dry_run_shows_hostile_names_safely(
    cli: RunCli, workdir: Path, stem: str, as_json: bool
) -> None:
    spec = hostile_file(workdir, stem, ".yaml", spec_text())
    (workdir / "campaign-guard.yaml").write_text(
        f"oncall:\n  provider: fixed\n  name: {json.dumps(SPEC_NAME)}\n  email: dana@example.com\n",
        encoding="utf-8",
    )
    args = ("submit", str(spec), "--dry-run", *(["--json"] if as_json else []))
    code, out, err = cli(*args)
    assert code == 0
    assert_safe(out)
    assert_safe(err)
    if as_json:
        preview = json.loads(out)
        assert preview["assignee"].startswith(SPEC_NAME)
        assert preview["notes"][0].startswith(f"{one_line(str(spec))}:")
    else:
        assert "Assignee:    Winter :\\x3awarning file=x:\\x3apwned ##\\x5berror]pwned" in out
        assert "Notes:\n  " in out


@pytest.mark.parametrize("name", [f"Winter {v}" for v in HOSTILE.values()], ids=HOSTILE.keys())
@pytest.mark.parametrize("command", ["lint", "estimate", "submit"])
def test_a_hostile_spec_name_is_a_finding_or_shown_safely(
    cli: RunCli, workdir: Path, command: str, name: str
) -> None:
    (workdir / "spec.yaml").write_bytes(spec_text(name).replace(TV_CHANNEL.encode(), b""))
    extra = ["--dry-run"] if command == "submit" else []
    code, out, err = cli(command, "spec.yaml", *extra)
    assert code in (0, 1)
    assert_safe(out)
    assert_safe(err)


# --- error lines ------------------------------------------------------------------------

ERRORS = {
    "unknown key": ("lint:\n  {}: 3\n", ("lint", "spec.yaml")),
    "estimate.capacity": ("estimate:\n  capacity: {}\n", ("estimate", "spec.yaml")),
    "templates": ("templates: {}\n", ("lint", "spec.yaml")),
    "lint path": ("", ("lint", "{}")),
    "submit path": ("", ("submit", "{}", "--dry-run")),
}
"""A project file, then the command line; ``{}`` stands for the hostile value."""


@pytest.mark.parametrize("case", ERRORS, ids=ERRORS.keys())
def test_an_error_is_one_safe_line_whatever_the_value_holds(
    cli: RunCli, workdir: Path, case: str
) -> None:
    (workdir / "spec.yaml").write_bytes(spec_text())
    project_file, command = ERRORS[case]
    shown = []
    for stem in HOSTILE.values():
        if project_file and "\udcff" in stem:
            continue  # no YAML string holds it
        (workdir / "campaign-guard.yaml").write_text(
            project_file.format(json.dumps(stem)), encoding="utf-8"
        )
        code, out, err = cli(*(arg.format(stem) for arg in command))
        assert code == 2, err
        assert out == ""
        assert err.startswith("error: ")
        assert err.count("\n") == 1, err
        assert_safe(err)
        shown.append(err.replace(str(workdir), "WORKDIR"))
    slug = case.replace(" ", "-").replace(".", "-")
    assert_golden("".join(shown), GOLDEN / f"hostile-error-{slug}.txt")


# --- names Jira sends back --------------------------------------------------------------


def test_doctor_and_jira_fields_show_jira_names_safely(
    cli: RunCli, workdir: Path, fake: FakeJira, debug_log: None
) -> None:
    hostile = itertools.cycle(HOSTILE.values())
    project(workdir, fake, "  issue_type: 10050\n  fields: {launch: customfield_10050}\n")
    project_file = workdir / "campaign-guard.yaml"  # an on-call name with the markers
    text = project_file.read_text("utf-8").replace("Dana Ops", json.dumps(SPEC_NAME))
    project_file.write_text(text, encoding="utf-8")
    (workdir / "spec.yaml").write_bytes(spec_text().replace(TV_CHANNEL.encode(), b""))
    fake.bot["displayName"] = next(hostile)
    fake.project_name = next(hostile)
    for transition in fake.transitions:
        transition["name"] = next(hostile)
    for issue_type in fake.issue_types:
        issue_type["name"] += next(hostile)
    for entry in fake.screens[CAMPAIGN_LAUNCH]:
        entry["name"] += next(hostile)
    code, out, err = cli("--debug", "submit", "spec.yaml", env=env(workdir))  # its log too
    assert code == 0, err
    assert_safe(out)
    assert_safe(err)
    assert "Assigned to Winter :\\x3awarning file=x:\\x3apwned ##\\x5berror]pwned," in out
    fake.screens[CAMPAIGN_LAUNCH].append(
        custom_field(10099, HOSTILE["workflow"], "string", "textfield", required=True)
    )
    runs = [
        cli("doctor", env=env(workdir)),
        cli("doctor", "--json", env=env(workdir)),
        cli("jira", "fields", env=env(workdir)),
        cli("jira", "fields", "--json", env=env(workdir)),
    ]
    for code, out, err in runs:
        assert code in (0, 3)  # doctor: a required field campaign-guard cannot fill
        assert_safe(out)
        assert_safe(err)
    doctor_text, doctor_json, fields_text, fields_json = (out for _, out, _ in runs)
    assert "signed in as esc\\x1b[31mred\\x1b[0m" in doctor_text
    assert "OPS (\\x1b]8;;https:evil.example\\x07link\\x1b]8;;\\x07)" in doctor_text
    assert "Marketing Campaign Launchx ##\\x5berror]pwned" in fields_text
    checks = {c["name"]: c["message"] for c in json.loads(doctor_json)}
    assert checks["account"] == f"signed in as {HOSTILE['esc']}"  # JSON keeps it exact
    names = {f["id"]: f["name"] for f in json.loads(fields_json)["fields"]}
    assert names["customfield_10099"] == HOSTILE["workflow"]


def test_rich_reads_no_markup_or_emoji_code_in_a_name(cli: RunCli, workdir: Path) -> None:
    name = "Launch [red]now[/red] [link=https://evil.example]x[/link] :fire:"
    (workdir / "spec.yaml").write_bytes(spec_text(name).replace(TV_CHANNEL.encode(), b""))
    code, out, _ = cli("estimate", "spec.yaml", "--color", "never", env={"COLUMNS": "200"})
    assert code == 0
    assert name in out


def test_the_debug_log_shows_escapes(cli: RunCli, workdir: Path, debug_log: None) -> None:
    (workdir / "spec.yaml").write_bytes(spec_text().replace(TV_CHANNEL.encode(), b""))
    assert cli("--debug", "lint", "spec.yaml")[0] == 0
    (handler,) = logging.getLogger("campaign_guard").handlers
    jira_said = ("/issue/\x1b]0;title\x07\n::warning::x",)
    record = logging.LogRecord("campaign_guard.x", logging.DEBUG, "", 0, "GET %s", jira_said, None)
    shown = "debug: campaign_guard.x: GET /issue/\\x1b]0;title\\x07\n:\\x3awarning:\\x3ax"
    assert handler.format(record) == shown


def test_init_names_the_file_it_wrote_safely(cli: RunCli, workdir: Path) -> None:
    target = HOSTILE["workflow"] + HOSTILE["osc52"] + ".yaml"
    code, out, err = cli("init", "--kind", "capacity", target, "--timezone", "Europe/Paris")
    assert code == 0
    assert (workdir / target).is_file()
    assert_safe(out)
    assert_safe(err)
    assert err.startswith(
        "Wrote x\\n:\\x3awarning file=x:\\x3apwnedclip\\x1b]52;c;cHduZWQ=\\x07.yaml"
    )
