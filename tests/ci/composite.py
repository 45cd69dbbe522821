"""Run a composite GitHub Action's ``run:`` steps here, as the GitHub runner runs them.

:func:`run_action` reads ``action.yml``, gives each ``shell: bash`` step what the runner
gives it (``bash --noprofile --norc -eo pipefail FILE``, the workspace as the current
folder, ``GITHUB_ACTION_PATH``, a fresh ``GITHUB_OUTPUT`` file, ``RUNNER_TEMP``,
``GITHUB_ACTIONS=true``...) and evaluates the ``${{ }}`` expressions of ``env:``, ``if:``
and ``with:``.

The evaluator knows only the forms campaign-guard's action uses: ``inputs.NAME``,
``steps.ID.outputs.NAME``, ``github.action_path``, ``github.workspace``, string literals,
and conditions made of ``==``/``!=`` comparisons joined by ``&&``. Anything else raises
:class:`Unsupported`, so a new form in ``action.yml`` fails the test until it is taught
here, instead of being evaluated wrongly. Comparisons ignore case, as GitHub's do.

``uses:`` steps are not run (no network, no other actions): they are recorded, with
their evaluated ``with:``, when their condition holds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import run_command

STEP_TIMEOUT = 300
"""Seconds one step may take (the install step builds a virtual environment)."""

_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", flags=re.DOTALL)
_LITERAL = re.compile(r"'((?:[^']|'')*)'")
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_CONTEXT = re.compile(
    rf"(?:inputs\.(?P<input>{_NAME})"
    rf"|steps\.(?P<step>{_NAME})\.outputs\.(?P<output>{_NAME})"
    rf"|github\.(?P<github>action_path|workspace))"
)


class Unsupported(Exception):
    """An expression or step this small runner does not know how to evaluate."""


@dataclass
class UsesStep:
    """A ``uses:`` step whose condition held: it would have run on GitHub."""

    uses: str
    with_: dict[str, str]


@dataclass
class ActionRun:
    """What running the action's steps produced."""

    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    """The action's ``outputs:``, evaluated after the steps."""
    ran: list[str] = field(default_factory=list)
    """The ``id`` (or ``name``) of each step that ran, ``uses:`` steps included."""
    uses: list[UsesStep] = field(default_factory=list)


@dataclass
class _Context:
    inputs: dict[str, str]
    steps: dict[str, dict[str, str]]
    github: dict[str, str]

    def value(self, expression: str) -> str:
        text = expression.strip()
        literal = _LITERAL.fullmatch(text)
        if literal:
            return literal.group(1).replace("''", "'")
        match = _CONTEXT.fullmatch(text)
        if match is None:
            raise Unsupported(f"expression {text!r}")
        if match["input"]:
            if match["input"] not in self.inputs:
                raise Unsupported(f"inputs.{match['input']} is not an input of the action")
            return self.inputs[match["input"]]
        if match["step"]:
            return self.steps.get(match["step"], {}).get(match["output"], "")
        return self.github[match["github"]]

    def interpolate(self, text: str) -> str:
        return _EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        body = text.strip()
        whole = _EXPRESSION.fullmatch(body)
        if whole:
            body = whole.group(1)
        if "||" in body or "(" in body or "!" in body.replace("!=", ""):
            raise Unsupported(f"condition {text!r}")
        return all(self._clause(clause) for clause in body.split("&&"))

    def _clause(self, clause: str) -> bool:
        for operator in ("==", "!="):
            if operator in clause:
                left, right = (self.value(side).casefold() for side in clause.split(operator))
                return (left == right) == (operator == "==")
        return self.value(clause) != ""


