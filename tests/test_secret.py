"""A secret never shows, whatever form a server echoes it back in."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest

from campaign_guard.secret import Secret

TOKEN = "CANARY-7f3a9c/+=token"
USER = "bot@example.com"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "echoed",
    [
        TOKEN,
        _b64(f"{USER}:{TOKEN}"),
        f"Basic {_b64(f'{USER}:{TOKEN}')}",
        f"Bearer {TOKEN}",
        _b64(TOKEN),
        quote(TOKEN, safe=""),
    ],
)
def test_every_form_is_taken_out(echoed: str) -> None:
    said = Secret(TOKEN).redact(f"proxy says: {echoed} was refused", user=USER)
    assert said.startswith("proxy says: ")
    assert said.endswith(" was refused")
    for form in (TOKEN, _b64(f"{USER}:{TOKEN}"), _b64(TOKEN), quote(TOKEN, safe="")):
        assert form not in said


def test_a_cut_message_does_not_end_in_the_start_of_a_secret() -> None:
    secret = Secret(TOKEN)
    text = "error: " + TOKEN[:10]  # the server cut its own echo short
    said = secret.redact(text + " tail", limit=len(text))
    assert said == "error: ***"
    assert secret.redact("error: CAN", limit=10) == "error: CAN"  # too short to be one


def test_nothing_to_hide_changes_nothing() -> None:
    assert Secret("").redact("text") == "text"
    assert repr(Secret(TOKEN)) == "Secret('***')"
    assert TOKEN not in f"{Secret(TOKEN)}"
