"""The starter files ``campaign-guard init`` writes, and the answers of a campaign spec.

Three kinds: a campaign spec (from eight answers), a capacity profile, and the project
file (``campaign-guard.yaml``). Each starter is checked once rendered, so it loads and
lints clean as written. Each answer is checked as it is given, by the spec model itself
(the other answers stand in with valid values until they are known), so a question can
be asked again at once, with the message ``lint`` would give. No printing and no
prompting: the CLI asks.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel

from campaign_guard.safe_text import one_line
from campaign_guard.spec import codes
from campaign_guard.spec.channels import CHANNEL_MODELS, CHANNELS, audience_field
from campaign_guard.spec.messages import Problem

Kind = Literal["campaign", "capacity", "project"]
SCHEMA_FILES = {"campaign": "campaign-spec.schema.json", "capacity": "capacity-profile.schema.json"}
"""The JSON Schema written beside a starter of that kind (the project file has none)."""


@dataclass(frozen=True)
class Question:
    """One answer a campaign starter needs."""

    key: str
    """The answer's name in the template."""
    flag: str
    """The option that gives it without a terminal."""
    text: str
    """The question asked on a terminal."""
    default: str | None = None


_CHANNEL_LIST = textwrap.fill(f"Channels: {', '.join(CHANNELS)}", 80, break_on_hyphens=False)
QUESTIONS = (
    Question("name", "--name", "Campaign name"),
    Question("owner", "--owner", "Your email"),
    Question("start", "--launch", "Launch date and time (YYYY-MM-DD HH:MM)"),
    Question("timezone", "--timezone", "Time zone of that time, e.g. America/New_York"),
    Question("duration", "--duration", "How long it runs (e.g. 7d, 36h)", "7d"),
    Question("channel", "--channel", f"{_CHANNEL_LIST}\nMain channel", "email"),
    Question("audience", "--audience", "Audience of that channel"),
    Question("landing_page", "--landing-page", "Landing page address (https://...)"),
)
QUESTION = {question.key: question for question in QUESTIONS}

# Valid answers that stand in for those not given yet, so one answer can be checked alone.
_STAND_INS = {
    "name": "Campaign",
    "owner": "owner@example.com",
    "start": "2030-01-07 09:00",
    "timezone": "UTC",
    "duration": "7d",
    "channel": "email",
    "audience": "1000",
    "landing_page": "https://www.example.com/",
}
# A spec field -> the answer it comes from.
_ANSWER_OF_FIELD = {
    "name": "name",
    "id": "name",
    "owner": "owner",
    "launch.start": "start",
    "launch.timezone": "timezone",
    "launch.duration": "duration",
    "traffic[0].channel": "channel",
    "landing_pages[0]": "landing_page",
}
_DATE_ONLY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# Written unquoted when they read back as what they are: `list_size: 50k`, `channel: sms`.
_FIGURE = re.compile(r"[0-9][0-9.,_ ]*[kKmM]?")
_WORD = re.compile(r"[a-z0-9_-]+")


def to_ask(question: Question, answers: dict[str, str], zone: str | None) -> Question:
    """``question`` as asked on a terminal, given the answers so far and this machine's
    time zone (``None`` when unknown)."""
    if question.key == "timezone" and zone is not None:
        text = "Time zone of that time (default: this machine's zone)"
        return replace(question, text=text, default=zone)
    if question.key == "audience":
        channel = answers.get("channel", "email")
        field = _audience_field(channel)
        model = CHANNEL_MODELS.get(channel, CHANNEL_MODELS["email"])
        what = (model.model_fields[field].description or "").rstrip(".")
        text = f"{field.replace('_', ' ').capitalize()}: {what[:1].lower()}{what[1:]}"
        return replace(question, text=text)
    return question


def check_answer(key: str, value: str, answers: dict[str, str]) -> str | None:
    """Why ``value`` is no answer to question ``key`` (given the earlier ``answers``), in
    the words ``lint`` uses; ``None`` when it is a good one."""
    from campaign_guard.spec.types import hidden_character

    value = value.strip()
    char = hidden_character(value)
    if char is not None:
        return f"contains an invisible character (U+{ord(char):04X}); remove it"
    if key == "start" and _DATE_ONLY.fullmatch(value):
        return f"add the time of day, like {value} 09:00 (a date alone would mean midnight)"
    text = campaign_text({**_STAND_INS, **answers, key: value}, "spec.yaml")
    for problem in problems("campaign", text):
        # Not even YAML: only this answer is new, so it is the cause.
        if problem.code == codes.YAML_SYNTAX or _answer_of(problem.field) == key:
            return problem.message
    return None


def campaign_starter(answers: dict[str, str], file_name: str) -> str:
    """The starter spec for these (checked) answers; checked again as a whole."""
    return _checked("campaign", campaign_text(answers, file_name))


