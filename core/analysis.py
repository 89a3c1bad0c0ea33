"""Shape inference and costs for every node, in topological order, full or incremental.

``analyze(design)`` computes everything once. ``Analyzer(design)`` follows the design's edits and
recomputes only the edited nodes and their descendants. Neither ever raises for a bad design: a
node that cannot be computed carries an ``error``; the nodes below it are ``blocked``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, fields
from math import prod
from operator import itemgetter

import networkx as nx

from . import layers
from .design import Design, Node
from .errors import ArchCanvasError
from .gcpause import gc_paused
from .events import STRUCTURAL, AttrsChanged, Batch, EdgeAdded, EdgeRemoved, GroupChanged, NodeAdded, NodeRemoved
from .layers.spec import NO_COST, Cost, Record, record_fields
from .shapes import fmt_shape

OK, ERROR, BLOCKED = "ok", "error", "blocked"
_REGISTRY = layers.REGISTRY
_new = tuple.__new__


class NodeResult(Record):
    """One node's outcome: ``NodeResult(id, type, group, shape=None, cost=Cost(), error=None,
    blocked_by=None)``. ``blocked_by`` is the input whose failure keeps this node from being
    computed. A ``Record`` (an immutable tuple) because every analysis builds one per node."""

    __slots__ = ()
    _fields = ("id", "type", "group", "shape", "cost", "error", "blocked_by")
    id, type, group, shape, cost, error, blocked_by = record_fields(*_fields)

    def __new__(cls, id: str, type: str, group: str | None, shape: tuple[int, ...] | None = None,
                cost: Cost = NO_COST, error: str | None = None, blocked_by: str | None = None):
        return _new(cls, (id, type, group, shape, cost, error, blocked_by))

    @property
    def status(self) -> str:
        return ERROR if self.error else BLOCKED if self.blocked_by else OK

    @property
    def ok(self) -> bool:
        return self.shape is not None

    @property
    def message(self) -> str:
        if self.error:
            return self.error
        if self.blocked_by:
            return f"not computed: input {self.blocked_by!r} could not be computed"
        return ""

    params = property(lambda self: self.cost.params)
    trainable = property(lambda self: self.cost.trainable)
    non_trainable = property(lambda self: self.cost.non_trainable)
    macs = property(lambda self: self.cost.macs)
    flops = property(lambda self: 2 * self.cost.macs + self.cost.extra_flops)
    activations = property(lambda self: prod(self.shape) if self.shape else 0)


@dataclass(slots=True)
class Totals:
    params: int = 0
    trainable_params: int = 0
    non_trainable_params: int = 0
    macs: int = 0
    flops: int = 0
    activations: int = 0
    layers: int = 0

    def add(self, r: NodeResult, sign: int = 1) -> None:
        self._add(_figures(r, sign), sign)

    def _add(self, f: tuple, sign: int) -> None:
        trainable, non_trainable, macs, flops, activations = f
        self.params += trainable + non_trainable
        self.trainable_params += trainable
        self.non_trainable_params += non_trainable
        self.macs += macs
        self.flops += flops
        self.activations += activations
        self.layers += sign

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _figures(r: NodeResult, sign: int) -> tuple:
    # Each result is added to three Totals (all, group, type): work its figures out once.
    _, _, _, shape, (trainable, non_trainable, macs, extra_flops), _, _ = r
    return (sign * trainable, sign * non_trainable, sign * macs,
            sign * (2 * macs + extra_flops), sign * (prod(shape) if shape else 0))


_TOTALS_FIELDS = tuple(f.name for f in fields(Totals))
_cost_of, _shape_of = itemgetter(4), itemgetter(3)  # NodeResult.cost, .shape, for map()


def _set_sums(t: Totals, rs: list[NodeResult]) -> Totals:
    """Set ``t`` to the sums over ``rs`` a column at a time: zip, map and sum loop in C, and no
    per-node figures are built (FLOPs = 2 × MACs + extra FLOPs holds for the sums as well)."""
    trainable, non_trainable, macs, extra_flops = map(sum, zip(*map(_cost_of, rs))) if rs else (0,) * 4
    t.params, t.trainable_params, t.non_trainable_params = trainable + non_trainable, trainable, non_trainable
    t.macs, t.flops, t.layers = macs, 2 * macs + extra_flops, len(rs)
    t.activations = sum(map(prod, filter(None, map(_shape_of, rs))))  # a failed node has no shape
    return t


class Analysis:
    """Per-node results plus totals, by group and by layer type. Owned by its ``Analyzer``."""

    def __init__(self):
        self.results: dict[str, NodeResult] = {}
        self.order: list[str] = []
        self.totals = Totals()
        self.by_group: dict[str, Totals] = {}
        self.by_type: dict[str, Totals] = {}

    def __getitem__(self, node_id: str) -> NodeResult:
        return self.results[node_id]

    @property
    def problems(self) -> list[NodeResult]:
        """Nodes with an error of their own, in topological order."""
        return [self.results[n] for n in self.order if self.results[n].error]

    @property
    def blocked(self) -> list[NodeResult]:
        return [self.results[n] for n in self.order if self.results[n].blocked_by]

    @property
    def ok(self) -> bool:
        return not any(r.error or r.blocked_by for r in self.results.values())

    def _account(self, r: NodeResult, sign: int) -> None:
        f = _figures(r, sign)
        self.totals._add(f, sign)
        if r.group:
            t = self.by_group.get(r.group)
            if t is None:
                t = self.by_group[r.group] = Totals()
            t._add(f, sign)
        t = self.by_type.get(r.type)
        if t is None:
            t = self.by_type[r.type] = Totals()
        t._add(f, sign)

    def _put(self, r: NodeResult) -> None:
        old = self.results.get(r.id)
        if old is not None:
            self._account(old, -1)
        self.results[r.id] = r
        self._account(r, 1)

    def _replace_all(self, results: dict[str, NodeResult]) -> set[str]:
        """After a full pass: take ``results`` and recount every sum in one sweep per column,
        instead of three running updates per node. The objects the GUI holds stay the same, and
        so does each result equal to the one it replaces; returns the ids whose result changed."""
        old_results, changed = self.results, set(self.results.keys() - results.keys())
        for node_id, r in results.items():
            old = old_results.get(node_id)
            if old == r:
                results[node_id] = old
            else:
                changed.add(node_id)
        by_group, by_type = defaultdict(list), defaultdict(list)
        for r in results.values():
            _, type_name, group, _, _, _, _ = r
            if group:
                by_group[group].append(r)
            by_type[type_name].append(r)
        self.results.clear()
        self.results.update(results)
        for table, fresh in ((self.by_group, by_group), (self.by_type, by_type)):
            old = dict(table)
            table.clear()
            for key, rs in fresh.items():
                table[key] = _set_sums(old.get(key) or Totals(), rs)
        # every node has a type: the totals are the sums of the by-type rows (a few, not one per node)
        for name in _TOTALS_FIELDS:
            setattr(self.totals, name, sum([getattr(t, name) for t in self.by_type.values()]))
        return changed

    def _drop(self, node_id: str) -> None:
        old = self.results.pop(node_id, None)
        if old is not None:
            self._account(old, -1)

    def _tidy(self) -> None:
        for table in (self.by_group, self.by_type):
            for key in [k for k, t in table.items() if t.layers == 0]:
                del table[key]


def compute_node(node: Node, inputs: list[NodeResult]) -> NodeResult:
    """One node's result from its inputs' results (in port order). Never raises."""
    return _compute(node, [r.shape for r in inputs], [r.id for r in inputs])


def _compute(node: Node, ins: list, sources) -> NodeResult:
    """``compute_node`` given the input shapes (None where an input failed) and the input ids.

    Shapes rather than results: the full pass keeps a shape per node and hands them over
    without reading each input's result. The checks run in the order of their messages'
    priority: bad attributes, wrong number of inputs, a failed input, then the layer's rules."""
    nid, type_name, group = node.id, node.type, node.group
    try:
        layer = _REGISTRY.get(type_name) or layers.get(type_name)
        attrs = node.resolved()
        n = len(ins)
        if n < layer.min_inputs:
            need = "an input" if layer.min_inputs == 1 else f"at least {layer.min_inputs} inputs"
            return NodeResult(nid, type_name, group, error=f"needs {need}, has {n}")
        if layer.max_inputs is not None and n > layer.max_inputs:
            return NodeResult(nid, type_name, group, error=f"takes {layer.max_inputs or 'no'} input(s), has {n}")
        if None in ins:
            return NodeResult(nid, type_name, group, blocked_by=sources[ins.index(None)])
        shape = layer.shape(ins, attrs)
        if type(shape) is not tuple:
            shape = tuple(shape)
        if not shape or min(shape) < 1:
            return NodeResult(nid, type_name, group, error=f"output shape {fmt_shape(shape)} is empty")
        cost = layer.cost(ins, shape, attrs)
        if node.weights_of is not None or not node.trainable:
            cost = _frozen_or_shared(node, cost)
        # NodeResult(...) without its keyword-taking __new__: this line runs for every node
        return _new(NodeResult, (nid, type_name, group, shape, cost, None, None))
    except ArchCanvasError as err:
        return NodeResult(nid, type_name, group, error=str(err))
    except Exception as err:  # a rule's bug must not take the app down; say where it happened
        return NodeResult(nid, type_name, group,
                          error=f"internal error in {type_name}: {type(err).__name__}: {err}")


