"""The design model: layers as nodes of a ``networkx.MultiDiGraph``, wires as edges keyed by port.

An edge ``(source, target, key=port)`` feeds ``source``'s output into input ``port`` of
``target``; ports order the inputs of Concatenate, Add and Multiply. Every edit is one method
that checks before it changes anything, then tells the observers what changed. The GUI's undo
commands call one of these methods each way.

Observers receive batches of typed events (``core.events``); ``with design.batch():`` delivers
the events of several edits as one batch when the block ends.
"""

from __future__ import annotations

import heapq
import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

import networkx as nx

from . import layers
from .events import (
    AttrsChanged, CollapsedChanged, DesignRenamed, EdgeAdded, EdgeRemoved, Event, GroupChanged, Moved, NodeAdded,
    NodeRemoved, Observer, Renamed,
)
from .errors import AttrError, CycleError, DesignError
from .gcpause import gc_paused


@dataclass(eq=False)
class Node:
    id: str
    type: str
    attrs: dict  # as written by the user or the file: only the attributes set explicitly
    name: str | None = None
    group: str | None = None
    pos: tuple[float, float] | None = None
    extra: dict = field(default_factory=dict)  # unknown keys from a file, written back on save
    # Keras's trainable flag: a frozen layer's weights all count as non-trainable.
    trainable: bool = True
    # The node whose weights this one reuses (a Keras layer called twice): its params count once.
    weights_of: str | None = None
    _resolved: Any = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def layer(self) -> layers.LayerType:
        return layers.get(self.type)

    def forget_resolved(self) -> None:
        """Drop the cached attributes (after ``attrs`` changed)."""
        self._resolved = None

    def resolved(self) -> dict:
        """Every attribute, validated and normalized; cached until the attributes change.

        Raises ``AttrError`` (message starts with the attribute's name)."""
        r = self._resolved  # a dict, None (not yet resolved) or the AttrError resolving raised
        if type(r) is dict:  # the common case, first: analysis calls this per node
            return r
        if r is None:
            try:
                r = self._resolved = layers.get(self.type).resolve(self.attrs)
                return r
            except AttrError as err:
                r = self._resolved = err
        raise r


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    port: int


BULK_WIRES = 256  # wires added at once past which the first port query reads every node's
MAX_PORT = 1023  # the canvas draws every port up to the highest; a merge of 1,024 inputs is plenty
_ID_RE = re.compile(r"[^A-Za-z0-9_]+")


