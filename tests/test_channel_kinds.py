"""Every channel of the spec model is whole: one registration gives its flows, the
defaults it reads, its line on the ticket and its README row, and the repository has a
sample of it, a mention in the starter and an example that uses it.

A channel added to the spec's ``Channel`` union without one of these parts fails here,
not on a marketer's screen (a TV channel once crashed ``submit`` because one chain of
``isinstance`` checks missed it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from pydantic import TypeAdapter

from campaign_guard import api
from campaign_guard.config.project import ProjectConfig
from campaign_guard.config.settings import Settings
from campaign_guard.defaults import DEFAULT, DEFAULTS, SCENARIOS, Default
from campaign_guard.loadmodel.channels import CHANNEL_KINDS, channel_table
from campaign_guard.loadmodel.channels.registry import KINDS
from campaign_guard.loadmodel.channels.run import At, Run
from campaign_guard.spec.campaign import CampaignSpec
from campaign_guard.spec.channels import Channel, audience_field
from tests.channel_samples import SAMPLES, channel_spec, sample_channel
from tests.conftest import REPO_ROOT

SPEC_CHANNELS = get_args(get_args(Channel)[0])
"""Every member of the spec's ``Channel`` union (the models a ``traffic`` entry may be)."""
NAMES = [str(get_args(model.model_fields["channel"].annotation)[0]) for model in SPEC_CHANNELS]
COMMON = {"channel", "label", "start", "expected_visits", "landing_page"}
"""The fields every channel has: the README's table says so once, above it."""
PROFILE = REPO_ROOT / "examples" / "capacity" / "production.yaml"
ADAPTER: TypeAdapter[Channel] = TypeAdapter(Channel)


def test_every_channel_of_the_spec_is_registered_with_its_model() -> None:
    assert len(SPEC_CHANNELS) == len(NAMES) >= 10
    assert list(CHANNEL_KINDS) == NAMES  # and in the order the spec lists them
    for name, model in zip(NAMES, SPEC_CHANNELS, strict=True):
        assert CHANNEL_KINDS[name].model is model
    assert [kind.name for kind in KINDS] == NAMES


class Reads(Mapping[str, Default]):
    """The defaults table, remembering which keys were read."""

    def __init__(self) -> None:
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Default:
        self.read.add(key)
        return DEFAULT[key]

    def __iter__(self) -> Iterator[str]:
        return iter(DEFAULT)

    def __len__(self) -> int:
        return len(DEFAULT)


def _variants(name: str) -> list[dict[str, Any]]:
    """Entries of channel ``name``: every field set, with and without ``expected_visits``,
    the visits only, and the audience only (so the defaults the spec can replace are read)."""
    audience = audience_field(name)
    return [
        sample_channel(name),
        sample_channel(name, with_visits=True),
        {"channel": name, "expected_visits": 5000},
        {"channel": name, audience: SAMPLES[audience]},
        *({"channel": name, audience: SAMPLES[audience], **extra} for extra in DEFAULTED[name]),
    ]


DEFAULTED: dict[str, list[dict[str, Any]]] = {
    **{name: [] for name in NAMES},
    # images from our servers, how many not said: the default count
    "email": [{"images_from_origin": True}],
}
"""Fields whose absence reads a default only when another field is set."""


def _spec(entry: dict[str, Any]) -> CampaignSpec:
    text = yaml.safe_load(channel_spec(str(entry["channel"])))
    return CampaignSpec.model_validate({**text, "traffic": [entry]})


@pytest.mark.parametrize("name", NAMES)
def test_the_channel_reads_exactly_the_defaults_it_declares(name: str) -> None:
    kind = CHANNEL_KINDS[name]
    assert set(kind.reads) <= set(DEFAULT), set(kind.reads) - set(DEFAULT)
    assert [d.key for d in kind.defaults] == list(kind.reads)
    read: set[str] = set()
    for entry in _variants(name):
        spec = _spec(entry)
        for scenario in SCENARIOS:
            table = Reads()
            run = Run(spec, scenario, table)
            kind.flows(At(run, 0), spec.traffic[0])
            read |= table.read
    assert read == set(kind.reads)


