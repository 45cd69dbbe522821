"""A project's templates run in Jinja2's sandbox, within caps, and cannot bypass escaping.

The hostile templates below are what a templates folder someone else wrote could hold:
code that reaches ``os`` through Jinja2's globals, values that grow past any memory,
and ``|safe``/``|e``/``|tojson`` used to send raw wiki markup to Jira.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from markupsafe import Markup

from campaign_guard.config.trust import ENV_TRUST
from campaign_guard.errors import ConfigError
from campaign_guard.jira.markup import Trusted, trusted, wiki_escape
from campaign_guard.jira.ticket import ticket_text, wiki_environment
from campaign_guard.render import MAX_TEMPLATE_BYTES
from tests.conftest import REPO_ROOT
from tests.jira.test_ticket import HOSTILE_NAME, dangers, hostile, winter
from tests.limits import run_limited

DESCRIPTION = "ticket-description.jira.j2"


def description(folder: Path, template: str) -> str:
    """The description ``template`` (in ``folder``) writes for the hostile spec."""
    (folder / DESCRIPTION).write_text(template, encoding="utf-8")
    spec = hostile()
    text = ticket_text(
        spec, None, spec_file_name="x", lead_time_business_days=3, template_dir=folder
    )
    return text.description


def refusal(folder: Path, template: str, name: str = DESCRIPTION) -> str:
    (folder / name).write_text(template, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        ticket_text(
            winter(), None, spec_file_name="x", lead_time_business_days=3, template_dir=folder
        )
    message = str(caught.value)
    assert message.startswith(f"templates: {folder / name}")
    assert "\n" not in message
    return message


# --- no code runs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.system('touch ' ~ marker) }}",
        "{{ lipsum.__globals__['os'].system('touch ' ~ marker) }}",
        "{{ joiner.__init__.__globals__.os.system('touch ' ~ marker) }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ self._TemplateReference__context }}",
        "{% set names = [] %}{{ names.append('touch') }}",
        "{% set d = {} %}{{ d.update(a=1) }}",
    ],
)
@pytest.mark.parametrize("name", [DESCRIPTION, "ticket-summary.txt.j2"])
def test_a_template_cannot_run_code(tmp_path: Path, payload: str, name: str) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "templates"
    folder.mkdir()
    template = "{% set marker = '" + str(marker) + "' %}" + payload + "\n"
    message = refusal(folder, template, name)
    assert "unsafe" in message or "not safely callable" in message or "no attribute" in message
    assert not marker.exists()


# --- escaping cannot be bypassed -------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "name|e",
        "name|safe",
        "name|tojson",
        "name|e|safe",
        "name|forceescape",
        "(name|safe) ~ ''",
        "name|safe|join('')",
        "notes|safe",
        "notes ~ name|safe",
    ],
)
def test_markup_a_template_makes_is_escaped_for_jira(tmp_path: Path, expression: str) -> None:
    text = description(tmp_path, "h2. {{ " + expression + " }}\n")
    assert dangers(text) == []
    assert "[evil|" not in text
    assert "!https://" not in text


def test_markup_is_escaped_and_only_the_tools_own_fragments_are_not() -> None:
    env = wiki_environment()
    raw = "[evil|https://x]"
    assert env.from_string("{{ v }}").render(v=Markup(raw)) == wiki_escape(raw)
    assert env.from_string("{{ v }}").render(v=trusted(raw)) == raw
    assert not isinstance(trusted(raw), Markup)
    # what a template does with a trusted fragment is plain text again, escaped
    assert env.from_string("{{ v[1:] }}").render(v=trusted(raw)) == wiki_escape(raw[1:])
    assert type(trusted(raw) + "") is str
    assert isinstance(trusted(raw), Trusted)


def test_the_name_escaped_by_a_project_template_reads_as_written(tmp_path: Path) -> None:
    text = description(tmp_path, "{{ name|safe }}\n")
    assert text == wiki_escape(HOSTILE_NAME) + "\n"


# --- every template ends, in bounded memory --------------------------------------------------


@pytest.fixture
def dry_run(tmp_path: Path) -> Path:
    """A project whose templates folder is ``t``; the spec is ``spec.yaml``."""
    (tmp_path / "spec.yaml").write_bytes(
        (REPO_ROOT / "examples/campaigns/winter-newsletter.yaml").read_bytes()
    )
    (tmp_path / "campaign-guard.yaml").write_text("templates: t\n", encoding="utf-8")
    (tmp_path / "t").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{{ ('a' * 1000000000)|length }}", "this `*` would make 1,000,000,000 items"),
        ("{{ ([0] * 200000000)|length }}", "this `*` would make 200,000,000 items"),
        ("{{ 7 ** 99999999 % 10 }}", "7 ** 99999999 is too large a number"),
        ("{% for i in range(99999) %}{{ name }}{% endfor %}", "writes more than 1,000,000"),
    ],
)
def test_a_template_that_would_not_end_or_fill_the_memory_is_one_line(
    dry_run: Path, template: str, says: str
) -> None:
    (dry_run / "t" / DESCRIPTION).write_text(template, encoding="utf-8")
    run = run_limited("submit", "spec.yaml", "--dry-run", cwd=dry_run)
    assert not run.killed, run.stderr
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr.startswith(f"error: templates: {dry_run / 't' / DESCRIPTION}")
    assert says in run.stderr
    assert run.stderr.count("\n") == 1


def test_a_named_pipe_is_never_read_as_a_template(dry_run: Path) -> None:
    """Even trusted (so the folder is not checked first), the loader does not wait on it."""
    os.mkfifo(dry_run / "t" / DESCRIPTION)
    env = {**os.environ, ENV_TRUST: "*"}
    run = run_limited("submit", "spec.yaml", "--dry-run", cwd=dry_run, env=env)
    assert run.code == 2
    assert "not a regular file (it is a named pipe)" in run.stderr


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{{ 1 // 0 }}", ":1: integer division or modulo by zero"),
        ("\n{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "maximum recursion depth"),
        ("{{ 2.0 ** 5000 }}", "Numerical result out of range"),
    ],
)
def test_any_error_in_a_project_template_is_the_projects(
    tmp_path: Path, template: str, says: str
) -> None:
    assert says in refusal(tmp_path, template)


def test_a_template_file_too_large_or_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / DESCRIPTION
    path.write_bytes(b"x" * (MAX_TEMPLATE_BYTES + 1))
    with pytest.raises(ConfigError, match="is over 256 KB"):
        ticket_text(
            winter(), None, spec_file_name="x", lead_time_business_days=3, template_dir=tmp_path
        )
    path.write_bytes(b"ok\ncaf\xe9\n")
    with pytest.raises(ConfigError, match=r"\.j2:2: not UTF-8 text"):
        ticket_text(
            winter(), None, spec_file_name="x", lead_time_business_days=3, template_dir=tmp_path
        )
