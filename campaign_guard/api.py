"""campaign-guard as a Python library: one function per thing the commands do.

Every function takes plain values and settings, returns typed results, and raises the
project's errors (subclasses of :class:`campaign_guard.errors.CampaignGuardError`;
:class:`ProblemsFound` when the files have problems to fix first). None of them prints
or exits; the command line is built on these functions alone::

    import campaign_guard as cg

    result = cg.lint_paths(["campaigns/"])
    run = cg.estimate_paths(["campaigns/"], capacity=Path("capacity/production.yaml"))
    plan = cg.plan_submission(Path("campaigns/spring-sale.yaml"))
    print(plan.preview()["description"])

Start-up stays cheap: the core modules are imported inside the functions, and the
result types (and the presentation helpers the terminal view uses) are loaded when
first asked for (:func:`__getattr__`).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from campaign_guard.choices import FAIL_ON, SCHEMA_KINDS, STATUS_REQUIRE
from campaign_guard.errors import UsageError

if TYPE_CHECKING:
    # Result types, errors and constants.
    from campaign_guard.config.save import NotSaved
    from campaign_guard.config.settings import CONFIG_FILE, Settings, find_config
    from campaign_guard.doctor import Check
    from campaign_guard.estimation import EstimateRun, Uncounted
    from campaign_guard.fields_report import FieldsReport
    from campaign_guard.jira.decision import Decision, DecisionRecord
    from campaign_guard.jira.jira_http import JiraError, RerunSubmit
    from campaign_guard.lint.findings import Finding, Level, ProblemsFound
    from campaign_guard.lint.rule import Rule
    from campaign_guard.lint.rules.table import RuleLevel
    from campaign_guard.lint.runner import LintResult
    from campaign_guard.loadmodel.engine import Estimate, TargetEstimate
    from campaign_guard.oncall.base import OnCallPerson
    from campaign_guard.plan import SubmissionPlan
    from campaign_guard.protect.prescale import PrescalePlan
    from campaign_guard.protect.queue_plan import QueuePlan
    from campaign_guard.protecting import EdgeResult
    from campaign_guard.review.cases import DecisionOutcome, ReviewQueue
    from campaign_guard.review.rows import QueueRow
    from campaign_guard.review.screen import ReviewScreen
    from campaign_guard.review.ticket import TicketReview
    from campaign_guard.spec.campaign import CampaignSpec
    from campaign_guard.spec.capacity import CapacityProfile
    from campaign_guard.spec.load import Loaded
    from campaign_guard.status import SpecStatus, StatusReport
    from campaign_guard.submission import Filed

if TYPE_CHECKING:
    # Presentation helpers: pure functions that put results into words,
    # tables and charts (the terminal view of the command line uses them).
    from campaign_guard.jira.outdated import outdated_words
    from campaign_guard.lint.findings import fails, tally
    from campaign_guard.lint.reporters import FORMAT_CHOICES
    from campaign_guard.lint.reporters.text import note
    from campaign_guard.loadmodel.chart import chart
    from campaign_guard.loadmodel.explain import (
        capacity_legend,
        per_visit_lines,
        source_rows,
        uncounted_text,
    )
    from campaign_guard.loadmodel.summary import (
        actions,
        campaign_verdict,
        headline,
        number,
        period,
        rows,
        window_actions,
        window_title,
        worst_first,
        zone_at,
    )
    from campaign_guard.loadmodel.words import when
    from campaign_guard.protect.queue_checks import lasting

if TYPE_CHECKING:
    # The init starters: the questions, their checks and the commented files.
    from campaign_guard.machine_zone import machine_zone
    from campaign_guard.spec.campaign import slugify
    from campaign_guard.starters import (
        QUESTION,
        QUESTIONS,
        SCHEMA_FILES,
        Question,
        campaign_starter,
        capacity_starter,
        check_answer,
        project_starter,
        to_ask,
    )

_LAZY = {
    # Result types, errors and constants.
    "NotSaved": "campaign_guard.config.save",
    "CONFIG_FILE": "campaign_guard.config.settings",
    "Settings": "campaign_guard.config.settings",
    "find_config": "campaign_guard.config.settings",
    "Check": "campaign_guard.doctor",
    "Estimate": "campaign_guard.loadmodel.engine",
    "TargetEstimate": "campaign_guard.loadmodel.engine",
    "EstimateRun": "campaign_guard.estimation",
    "Uncounted": "campaign_guard.estimation",
    "FieldsReport": "campaign_guard.fields_report",
    "JiraError": "campaign_guard.jira.jira_http",
    "RerunSubmit": "campaign_guard.jira.jira_http",
    "Finding": "campaign_guard.lint.findings",
    "Level": "campaign_guard.lint.findings",
    "ProblemsFound": "campaign_guard.lint.findings",
    "Rule": "campaign_guard.lint.rule",
    "RuleLevel": "campaign_guard.lint.rules.table",
    "LintResult": "campaign_guard.lint.runner",
    "OnCallPerson": "campaign_guard.oncall.base",
    "Decision": "campaign_guard.jira.decision",
    "DecisionRecord": "campaign_guard.jira.decision",
    "SubmissionPlan": "campaign_guard.plan",
    "PrescalePlan": "campaign_guard.protect.prescale",
    "EdgeResult": "campaign_guard.protecting",
    "QueuePlan": "campaign_guard.protect.queue_plan",
    "ReviewScreen": "campaign_guard.review.screen",
    "TicketReview": "campaign_guard.review.ticket",
    "CampaignSpec": "campaign_guard.spec.campaign",
    "CapacityProfile": "campaign_guard.spec.capacity",
    "Loaded": "campaign_guard.spec.load",
    "Filed": "campaign_guard.submission",
    "DecisionOutcome": "campaign_guard.review.cases",
    "ReviewQueue": "campaign_guard.review.cases",
    "QueueRow": "campaign_guard.review.rows",
    "SpecStatus": "campaign_guard.status",
    "StatusReport": "campaign_guard.status",
    # Presentation helpers.
    "chart": "campaign_guard.loadmodel.chart",
    "capacity_legend": "campaign_guard.loadmodel.explain",
    "per_visit_lines": "campaign_guard.loadmodel.explain",
    "source_rows": "campaign_guard.loadmodel.explain",
    "uncounted_text": "campaign_guard.loadmodel.explain",
    "actions": "campaign_guard.loadmodel.summary",
    "campaign_verdict": "campaign_guard.loadmodel.summary",
    "headline": "campaign_guard.loadmodel.summary",
    "number": "campaign_guard.loadmodel.summary",
    "period": "campaign_guard.loadmodel.summary",
    "rows": "campaign_guard.loadmodel.summary",
    "window_actions": "campaign_guard.loadmodel.summary",
    "window_title": "campaign_guard.loadmodel.summary",
    "worst_first": "campaign_guard.loadmodel.summary",
    "zone_at": "campaign_guard.loadmodel.summary",
    "when": "campaign_guard.loadmodel.words",
    "lasting": "campaign_guard.protect.queue_checks",
    "fails": "campaign_guard.lint.findings",
    "tally": "campaign_guard.lint.findings",
    "FORMAT_CHOICES": "campaign_guard.lint.reporters",
    "note": "campaign_guard.lint.reporters.text",
    "outdated_words": "campaign_guard.jira.outdated",
    # The init starters.
    "slugify": "campaign_guard.spec.campaign",
    "machine_zone": "campaign_guard.machine_zone",
    "QUESTION": "campaign_guard.starters",
    "QUESTIONS": "campaign_guard.starters",
    "SCHEMA_FILES": "campaign_guard.starters",
    "Question": "campaign_guard.starters",
    "campaign_starter": "campaign_guard.starters",
    "capacity_starter": "campaign_guard.starters",
    "check_answer": "campaign_guard.starters",
    "project_starter": "campaign_guard.starters",
    "to_ask": "campaign_guard.starters",
}
"""Names this module offers from the core, and the module each is loaded from."""

__all__ = [
    "CONFIG_FILE",
    "FAIL_ON",
    "FORMAT_CHOICES",
    "QUESTION",
    "QUESTIONS",
    "SCHEMA_FILES",
    "SCHEMA_KINDS",
    "STATUS_REQUIRE",
    "CampaignSpec",
    "CapacityProfile",
    "Check",
    "Decision",
    "DecisionOutcome",
    "DecisionRecord",
    "Estimate",
    "EstimateRun",
    "FieldsReport",
    "Filed",
    "Finding",
    "JiraError",
    "Level",
    "LintResult",
    "Loaded",
    "NotSaved",
    "OnCallPerson",
    "PrescalePlan",
    "ProblemsFound",
    "Question",
    "QueuePlan",
    "QueueRow",
    "RerunSubmit",
    "ReviewQueue",
    "ReviewScreen",
    "Rule",
    "RuleLevel",
    "Settings",
    "SpecStatus",
    "StatusReport",
    "SubmissionPlan",
    "TargetEstimate",
    "TicketReview",
    "Uncounted",
    "actions",
    "announce_approval",
    "campaign_starter",
    "campaign_verdict",
    "capacity_legend",
    "capacity_starter",
    "chart",
    "check_answer",
    "doctor_checks",
    "doctor_failed",
    "estimate_json",
    "estimate_paths",
    "fail_on_reasons",
    "fails",
    "find_config",
    "findings_text",
    "headline",
    "jira_fields",
    "lasting",
    "lint_paths",
    "lint_report",
    "lint_rule",
    "lint_rules",
    "load_profile",
    "load_spec",
    "look_before_submit",
    "machine_zone",
    "note",
    "number",
    "outdated_words",
    "per_visit_lines",
    "period",
    "plan_submission",
    "project_starter",
    "protect_edge",
    "protect_edge_json",
    "protect_prescale",
    "protect_prescale_files",
    "protect_prescale_json",
    "protect_prescale_text",
    "protect_queue",
    "protect_queue_files",
    "protect_queue_json",
    "protect_queue_text",
    "report_format",
    "review_decide",
    "review_queue",
    "review_screen",
    "review_screen_json",
    "review_ticket",
    "rows",
    "save_jira_fields",
    "schema_text",
    "settings",
    "slugify",
    "source_rows",
    "status",
    "submit_plan",
    "tally",
    "to_ask",
    "uncounted_text",
    "when",
    "window_actions",
    "window_title",
    "worst_first",
    "zone_at",
]


def __getattr__(name: str) -> object:
    """The result types and helpers of :data:`_LAZY`, imported on first use (PEP 562)."""
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


# -- Settings ---------------------------------------------------------------------------


def settings(
    *,
    lead_time: int | None = None,
    capacity: Path | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """The settings: the arguments, else the environment, else the project file found
    from ``cwd`` up (``campaign-guard.yaml`` or ``[tool.campaign-guard]``), else defaults.

    ``environ`` and ``cwd`` default to this process's.
    """
    from campaign_guard.config.settings import resolve

    return resolve(
        lead_time=lead_time,
        capacity=capacity,
        environ=os.environ if environ is None else environ,
        cwd=Path.cwd() if cwd is None else cwd,
    )


# -- lint -------------------------------------------------------------------------------


def report_format(name: str = "auto", environ: Mapping[str, str] | None = None) -> str:
    """The report format ``name`` stands for (``auto``: GitHub annotations on GitHub
    Actions, text elsewhere); a UsageError for an unknown one."""
    from campaign_guard.lint.reporters import resolve_format

    return resolve_format(name, os.environ if environ is None else environ)


def lint_paths(
    paths: Sequence[str | Path],
    *,
    lead_time: int | None = None,
    as_of: datetime | str | None = None,
    config: Settings | None = None,
) -> LintResult:
    """Check the specs at ``paths`` (files, folders, glob patterns): their findings.

    ``lead_time``: business days of notice DevOps needs (else the settings');
    ``as_of``: the moment dates are checked against (default: now), with an offset.
    """
    from campaign_guard.lint.discover import discover
    from campaign_guard.lint.policy import LintPolicy
    from campaign_guard.lint.runner import lint_files

    files = discover([str(p) for p in paths])
    found = config if config is not None else settings(lead_time=lead_time)
    days = found.lead_time_business_days if lead_time is None else lead_time
    return lint_files(files, LintPolicy(_moment(as_of), days, found.rule_levels))


def lint_report(result: LintResult, name: str = "text", *, strict: bool = False) -> str:
    """The report of ``result`` in format ``name`` (see ``FORMAT_CHOICES``)."""
    from campaign_guard import __version__
    from campaign_guard.lint.reporters import LintReport, reporter

    report = LintReport(result.findings, result.files, strict, __version__)
    return reporter(report_format(name))(report)


def findings_text(findings: Sequence[Finding]) -> str:
    """Findings as ``lint`` shows them, one ``file:line:col: level …`` line each."""
    from campaign_guard.lint.reporters import LintReport, reporter

    return reporter("text")(LintReport(list(findings), [])) if findings else ""


def lint_rule(code: str) -> Rule:
    """The lint rule ``code``: its level, what it means, a bad and a good example; a
    UsageError naming the closest codes when no rule has it."""
    from campaign_guard.lint.rules.table import rule_named

    return rule_named(code)


def lint_rules(*, config: Settings | None = None) -> list[RuleLevel]:
    """Every lint rule, with the level the project file (``lint.rules``) gives it."""
    from campaign_guard.lint.rules.table import rule_levels

    found = config if config is not None else settings()
    return rule_levels(found.rule_levels)


def _moment(as_of: datetime | str | None) -> datetime:
    if as_of is None:
        return datetime.now(timezone.utc)
    if isinstance(as_of, str):
        text = as_of
        try:
            as_of = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"--as-of: '{text[:40]}' is not a date and time") from None
    if as_of.tzinfo is None:
        raise UsageError("--as-of needs a time zone offset, like 2027-03-01T09:00+01:00")
    return as_of


# -- Reading files ----------------------------------------------------------------------


def load_spec(path: Path) -> CampaignSpec:
    """The campaign spec at ``path``; ProblemsFound when it has problems."""
    from campaign_guard.lint.findings import ProblemsFound
    from campaign_guard.lint.runner import problem_findings
    from campaign_guard.spec.load import load_spec as load

    if not path.is_file():
        raise UsageError(f"no such file: '{path}'")
    loaded = load(path, str(path))
    if loaded.problems or loaded.value is None:
        raise ProblemsFound(problem_findings(loaded))
    return loaded.value


def load_profile(path: Path) -> CapacityProfile:
    """The capacity profile at ``path``; ProblemsFound when it has problems."""
    from campaign_guard.estimation import choose_profile

    loaded = choose_profile(path, [])
    if loaded is None or loaded.value is None:  # not so: a path gives one, or problems
        raise UsageError(f"capacity profile not found: '{path}'")
    return loaded.value


# -- estimate ---------------------------------------------------------------------------


def estimate_paths(
    paths: Sequence[str | Path],
    *,
    capacity: Path | None = None,
    fail_on: str = "never",
    config: Settings | None = None,
) -> EstimateRun:
    """Estimate the campaign specs at ``paths`` against a capacity profile: the one at
    ``capacity``, else the settings' (``CAMPAIGN_GUARD_CAPACITY``, the project file),
    else one among ``paths``.

    ``fail_on`` other than ``never`` needs a profile (a UsageError without one).
    """
    from campaign_guard.estimation import check_fail_on, estimate_files
    from campaign_guard.lint.discover import discover

    check_fail_on(fail_on)
    found = config if config is not None else settings(capacity=capacity)
    profile = capacity if capacity is not None else found.capacity
    files = discover([str(p) for p in paths])
    return estimate_files(files, profile, fail_on=fail_on)


def fail_on_reasons(run: EstimateRun, threshold: str, *, allow_uncounted: bool = False) -> str:
    """Why ``--fail-on THRESHOLD`` fails ``run``, one line each (empty: it passes).

    Load that was not counted fails it too, unless ``allow_uncounted``.
    """
    from campaign_guard.estimation import fail_on_reasons as reasons

    return reasons(run, threshold, allow_uncounted=allow_uncounted)


def estimate_json(run: EstimateRun) -> dict[str, Any]:
    """``run`` as the JSON document ``estimate --json`` prints."""
    from campaign_guard.estimation import estimate_json as as_json

    return as_json(run)


# -- protect edge -----------------------------------------------------------------------


def protect_edge(
    paths: Sequence[str | Path],
    *,
    target: str = "nginx",
    capacity: Path | None = None,
    enforce: bool = False,
    access_log: str | None = None,
    config: Settings | None = None,
) -> EdgeResult:
    """The edge rate limits of the endpoints the campaign specs at ``paths`` name, as
    ``target`` (``nginx``, ``haproxy``, ``ingress-nginx`` or ``aws-waf``) configuration, sized
    against a capacity profile (``capacity``, else the settings', else one among ``paths``). Dry
    run unless ``enforce``; ``access_log`` is the nginx log of the limiter's decisions."""
    from campaign_guard.lint.discover import discover
    from campaign_guard.protecting import check_target, protect_files

    check_target(target)
    found = config if config is not None else settings(capacity=capacity)
    profile = capacity if capacity is not None else found.capacity
    files = discover([str(p) for p in paths])
    return protect_files(files, profile, target, enforce=enforce, access_log=access_log)


def protect_edge_json(result: EdgeResult) -> dict[str, Any]:
    """``result`` as the JSON document ``protect edge --json`` prints."""
    from campaign_guard.protecting import edge_json

    return edge_json(result)


# -- submit -----------------------------------------------------------------------------


def review_screen(
    spec_path: Path,
    *,
    others: Sequence[Path] = (),
    capacity: Path | None = None,
    config: Settings | None = None,
    now: datetime | str | None = None,
    lead_time: int | None = None,
    oncall: OnCallPerson | None = None,
    ticket: str | None = None,
    ticket_url: str | None = None,
    reader_zone: tzinfo | None = None,
) -> ReviewScreen:
    """The review of the spec at ``spec_path`` with ``others`` (campaign specs) in its
    window summed in, against the profile at ``capacity``, else the settings'.

    ``oncall``, ``ticket`` and ``ticket_url`` are shown when known; times are shown in
    the campaign's time zone and in ``reader_zone`` (default: ``TZ``, else this
    machine's, else UTC); ``now`` (default: the clock; text as ``--as-of`` takes it)
    is when the notice is counted from. ProblemsFound when any of the specs has
    problems; nothing is printed.
    """
    from campaign_guard.review.screen import review

    found = config if config is not None else settings(capacity=capacity, lead_time=lead_time)
    profile_path = capacity if capacity is not None else found.capacity
    spec = load_spec(spec_path)
    rest = [load_spec(path) for path in others]
    profile = load_profile(profile_path) if profile_path is not None else None
    moment = _moment(now)
    days = lead_time if lead_time is not None else found.lead_time_business_days
    return review(
        spec,
        rest,
        profile,
        lead_time=days,
        now=moment,
        reader_zone=_reader_zone(os.environ) if reader_zone is None else reader_zone,
        oncall=oncall,
        ticket=ticket,
        ticket_url=ticket_url,
    )


def review_screen_json(screen: ReviewScreen) -> dict[str, Any]:
    """The review screen as the JSON document ``review --json`` prints."""
    from campaign_guard.review.screen import screen_json

    return screen_json(screen)


def plan_submission(
    spec_path: Path,
    *,
    capacity: Path | None = None,
    config: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> SubmissionPlan:
    """The ticket ``submit`` would file for the spec at ``spec_path``, with no network.

    ProblemsFound when ``lint`` would fail the spec. ``plan.preview()`` is what the dry
    run shows; :func:`submit_plan` files the same plan.
    """
    from campaign_guard.plan import plan_submission as plan

    if not spec_path.is_file():  # before the settings, as the command line checks it
        raise UsageError(f"no such file: '{spec_path}'")
    environ = os.environ if environ is None else environ
    found = config if config is not None else settings(capacity=capacity, environ=environ)
    moment = datetime.now(timezone.utc) if now is None else now
    return plan(spec_path, found, environ=environ, now=moment)


def submit_plan(plan: SubmissionPlan, *, started: float | None = None) -> Filed:
    """File (or update) the plan's ticket in Jira, assigned to the on-call engineer.

    ``started``: when the time budget for Jira starts (``time.monotonic()``; default: now).
    """
    from campaign_guard.submission import submit

    return submit(plan, started=started)


def look_before_submit(plan: SubmissionPlan, *, started: float | None = None) -> Filed | None:
    """What :func:`submit_plan` would do, from Jira's answers to its reads; nothing is
    written (``submit --dry-run`` shows it). The result's ``action`` is what a submit
    would do (``created`` when there is no ticket yet), and ``outdated`` the reviewer's
    decision the change would leave out of date.

    None, with no network, when the project file has no ``jira:`` section or the
    environment has no Jira credentials.
    """
    from campaign_guard.errors import SetupError
    from campaign_guard.jira.settings import credentials
    from campaign_guard.submission import look_before_submit as look

    jira = plan.settings.jira
    if jira is None:
        return None
    try:
        credentials(jira, plan.environ)
    except SetupError:
        return None
    return look(plan, started=started)


# -- doctor, schema, jira fields ----------------------------------------------------------


def doctor_checks(
    *,
    config: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> list[Check]:
    """Check that ``submit`` can file tickets: each check's status and what to fix
    (network: Jira and the on-call provider)."""
    from campaign_guard.doctor import run_checks

    environ = os.environ if environ is None else environ
    found = config if config is not None else settings(environ=environ)
    moment = datetime.now(timezone.utc) if now is None else now
    return run_checks(found, environ, now=moment)


def doctor_failed(checks: list[Check]) -> bool:
    """Whether any of ``checks`` failed."""
    from campaign_guard.doctor import failed

    return failed(checks)


def schema_text(kind: str = "campaign") -> str:
    """The JSON Schema of a campaign spec (``campaign``) or a capacity profile
    (``capacity``), as ``campaign-guard schema`` writes it."""
    from campaign_guard.spec.schema import schema_text as text

    if kind not in SCHEMA_KINDS:
        raise UsageError(f"--kind must be one of: {', '.join(SCHEMA_KINDS)} (not '{kind[:40]}')")
    return text(kind)


def jira_fields(
    *, config: Settings | None = None, environ: Mapping[str, str] | None = None
) -> FieldsReport:
    """Read the Jira create screen and map the review fields onto it (network)."""
    from campaign_guard.fields_report import read_fields

    environ = os.environ if environ is None else environ
    return read_fields(config if config is not None else settings(environ=environ), environ)


def save_jira_fields(report: FieldsReport) -> dict[str, Any]:
    """Save the report's issue type id and field ids into the project file; what
    changed (NotSaved, with the lines to paste, when the file cannot be rewritten)."""
    from campaign_guard.fields_report import save_fields

    if report.config_path is None:
        raise UsageError("no project file to save the fields in")
    return save_fields(report, report.config_path)


# -- Change events ----------------------------------------------------------------------

CHANGE_ROUTING_KEY_ENV = "PAGERDUTY_CHANGE_ROUTING_KEY"


def announce_approval(
    record: DecisionRecord,
    *,
    ticket_key: str,
    ticket_url: str,
    campaign: str,
    launch: str,
    launch_at: datetime,
    environ: Mapping[str, str] | None = None,
    deadline: float = 30.0,
    events_url: str | None = None,
) -> DecisionRecord | None:
    """Send PagerDuty a change event for the record's current approval, once (network).

    ``launch`` words the launch in the summary; ``launch_at`` (timezone-aware) is the
    event's timestamp. Returns the record to write to the issue property (marked sent)
    before anything is tried again, or None when no event is due (not an approval, or
    already sent). The routing key is read only from ``PAGERDUTY_CHANGE_ROUTING_KEY``
    and checked before anything is sent. ``review_decide`` does all of this itself
    when ``pagerduty.change_events.on_approve`` is set.
    """
    from functools import partial

    from campaign_guard.jira.change_event import announce_approval as announce
    from campaign_guard.oncall.change_events import send_change_event
    from campaign_guard.oncall.change_settings import DEFAULT_EVENTS_URL
    from campaign_guard.review.events import routing_key

    environ = os.environ if environ is None else environ
    return announce(
        record,
        ticket_key=ticket_key,
        ticket_url=ticket_url,
        campaign=campaign,
        launch=launch,
        routing_key=routing_key(environ),
        timestamp=launch_at,
        deadline=deadline,
        send=partial(send_change_event, base_url=events_url or DEFAULT_EVENTS_URL),
    )


# -- review -----------------------------------------------------------------------------


def _reader_zone(environ: Mapping[str, str]) -> Any:
    """The reader's time zone: ``TZ``, else this machine's, else UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from campaign_guard.machine_zone import machine_zone

    name = machine_zone(environ) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _day(text: str | None, option: str) -> Any:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: '{text[:40]}' is not a day like 2027-03-01") from None


def review_queue(
    *,
    statuses: Sequence[str] = (),
    assignee: str | None = None,
    launch_from: str | None = None,
    launch_until: str | None = None,
    jql: str | None = None,
    capacity: Path | None = None,
    config: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    started: float | None = None,
) -> ReviewQueue:
    """The open campaign tickets of the configured project, by launch, each estimated
    again against today's capacity profile (network: Jira).

    ``statuses``: names, ``~Name`` to leave one out; ``assignee``: ``me``, ``x`` (no one)
    or a Jira user; ``launch_from``/``launch_until``: days (``2027-03-01``); ``jql``: more
    JQL, which can only narrow the queue.
    """
    from campaign_guard.jira.gateway import JiraGateway
    from campaign_guard.jira.queue import QueueFilter
    from campaign_guard.review.cases import list_queue

    environ = os.environ if environ is None else environ
    found = config if config is not None else settings(capacity=capacity, environ=environ)
    filters = QueueFilter(
        project="",
        statuses=tuple(statuses),
        assignee=assignee,
        launch_from=_day(launch_from, "--from"),
        launch_to=_day(launch_until, "--until"),
        jql=jql,
    )
    return list_queue(
        found,
        filters,
        environ=environ,
        now=datetime.now(timezone.utc) if now is None else now,
        reader_zone=_reader_zone(environ),
        connect=JiraGateway.connect,
        started=started,
    )


def review_ticket(
    key: str,
    *,
    others: Sequence[Path] = (),
    capacity: Path | None = None,
    config: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    started: float | None = None,
) -> TicketReview:
    """The review screen of campaign ticket ``key`` (whatever its status): the spec it
    holds, estimated again against today's capacity profile with the open campaign
    tickets and the ``others`` spec files of its window summed in (network: Jira, and
    the on-call provider for who is on call at launch)."""
    from campaign_guard.jira.gateway import JiraGateway
    from campaign_guard.oncall.who import on_call_at
    from campaign_guard.review.ticket import ticket_review

    environ = os.environ if environ is None else environ
    found = config if config is not None else settings(capacity=capacity, environ=environ)
    local = [load_spec(path) for path in others]
    return ticket_review(
        found,
        key,
        local=local,
        environ=environ,
        now=datetime.now(timezone.utc) if now is None else now,
        reader_zone=_reader_zone(environ),
        connect=JiraGateway.connect,
        oncall_at=on_call_at(found.oncall, environ),
        started=started,
    )


def review_ticket_json(found: TicketReview) -> dict[str, Any]:
    """The document ``review KEY --json`` prints."""
    from campaign_guard.review.screen import screen_json
    from campaign_guard.review.ticket import review_json

    return review_json(found, screen_json(found.screen))


def review_decide(
    key: str,
    *,
    approve: bool = False,
    reject: bool = False,
    request_changes: bool = False,
    reason: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
    capacity: Path | None = None,
    config: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    started: float | None = None,
) -> DecisionOutcome:
    """Record a decision on campaign ticket ``key`` (exactly one of ``approve``,
    ``reject``, ``request_changes``; the last two need a ``reason``): one comment, the
    decision property, the transition ``jira.review.transitions`` configures, each
    written once. ``dry_run``: read only, and say what would be written (network)."""
    from campaign_guard.jira.gateway import JiraGateway
    from campaign_guard.review.cases import decide, decision_of

    decision = decision_of(approve, reject, request_changes)
    if decision != "approve" and not (reason or "").strip():
        flag = "--reject" if decision == "reject" else "--request-changes"
        raise UsageError(f"{flag} needs --reason saying why")
    environ = os.environ if environ is None else environ
    found = config if config is not None else settings(capacity=capacity, environ=environ)
    return decide(
        found,
        key,
        decision,
        reason=reason,
        note=note,
        dry_run=dry_run,
        environ=environ,
        now=datetime.now(timezone.utc) if now is None else now,
        reader_zone=_reader_zone(environ),
        connect=JiraGateway.connect,
        started=started,
    )


# -- protect queue ----------------------------------------------------------------------


def protect_queue(
    paths: Sequence[str | Path],
    *,
    capacity: Path | None = None,
    max_delay: str | None = None,
    config: Settings | None = None,
) -> QueuePlan:
    """Size the workers of the capacity profile's ingestion queue for the campaign specs
    at ``paths``: backlog, worst delay and drain time with today's workers, the workers
    that keep every lead under ``max_delay`` (a duration, default 5m) hour by hour, and
    the checks of the queue's settings. The profile is found as for
    :func:`estimate_paths`; without one, a UsageError."""
    from campaign_guard.lint.discover import discover
    from campaign_guard.protect.queue_files import max_delay_seconds, plan_files

    seconds = max_delay_seconds(max_delay)
    found = config if config is not None else settings(capacity=capacity)
    profile = capacity if capacity is not None else found.capacity
    files = discover([str(p) for p in paths])
    return plan_files(files, profile, seconds)


def protect_queue_text(plan: QueuePlan) -> str:
    """``plan`` as ``protect queue`` prints it: summary, workers per hour, findings."""
    from campaign_guard.protect.queue_text import finding_lines, hours_table, summary_lines

    parts = [*summary_lines(plan), "", *hours_table(plan)]
    findings = finding_lines(plan)
    if findings:
        parts += ["", *findings]
    return "\n".join(parts) + "\n"


def protect_queue_files(plan: QueuePlan) -> dict[str, str]:
    """The files ``protect queue --out DIR`` writes, by name: the KEDA ScaledObject (SQS
    and RabbitMQ queues), the workers per hour and the consumer settings."""
    from campaign_guard.protect.keda import scaled_object_text, supported
    from campaign_guard.protect.queue_text import consumer_text, hours_table

    files = {
        "workers-per-hour.txt": "\n".join(hours_table(plan)) + "\n",
        "consumer-settings.txt": consumer_text(plan),
    }
    if supported(plan.queue):
        files["keda-scaledobject.yaml"] = scaled_object_text(plan)
    return files


def protect_queue_json(plan: QueuePlan) -> dict[str, Any]:
    """``plan``'s numbers, as ``protect queue --json`` prints them."""
    from campaign_guard.protect.queue_text import plan_json

    return plan_json(plan)


def protect_prescale(
    paths: Sequence[str | Path],
    *,
    capacity: Path | None = None,
    now: datetime | str | None = None,
    config: Settings | None = None,
) -> PrescalePlan:
    """The pre-scale schedule for the campaign specs at ``paths``: per service of the
    capacity profile that a campaign needs scaled, when to scale up to how many
    instances, and when back down; findings for what is late or above the maximum.
    ``now`` (default: the clock; text as ``--as-of`` takes it) is what "late" is judged
    against. The profile is found as for :func:`estimate_paths`; without one, a
    UsageError."""
    from campaign_guard.lint.discover import discover
    from campaign_guard.protect.prescale_files import plan_files

    moment = _moment(now)
    found = config if config is not None else settings(capacity=capacity)
    profile = capacity if capacity is not None else found.capacity
    files = discover([str(p) for p in paths])
    return plan_files(files, profile, moment.timestamp())


def protect_prescale_text(plan: PrescalePlan) -> str:
    """``plan`` as ``protect prescale`` prints it: a table per service, then findings."""
    from campaign_guard.protect.prescale_text import plan_text

    return plan_text(plan)


def protect_prescale_files(plan: PrescalePlan) -> dict[str, str]:
    """The files ``protect prescale --out DIR`` writes, by name: the schedule, the
    ``kubectl`` commands and the AWS scheduled actions."""
    from campaign_guard.protect.prescale_text import aws_text, kubectl_text, plan_text

    return {
        "prescale.txt": plan_text(plan),
        "prescale-kubectl.sh": kubectl_text(plan),
        "prescale-aws.json": aws_text(plan),
    }


def protect_prescale_json(plan: PrescalePlan) -> dict[str, Any]:
    """``plan``'s numbers, as ``protect prescale --json`` prints them."""
    from campaign_guard.protect.prescale_text import plan_json

    return plan_json(plan)


# -- status -------------------------------------------------------------------------------


def status(
    paths: Sequence[str | Path],
    *,
    config: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    started: float | None = None,
) -> StatusReport:
    """Where each campaign spec at ``paths`` (files, folders, glob patterns) stands in
    Jira: its ticket, the decision on it, and whether that decision is about the spec as
    it is now (network: one search per 50 specs; on Data Center one more request per
    ticket found). ProblemsFound when a spec cannot be read; capacity profiles among
    ``paths`` are left out."""
    from campaign_guard.estimation import read_documents
    from campaign_guard.jira.gateway import JiraGateway
    from campaign_guard.lint.discover import discover
    from campaign_guard.lint.findings import ProblemsFound
    from campaign_guard.status import LocalSpec, campaign_status

    environ = os.environ if environ is None else environ
    found = config if config is not None else settings(environ=environ)
    specs, _, problems = read_documents(discover([str(p) for p in paths]))
    if problems:
        raise ProblemsFound(problems)
    local = [LocalSpec(s.path, s.value) for s in specs if s.value is not None]
    return campaign_status(
        found, local, environ=environ, connect=JiraGateway.connect, started=started
    )
