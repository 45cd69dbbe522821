from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest

from campaign_guard.errors import ConfigError
from campaign_guard.jira.comment import comment_text
from campaign_guard.jira.markup import wiki_escape
from campaign_guard.jira.ticket import ticket_text, wiki_environment
from campaign_guard.loadmodel.engine import Estimate, estimate
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.load import load_model
from tests.conftest import REPO_ROOT
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
WINTER = REPO_ROOT / "examples" / "campaigns" / "winter-newsletter.yaml"
PRODUCTION = REPO_ROOT / "examples" / "capacity" / "production.yaml"

HOSTILE_NAME = '[evil|https://x] !https://x/p.png! [~admin] {html}<b>x</b>{html} *bold* " OR "'
HOSTILE_NOTES = (
    "h1. big\n|a|b|\n|c|d|\n* item\n{code}x{code}\nsee https://evil.example/p\n{{ 7*7 }}"
)
HOSTILE_FIELD = "[~admin]{color:red}phone{color}"


def winter() -> CampaignSpec:
    loaded = load_model(WINTER, CampaignSpec, str(WINTER))
    assert loaded.value is not None, loaded.problems
    return loaded.value


def production() -> CapacityProfile:
    loaded = load_model(PRODUCTION, CapacityProfile, str(PRODUCTION))
    assert loaded.value is not None, loaded.problems
    return loaded.value


def hostile() -> CampaignSpec:
    data: dict[str, Any] = winter().model_dump(exclude_none=True, exclude={"id"})
    data.update(
        name=HOSTILE_NAME,
        team="h1. [~admin] {{ 7*7 }}",
        notes=HOSTILE_NOTES,
        new_data_fields=[
            {"name": HOSTILE_FIELD, "personal_data": True, "purpose": "!https://x/p.png!"}
        ],
        links=[{"title": "[click|https://evil.example]", "url": "https://evil.example/a"}],
    )
    return CampaignSpec.model_validate(data)


def render(spec: CampaignSpec, with_estimate: Estimate | None) -> str:
    ticket = ticket_text(
        spec,
        with_estimate,
        spec_file_name="campaigns/winter-newsletter.yaml",
        lead_time_business_days=10,
        extra_labels=["q4-2027"],
    )
    return (
        f"summary: {ticket.summary}\nlabels: {', '.join(ticket.labels)}\n"
        f"due: {ticket.due_date}\n---\n{ticket.description}"
    )


def dangers(markup: str) -> list[str]:
    """Markup forms in ``markup`` that could only come from unescaped user text."""
    found: list[str] = []
    plain = re.sub(r"\\.", "", markup)  # drop escaped characters
    for pattern, what in [
        (r"\[[^\]\n]*\|", "link"),
        (r"\[~", "mention"),
        (r"![^!\s]+!", "image"),
        (r"\{", "macro"),
        (r"://", "bare URL"),
        (r"(?m)^\s*h1\.", "h1 heading"),
        (r"(?m)^\s*bq\.", "quote"),
    ]:
        if re.search(pattern, plain):
            found.append(what)
    header = [line for line in plain.splitlines() if line.startswith("||")]
    cells = header[0].count("||") - 1 if header else 0
    for line in plain.splitlines():
        if line.startswith("|") and not line.startswith("||") and line.count("|") - 1 != cells:
            found.append(f"table row {line!r}")
    return found


def test_winter_without_estimate() -> None:
    text = render(winter(), None)
    assert not dangers(text)
    assert_golden(text, GOLDEN / "winter-newsletter-no-estimate.jira")


def test_winter_with_estimate() -> None:
    spec = winter()
    text = render(spec, estimate([spec], production()))
    assert not dangers(text)
    assert "||Target||Peak, expected (low–high)||At||Verdict||" in text
    assert_golden(text, GOLDEN / "winter-newsletter.jira")


def test_hostile_values_are_escaped() -> None:
    spec = hostile()
    text = render(spec, estimate([spec], production()))
    assert_golden(text, GOLDEN / "hostile.jira")
    description = text.split("\n---\n", 1)[1]
    assert dangers(description) == []
    for value in ("[evil|", "[~admin]", "{html}", "*bold*", "!https://", "{code}", "https://"):
        assert value not in description
    assert wiki_escape(HOSTILE_NAME) in text
    assert wiki_escape(HOSTILE_FIELD) in text
    assert "\\{\\{ 7\\*7 \\}\\}" in description  # user text is never compiled: no 49
    summary = text.splitlines()[0]
    assert "\n" not in summary
    assert HOSTILE_NAME in summary  # the summary is plain text, shown as typed


def test_checker_catches_unescaped_markup() -> None:
    assert dangers("[x|https://y]\n!a.png!\n{html}\n[~u]\nh1. x") == [
        "link",
        "mention",
        "image",
        "macro",
        "bare URL",
        "h1 heading",
    ]
    assert dangers("||a||b||\n|1|2|3|") == ["table row '|1|2|3|'"]


def test_templates_fail_on_missing_variables() -> None:
    template = wiki_environment().get_template("ticket-description.jira.j2")
    with pytest.raises(jinja2.UndefinedError):
        template.render()


def test_finalize_escapes_and_refuses_none() -> None:
    env = wiki_environment()
    assert env.from_string("{{ v }}").render(v="[~admin]") == "\\[\\~admin\\]"
    with pytest.raises(TypeError, match="None"):
        env.from_string("{{ v }}").render(v=None)
    # a value is printed, never compiled: {{ 7*7 }} stays literal (escaped), no 49
    assert env.from_string("{{ v }}").render(v="{{ 7*7 }}") == "\\{\\{ 7\\*7 \\}\\}"


