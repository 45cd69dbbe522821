"""The exit-code contract and the one exception root.

Every exit code the tool can return is listed here and in the README's "Exit codes"
table (a test keeps the two in step). Core code raises subclasses of
:class:`CampaignGuardError`; only the CLI turns them into a message and an exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the process exit status means."""

    OK = 0
    """Everything checked out (``lint``: no findings at the failing level)."""
    FINDINGS = 1
    """The input has problems the user can fix (``lint``: findings at the failing level)."""
    USAGE = 2
    """The command line was wrong: unknown option, missing path, bad flag value."""
    EXTERNAL = 3
    """A service the tool depends on failed or refused (Jira, the on-call provider)."""
    INTERNAL = 4
    """A bug in campaign-guard; rerun with ``--debug`` and report it."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C."""


class CampaignGuardError(Exception):
    """Root of every error the tool expects and explains in one line."""

    exit_code: ExitCode = ExitCode.FINDINGS


class UsageError(CampaignGuardError):
    """The command line asks for something impossible (a missing path, a bad value)."""

    exit_code = ExitCode.USAGE


class ConfigError(CampaignGuardError):
    """The project configuration file is missing a setting or has a bad one."""

    exit_code = ExitCode.USAGE


class SetupError(CampaignGuardError):
    """A service the command needs is not set up: a missing ``jira:`` section, missing
    credentials, an unknown Jira project, issue type or field.

    The issue's contract is "external failure": the tool is fine, its connection to
    the outside is not configured yet.
    """

    exit_code = ExitCode.EXTERNAL
