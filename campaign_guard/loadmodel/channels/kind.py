"""What makes a traffic channel, in one record: :class:`ChannelKind`.

A channel is its spec model (what a marketer writes, :mod:`campaign_guard.spec.channels`),
and here: how it turns into traffic flows, the published defaults it reads, how its line
on the ticket reads, and its row in the README's channel table. Each channel module of
this package registers one; :mod:`.registry` holds them by the channel's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, get_args

from pydantic import BaseModel

from campaign_guard.defaults import DEFAULT, Default
from campaign_guard.loadmodel.channels.run import At
from campaign_guard.loadmodel.channels.words import Phrase

C = TypeVar("C", bound=BaseModel)


@dataclass(frozen=True)
class ChannelKind(Generic[C]):
    """One channel: its spec model, its flows, its defaults, its words and its README row."""

    model: type[C]
    """The spec model of the channel (``Email``): what its entries in ``traffic`` hold."""
    flows: Callable[[At, C], None]
    """Adds the flows (and notes) of one entry of the channel to the run."""
    reads: tuple[str, ...]
    """The keys of the defaults its flows read (:mod:`campaign_guard.defaults`)."""
    phrases: tuple[Phrase, ...]
    """Its fields in words, in the order its line on the ticket reads them."""
    audience: str
    """The README's "audience figure" cell: what sizes the channel (markdown)."""
    overrides: str = ""
    """The README's "optional overrides" cell: the other fields a marketer may give."""

    @property
    def name(self) -> str:
        """The channel's name in a spec (``channel: email``), from its model."""
        return str(get_args(self.model.model_fields["channel"].annotation)[0])

    @property
    def defaults(self) -> tuple[Default, ...]:
        """The rows of the defaults table it reads."""
        return tuple(DEFAULT[key] for key in self.reads)

    def readme_cells(self) -> tuple[str, str]:
        """Its audience and overrides, as the README's channel table shows them."""
        return self.audience, self.overrides