def test_due_date_and_labels() -> None:
    spec = winter()
    ticket = ticket_text(spec, None, spec_file_name="x.yaml", lead_time_business_days=3)
    assert ticket.due_date == "2027-12-07"
    assert ticket.labels[1] == "marketing-campaign"
    assert re.fullmatch(r"cg-[0-9a-f]{16}", ticket.labels[0])
    with pytest.raises(ConfigError, match=r"jira\.labels"):
        ticket_text(spec, None, spec_file_name="x", lead_time_business_days=3, extra_labels=["a b"])


def test_personal_data_marks_privacy_review_needed() -> None:
    spec = hostile()
    ticket = ticket_text(spec, None, spec_file_name="x", lead_time_business_days=3)
    assert "Personal data → privacy review: *needed*" in ticket.description
    assert "schema review: *needed*" in ticket.description
    plain = ticket_text(winter(), None, spec_file_name="x", lead_time_business_days=3)
    assert "privacy review: not needed" in plain.description


def test_comment_none_when_nothing_changed() -> None:
    spec = winter()
    result = estimate([spec], production())
    assert comment_text(spec, spec, result, result) is None
    assert comment_text(spec, spec, None, result) is None


def test_comment_lists_changes() -> None:
    old = winter()
    data = old.model_dump(exclude_none=True)
    data["launch"]["start"] = "2027-12-06T09:00:00-05:00"  # a day early: the push still fits
    data["endpoints"] = ["GET /api/products/featured", "POST /api/signup"]
    data["new_data_fields"] = [{"name": "phone [~x]", "personal_data": True}]
    new = CampaignSpec.model_validate(data)
    profile = production()
    text = comment_text(old, new, estimate([old], profile), estimate([new], profile))
    assert text is not None
    assert "\\[\\~x\\]" in text
    assert "[~x]" not in text
    assert_golden(text, GOLDEN / "comment.jira")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("h2. {{ name }\n", "ticket-description.jira.j2:1: unexpected '}'"),
        ("h2. {{ nmae }}\n", "ticket-description.jira.j2:1: 'nmae' is undefined"),
        ("h2. {{ team_lead }}\n", "'team_lead' is undefined"),
        ("{{ promo_code if false else none }}\n", "a template printed None"),
    ],
)
def test_a_broken_project_template_names_the_file(tmp_path: Path, text: str, says: str) -> None:
    (tmp_path / "ticket-description.jira.j2").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        ticket_text(
            winter(), None, spec_file_name="x", lead_time_business_days=3, template_dir=tmp_path
        )
    message = str(caught.value)
    assert message.startswith(f"templates: {tmp_path}")
    assert says in message
    assert "\n" not in message


def test_a_project_template_replaces_the_built_in_one(tmp_path: Path) -> None:
    (tmp_path / "ticket-summary.txt.j2").write_text("Launch: {{ name }}\n", encoding="utf-8")
    text = ticket_text(
        winter(), None, spec_file_name="x", lead_time_business_days=3, template_dir=tmp_path
    )
    assert text.summary == "Launch: Winter Newsletter 2027"
    assert text.description.startswith("h2. Marketing campaign launch:")


# --- what the estimate leaves out, and a late submit --------------------------------------


def uncounted() -> CampaignSpec:
    """A TV spot without a response rate and an endpoint the profile has no route for."""
    data: dict[str, Any] = winter().model_dump(exclude_none=True)
    data["traffic"] = [
        *data["traffic"],
        {"channel": "tv_radio", "label": "Prime time", "viewers": 2_000_000},
    ]
    data["endpoints"] = [*data["endpoints"], "POST /api/nowhere"]
    return CampaignSpec.model_validate(data)


def test_the_ticket_says_what_the_estimate_does_not_count() -> None:
    spec = uncounted()
    result = estimate([spec], production())
    assert {note.code for note in result.notes} >= {"no-default", "unknown-route"}
    text = render(spec, result)
    assert (
        '*Not counted in this estimate:* tv\\_radio "Prime time"; endpoint POST /api/nowhere, '
        "so the real load is higher than shown"
    ) in text
    section = text.split("\nh3. Not counted\n", 1)[1].split("\nh3. ", 1)[0]
    bullets = [line for line in section.splitlines() if line.startswith("* ")]
    assert len(bullets) == len(result.notes)
    assert "response\\_rate" in section
    assert "no route for POST /api/nowhere" in section
    assert not dangers(text)
    assert_golden(text, GOLDEN / "not-counted.jira")


def test_a_counted_estimate_promises_no_notes() -> None:
    text = render(winter(), estimate([winter()], production()))
    assert "Not counted" not in text


@pytest.mark.parametrize(
    ("now", "said"),
    [
        ("2027-11-22T12:00:00-05:00", None),  # before the file-by day: no line
        (
            "2027-11-30T12:00:00-05:00",
            "* *Short notice:* this version was submitted on Tue 30 Nov 2027, after Tue 23 "
            "Nov 2027: less notice than DevOps asks for.",
        ),
        (
            "2027-12-08T12:00:00-05:00",
            "* *Short notice:* this version was submitted on Wed 8 Dec 2027, after the "
            "launch had started.",
        ),
    ],
)
def test_a_late_submit_says_so_outside_what_decides_a_change(now: str, said: str | None) -> None:
    from datetime import datetime

    ticket = ticket_text(
        winter(),
        None,
        spec_file_name="w.yaml",
        lead_time_business_days=10,
        now=datetime.fromisoformat(now),
    )
    on_time = ticket_text(winter(), None, spec_file_name="w.yaml", lead_time_business_days=10)
    assert ticket.compared_description == on_time.description
    if said is None:
        assert ticket.description == on_time.description
    else:
        assert said in ticket.description
        assert "Short notice" not in ticket.compared_description
