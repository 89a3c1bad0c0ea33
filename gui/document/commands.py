"""Undoable edits: one small ``QUndoCommand`` per gesture, each calling ``Design`` methods.

``redo()`` makes the change through the design's edit methods, ``undo()`` calls their inverses,
so the design's observers (the canvas, the analysis) see every step the same way. Commands that
can be refused check at construction and raise (``DesignError``/``AttrError``) before anything is
pushed, so the caller shows the message and the undo stack never holds a failed edit. Everything
a redo needs (fresh ids, ports, old values) is decided at construction or on the first redo and
kept, so undo/redo cycles return the design to exactly the same state.

    doc.push(AddNodes(doc, fragment, offset=(40, 0)))
    doc.push(Connect(doc, "in", "conv2d"))
    doc.push(SetAttr(doc, ["conv2d"], "filters", 64))
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from typing import Iterable, Mapping, Sequence

from PySide6.QtGui import QUndoCommand

from archcanvas.core.design import Design, Edge, Node, check_attr
from archcanvas.core.errors import AttrError, DesignError
from archcanvas.core.gcpause import gc_paused
from archcanvas.core.layout import layered_positions
from archcanvas.core.layout import wrapped_positions

# ids for mergeWith: a command merges only with one of its own kind
_SET_ATTR, _MOVE = 1001, 1002
_gestures = itertools.count(1)


def new_gesture() -> int:
    """A fresh id for one mouse gesture; MoveNodes sharing it merge into one undo step."""
    return next(_gestures)


def _label(design: Design, node_id: str) -> str:
    return design.node(node_id).label


def _value_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    return json.dumps(value)


def _what(design: Design, ids: Sequence[str], noun: str = "layers") -> str:
    if len(ids) == 1:
        return _label(design, ids[0])
    return f"{len(ids)} {noun}"


def _restore_node(design: Design, node: Node, seq: int | None = None) -> None:
    """Add ``node`` back exactly (attrs as they were, even ones that no longer validate), at its
    old place in the file order when ``seq`` is given."""
    try:
        design.add_node(node.type, node.id, attrs=node.attrs, name=node.name, group=node.group,
                        pos=node.pos, extra=node.extra, seq=seq, trainable=node.trainable,
                        weights_of=node.weights_of)
    except AttrError:
        design.add_node(node.type, node.id, name=node.name, group=node.group, pos=node.pos,
                        extra=node.extra, seq=seq, trainable=node.trainable, weights_of=node.weights_of)
    if design.node(node.id).attrs != node.attrs:
        # add_node fills in required attributes; a node saved without them must come back without
        design.set_attrs(node.id, node.attrs)


def _batched(fn):
    @functools.wraps(fn)
    def run(self):
        # a big edit makes thousands of events, items and wires, none in a cycle (core.gcpause)
        with gc_paused(), self.document.batch():
            fn(self)
    return run


def _copy(node: Node, **changes) -> Node:
    data = dict(id=node.id, type=node.type, attrs=dict(node.attrs), name=node.name,
                group=node.group, pos=node.pos, extra=dict(node.extra), trainable=node.trainable,
                weights_of=node.weights_of)
    data.update(changes)
    return Node(**data)


class _Command(QUndoCommand):
    def __init__(self, document, text: str):
        super().__init__(text)
        self.document = document

    def __init_subclass__(cls, **kw):
        # every redo and undo, whatever its size, is one batch for the views (Document.batch)
        super().__init_subclass__(**kw)
        for name in ("redo", "undo"):
            fn = cls.__dict__.get(name)
            if fn is not None:
                setattr(cls, name, _batched(fn))

    @property
    def design(self) -> Design:
        return self.document.design


class AddNodes(_Command):
    """Copy the nodes and internal edges of a standalone ``source`` design into the document.

    Colliding ids get fresh ones (``id_map``: source id -> new id; ``ids``: new ids in order).
    Nodes without a position are laid out among themselves. ``connect`` holds external wires
    ``(existing_source_id, fragment_node_id, port)``; the ones the design refuses are skipped
    and their messages kept in ``skipped``. ``design_name``, when given, also renames the
    design (a template placed into an empty design names it), undone with the rest.
    """

    def __init__(self, document, source: Design, connect: Iterable = (), offset=(0, 0),
                 text: str | None = None, design_name: str | None = None):
        super().__init__(document, "")
        design = document.design
        self._names = (design.name, design_name) if design_name is not None else None
        existing = set(design.node_ids())
        # ids that do not collide are kept, and reserved before the colliding ones are renamed
        taken = existing | {n for n in source.node_ids() if n not in existing}
        self.id_map: dict[str, str] = {}
        for node in source.nodes():
            new = node.id
            if new in existing:
                stem = re.sub(r"_\d+$", "", node.id)  # conv2d_1 again becomes conv2d_2, not conv2d_1_1
                new = next(f"{stem}_{i}" for i in itertools.count(1) if f"{stem}_{i}" not in taken)
                taken.add(new)
            self.id_map[node.id] = new
        self.ids = list(self.id_map.values())
        missing = [n.id for n in source.nodes() if n.pos is None]
        laid = layered_positions(source, missing) if missing else {}
        dx, dy = offset
        self._nodes: list[Node] = []
        for node in source.nodes():
            x, y = node.pos if node.pos is not None else laid[node.id]
            # a copy shares weights only with a node copied with it
            self._nodes.append(_copy(node, id=self.id_map[node.id], pos=(x + dx, y + dy),
                                     weights_of=self.id_map.get(node.weights_of)))
        self._edges = [Edge(self.id_map[e.source], self.id_map[e.target], e.port) for e in source.edges()]
        self._wanted = []
        for s, t, p in connect:
            if t not in self.id_map:
                raise DesignError(f"no node {t!r} in the layers being added")
            self._wanted.append((s, self.id_map[t], p))
        self._made: list[Edge] | None = None  # external wires actually made, decided on first redo
        self._seqs: dict[str, int] = {}
        self.skipped: list[str] = []
        if text is None:
            only = source.nodes()[0].type if len(source) == 1 else f"{len(source)} layers"
            text = f"Add {only}"
        self.setText(text)

    def redo(self):
        design = self.design
        for node in self._nodes:
            _restore_node(design, node, self._seqs.get(node.id))
            self._seqs[node.id] = design.seq_of(node.id)  # a redo after undo keeps the same place
        for e in self._edges:
            design.connect(e.source, e.target, e.port)
        if self._made is None:
            self._made = []
            for source, target, port in self._wanted:
                try:
                    port = design.connect(source, target, port)
                except DesignError as err:
                    self.skipped.append(str(err))
                else:
                    self._made.append(Edge(source, target, port))
        else:
            for e in self._made:
                design.connect(e.source, e.target, e.port)
        if self._names is not None:
            design.set_name(self._names[1])

    def undo(self):
        design = self.design
        if self._names is not None:
            design.set_name(self._names[0])
        for e in reversed(self._made or []):
            design.disconnect(e.source, e.target, e.port)
        for node in reversed(self._nodes):
            design.remove_node(node.id)


class RemoveNodes(_Command):
    """Delete nodes and every wire touching them; undo puts all of it back as it was.

    With ``reconnect`` the layers after the deleted ones are wired to what fed them, through
    any chain of deleted single-input layers (deleting the middle of a chain keeps it whole)."""

    def __init__(self, document, ids: Iterable[str], reconnect: bool = False):
        design = document.design
        ids = [n for n in dict.fromkeys(ids)]
        for n in ids:
            design.node(n)  # raises DesignError for an unknown id
        verb = "Delete and reconnect" if reconnect else "Delete"
        super().__init__(document, f"{verb} {_what(design, ids)}")
        order = design.topological_index()
        self._nodes = [_copy(design.node(n)) for n in sorted(ids, key=order.__getitem__)]
        self._seqs = {n: design.seq_of(n) for n in ids}
        self._edges = sorted(_edges_touching(design, ids), key=lambda e: (order[e.target], e.port))
        self._bridges = _bridges(design, set(ids), self._edges) if reconnect else []

    @property
    def ids(self) -> list[str]:
        return [n.id for n in self._nodes]

    def redo(self):
        design = self.design
        for e in self._edges:
            design.disconnect(e.source, e.target, e.port)
        for node in self._nodes:
            design.remove_node(node.id)
        for source, target, port in self._bridges:
            design.connect(source, target, port)

    def undo(self):
        design = self.design
        for source, target, port in reversed(self._bridges):
            design.disconnect(source, target, port)
        # Nodes and wires exactly as they were before the redo, so valid by construction: put
        # back in one bulk call, without add_node's and connect's checks (undoing Select All +
        # Delete of 5,000 layers spent most of its core time in them and in the cycle search).
        design.add_checked(
            [(n.type, n.id, dict(n.attrs), n.name, n.group, n.pos, dict(n.extra), n.trainable,
              n.weights_of, None) for n in self._nodes],
            [(e.source, e.target, e.port) for e in self._edges], seqs=self._seqs)


def _edges_touching(design: Design, ids: list[str]) -> set[Edge]:
    """The wires into or out of ``ids``: asked node by node for a few, read from the whole wire
    list in one pass for many (Select All + Delete of 5,000 layers: one pass, not 10,000 queries)."""
    if len(ids) * 8 < len(design):
        return {e for n in ids for e in design.inputs(n) + design.outputs(n)}
    chosen = set(ids)
    return {e for e in design.edges() if e.source in chosen or e.target in chosen}


def _bridges(design: Design, removed: set[str], edges) -> list[tuple[str, str, int]]:
    """(source, target, port) wires that keep the graph connected around ``removed``: each wire
    leaving the removed nodes gets the node that fed them, found by walking up through removed
    layers with exactly one input; a layer with several inputs (or none) ends the walk."""
    out = []
    for e in edges:
        if e.source not in removed or e.target in removed:
            continue
        node = e.source
        while node in removed:
            feeds = design.inputs(node)
            if len(feeds) != 1:
                break
            node = feeds[0].source
        if node not in removed:
            out.append((node, e.target, e.port))
    return out


class Connect(_Command):
    """Wire ``source``'s output to an input of ``target``; refused connections raise here."""

    def __init__(self, document, source: str, target: str, port: int | None = None):
        design = document.design
        self.port = design.check_connect(source, target, port)
        super().__init__(document, f"Connect {_label(design, source)} → {_label(design, target)}")
        self.source, self.target = source, target

    def redo(self):
        self.design.connect(self.source, self.target, self.port)

    def undo(self):
        self.design.disconnect(self.source, self.target, self.port)


