"""Estimate campaigns read from files: the documents, the profile, the notes in place.

:func:`estimate_files` is what ``campaign-guard estimate`` does before it shows
anything: read the campaign specs (and any capacity profile among them), choose the
profile, run the estimate, and place its notes and the load it could not count in the
spec files they concern. :func:`fail_on_reasons` is the ``--fail-on`` decision. No
printing and no exiting: files with problems raise :class:`ProblemsFound`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from campaign_guard.choices import FAIL_ON
from campaign_guard.errors import UsageError
from campaign_guard.lint.findings import Finding, Level, ProblemsFound
from campaign_guard.lint.policy import finding
from campaign_guard.lint.runner import problem_findings
from campaign_guard.loadmodel.drivers import Driver, high_driver
from campaign_guard.loadmodel.engine import Estimate, estimate
from campaign_guard.loadmodel.summary import VERDICT_ORDER, overall_verdict
from campaign_guard.safe_text import one_line
from campaign_guard.spec.capacity import CapacityProfile
from campaign_guard.spec.documents import PROFILE_KIND, load_any
from campaign_guard.spec.load import Loaded, load_model


@dataclass(frozen=True)
class Uncounted:
    """A piece of load the estimate could not count, placed in its spec."""

    document: dict[str, Any]
    """As the JSON report carries it: campaign, what, and the note's place."""
    line: str
    """As people read it: ``path:line:col: what [code]``."""


@dataclass(frozen=True)
class EstimateRun:
    """An estimate, with its notes placed in the spec files and the profile it used."""

    estimate: Estimate
    notes: list[Finding]
    """The estimate's notes, as warnings at their place in their spec."""
    uncounted: list[Uncounted]
    profile_path: str | None
    """The capacity profile's file, when the estimate was judged against one."""
    drivers: dict[str, Driver] = field(default_factory=dict)
    """By campaign id: the assumption its high estimate rests on most (filled in by
    :func:`estimate_files`, for ``estimate``)."""


def check_fail_on(threshold: str) -> None:
    """A UsageError unless ``threshold`` is one of :data:`FAIL_ON`."""
    if threshold not in FAIL_ON:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON)}, not '{threshold[:20]}'")


def estimate_files(
    files: Sequence[str], capacity: Path | None, *, fail_on: str = "never"
) -> EstimateRun:
    """Read ``files`` (campaign specs, maybe a capacity profile) and estimate them
    against the profile at ``capacity``, else the one among ``files``."""
    specs, profiles, problems = read_documents(files)
    if problems:
        raise ProblemsFound(problems)
    profile = choose_profile(capacity, profiles)
    if fail_on != "never" and profile is None:
        raise UsageError(f"--fail-on {fail_on} needs a capacity profile to judge against")
    run = estimate_loaded(specs, profile)
    # What each high estimate rests on: only `estimate` shows it (submit, review and
    # protect estimate through estimate_loaded without it).
    found = {s.value.campaign_id: high_driver(s.value) for s in specs if s.value is not None}
    drivers = {campaign: driver for campaign, driver in found.items() if driver is not None}
    return replace(run, drivers=drivers)


def estimate_loaded(
    specs: Sequence[Loaded[Any]], profile: Loaded[CapacityProfile] | None
) -> EstimateRun:
    """The estimate of specs read without problems, against ``profile``."""
    result = estimate(
        [s.value for s in specs if s.value is not None], profile.value if profile else None
    )
    notes = note_findings(result, specs)
    path = profile.path if profile else None
    return EstimateRun(result, notes, _placed(result, notes), path)


def read_documents(
    files: Sequence[str],
) -> tuple[list[Loaded[Any]], list[Loaded[Any]], list[Finding]]:
    """The campaign specs, the capacity profiles, and the problems of reading them."""
    specs: list[Loaded[Any]] = []
    profiles: list[Loaded[Any]] = []
    problems: list[Finding] = []
    for name in files:
        kind, loaded = load_any(Path(name), name)
        problems.extend(problem_findings(loaded))
        (profiles if kind == PROFILE_KIND else specs).append(loaded)
    if not specs and not problems:
        raise UsageError("no campaign spec among the files given")
    return specs, profiles, problems


