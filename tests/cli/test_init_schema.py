"""``campaign-guard init`` and ``campaign-guard schema``, and the schema files they feed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from campaign_guard.render import yaml_string
from campaign_guard.spec.load import load_spec
from tests.conftest import RunCli
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"

MODELINE = "# yaml-language-server: $schema=./campaign-spec.schema.json"
MODELINE_RE = re.compile(r"# yaml-language-server: \$schema=(\S+)")
AS_OF = "2027-01-04T09:00Z"
"""A Monday, well over three business days before the launch used below."""

FLAGS = {
    "--name": "Spring Sale 2027",
    "--owner": "jane@example.com",
    "--launch": "2027-03-02 09:00",
    "--timezone": "America/New_York",
    "--duration": "10d",
    "--channel": "sms",
    "--audience": "50k",
    "--landing-page": "https://example.com/spring",
}
REQUIRED = ("--name", "--owner", "--launch", "--audience", "--landing-page")
CHICAGO = {"TZ": "America/Chicago"}
"""This machine's time zone, as the tests set it."""


def flags(**overrides: str | None) -> list[str]:
    """FLAGS as arguments; ``name_of_flag=None`` leaves a flag out."""
    values: dict[str, str | None] = dict(FLAGS)
    values.update({"--" + key.replace("_", "-"): value for key, value in overrides.items()})
    return [part for flag, value in values.items() if value is not None for part in (flag, value)]


# --- init without a terminal --------------------------------------------------------------


def test_init_with_every_flag_writes_a_spec_that_lints_clean(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("init", *flags())
    assert (code, out) == (0, "")
    spec = workdir / "campaigns" / "spring-sale-2027.yaml"
    schema = workdir / "campaigns" / "campaign-spec.schema.json"
    assert sorted(p.name for p in (workdir / "campaigns").iterdir()) == [
        "campaign-spec.schema.json",
        "spring-sale-2027.yaml",
    ]
    assert err == (
        f"Wrote {Path('campaigns', 'spring-sale-2027.yaml')} and "
        f"{Path('campaigns', 'campaign-spec.schema.json')} (lets editors check the spec as "
        "you type). Edit it, then run: campaign-guard lint campaigns/spring-sale-2027.yaml\n"
    )

    text = spec.read_text(encoding="utf-8")
    assert_golden(text, GOLDEN / "init-campaign.yaml")
    assert text.splitlines()[0] == MODELINE
    assert schema.read_text(encoding="utf-8") == cli("schema").stdout

    loaded = load_spec(spec)
    assert loaded.problems == []
    assert loaded.value is not None
    assert loaded.value.name == "Spring Sale 2027"
    assert loaded.value.id == "spring-sale-2027"
    assert loaded.value.owner == "jane@example.com"
    assert loaded.value.launch.timezone == "America/New_York"
    assert loaded.value.launch.start.isoformat() == "2027-03-02T09:00:00-05:00"
    assert [c.channel for c in loaded.value.traffic] == ["sms"]
    assert loaded.value.new_data_fields == []

    assert cli("lint", "--strict", "--as-of", AS_OF, str(spec)) == (
        0,
        "",
        "Checked 1 file: no problems found.\n",
    )


def test_init_defaults_and_explicit_output(cli: RunCli, workdir: Path) -> None:
    args = flags(timezone=None, duration=None, channel=None)
    code, _, err = cli("init", "specs/q1/mine.yaml", *args, env=CHICAGO)
    assert code == 0
    assert err.splitlines()[0] == (
        "Using this machine's time zone, America/Chicago, for the launch time "
        "(give --timezone to choose another)."
    )
    assert "Wrote specs/q1/mine.yaml and specs/q1/campaign-spec.schema.json" in err
    loaded = load_spec(workdir / "specs/q1/mine.yaml")
    assert loaded.value is not None
    assert loaded.value.launch.timezone == "America/Chicago"
    assert loaded.value.launch.ends.isoformat() == "2027-03-09T09:00:00-06:00"
    assert [c.channel for c in loaded.value.traffic] == ["email"]

    # A second spec beside it keeps the schema file that is already there.
    (workdir / "specs/q1/campaign-spec.schema.json").write_text("{}\n", encoding="utf-8")
    code, _, err = cli("init", "specs/q1/other.yaml", *flags(name="Other"))
    assert code == 0
    assert "campaign-spec.schema.json" not in err
    assert (workdir / "specs/q1/campaign-spec.schema.json").read_text(encoding="utf-8") == "{}\n"


def test_init_without_terminal_names_the_missing_flags(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("init", env=CHICAGO)
    assert (code, out) == (2, "")
    assert err == f"error: not on a terminal, so give these options: {' '.join(REQUIRED)}\n"

    code, _, err = cli("init", *flags(owner=None, landing_page=None))
    assert code == 2
    assert err == "error: not on a terminal, so give these options: --owner --landing-page\n"
    assert list(workdir.iterdir()) == []


def test_init_without_terminal_or_known_zone_asks_for_timezone(cli: RunCli, workdir: Path) -> None:
    code, out, err = cli("init", *flags(timezone=None), env={"TZ": "Nowhere/Atlantis"})
    assert (code, out) == (2, "")
    assert err == (
        "error: not on a terminal, so give these options: --timezone (this machine's time "
        "zone is not known)\n"
    )
    assert list(workdir.iterdir()) == []


def test_init_never_overwrites_without_force(cli: RunCli, workdir: Path) -> None:
    target = workdir / "campaigns" / "spring-sale-2027.yaml"
    target.parent.mkdir()
    target.write_text("# my hand-written spec\n", encoding="utf-8")

    code, out, err = cli("init", *flags())
    assert (code, out) == (2, "")
    assert err == (
        f"error: {Path('campaigns', 'spring-sale-2027.yaml')} already exists; "
        "use --force to overwrite it\n"
    )
    assert target.read_text(encoding="utf-8") == "# my hand-written spec\n"

    code, _, _ = cli("init", *flags(), "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith(MODELINE + "\n")
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "campaign-spec.schema.json",
        "spring-sale-2027.yaml",
    ]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"owner": "jane"}, "error: --owner: "),
        ({"owner": "jane@"}, "error: --owner: "),
        ({"launch": "next tuesday"}, "error: --launch: "),
        ({"timezone": "Mars/Olympus"}, "error: --timezone: unknown time zone 'Mars/Olympus'"),
        ({"duration": "forever"}, "error: --duration: "),
        ({"channel": "carrier-pigeon"}, "error: --channel: unknown channel 'carrier-pigeon' "),
        ({"channel": "emial"}, "error: --channel: unknown channel 'emial' (did you mean 'email'?)"),
        ({"launch": "2027-03-02"}, "error: --launch: add the time of day, like 2027-03-02 09:00"),
        ({"landing_page": "example.com"}, "error: --landing-page: "),
        ({"audience": "lots"}, "error: --audience: "),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else "",
)
def test_init_bad_value_exit_2_naming_the_flag(
    cli: RunCli, workdir: Path, override: dict[str, str], message: str
) -> None:
    code, out, err = cli("init", *flags(**override))
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert list(workdir.iterdir()) == []


