"""``campaign-guard init``: write a commented starter spec.

On a terminal it asks for what it needs; elsewhere (CI, scripts) it takes flags and
names the missing ones. It never overwrites a file unless told to with ``--force``,
and it checks what it wrote, so a starter always lints clean.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from campaign_guard.cli._boundary import guarded
from campaign_guard.cli._files import write_output
from campaign_guard.errors import UsageError

SCHEMA_FILE = "campaign-spec.schema.json"

# answer name -> (flag, question, default)
_QUESTIONS: dict[str, tuple[str, str, str | None]] = {
    "name": ("--name", "Campaign name", None),
    "owner": ("--owner", "Your email", None),
    "start": ("--launch", "Launch date and time (YYYY-MM-DD HH:MM)", None),
    "timezone": ("--timezone", "Time zone of that time", "UTC"),
    "duration": ("--duration", "How long it runs (e.g. 7d, 36h)", "7d"),
    "channel": ("--channel", "Main channel", "email"),
    "audience": ("--audience", "Audience of that channel (list size, budget, viewers...)", None),
    "landing_page": ("--landing-page", "Landing page address (https://...)", None),
}
# spec field -> the flag that sets it, to name the flag in an error
_FLAG_OF_FIELD = {
    "name": "--name",
    "owner": "--owner",
    "launch.start": "--launch",
    "launch.timezone": "--timezone",
    "launch.duration": "--duration",
    "traffic[0].channel": "--channel",
    "landing_pages[0]": "--landing-page",
}


@guarded
def init(
    output: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write the spec (default: campaigns/<campaign-id>.yaml).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Campaign name.")] = None,
    owner: Annotated[str | None, typer.Option(help="Email of the campaign owner.")] = None,
    launch: Annotated[
        str | None, typer.Option(help="Launch date and time, e.g. '2027-03-02 09:00'.")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Time zone, e.g. America/New_York (default: UTC).")
    ] = None,
    duration: Annotated[
        str | None, typer.Option(help="How long the campaign runs (default: 7d).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option(help="Main traffic channel (default: email).")
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(help="Audience of the main channel: list size, recipients, budget..."),
    ] = None,
    landing_page: Annotated[str | None, typer.Option(help="Landing page address.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it exists.")
    ] = False,
) -> None:
    """Write a commented starter campaign spec to fill in.

    Example: campaign-guard init --name "Spring Sale 2027" --owner jane@example.com
    --launch "2027-03-02 09:00" --timezone America/New_York --audience 50k
    --landing-page https://example.com/spring
    """
    from campaign_guard.spec.channels import CHANNELS

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
    answers = _complete(given, interactive=sys.stdin.isatty())
    if answers["channel"] not in CHANNELS:
        raise UsageError(f"--channel must be one of: {', '.join(CHANNELS)}")
    target = output or _default_path(answers["name"])
    text = starter_text(answers, target.name)
    _write_new(target, text, force=force)
    schema_note = _write_schema_beside(target)
    sys.stderr.write(
        f"Wrote {target}{schema_note}. Edit it, then run: campaign-guard lint {target}\n"
    )


def _complete(given: dict[str, str | None], *, interactive: bool) -> dict[str, str]:
    answers: dict[str, str] = {}
    missing: list[str] = []
    for key, (flag, question, default) in _QUESTIONS.items():
        value = given[key]
        if value is None and interactive:
            value = typer.prompt(question, default=default)
        if value is None:
            value = default
        if value is None:
            missing.append(flag)
        else:
            answers[key] = _visible(flag, str(value).strip())
    if missing:
        raise UsageError(f"not on a terminal, so give these options: {' '.join(missing)}")
    return answers


def _visible(flag: str, value: str) -> str:
    """``value``, unless it holds a control or bidi character (named with its flag)."""
    from campaign_guard.spec.types import hidden_character

    char = hidden_character(value)
    if char is not None:
        raise UsageError(f"{flag}: contains an invisible character (U+{ord(char):04X}); remove it")
    return value


def starter_text(answers: dict[str, str], file_name: str) -> str:
    """The starter spec for these answers, checked to be a valid spec."""
    from campaign_guard.render import render
    from campaign_guard.spec.channels import audience_field

    text = render(
        "campaign-spec.yaml.j2",
        schema_ref=f"./{SCHEMA_FILE}",
        file_name=file_name,
        audience_field=audience_field(answers["channel"]),
        **answers,
    )
    _check(text)
    return text


def _check(text: str) -> None:
    """Raise :class:`UsageError` naming the option whose value made the spec invalid."""
    from campaign_guard.spec.campaign import CampaignSpec
    from campaign_guard.spec.load import parse, validate_document

    document, problems = parse(text.encode("utf-8"))
    if document is not None:
        problems = validate_document(document, CampaignSpec, "starter").problems
    if problems:
        problem = problems[0]
        flag = _FLAG_OF_FIELD.get(problem.field, "--audience")
        raise UsageError(f"{flag}: {problem.message}")


def _default_path(name: str) -> Path:
    from campaign_guard.spec.campaign import slugify

    return Path("campaigns") / f"{slugify(name)}.yaml"


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


def _write_schema_beside(target: Path) -> str:
    from campaign_guard.cli.schema import spec_schema_text

    schema_path = target.parent / SCHEMA_FILE
    if schema_path.exists():
        return ""
    write_output(schema_path, spec_schema_text())
    return f" and {schema_path} (lets editors check the spec as you type)"