def read_with_profile(
    files: Sequence[str], capacity: Path | None, missing: str
) -> tuple[list[Loaded[Any]], Loaded[CapacityProfile], CapacityProfile]:
    """The campaign specs among ``files`` and the capacity profile at ``capacity`` (else
    the one among ``files``), loaded and as a model; UsageError ``missing`` without one."""
    specs, profiles, problems = read_documents(files)
    if problems:
        raise ProblemsFound(problems)
    loaded = choose_profile(capacity, profiles)
    if loaded is None or loaded.value is None:
        raise UsageError(missing)
    return specs, loaded, loaded.value


def choose_profile(
    path: Path | None, found: Sequence[Loaded[Any]]
) -> Loaded[CapacityProfile] | None:
    """The capacity profile at ``path``, else the one among ``found`` (several: an error)."""
    if path is None:
        if len(found) > 1:
            names = ", ".join(p.path for p in found)
            raise UsageError(
                f"several capacity profiles given ({names}); choose one with --capacity"
            )
        return found[0] if found else None
    if not path.is_file():
        raise UsageError(f"capacity profile not found: '{path}'")
    loaded = load_model(path, CapacityProfile, str(path))
    if loaded.problems:
        raise ProblemsFound(problem_findings(loaded))
    return loaded


def note_findings(result: Estimate, specs: Sequence[Loaded[Any]]) -> list[Finding]:
    """The estimate's notes as warnings placed in their spec files."""
    by_id = {s.value.campaign_id: s for s in specs if s.value is not None}
    return [
        finding(by_id[note.campaign_id], note.loc, note.code, note.message, Level.WARNING)
        for note in result.notes
    ]


def fail_on_reasons(run: EstimateRun, threshold: str, *, allow_uncounted: bool = False) -> str:
    """Why ``--fail-on THRESHOLD`` fails this estimate (empty: it passes)."""
    check_fail_on(threshold)
    if threshold == "never":
        return ""
    reasons = ""
    verdict = overall_verdict(run.estimate)
    if verdict is not None and VERDICT_ORDER.index(verdict) >= VERDICT_ORDER.index(threshold):
        reasons += f"--fail-on {threshold}: the expected verdict is {verdict}.\n"
    if run.uncounted and not allow_uncounted:
        listed = "".join(f"  {u.line}\n" for u in run.uncounted)
        reasons += (
            f"--fail-on {threshold}: part of the load was not counted, so the verdict cannot "
            f"pass it:\n{listed}Fill in what the notes ask for, or add --allow-uncounted to "
            "judge only the load that was counted.\n"
        )
    return reasons


def estimate_json(run: EstimateRun) -> dict[str, Any]:
    """The estimate as the JSON document ``estimate --json`` prints."""
    from campaign_guard.loadmodel.report import to_json

    notes = [finding_json(f) for f in run.notes]
    document = to_json(run.estimate, notes, [u.document for u in run.uncounted])
    for campaign in document["campaigns"]:
        driver = run.drivers.get(campaign["id"])
        campaign["high_mostly"] = None if driver is None else driver_json(driver)
    return document


def driver_json(driver: Driver) -> dict[str, Any]:
    """The assumption a campaign's high estimate rests on most, for ``--json``."""
    return {
        "default": driver.key,
        "what": driver.label,
        "range": driver.range,
        "rating": driver.rating,
        "share_of_the_increase": round(driver.share, 3),
        "sentence": driver.sentence(),
    }


def finding_json(found: Finding) -> dict[str, Any]:
    """A note's place and words, as the JSON reports carry them."""
    return {
        "path": found.path,
        "line": found.line,
        "column": found.column,
        "code": found.code,
        "field": found.field,
        "message": found.message,
    }


def _placed(result: Estimate, notes: list[Finding]) -> list[Uncounted]:
    """Each piece of uncounted load at its place in its spec."""
    where = {id(note): found for note, found in zip(result.notes, notes, strict=True)}
    placed = []
    for item in result.uncounted:
        found = where[id(item.note)]
        several = len(result.campaigns) > 1
        line = f"{found.location}: {item.what}" + (f" ({item.campaign})" if several else "")
        document = {"campaign": item.campaign_id, "what": item.what, **finding_json(found)}
        placed.append(Uncounted(document, one_line(f"{line} [{found.code}]")))
    return placed
