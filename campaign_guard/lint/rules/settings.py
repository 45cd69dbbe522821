"""What the project file may say of a rule (``lint.rules``), checked against the table.

An unknown code is most often a typo, and a rule that decides whether a file can be read
cannot be turned off or lowered: both are errors placed at the setting's line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from campaign_guard.lint.rule import FIXED, SETTINGS
from campaign_guard.lint.rules.table import RULES
from campaign_guard.spec.messages import shorten


def check_settings(settings: Mapping[object, object]) -> None:
    """Raise a ValidationError, at each wrong code, for what ``lint.rules`` may not say."""
    errors: list[InitErrorDetails] = []
    for code, setting in settings.items():
        problem = setting_problem(str(code), setting)
        if problem is not None:
            error = PydanticCustomError("rule_setting", "{problem}", {"problem": problem})
            errors.append(InitErrorDetails(type=error, loc=(str(code),), input=setting))
    if errors:
        raise ValidationError.from_exception_data("lint.rules", errors)


def setting_problem(code: str, setting: object) -> str | None:
    """What is wrong with setting rule ``code`` to ``setting`` (None: nothing)."""
    rule = RULES.get(code)
    if rule is None:
        close = difflib.get_close_matches(code, list(RULES), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"no rule is called '{shorten(code)}' ({hint}`campaign-guard rules` lists them)"
    if setting not in SETTINGS:
        return f"must be {', '.join(SETTINGS[:-1])} or {SETTINGS[-1]}"
    if rule.fixed and setting != rule.level.value:
        return f"'{code}' cannot be turned off or lowered: {FIXED}, so it is always an error"
    return None