class Disconnect(_Command):
    def __init__(self, document, source: str, target: str, port: int):
        design = document.design
        if not design.graph.has_edge(source, target, key=port):
            raise DesignError(f"there is no connection {source} → {target} at port {port}")
        super().__init__(document, f"Disconnect {_label(design, source)} → {_label(design, target)}")
        self.source, self.target, self.port = source, target, port

    def redo(self):
        self.design.disconnect(self.source, self.target, self.port)

    def undo(self):
        self.design.connect(self.source, self.target, self.port)


class SetAttr(_Command):
    """Set one attribute on several nodes. Consecutive edits of the same field merge."""

    def __init__(self, document, ids: Sequence[str], key: str, value):
        design = document.design
        self.ids = list(dict.fromkeys(ids))
        if not self.ids:
            raise DesignError("no layer selected")
        for n in self.ids:
            check_attr(design.node(n).layer, key, value)
        super().__init__(document, f"Set {key} = {_value_text(value)}")
        self.key, self.value = key, value
        self._old = {n: dict(design.node(n).attrs) for n in self.ids}

    def id(self) -> int:
        return _SET_ATTR

    def mergeWith(self, other) -> bool:
        if not isinstance(other, SetAttr) or other.ids != self.ids or other.key != self.key:
            return False
        self.value = other.value
        self.setText(other.text())
        # typing a value and then its original back leaves nothing to undo
        self.setObsolete(all(dict(o, **{self.key: self.value}) == o for o in self._old.values()))
        return True

    def redo(self):
        for n in self.ids:
            self.design.set_attrs(n, {**self._old[n], self.key: self.value})

    def undo(self):
        for n in self.ids:
            self.design.set_attrs(n, self._old[n])