HOSTILE_NAMES = [
    'Spring "Sale" #1: été',
    "a: b # not a comment",
    "'single' and \"double\" quotes",
    "{not: a map}",
    "[not, a, list]",
    "- not a list item",
    "*alias &anchor !tag %directive @at `tick`",
    "back\\slash \\n \\u0041 \\x41",
    "null",
    "true",
    "0755",
    "2027-03-02",
    "---",
    "... | > ? ,",
    "秋のセール 2027",
    "Ünïcødé — “smart” \u2018quotes\u2019 ✓ 🚀",
    "zero\u200bwidth space",
    "a" * 120,
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_init_hostile_name_round_trips_exactly(cli: RunCli, workdir: Path, name: str) -> None:
    code, _, err = cli("init", "spec.yaml", *flags(name=name))
    assert code == 0, err
    text = (workdir / "spec.yaml").read_text(encoding="utf-8")
    name_lines = [line for line in text.splitlines() if line.startswith("name:")]
    assert len(name_lines) == 1, "the name must stay on its own line"

    loaded = load_spec(workdir / "spec.yaml")
    assert loaded.problems == []
    assert loaded.value is not None
    assert loaded.value.name == name
    assert yaml.safe_load(text)["name"] == name
    assert cli("lint", "--strict", "--as-of", AS_OF, "spec.yaml")[0] == 0


@pytest.mark.parametrize("char", ["\x7f", "\ufffe", "\u202e", "\x85"])
def test_init_refuses_invisible_characters_naming_the_flag(
    cli: RunCli, workdir: Path, char: str
) -> None:
    code, out, err = cli("init", "spec.yaml", *flags(name=f"a{char}b"))
    assert (code, out) == (2, "")
    assert err == f"error: --name: contains an invisible character (U+{ord(char):04X}); remove it\n"
    assert list(workdir.iterdir()) == []


def test_yaml_string_reads_back_exactly() -> None:
    for value in ["a\u2028b", "a\u2029b", "a\x85b", "tab\there", 'q"uote\\']:
        assert yaml.safe_load(f"v: {yaml_string(value)}")["v"] == value


# --- schema --------------------------------------------------------------------------------


def test_schema_prints_the_spec_json_schema(cli: RunCli) -> None:
    code, out, err = cli("schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    properties = schema["properties"]
    for field in ("name", "launch", "traffic", "landing_pages", "endpoints", "new_data_fields"):
        assert field in properties, f"the schema lacks the review field {field!r}"
    assert {"schema_version", "name", "owner", "launch", "traffic", "new_data_fields"} <= set(
        schema["required"]
    )


def test_schema_output_file(cli: RunCli, workdir: Path) -> None:
    assert cli("schema", "-o", "out.json") == (0, "", "")
    assert (workdir / "out.json").read_text(encoding="utf-8") == cli("schema").stdout


def test_committed_schema_is_up_to_date(cli: RunCli, repo_root: Path) -> None:
    committed = repo_root / "schema" / "campaign-spec.schema.json"
    code, out, _ = cli("schema")
    assert code == 0
    assert committed.read_bytes() == out.encode("utf-8"), (
        f"{committed} is out of date; regenerate it with "
        "`campaign-guard schema -o schema/campaign-spec.schema.json`"
    )


def test_every_example_starts_with_a_working_schema_modeline(repo_root: Path) -> None:
    examples = sorted((repo_root / "examples" / "campaigns").glob("*.y*ml"))
    assert examples, "no example specs found"
    for example in examples:
        first = example.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE_RE.fullmatch(first)
        assert match is not None, f"{example} does not start with the schema modeline"
        target = (example.parent / match.group(1)).resolve()
        assert target.is_file(), f"{example}: the modeline points at {target}, which is missing"
