"""What a design tells its observers: one frozen dataclass per kind of change.

Every edit method of ``Design`` announces what it changed as one of these events. Observers get
a *batch*, a tuple of events in the order they happened: outside ``Design.batch()`` every event
is its own batch of one; inside it, the events of the whole block arrive together when it ends.
A view reacts by type (``Dispatcher``), so a misspelt kind is an ``AttributeError`` at import,
not a handler that silently never runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every design event."""


@dataclass(frozen=True, slots=True)
class NodeAdded(Event):
    id: str


@dataclass(frozen=True, slots=True)
class NodeRemoved(Event):
    """Sent after the node's wires were removed (each with its own ``EdgeRemoved`` first)."""
    id: str


@dataclass(frozen=True, slots=True)
class EdgeAdded(Event):
    source: str
    target: str
    port: int


@dataclass(frozen=True, slots=True)
class EdgeRemoved(Event):
    source: str
    target: str
    port: int


@dataclass(frozen=True, slots=True)
class AttrsChanged(Event):
    id: str


@dataclass(frozen=True, slots=True)
class Renamed(Event):
    """The node's display name changed (names are not part of the analysis)."""
    id: str


@dataclass(frozen=True, slots=True)
class GroupChanged(Event):
    id: str
    old: str | None  # the group it left (the new one is the node's group now)


@dataclass(frozen=True, slots=True)
class Moved(Event):
    id: str


@dataclass(frozen=True, slots=True)
class DesignRenamed(Event):
    """The design's own name changed."""


@dataclass(frozen=True, slots=True)
class CollapsedChanged(Event):
    """Which groups are drawn collapsed changed (view state: no figure of the analysis moves)."""
    groups: tuple[str, ...]  # the groups collapsed or expanded by the edit


KINDS: tuple[type[Event], ...] = (NodeAdded, NodeRemoved, EdgeAdded, EdgeRemoved, AttrsChanged,
                                  Renamed, GroupChanged, Moved, DesignRenamed, CollapsedChanged)
STRUCTURAL: tuple[type[Event], ...] = (NodeAdded, NodeRemoved, EdgeAdded, EdgeRemoved)  # change the wiring

Batch = Sequence[Event]
Observer = Callable[[Batch], None]


class Dispatcher:
    """Calls a handler per event, chosen by the event's exact type; kinds without one are skipped.

    ``Dispatcher({NodeAdded: on_added, Moved: on_moved})(batch)``. Keys must be event classes."""

    __slots__ = ("handlers",)

    def __init__(self, handlers: Mapping[type[Event], Callable[[Event], object]]):
        for kind in handlers:
            if kind not in KINDS:
                raise TypeError(f"{kind!r} is not a design event kind (known: "
                                f"{', '.join(k.__name__ for k in KINDS)})")
        self.handlers = dict(handlers)

    def __call__(self, batch: Iterable[Event]) -> None:
        get = self.handlers.get
        for event in batch:
            handler = get(type(event))
            if handler is not None:
                handler(event)


def touches(batch: Iterable[Event], *kinds: type[Event]) -> bool:
    """Whether ``batch`` holds an event of one of ``kinds``."""
    return any(isinstance(e, kinds) for e in batch)