class Design:
    """A network design. Read with the query methods; change only through the edit methods."""

    def __init__(self, name: str = "untitled"):
        self.name = name
        self.extra: dict = {}  # unknown top-level keys of the file it came from
        # view state, saved as the file's "view" (core.collapse): the groups drawn as one node,
        # and the view's keys this version does not know, written back on save
        self.collapsed: frozenset[str] = frozenset()
        self.view_extra: dict = {}
        # The networkx graph is built on first use (``_graph``); until then the wires wait in
        # ``_unbuilt`` with the seq of the first node. Reading a file and analysing it need only
        # the nodes and the wiring, so neither builds the graph (a third of reading a file).
        self._g: nx.MultiDiGraph | None = None
        self._unbuilt: tuple[int, list[tuple[str, str, int]]] | None = (0, [])  # (first seq, wires)
        self._out_of_order = False  # a node was put back with an old seq; reorder on next read
        self._seq = itertools.count()
        self._last_seq = -1
        self._observers: list[Observer] = []
        self._batch_depth = 0
        self._pending: list[Event] = []
        self._nodes: dict[str, Node] = {}  # id -> Node, for lookups without a networkx view
        self._order: list[str] | None = None
        self._bulk = False
        self._index: dict[str, int] = {}
        self._ports_cache: dict[str, tuple] = {}  # node id -> (sorted (port, source), sources)
        self._sources_cache: MappingProxyType | None = None  # wiring()
        self._groups: dict[str, list[str]] | None = None  # groups()

    # observers ---------------------------------------------------------------------------
    def subscribe(self, fn: Observer) -> None:
        self._observers.append(fn)

    def unsubscribe(self, fn: Observer) -> None:
        if fn in self._observers:
            self._observers.remove(fn)

    def _emit(self, event: Event) -> None:
        if self._batch_depth:
            self._pending.append(event)
        else:
            self._deliver((event,))

    def _deliver(self, batch: tuple[Event, ...]) -> None:
        for fn in list(self._observers):
            fn(batch)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect the events of the edits in the block and deliver them as one batch at its end
        (also when the block raises: what was changed is announced). Blocks may nest; the
        outermost one delivers."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth and self._pending:
                batch, self._pending = tuple(self._pending), []
                self._deliver(batch)

    @property
    def _graph(self) -> nx.MultiDiGraph:
        g = self._g
        if g is None:  # built on first use, in file order: the nodes, then the wires
            first, wires = self._unbuilt
            g = nx.MultiDiGraph()
            with gc_paused():  # four dicts per node, none in a cycle (see core.gcpause)
                g.add_nodes_from(self._nodes)
                data = g.nodes
                for seq, (node_id, node) in enumerate(self._nodes.items(), first):
                    data[node_id].update(node=node, seq=seq)
                for s, t, p in wires:
                    g.add_edge(s, t, key=p)
            self._g, self._unbuilt = g, None
        return g

    # queries -----------------------------------------------------------------------------
    def __contains__(self, node_id) -> bool:
        try:  # _nodes holds the graph's nodes (a list is no node, as for networkx)
            return node_id in self._nodes
        except TypeError:
            return False

    def __len__(self) -> int:
        return len(self._nodes)

    def node(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except (KeyError, TypeError):
            raise DesignError(f"no node {node_id!r} in the design") from None

    def node_map(self) -> Mapping[str, Node]:
        """Every node by id, read-only (a live view; in no particular order: use ``nodes()``)."""
        return MappingProxyType(self._nodes)

    def nodes(self) -> list[Node]:
        """All nodes, in the order they were added."""
        if self._g is None:
            return list(self._nodes.values())
        return [data["node"] for _, data in self.graph.nodes(data=True)]

    def node_ids(self) -> list[str]:
        return list(self._nodes if self._g is None else self.graph.nodes)

    def edges(self) -> list[Edge]:
        """Every wire, grouped by target in file order, then by port: the same list whatever
        order the wires were made or restored in (so undo gives back an identical file)."""
        # The graph iterates in file order (``graph`` sees to it) and each target's wiring is
        # cached sorted by port: no sort of all the edges (a fifth of saving 20,000 layers).
        return [Edge(s, t, p) for t in self._file_order() for p, s in self._wiring(t)[0]]

    def inputs(self, node_id: str) -> list[Edge]:
        """Edges into ``node_id``, ordered by port."""
        return [Edge(s, node_id, p) for p, s in self.ports(node_id)]

    def input_ids(self, node_id: str) -> list[str]:
        return list(self.sources(node_id))

    def ports(self, node_id: str) -> list[tuple[int, str]]:
        """``(port, source)`` of every connected input of ``node_id``, by port. Do not modify."""
        return self._wiring(node_id)[0]

    def sources(self, node_id: str) -> tuple[str, ...]:
        """The ids feeding ``node_id``, in port order (``input_ids`` as a shared tuple)."""
        return self._wiring(node_id)[1]

    def sinks(self) -> list[str]:
        """The nodes whose output feeds nothing, in file order."""
        out_degree = self._graph.out_degree
        return [n for n in self.graph if not out_degree(n)]

    def has_edge(self, source: str, target: str, port: int) -> bool:
        return self._graph.has_edge(source, target, key=port)

    def wiring(self) -> Mapping[str, tuple[str, ...]]:
        """``sources`` of every node at once (a read-only snapshot, cached until the wiring
        changes), for a full analysis: one pass over the edges instead of one query per node."""
        if self._sources_cache is None:
            ports: dict[str, list] = {n: [] for n in self._file_order()}
            for source, target, port in self._unbuilt[1] if self._g is None else self._graph.in_edges(keys=True):
                ports[target].append((port, source))
            out = {}
            for node_id, ps in ports.items():
                if len(ps) > 1:
                    ps.sort()
                out[node_id] = tuple([s for _, s in ps])
            self._sources_cache = MappingProxyType(out)
        return self._sources_cache

    def _wiring(self, node_id: str):
        # The analysis asks this for every node it computes: cached until the wiring changes.
        wiring = self._ports_cache.get(node_id)
        if wiring is None:
            if node_id not in self._nodes:
                self.node(node_id)  # raises DesignError naming the missing node
            if not self._ports_cache and (self._g is None or self._bulk):
                # a design just read, or thousands of wires just put back: every node at once
                ports_of: dict[str, list] = {n: [] for n in self._nodes}
                for s, t, p in self._unbuilt[1] if self._g is None else self._graph.in_edges(keys=True):
                    ports_of[t].append((p, s))
                for n, ports in ports_of.items():
                    ports.sort()
                    self._ports_cache[n] = (ports, tuple(s for _, s in ports))
                return self._ports_cache[node_id]
            ports = sorted((p, s) for s, _, p in self._graph.in_edges(node_id, keys=True))
            wiring = self._ports_cache[node_id] = (ports, tuple(s for _, s in ports))
        return wiring

    def _file_order(self):
        """The node ids in file order, without building the graph when it is not built yet."""
        return self._nodes if self._g is None else self.graph

    def _structure_changed(self) -> None:
        """Forget what depends on nodes and wiring (call after changing ``graph`` directly)."""
        self._order = None
        self._ports_cache = {}
        self._sources_cache = None
        self._groups = None
        self._bulk = False  # set by add_checked after many wires: ports are then read for all at once

    def outputs(self, node_id: str) -> list[Edge]:
        return [Edge(s, t, p) for s, t, p in self._graph.out_edges(node_id, keys=True)]

    def source_at(self, node_id: str, port: int) -> str | None:
        for s, _, p in self._graph.in_edges(node_id, keys=True):
            if p == port:
                return s
        return None

    def free_port(self, node_id: str) -> int:
        """The lowest input port of ``node_id`` with nothing connected."""
        used = {p for _, _, p in self._graph.in_edges(node_id, keys=True)}
        return next(p for p in itertools.count() if p not in used)

    def port_count(self, node_id: str) -> int:
        """Ports to show: fixed for most layers; connected + one free for merges."""
        layer = self.node(node_id).layer
        if not layer.variadic:
            return layer.max_inputs
        used = [p for _, _, p in self._graph.in_edges(node_id, keys=True)]
        return max(max(used, default=-1) + 2, layer.min_inputs)

    def topological_order(self) -> list[str]:
        """Topological order, ties broken by the order nodes were added (file order)."""
        if self._order is None:
            wiring = self.wiring()
            order = _in_flow_order(self._file_order(), wiring)  # the common case needs no graph
            self._order = _topological_by_seq(self.graph, wiring) if order is None else order
            self._index = {n: i for i, n in enumerate(self._order)}
        return self._order

    def seq_of(self, node_id: str) -> int:
        """The node's place in the order nodes were added (kept by ``add_node(seq=…)`` on undo)."""
        self.node(node_id)
        return self._graph.nodes[node_id]["seq"]

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph; iterating it gives the nodes in file order (the order of ``seq``)."""
        if self._out_of_order:
            self._reorder_by_seq()
        return self._graph

    def _reorder_by_seq(self) -> None:
        # Iteration order is file order (nodes(), saving, the topological tie-break's fast path),
        # so nodes restored with old seqs are moved back to their places by rebuilding the graph,
        # once, when the graph is next read (undoing a delete of n nodes restores n of them).
        old = self._graph
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(sorted(old.nodes(data=True), key=lambda nd: nd[1]["seq"]))
        graph.add_edges_from(old.edges(keys=True))
        self._g, self._out_of_order = graph, False

    def topological_index(self) -> dict[str, int]:
        """Position of each node in ``topological_order()``."""
        self.topological_order()
        return self._index

    def descendants(self, node_ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for n in node_ids:
            if n not in out:
                out |= nx.descendants(self._graph, n)
        return out

    def groups(self) -> dict[str, list[str]]:
        """Each group's layers in file order: the caller's own copy, worked out again only after
        layers were added, removed or regrouped (the inspector asks at every edit)."""
        groups = self._groups
        if groups is None:
            groups = {}
            for node in self.nodes():
                if node.group:
                    groups.setdefault(node.group, []).append(node.id)
            self._groups = groups
        return {name: list(members) for name, members in groups.items()}

    def unique_id(self, base: str) -> str:
        """A fresh id from ``base``, named as Keras names layers (``Conv2D`` -> ``conv2d``, ``conv2d_1``)."""
        stem = _ID_RE.sub("_", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", base)).strip("_").lower() or "node"
        if stem not in self._graph:
            return stem
        for i in itertools.count(1):
            if f"{stem}_{i}" not in self._graph:
                return f"{stem}_{i}"

    # edits -------------------------------------------------------------------------------
    def add_node(self, type_name: str, node_id: str | None = None, attrs: dict | None = None,
                 name: str | None = None, group: str | None = None, pos=None,
                 extra: dict | None = None, seq: int | None = None, trainable: bool = True,
                 weights_of: str | None = None, resolved: dict | None = None) -> str:
        """Add a node. ``seq`` puts a removed node back at its old place in the file order (undo).
        ``trainable=False`` freezes it (Keras's flag); ``weights_of`` names the node whose weights
        it shares, so that its params are counted there only. ``resolved``: ``attrs`` were already
        checked and resolved by the caller (the file reader), so they are not validated a second
        time and the analysis starts from that result."""
        layer = layers.get(type_name)
        node_id = self.unique_id(type_name) if node_id is None else node_id
        if not isinstance(node_id, str) or not node_id:
            raise DesignError(f"a node id must be a non-empty string, got {node_id!r}")
        if not is_unicode(node_id):
            raise DesignError(f"a node id must be Unicode text; {node_id!r} holds a lone surrogate")
        if node_id in self._graph:
            raise DesignError(f"a node with id {node_id!r} already exists")
        given = dict(attrs or {})
        if resolved is None:
            for key, value in given.items():
                check_attr(layer, key, value)
            given = {**layer.initial_attrs(), **given}
        else:  # every required attribute is there: only put them first, as initial_attrs would
            given = {**{k: given[k] for k in layer.required_names}, **given}
        if not isinstance(trainable, bool):
            raise DesignError(f"trainable must be true or false, got {trainable!r}")
        node = Node(node_id, type_name, given, _text(name, "name"), _text(group, "group"), _pos(pos),
                    dict(extra or {}), trainable, _text(weights_of, "weights_of"), resolved)
        if seq is None:
            seq = next(self._seq)
        self._graph.add_node(node_id, node=node, seq=seq)
        self._nodes[node_id] = node
        if seq < self._last_seq:
            self._out_of_order = True
        self._last_seq = max(self._last_seq, seq)
        self._structure_changed()
        self._emit(NodeAdded(node_id))
        return node_id

    def add_checked(self, nodes: Iterable[tuple], edges: Iterable[tuple[str, str, int]],
                    seqs: Mapping[str, int] | None = None) -> None:
        """Add nodes and wires that the file reader has already checked in full, in bulk.

        ``nodes``: ``(type, id, attrs, name, group, pos, extra, trainable, weights_of, resolved)``
        each, with ids new and unique, texts valid Unicode (None for none), ``pos`` None or two
        numbers, ``attrs`` a dict of the caller's own (kept, not copied) with the required ones
        first and ``resolved`` its result of ``layer.resolve`` (or None when that failed on a
        cross-attribute fault the analysis reports); ``edges``: ``(source, target, port)`` with
        every rule of ``check_connect`` met, cycles included. The same design and events as
        ``add_node`` and ``connect`` one by one, without their per-call checks (a third of
        reading a file went to them). ``seqs``: each node's old place in the file order (undo of a
        delete puts nodes and wires back in one call, as ``add_node(seq=…)`` would one by one)."""
        by_id, wires = self._nodes, list(edges)
        # an empty design keeps its wires aside (see _graph); old seqs need the graph's node data
        lazy = seqs is None and (self._g is None or not by_id)
        if lazy and self._g is not None:
            first = next(self._seq)  # while unbuilt, nothing else takes a seq: the nodes' are consecutive
            self._seq = itertools.count(first)
            self._g, self._unbuilt = None, (first, [])
        graph = None if lazy else self._graph
        if not by_id:  # nothing to keep in order with (undo of Select All + Delete): no reorder after
            self._last_seq = -1
        if graph is None:  # the common case (a file read into a new design), in one tight loop
            nodes = nodes if type(nodes) is list else list(nodes)
            for type_name, node_id, attrs, name, group, pos, extra, trainable, weights_of, resolved in nodes:
                by_id[node_id] = Node(node_id, type_name, attrs, name, group,
                                      None if pos is None else (float(pos[0]), float(pos[1])),
                                      extra, trainable, weights_of, resolved)
            if nodes:  # their seqs follow on, one each, as next(self._seq) would give them
                seq = next(self._seq) + len(nodes) - 1
                self._seq = itertools.count(seq + 1)
                self._last_seq = max(self._last_seq, seq)
            self._unbuilt[1].extend(wires)
            self._structure_changed()
            if self._observers or self._batch_depth:
                for n in nodes:
                    self._emit(NodeAdded(n[1]))
                for s, t, p in wires:
                    self._emit(EdgeAdded(s, t, p))
            return
        added = []
        if seqs is not None:  # into the graph by seq: no reorder when they follow what is there
            nodes = list(nodes)
            events = [n[1] for n in nodes]
            nodes.sort(key=lambda n: seqs[n[1]])
        for type_name, node_id, attrs, name, group, pos, extra, trainable, weights_of, resolved in nodes:
            if pos is not None:
                pos = (float(pos[0]), float(pos[1]))
            node = by_id[node_id] = Node(node_id, type_name, attrs, name, group, pos, extra, trainable,
                                         weights_of, resolved)
            seq = next(self._seq) if seqs is None else seqs[node_id]
            graph.add_node(node_id, node=node, seq=seq)
            if seq < self._last_seq:
                self._out_of_order = True
            self._last_seq = max(self._last_seq, seq)
            added.append(node_id)
        for s, t, p in wires:
            graph.add_edge(s, t, key=p)
        self._structure_changed()
        self._bulk = len(wires) >= BULK_WIRES
        if seqs is not None:
            added = events  # announced in the caller's order, as one add_node after another
        if self._observers or self._batch_depth:
            for node_id in added:
                self._emit(NodeAdded(node_id))
            for s, t, p in wires:
                self._emit(EdgeAdded(s, t, p))

    def remove_node(self, node_id: str) -> None:
        """Remove a node and, first, every edge that touches it (each its own event)."""
        self.node(node_id)
        for e in self.inputs(node_id) + self.outputs(node_id):
            self.disconnect(e.source, e.target, e.port)
        self._graph.remove_node(node_id)
        del self._nodes[node_id]
        self._structure_changed()
        self._emit(NodeRemoved(node_id))

    def check_connect(self, source: str, target: str, port: int | None = None) -> int:
        """The port the connection would use; raises ``DesignError`` saying why it cannot be made."""
        src, tgt = self.node(source), self.node(target)
        if source == target:
            raise CycleError(f"cannot connect {src.label} to itself")
        layer = tgt.layer
        if layer.max_inputs == 0:
            raise DesignError(f"{tgt.label} is an {tgt.type} and takes no inputs")
        port = self.free_port(target) if port is None else port
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= MAX_PORT:
            raise DesignError(f"port must be an integer from 0 to {MAX_PORT}, got {port!r}")
        if layer.max_inputs is not None and port >= layer.max_inputs:
            taken = self.source_at(target, 0)
            if taken is not None and port == layer.max_inputs:
                raise DesignError(f"the input of {tgt.label} is already connected to {self.node(taken).label}")
            raise DesignError(f"{tgt.label} ({tgt.type}) has {layer.max_inputs} input(s); port {port} does not exist")
        taken = self.source_at(target, port)
        if taken is not None:
            raise DesignError(f"input {port} of {tgt.label} is already connected to {self.node(taken).label}")
        if nx.has_path(self._graph, target, source):
            raise CycleError(f"connecting {src.label} → {tgt.label} would close a cycle "
                             f"({tgt.label} already leads to {src.label})")
        return port

    def connect(self, source: str, target: str, port: int | None = None, checked: bool = False) -> int:
        """Wire ``source`` into ``port`` of ``target`` (the lowest free one when None). ``checked``:
        the caller has already checked every rule of ``check_connect`` (the file reader checks
        all the wires, cycles included, at once), so the per-wire cycle search is skipped."""
        if not (checked and port is not None and source in self._graph and target in self._graph):
            port = self.check_connect(source, target, port)
        self._graph.add_edge(source, target, key=port)
        self._structure_changed()
        self._emit(EdgeAdded(source, target, port))
        return port

    def disconnect(self, source: str, target: str, port: int) -> None:
        if not self._graph.has_edge(source, target, key=port):
            raise DesignError(f"there is no connection {source} → {target} at port {port}")
        self._graph.remove_edge(source, target, key=port)
        self._structure_changed()
        self._emit(EdgeRemoved(source, target, port))

    def set_attr(self, node_id: str, key: str, value) -> None:
        """Set one attribute; ``value`` is validated first (``AttrError`` names the fault)."""
        node = self.node(node_id)
        check_attr(node.layer, key, value)
        self.set_attrs(node_id, {**node.attrs, key: value})

    def set_attrs(self, node_id: str, attrs: dict) -> None:
        """Replace the explicit attributes (undo uses this to put back the old ones)."""
        node = self.node(node_id)
        node.attrs = dict(attrs)
        node.forget_resolved()
        self._emit(AttrsChanged(node_id))

    def rename(self, node_id: str, name: str | None) -> None:
        node = self.node(node_id)
        node.name = _text(name, "name")
        self._emit(Renamed(node_id))

    def set_group(self, node_id: str, group: str | None) -> None:
        node = self.node(node_id)
        old, node.group = node.group, _text(group, "group")
        self._groups = None
        self._emit(GroupChanged(node_id, old))

    def move(self, node_id: str, pos) -> None:
        self.node(node_id).pos = _pos(pos)
        self._emit(Moved(node_id))

    def set_name(self, name: str) -> None:
        self.name = name
        self._emit(DesignRenamed())

    def set_collapsed(self, groups: Iterable[str]) -> None:
        """Draw ``groups`` (names, or "/" prefixes of names) collapsed; view state, no analysis."""
        new = frozenset(groups)
        if new != self.collapsed:
            changed = tuple(sorted(new ^ self.collapsed))
            self.collapsed = new
            self._emit(CollapsedChanged(changed))


def _topological_by_seq(graph: nx.MultiDiGraph, sources: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Kahn's algorithm taking the earliest-added ready node first: the same order as
    ``nx.lexicographical_topological_sort(graph, key=seq)``, in a fifth of the time.
    ``sources`` is every node's inputs (``Design.wiring()``).
    Raises ``nx.NetworkXUnfeasible`` on a cycle, as networkx does."""
    order = _in_flow_order(graph, sources)
    if order is not None:
        return order
    succ = graph.succ
    seq = {n: d["seq"] for n, d in graph.nodes(data=True)}
    waiting = {n: len(set(sources[n])) for n in graph}
    ready = [(seq[n], n) for n, k in waiting.items() if k == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, n = heapq.heappop(ready)
        order.append(n)
        for m in succ[n]:
            waiting[m] -= 1
            if waiting[m] == 0:
                heapq.heappush(ready, (seq[m], m))
    if len(order) != len(waiting):
        raise nx.NetworkXUnfeasible("the design contains a cycle")
    return order


def _in_flow_order(node_ids, sources: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    """The nodes in file order if every node comes after its inputs (designs are usually built,
    and files written, in dependency order): then that is the topological order by seq, since
    the earliest-added ready node is always the next one. None otherwise."""
    seen: set = set()
    for n in node_ids:
        if not seen.issuperset(sources[n]):  # issuperset walks a tuple in C
            return None
        seen.add(n)
    return list(node_ids)


def check_attr(layer: layers.LayerType, key: str, value) -> None:
    """Raise ``AttrError`` (starting with the attribute's name) unless ``layer`` takes ``key = value``."""
    attr = layer.attr_index.get(key)
    if attr is None:
        known = ", ".join(layer.attr_index) or "none"
        raise AttrError(f"{key}: unknown attribute for {layer.name} (known: {known})")
    try:
        attr.validate(value)
    except AttrError as err:
        raise AttrError(f"{key}: {err}") from None


def _text(value, what: str) -> str | None:
    """A name or group: a string, or None (an empty string means none). The loader refuses
    anything else too, so a design that saves also loads."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DesignError(f"a node's {what} must be text, got {value!r}")
    if not is_unicode(value):
        raise DesignError(f"a node's {what} must be Unicode text; {value!r} holds a lone surrogate")
    return value


def is_unicode(text: str) -> bool:
    """True unless ``text`` holds a lone UTF-16 surrogate (``"\\ud800"``): Python keeps one in
    a ``str``, but no file or clipboard can carry it, so such a name could be read, never saved."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _pos(pos):
    if pos is None:
        return None
    x, y = pos
    return (float(x), float(y))