def _frozen_or_shared(node: Node, cost: Cost) -> Cost:
    """Keras's accounting: a layer called again reuses its weights (counted at the first call);
    a frozen layer's weights are all non-trainable."""
    if node.weights_of is not None:
        return Cost(0, 0, cost.macs, cost.extra_flops)
    return Cost(0, cost.params, cost.macs, cost.extra_flops)


class Analyzer:
    """Keeps an ``Analysis`` current with a design, recomputing only what an edit touched."""

    # Past this many nodes to recompute (or a quarter of the design, if more) one full pass is
    # quicker than following the edit node by node.
    full_pass_above = 64

    def __init__(self, design: Design, follow: bool = True):
        self.design = design
        self.analysis = Analysis()
        self._dirty: set[str] = set(design.node_ids())
        self._removed: set[str] = set()
        self._structure_changed = True
        self._changed_so_far: set[str] = set()
        if follow:
            design.subscribe(self._on_event)

    def close(self) -> None:
        self.design.unsubscribe(self._on_event)

    def _on_event(self, batch: Batch) -> None:
        for e in batch:
            if isinstance(e, (NodeAdded, AttrsChanged, GroupChanged)):
                self._dirty.add(e.id)
            elif isinstance(e, NodeRemoved):
                self._dirty.discard(e.id)
                self._removed.add(e.id)
            elif isinstance(e, (EdgeAdded, EdgeRemoved)):
                self._dirty.add(e.target)
            if isinstance(e, STRUCTURAL):
                self._structure_changed = True

    def mark_all(self) -> None:
        self._dirty = set(self.design.node_ids())
        self._structure_changed = True

    def refresh(self) -> set[str]:
        """Bring the analysis up to date; returns the ids whose results were recomputed or removed:
        every edited node and all its descendants (``update`` returns only what changed)."""
        with gc_paused():  # a result or two per node, none in a cycle (see core.gcpause)
            return self._bring_up_to_date(every_descendant=True)

    def update(self) -> set[str]:
        """Bring the analysis up to date, as ``refresh`` does, and return only the ids whose result
        changed, appeared or was removed: what a view must redraw. Below an edit the work stops at
        every node whose output shape stayed the same (a node's result depends only on its own
        attributes and its inputs' shapes), so one edit costs what it changes, not the size of
        everything below it: widening a conv near the input of a 20,000-layer design recomputes
        it and its consumers, not the 18,000 layers downstream."""
        with gc_paused():
            return self._bring_up_to_date(every_descendant=False)

    def _bring_up_to_date(self, every_descendant: bool) -> set[str]:
        design, a = self.design, self.analysis
        nodes = design.node_map()  # a mapping proxy: its keys() intersect in C, as a dict's
        dirty = self._dirty & nodes.keys() if self._dirty else set()
        removed = self._removed
        self._dirty, self._removed = set(), set()
        for node_id in removed:
            a._drop(node_id)
        if not dirty and not self._structure_changed:
            return removed
        try:
            order = design.topological_order()
        except nx.NetworkXUnfeasible:  # the design refuses cycles; a hand-built graph might not
            return removed | self._mark_cycle()
        if self._structure_changed:
            a.order = order
            self._structure_changed = False
        everything = len(dirty) == len(design)
        limit = max(len(design) // 4, self.full_pass_above)
        changed = None if everything else self._propagate(dirty, limit)
        if changed is None:  # everything, or so much of it that one full pass is quicker
            results: dict[str, NodeResult] = {}
            shapes: dict[str, tuple | None] = {}
            every_source = design.wiring()
            for node_id in order:
                srcs = every_source[node_id]
                r = results[node_id] = _compute(nodes[node_id], [shapes[s] for s in srcs], srcs)
                shapes[node_id] = r[3]  # r.shape
            changed = (set() if everything else self._changed_so_far) | a._replace_all(results)
        else:
            a._tidy()
        if every_descendant:
            return removed | (dirty if everything else dirty | design.descendants(dirty))
        return removed | changed

    def _propagate(self, dirty: set[str], limit: int) -> set[str] | None:
        """Recompute ``dirty`` and, in topological order, the consumers of every node whose shape
        changed; returns the ids whose result changed. None once more than ``limit`` nodes are
        due (a full pass is then quicker), or if a source has no result yet (whatever edits did)."""
        design, a = self.design, self.analysis
        nodes, results, index = design.node_map(), a.results, design.topological_index()
        successors = design.graph.succ
        heap = [(index[n], n) for n in dirty]
        heapq.heapify(heap)
        queued, changed = set(dirty), set()
        self._changed_so_far = changed  # what the full pass after a bail-out cannot see any more
        while heap:
            node_id = heapq.heappop(heap)[1]
            srcs = design.sources(node_id)
            try:
                ins = [results[s][3] for s in srcs]  # r.shape
            except KeyError:
                return None
            old = results.get(node_id)
            r = _compute(nodes[node_id], ins, srcs)
            if r == old:
                continue
            a._put(r)
            changed.add(node_id)
            if old is None or old[3] != r[3]:
                for m in successors[node_id]:
                    if m not in queued:
                        if len(queued) >= limit:
                            return None
                        queued.add(m)
                        heapq.heappush(heap, (index[m], m))
        return changed

    def result(self) -> Analysis:
        self.refresh()
        return self.analysis

    def _mark_cycle(self) -> set[str]:
        a, ids = self.analysis, set(self.design.node_ids())
        for node in self.design.nodes():
            a._put(NodeResult(node.id, node.type, node.group, error="part of a cycle"))
        a.order = list(ids)
        return ids


def analyze(design: Design) -> Analysis:
    """A one-off full analysis (does not follow later edits)."""
    return Analyzer(design, follow=False).result()