class Rename(_Command):
    def __init__(self, document, node_id: str, name: str | None):
        design = document.design
        self.old = design.node(node_id).name
        self.node_id, self.name = node_id, (name or None)
        super().__init__(document, f"Rename {_label(design, node_id)} to {name or node_id}")

    def redo(self):
        self.design.rename(self.node_id, self.name)

    def undo(self):
        self.design.rename(self.node_id, self.old)


class SetGroup(_Command):
    def __init__(self, document, ids: Sequence[str], group: str | None):
        design = document.design
        self.ids = list(dict.fromkeys(ids))
        self.group = group or None
        self._old = {n: design.node(n).group for n in self.ids}
        what = _what(design, self.ids)
        super().__init__(document, f"Group {what} as {group}" if group else f"Ungroup {what}")

    def redo(self):
        for n in self.ids:
            self.design.set_group(n, self.group)

    def undo(self):
        for n in self.ids:
            self.design.set_group(n, self._old[n])


class MoveNodes(_Command):
    """Move nodes: ``moves`` maps id -> (old_pos, new_pos). One drag is one command.

    Commands with the same non-None ``gesture`` (see ``new_gesture``) and node set merge, so
    the intermediate steps of one gesture (e.g. nudging with the keyboard) undo together.
    """

    def __init__(self, document, moves: Mapping[str, tuple], gesture: int | None = None,
                 text: str | None = None):
        design = document.design
        self.moves = {n: (tuple(a) if a is not None else None, tuple(b)) for n, (a, b) in moves.items()}
        for n in self.moves:
            design.node(n)
        self.gesture = gesture
        super().__init__(document, text or f"Move {_what(design, list(self.moves))}")

    def id(self) -> int:
        return _MOVE

    def mergeWith(self, other) -> bool:
        if (not isinstance(other, MoveNodes) or self.gesture is None or other.gesture != self.gesture
                or other.moves.keys() != self.moves.keys()):
            return False
        self.moves = {n: (old, other.moves[n][1]) for n, (old, _) in self.moves.items()}
        return True

    def redo(self):
        for n, (_, new) in self.moves.items():
            self.design.move(n, new)

    def undo(self):
        for n, (old, _) in self.moves.items():
            self.design.move(n, old)


class SetPositions(MoveNodes):
    """Give many nodes new positions at once (auto-layout); never merges."""

    def __init__(self, document, positions: Mapping[str, tuple], text: str = "Auto-layout"):
        design = document.design
        moves = {n: (design.node(n).pos, p) for n, p in positions.items()}
        super().__init__(document, moves, None, text)

    def id(self) -> int:
        return -1


def auto_layout(document, ids: Iterable[str] | None = None, text: str = "Auto-layout") -> SetPositions:
    """A command placing ``ids`` in layers left to right; every node (the default): block by
    block in run order, wrapped into rows like a template."""
    if ids is None:
        return SetPositions(document, wrapped_positions(document.design), text)
    return SetPositions(document, layered_positions(document.design, ids), text)