def load_action(action_dir: Path) -> dict[str, Any]:
    """``action.yml`` of ``action_dir``, parsed."""
    text = (action_dir / "action.yml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def read_outputs(path: Path) -> dict[str, str]:
    """The ``name=value`` and ``name<<DELIMITER`` entries a step wrote to ``GITHUB_OUTPUT``."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value: list[str] = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            else:
                raise Unsupported(f"{name}: no closing {delimiter} in GITHUB_OUTPUT")
            outputs[name] = "\n".join(value)
        elif line:
            name, _, single = line.partition("=")
            outputs[name] = single
    return outputs


def run_action(
    action_dir: Path,
    *,
    workspace: Path,
    runner_temp: Path,
    inputs: Mapping[str, str],
    environ: Mapping[str, str],
) -> ActionRun:
    """Run the steps of the composite action in ``action_dir`` with ``inputs``.

    ``environ`` is the runner's environment (``PATH``, ``HOME``, ...); the variables
    GitHub sets for every step are added to it. Steps run in order; after a failing
    step, the rest are skipped (no step here asks to run after a failure) and the
    failing step's exit code is the run's.
    """
    action = load_action(action_dir)
    runs = action["runs"]
    if runs.get("using") != "composite":
        raise Unsupported(f"runs.using: {runs.get('using')!r}")
    declared = action.get("inputs") or {}
    unknown = sorted(set(inputs) - set(declared))
    if unknown:
        raise Unsupported(f"inputs the action does not declare: {', '.join(unknown)}")
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    values.update(inputs)
    github = {"action_path": str(action_dir), "workspace": str(workspace)}
    context = _Context(values, {}, github)
    runner_temp.mkdir(parents=True, exist_ok=True)
    base = {
        **environ,
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(action_dir),
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_TEMP": str(runner_temp),
        "RUNNER_OS": "Linux",
    }
    result = ActionRun(0, "", "", {})
    for number, step in enumerate(runs["steps"], start=1):
        if "if" in step and not context.condition(str(step["if"])):
            continue
        label = str(step.get("id") or step.get("name") or number)
        result.ran.append(label)
        if "uses" in step:
            with_ = {
                key: context.interpolate(str(v)) for key, v in (step.get("with") or {}).items()
            }
            result.uses.append(UsesStep(str(step["uses"]), with_))
            continue
        files = {
            name: runner_temp / f"step-{number}-{name.lower()}"
            for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")
        }
        for path in files.values():
            path.write_text("", encoding="utf-8")
        env = {**base, **{name: str(path) for name, path in files.items()}}
        env.update({key: context.interpolate(str(v)) for key, v in (step.get("env") or {}).items()})
        done = _run_bash(step, runner_temp / f"step-{number}.sh", workspace, env)
        result.stdout += done.stdout
        result.stderr += done.stderr
        if "id" in step:
            context.steps[str(step["id"])] = read_outputs(files["GITHUB_OUTPUT"])
        if done.returncode != 0:
            result.exit_code = done.returncode
            break
    for name, spec in (action.get("outputs") or {}).items():
        result.outputs[name] = context.interpolate(str(spec["value"]))
    return result


def _run_bash(
    step: Mapping[str, Any], script: Path, workspace: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    if step.get("shell") != "bash":
        raise Unsupported(f"shell {step.get('shell')!r} (only bash is run here)")
    if "working-directory" in step:
        raise Unsupported("working-directory")
    script.write_text(str(step["run"]), encoding="utf-8")
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
    return run_command(command, workspace, env=env, timeout=STEP_TIMEOUT)


def runner_environment(shims: Path) -> dict[str, str]:
    """A runner's environment for the steps: this one, with only ``python3`` added to PATH.

    ``shims`` gets a ``python3`` that is this interpreter's base Python (outside any
    virtual environment), and this environment's own ``bin`` folder leaves ``PATH``,
    so nothing installed here (such as the ``campaign-guard`` script) leaks into the
    steps. Variables that GitHub or this machine's CI set are dropped.
    """
    shims.mkdir(parents=True, exist_ok=True)
    python = shims / "python3"
    if not python.exists():
        python.symlink_to(getattr(sys, "_base_executable", sys.executable))
    own_bin = str(Path(sys.prefix) / "bin") if sys.prefix != sys.base_prefix else None
    path = [str(shims)] + [p for p in os.environ.get("PATH", "").split(os.pathsep) if p != own_bin]
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GITHUB_", "RUNNER_", "VIRTUAL_ENV", "CAMPAIGN_GUARD_"))
        and key not in ("CI", "PYTHONPATH", "NO_COLOR", "FORCE_COLOR")
    }
    return {**kept, "PATH": os.pathsep.join(path)}
