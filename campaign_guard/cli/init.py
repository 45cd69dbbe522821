"""``campaign-guard init``: write a commented starter to fill in.

A campaign spec (the default), a capacity profile (``--kind capacity``) or the project
file (``--kind project``). For a campaign spec it asks on a terminal, checking each
answer as it is given and asking again with what is wrong; elsewhere (CI, scripts) it
takes flags and names the missing ones. It never overwrites a file unless told to with
``--force``, and every starter is checked, so it lints clean as written.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from campaign_guard.cli._files import write_output
from campaign_guard.errors import CampaignGuardError, ExitCode, UsageError
from campaign_guard.safe_text import one_line

if TYPE_CHECKING:
    from campaign_guard.api import Question


class Kind(str, enum.Enum):
    """What ``init`` writes."""

    campaign = "campaign"
    capacity = "capacity"
    project = "project"


class Stopped(CampaignGuardError):
    """Ctrl-C or Ctrl-D at a question: nothing is written."""

    exit_code = ExitCode.INTERRUPTED


_DEFAULT_PATH = {Kind.capacity: Path("capacity", "production.yaml")}
_NEXT_STEP = {
    Kind.campaign: "Edit it, then run: campaign-guard lint {target}",
    Kind.capacity: "Replace its figures with yours, then run: campaign-guard lint {target}",
    Kind.project: "Fill in its jira: section, then run: campaign-guard doctor",
}


def init(
    output: Annotated[
        Path | None,
        typer.Argument(
            metavar="OUTPUT",
            help="Where to write it (default: campaigns/<campaign-id>.yaml, "
            "capacity/production.yaml, campaign-guard.yaml).",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        Kind,
        typer.Option(
            metavar="|".join(k.value for k in Kind),  # the choices, unwrapped at 80 columns
            help="What to write: a campaign spec, a capacity profile, or the project file.",
        ),
    ] = Kind.campaign,
    name: Annotated[str | None, typer.Option(metavar="NAME", help="Campaign name.")] = None,
    owner: Annotated[
        str | None, typer.Option(metavar="EMAIL", help="Email of the campaign owner.")
    ] = None,
    launch: Annotated[
        str | None,
        typer.Option(metavar="TIME", help="Launch date and time, e.g. '2027-03-02 09:00'."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            metavar="ZONE", help="Time zone, e.g. America/New_York (default: this machine's)."
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option(metavar="DURATION", help="How long the campaign runs (default: 7d)."),
    ] = None,
    channel: Annotated[
        str | None, typer.Option(metavar="CHANNEL", help="Main traffic channel (default: email).")
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(
            metavar="NUMBER", help="Audience of the main channel: list size, recipients, budget..."
        ),
    ] = None,
    landing_page: Annotated[
        str | None, typer.Option(metavar="URL", help="Landing page address.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it exists.")
    ] = False,
) -> None:
    """Write a commented starter to fill in: a campaign spec, a capacity profile or the
    project file.

    On a terminal it asks for what the flags leave out; elsewhere it names the
    missing flags. The time zone defaults to this machine's, and says so.
    Ctrl-C or Ctrl-D at a question exits with 130 and writes nothing.

    \b
    Example:
      campaign-guard init --name "Spring Sale 2027" \\
        --owner jane@example.com --launch "2027-03-02 09:00" \\
        --timezone America/New_York --audience 50k \\
        --landing-page https://example.com/spring
    """
    given = {
        "name": name,
        "owner": owner,
        "start": launch,
        "timezone": timezone,
        "duration": duration,
        "channel": channel,
        "audience": audience,
        "landing_page": landing_page,
    }
    notes: list[str] = []
    if kind is Kind.campaign:
        target, text = _campaign(output, given, notes)
    else:
        target, text = _other_kind(kind, output, given, notes)
    _write_new(target, text, force=force)
    schema_note = _write_schema_beside(target, kind)
    next_step = _NEXT_STEP[kind].format(target=target)
    notes.append(f"Wrote {target}{schema_note}. {next_step}")
    sys.stderr.write("".join(one_line(note) + "\n" for note in notes))


def _campaign(
    output: Path | None, given: dict[str, str | None], notes: list[str]
) -> tuple[Path, str]:
    from campaign_guard.api import campaign_starter, machine_zone, slugify

    zone = machine_zone(os.environ)
    answers = _asked(given, zone) if sys.stdin.isatty() else _from_flags(given, zone, notes)
    target = output or Path("campaigns") / f"{slugify(answers['name'])}.yaml"
    return target, campaign_starter(answers, target.name)


def _from_flags(given: dict[str, str | None], zone: str | None, notes: list[str]) -> dict[str, str]:
    """The answers the flags give, or a UsageError naming the flag to give or fix."""
    from campaign_guard.api import QUESTIONS, check_answer

    fallback = {q.key: q.default for q in QUESTIONS} | {"timezone": zone}
    missing = [q.flag for q in QUESTIONS if given[q.key] is None and fallback[q.key] is None]
    if missing:
        unknown = " (this machine's time zone is not known)" if "--timezone" in missing else ""
        raise UsageError(f"not on a terminal, so give these options: {' '.join(missing)}{unknown}")
    if given["timezone"] is None:
        notes.append(_machine_zone_note(zone, "the launch time"))
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        value = given[question.key]
        value = fallback[question.key] or "" if value is None else value
        problem = check_answer(question.key, value, answers)
        if problem is not None:
            raise UsageError(f"{question.flag}: {problem}")
        answers[question.key] = value.strip()
    return answers


def _asked(given: dict[str, str | None], zone: str | None) -> dict[str, str]:
    """The answers: from the flags when good, else asked (again) until they are."""
    from campaign_guard.api import QUESTIONS, check_answer, to_ask

    answers: dict[str, str] = {}
    for question in QUESTIONS:
        value = given[question.key]
        if value is not None:
            problem = check_answer(question.key, value, answers)
            if problem is None:
                answers[question.key] = value.strip()
                continue
            typer.echo(one_line(f"{question.flag}: {problem}"))
        answers[question.key] = _ask(to_ask(question, answers, zone), answers)
    return answers


def _ask(question: Question, answers: dict[str, str]) -> str:
    """Ask ``question`` until the answer is good; Ctrl-C or Ctrl-D stops (exit 130)."""
    from campaign_guard.api import check_answer

    while True:
        try:
            value = str(typer.prompt(question.text, default=question.default))
        except typer.Abort:
            typer.echo()  # the terminal is still on the question's line
            raise Stopped("stopped; nothing was written") from None
        problem = check_answer(question.key, value, answers)
        if problem is None:
            return value.strip()
        typer.echo(one_line(f"  {problem[:1].upper()}{problem[1:].rstrip('.')}."))


def _other_kind(
    kind: Kind, output: Path | None, given: dict[str, str | None], notes: list[str]
) -> tuple[Path, str]:
    """A capacity profile or the project file: no questions; a profile takes a zone."""
    from campaign_guard.api import QUESTION, capacity_starter, project_starter

    takes = ("timezone",) if kind is Kind.capacity else ()
    for key, value in given.items():
        if value is not None and key not in takes:
            raise UsageError(
                f"{QUESTION[key].flag} is for campaign specs, not for --kind {kind.value}"
            )
    if kind is Kind.project:
        from campaign_guard.api import CONFIG_FILE

        target = output or Path(CONFIG_FILE)
        _check_project_path(target)
        return target, project_starter()
    target = output or _DEFAULT_PATH[kind]
    return target, capacity_starter(_profile_zone(given["timezone"], notes), target.name)


def _profile_zone(flag: str | None, notes: list[str]) -> str:
    """The capacity profile's zone: ``--timezone``, else this machine's (said so)."""
    from campaign_guard.api import check_answer, machine_zone

    if flag is not None:
        problem = check_answer("timezone", flag, {})
        if problem is not None:
            raise UsageError(f"--timezone: {problem}")
        return flag.strip()
    zone = machine_zone(os.environ)
    if zone is None:
        raise UsageError(
            "this machine's time zone is not known: give the zone of the baseline hours "
            "with --timezone, e.g. --timezone Europe/Paris"
        )
    notes.append(_machine_zone_note(zone, "the baseline hours"))
    return zone


def _machine_zone_note(zone: str | None, what: str) -> str:
    return (
        f"Using this machine's time zone, {zone}, for {what} (give --timezone to choose another)."
    )


def _check_project_path(target: Path) -> None:
    """The project file is found by its name; beside a pyproject.toml holding the
    settings it would take their place."""
    from campaign_guard.api import CONFIG_FILE, find_config

    if target.name != CONFIG_FILE:
        raise UsageError(
            f"the project file must be named {CONFIG_FILE}, which is how campaign-guard "
            f"finds it (not '{target.name}')"
        )
    found = find_config(target.parent)
    if found is not None and found.name != CONFIG_FILE and found.parent == target.parent:
        raise UsageError(
            f"{found} already holds the settings ([tool.campaign-guard]); a "
            f"{CONFIG_FILE} beside it would take their place"
        )


def _write_new(target: Path, text: str, *, force: bool) -> None:
    """Write ``target`` whole or not at all; never replace a file unless ``force``."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if force:
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, target)
            return
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{target} already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None


def _write_schema_beside(target: Path, kind: Kind) -> str:
    """Write the JSON Schema beside ``target`` unless one is there; what to say of it."""
    from campaign_guard.api import SCHEMA_FILES, schema_text

    if kind.value not in SCHEMA_FILES:
        return ""
    schema_path = target.parent / SCHEMA_FILES[kind.value]
    if schema_path.exists():
        return ""
    write_output(schema_path, schema_text(kind.value))
    what = "spec" if kind is Kind.campaign else "profile"
    return f" and {schema_path} (lets editors check the {what} as you type)"
