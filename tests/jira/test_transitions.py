"""Transitions: chosen by id or name, screens checked first, Jira's refusals explained."""

from __future__ import annotations

import json
from typing import Any

import pytest

from campaign_guard.jira.transitions import (
    MissingScreenFields,
    TransitionError,
    choose,
    parse_transitions,
    perform,
    resolve,
)
from testing.jira_contract import recording
from tests.jira.review_support import CANARY, gateway, site

DONE = {"name": "Approved", "statusCategory": {"key": "done"}}


def _listed(*extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "transitions": [
            {"id": "11", "name": "Start review", "to": {"name": "In Review"}},
            {"id": "21", "name": "Approve", "to": DONE, "hasScreen": False, "fields": {}},
            *extra,
        ]
    }


def _screen(required: bool, default: bool = False) -> dict[str, Any]:
    return {
        "resolution": {
            "key": "resolution",
            "name": "Resolution",
            "required": required,
            "hasDefaultValue": default,
            "operations": ["set"],
            "schema": {"type": "resolution", "system": "resolution"},
        }
    }


def test_parse_keeps_the_target_and_the_screen_and_drops_junk() -> None:
    found = parse_transitions(
        [
            *_listed({"id": "31", "name": "Reject", "fields": _screen(True)})["transitions"],
            {"id": 5},
        ]
    )
    assert [(t.id, t.to_status, t.to_category) for t in found] == [
        ("11", "In Review", ""),
        ("21", "Approved", "done"),
        ("31", "", ""),
    ]
    assert found[2].has_screen
    assert found[2].fields[0].required
    assert found[2].missing(()) == found[2].fields
    assert found[2].missing({"resolution"}) == ()


def test_choose_by_id_first_then_by_name_in_any_case() -> None:
    available = parse_transitions(_listed({"id": "41", "name": "21"})["transitions"])
    assert choose(available, "21", key="OPS-1").name == "Approve"  # the id wins
    assert choose(available, " start REVIEW ", key="OPS-1").id == "11"


def test_an_ambiguous_name_is_refused_with_the_ids() -> None:
    available = parse_transitions(_listed({"id": "22", "name": "APPROVE"})["transitions"])
    with pytest.raises(TransitionError) as refused:
        choose(available, "approve", key="OPS-1")
    assert str(refused.value) == (
        "OPS-1: 2 transitions are named 'approve' ('Approve' (21), 'APPROVE' (22)); "
        "configure the transition by its id"
    )


def test_a_missing_transition_names_those_offered() -> None:
    available = parse_transitions(_listed()["transitions"])
    with pytest.raises(TransitionError, match="offers 'Start review' \\(11\\), 'Approve' \\(21\\)"):
        choose(available, "Ship", key="OPS-1")
    with pytest.raises(TransitionError, match="Transition Issues permission"):
        choose([], "Approve", key="OPS-1")


@pytest.mark.parametrize("cloud", [True, False])
def test_resolve_reads_the_screen_and_stops_on_a_required_field(cloud: bool) -> None:
    url = f"{site(cloud)}/rest/api/2/issue/OPS-1/transitions"
    with recording(cloud=cloud) as rsps:
        rsps.get(url, json=_listed({"id": "31", "name": "Reject", "fields": _screen(True)}))
        with pytest.raises(MissingScreenFields) as refused:
            resolve(gateway(cloud), "OPS-1", "Reject")
        assert [c.request.method for c in rsps.calls] == ["GET"]
        assert rsps.calls[0].request.url == url + "?expand=transitions.fields"
    assert [f.id for f in refused.value.missing] == ["resolution"]
    assert "nothing was written" in str(refused.value)


@pytest.mark.parametrize(("filled", "default"), [({"resolution"}, False), (set(), True)])
def test_a_filled_or_defaulted_field_is_fine(filled: set[str], default: bool) -> None:
    url = f"{site(True)}/rest/api/2/issue/OPS-1/transitions"
    with recording(cloud=True) as rsps:
        rsps.get(
            url, json=_listed({"id": "31", "name": "Reject", "fields": _screen(True, default)})
        )
        assert resolve(gateway(True), "OPS-1", "reject", filled=filled).id == "31"


def test_perform_posts_the_transition_and_its_fields() -> None:
    url = f"{site(True)}/rest/api/2/issue/OPS-1/transitions"
    chosen = parse_transitions(_listed()["transitions"])[1]
    with recording(cloud=True) as rsps:
        rsps.post(url, status=204)
        perform(gateway(True), "OPS-1", chosen, {"resolution": {"name": "Done"}})
        sent = rsps.calls[0].request.body
        assert isinstance(sent, bytes | str)
        body = json.loads(sent)
    assert body == {"transition": {"id": "21"}, "fields": {"resolution": {"name": "Done"}}}


@pytest.mark.parametrize(
    ("status", "answer", "said"),
    [
        (
            400,
            {"errorMessages": [], "errors": {"resolution": "Resolution is required."}},
            "(resolution: Resolution is required.); fix those fields",
        ),
        (
            400,
            {"errorMessages": [f"no {CANARY}"], "errors": {}},
            "Transition Issues permission: read its status",
        ),
        (
            403,
            {"errorMessages": [f"forbidden {CANARY}"]},
            "(HTTP 403): this account may not transition",
        ),
        (404, {"errorMessages": ["Issue does not exist"]}, "(HTTP 404): the issue does not exist"),
    ],
)
@pytest.mark.parametrize("cloud", [True, False])
def test_refusals_are_one_line_and_say_what_to_do(
    cloud: bool, status: int, answer: dict[str, Any], said: str
) -> None:
    url = f"{site(cloud)}/rest/api/2/issue/OPS-1/transitions"
    chosen = parse_transitions(_listed()["transitions"])[1]
    with recording(cloud=cloud) as rsps:
        rsps.post(url, status=status, json=answer)
        with pytest.raises(TransitionError) as refused:
            perform(gateway(cloud), "OPS-1", chosen)
        assert len(rsps.calls) == 1  # a refused POST is not sent again
    message = str(refused.value)
    assert message.startswith("Jira refused the transition 'Approve' (21) of OPS-1")
    assert said in message
    assert "\n" not in message
    assert CANARY not in message