@pytest.mark.parametrize("name", NAMES)
def test_the_defaults_named_after_the_channel_are_its_own(name: str) -> None:
    own = {d.key for d in DEFAULTS if d.key.startswith(f"{name}.")}
    assert own <= set(CHANNEL_KINDS[name].reads)


def test_every_default_is_read_by_some_channel() -> None:
    read = {key for kind in KINDS for key in kind.reads}
    assert read == set(DEFAULT)


@pytest.mark.parametrize("name", NAMES)
def test_the_channel_has_a_flow_for_each_entry_that_gives_its_figures(name: str) -> None:
    spec = _spec(sample_channel(name))
    for scenario in SCENARIOS:
        run = Run(spec, scenario, DEFAULT)
        CHANNEL_KINDS[name].flows(At(run, 0), spec.traffic[0])
        assert run.notes == []
        visits = [flow for flow in run.flows if flow.kind == "visit"]
        assert visits
        assert all(flow.channel == name for flow in run.flows)
        assert sum(flow.curve.total for flow in visits) > 0


@pytest.mark.parametrize("name", NAMES)
def test_the_channel_has_words_for_every_field_on_its_ticket_line(name: str) -> None:
    kind = CHANNEL_KINDS[name]
    said = [phrase.field for phrase in kind.phrases]
    assert set(said) == set(kind.model.model_fields) - {"channel", "label", "currency"}
    assert said[-2:] == ["start", "landing_page"]


@pytest.mark.parametrize("name", NAMES)
def test_the_channel_has_its_row_in_the_readme(name: str) -> None:
    kind = CHANNEL_KINDS[name]
    row = " ".join(kind.readme_cells())
    own = set(kind.model.model_fields) - COMMON
    assert all(f"`{field}`" in row for field in own), own
    assert kind.audience, "the README says what sizes the channel"


def test_the_readme_channel_table_is_generated_from_the_channels() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = channel_table()
    assert table in readme, "regenerate the README's table: print(channel_table())"
    for name in NAMES:
        assert table.count(f"`{name}`") == 1


@pytest.mark.parametrize("name", NAMES)
def test_the_channel_has_a_sample_a_starter_mention_and_an_example(name: str) -> None:
    assert ADAPTER.validate_python(sample_channel(name)).channel == name
    starter = (REPO_ROOT / "templates" / "campaign-spec.yaml.j2").read_text(encoding="utf-8")
    assert name in starter.split("# Other channels:", 1)[1].split("\n\n", 1)[0]
    examples = sorted((REPO_ROOT / "examples").rglob("*.yaml"))
    used = {
        str(entry.get("channel"))
        for path in examples
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("traffic", [])
    }
    assert name in used, f"add an example under examples/ with a {name} channel"


@pytest.mark.parametrize("name", NAMES)
def test_the_channel_runs_through_estimate_and_the_ticket(name: str, tmp_path: Path) -> None:
    spec = tmp_path / "campaign.yaml"
    spec.write_text(channel_spec(name), encoding="utf-8")
    jira = {"site": "https://example.atlassian.net", "project": "OPS"}
    config = Settings(
        3, tmp_path / "campaign-guard.yaml", PROFILE, ProjectConfig.model_validate({"jira": jira})
    )
    now = datetime(2027, 1, 4, 9, tzinfo=timezone.utc)
    plan = api.plan_submission(spec, config=config, environ={}, now=now)
    (campaign,) = plan.estimate.campaigns
    assert campaign.visits["expected"] > 0
    preview = plan.preview()
    words = name.replace("_", " ")
    assert f"\n* {words} \\(Spring wave\\): " in preview["description"]  # escaped for Jira