def campaign_text(answers: dict[str, str], file_name: str) -> str:
    """The campaign starter for ``answers``, unchecked."""
    from campaign_guard.render import render, yaml_string
    from campaign_guard.spec.campaign import slugify

    audience = answers["audience"]
    context = {
        **answers,
        "schema_ref": f"./{SCHEMA_FILES['campaign']}",
        "file_name": one_line(file_name),  # in a comment: one line, nothing hidden
        "audience_field": _audience_field(answers["channel"]),
        "campaign_id": _plain(slugify(answers["name"])),
        "channel": _plain(answers["channel"]),
        "audience": audience if _FIGURE.fullmatch(audience) else yaml_string(audience),
        "needed": None,
    }
    text = render("campaign-spec.yaml.j2", **context)
    needed = _needed(text)
    return (
        text if needed is None else render("campaign-spec.yaml.j2", **{**context, "needed": needed})
    )


NEEDED_HINTS = {
    "response_rate": "the share of the audience who visit the site after a spot, e.g. 0.3%",
    "cost_per_click": "what one click costs, e.g. 0.85",
    "engagement_rate": "the share of the followers who click, e.g. 1.5%",
    "click_rate": "the share of the audience who click, e.g. 2%",
}
"""What to write for a figure the estimate needs and nothing published supplies."""


def _needed(text: str) -> tuple[str, str] | None:
    """The figure the first channel needs to be estimated, and how to write it, if any
    (``lint --strict`` fails without it: :func:`campaign_guard.loadmodel.gaps.channel_gap`)."""
    import yaml

    from campaign_guard.loadmodel.gaps import channel_gap
    from campaign_guard.spec.campaign import CampaignSpec

    try:
        spec = CampaignSpec.model_validate(yaml.safe_load(text))
    except ValueError:
        return None  # _checked says what is wrong
    gap = channel_gap(spec, 0)
    if gap is None or gap.field not in NEEDED_HINTS:
        return None
    return gap.field, NEEDED_HINTS[gap.field]


def capacity_starter(timezone: str, file_name: str) -> str:
    """A commented capacity profile to fill in, its baseline hours in ``timezone``."""
    from campaign_guard.render import render
    from campaign_guard.spec.routes import DEFAULT_CONVERSION_RATE, REQUESTS_PER_VISIT_NO_CDN

    text = render(
        "capacity-profile.yaml.j2",
        schema_ref=f"./{SCHEMA_FILES['capacity']}",
        file_name=one_line(file_name),
        timezone=timezone,
        no_cdn_requests=f"{REQUESTS_PER_VISIT_NO_CDN:g}",
        default_conversion=f"{DEFAULT_CONVERSION_RATE:.1%}",
    )
    return _checked("capacity", text)


def project_starter() -> str:
    """A commented project file (``campaign-guard.yaml``) to fill in."""
    from campaign_guard.render import render

    return _checked("project", render("campaign-guard.yaml.j2"))


def problems(kind: Kind, text: str) -> list[Problem]:
    """What is wrong with ``text`` read as a starter of ``kind`` (empty: nothing)."""
    from campaign_guard.spec.load import parse, validate_document

    document, found = parse(text.encode("utf-8"))
    if document is None:
        return found
    return validate_document(document, _model(kind), f"starter {kind}").problems


def _checked(kind: Kind, text: str) -> str:
    """``text``, which must be a valid starter of ``kind``: anything else is a bug."""
    found = problems(kind, text)
    if found:
        first = found[0]
        raise ValueError(f"the {kind} starter is invalid: {first.field}: {first.message}")
    return text


def _model(kind: Kind) -> type[BaseModel]:
    if kind == "capacity":
        from campaign_guard.spec.capacity import CapacityProfile

        return CapacityProfile
    if kind == "project":
        from campaign_guard.config.project import ProjectConfig

        return ProjectConfig
    from campaign_guard.spec.campaign import CampaignSpec

    return CampaignSpec


def _plain(text: str) -> str:
    """``text`` unquoted when YAML reads it back as that text (``sms``, ``spring-2027``),
    else quoted (``"true"``, ``"2027"``)."""
    from campaign_guard.render import yaml_string
    from campaign_guard.spec.yamlload import YamlError, load

    if _WORD.fullmatch(text):
        try:
            if load(f"v: {text}\n".encode()).data == {"v": text}:
                return text
        except YamlError:
            pass
    return yaml_string(text)


def _audience_field(channel: str) -> str:
    """The field sizing ``channel``; for a channel that does not exist, one any takes."""
    return audience_field(channel) if channel in CHANNEL_MODELS else "expected_visits"


def _answer_of(field: str) -> str | None:
    if field in _ANSWER_OF_FIELD:
        return _ANSWER_OF_FIELD[field]
    return "audience" if field.startswith("traffic[0]") else None
