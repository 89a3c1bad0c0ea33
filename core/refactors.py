"""Refactors: edits that change a design's structure the way the seeds argue for, each described
as a ``Rewrite`` before anything is changed, so that its cost can be previewed and the edit made
(and undone) as one step.

- ``separable``: a Conv2D becomes a DepthwiseConv2D (same window, no bias) and a 1×1 Conv2D (the
  filters, activation and bias) — seed 003's 6×6×3 → 5 example goes from 2,160 to 432 + 240 MACs;
- ``bottleneck``: a 1×1 Conv2D of ``filters`` channels before a convolution (seed 003: 120.4M →
  2.4M + 10.0M MACs);
- ``scale_width``: the selected layers' ``filters`` / ``units`` times α;
- ``replace_type``: a layer becomes another type, keeping its id, name, group, place and wiring,
  and every attribute both types have (when the new type accepts its value);
- ``group_chain`` / ``ungroup``: a Conv2D → BatchNormalization → activation chain becomes one block
  (a group), and back.

A refused refactor raises ``RefactorError`` saying why, naming the layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import layers
from .analysis import analyze
from .design import Design, Edge
from .errors import ArchCanvasError, AttrError
from .fileformat import dumps, loads

CONVOLUTIONS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose")
ACTIVATION_TYPES = ("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax")


class RefactorError(ArchCanvasError):
    """A refactor that does not apply to the chosen layers."""


@dataclass(frozen=True)
class NewNode:
    id: str
    type: str
    attrs: dict
    name: str | None = None
    group: str | None = None
    pos: tuple[float, float] | None = None


@dataclass
class Rewrite:
    """What a refactor does, in the order it is done: take out the ``unwire`` wires (source,
    target, port), remove ``remove`` (with their wires), add ``add``, make ``wires``, then set
    ``attrs`` and ``groups``."""
    text: str
    unwire: list[tuple[str, str, int]] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    add: list[NewNode] = field(default_factory=list)
    wires: list[tuple[str, str, int]] = field(default_factory=list)
    attrs: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, str | None] = field(default_factory=dict)
    focus: list[str] = field(default_factory=list)  # the layers to select afterwards


def apply(design: Design, rw: Rewrite) -> None:
    """Make the rewrite on ``design`` (the GUI makes the same steps as undoable commands)."""
    for s, t, p in rw.unwire:
        design.disconnect(s, t, p)
    for node_id in rw.remove:
        for e in design.inputs(node_id) + design.outputs(node_id):
            design.disconnect(e.source, e.target, e.port)
        design.remove_node(node_id)
    for n in rw.add:
        design.add_node(n.type, n.id, attrs=n.attrs, name=n.name, group=n.group, pos=n.pos)
    for s, t, p in rw.wires:
        design.connect(s, t, p)
    for node_id, attrs in rw.attrs.items():
        design.set_attrs(node_id, {**design.node(node_id).attrs, **attrs})
    for node_id, group in rw.groups.items():
        design.set_group(node_id, group)


def copy(design: Design) -> Design:
    return loads(dumps(design), "design")


def preview(design: Design, rw: Rewrite) -> dict:
    """The totals before and after, and their difference (after − before); the design is unchanged."""
    after = copy(design)
    apply(after, rw)
    a, b = analyze(design), analyze(after)
    before, now = a.totals.as_dict(), b.totals.as_dict()
    return {"before": before, "after": now, "delta": {k: now[k] - before[k] for k in before},
            "ok": b.ok, "problems": [f"{r.id}: {r.message}" for r in b.problems]}


# helpers ----------------------------------------------------------------------------------------
def _node(design: Design, node_id: str, types=None):
    if node_id not in design:
        raise RefactorError(f"no layer {node_id!r} in the design")
    node = design.node(node_id)
    if types and node.type not in types:
        raise RefactorError(f"{node.label}: is a {node.type}; this refactor needs a {' or '.join(types)}")
    return node


def _fresh(design: Design, base: str, taken: set[str]) -> str:
    base = re.sub(r"\W", "_", base) or "layer"
    if base not in design and base not in taken:
        taken.add(base)
        return base
    i = 1
    while f"{base}_{i}" in design or f"{base}_{i}" in taken:
        i += 1
    taken.add(f"{base}_{i}")
    return f"{base}_{i}"


def _outgoing(design: Design, node_id: str) -> list[Edge]:
    return list(design.outputs(node_id))


def _single_input(design: Design, node) -> Edge:
    ins = design.inputs(node.id)
    if len(ins) != 1:
        raise RefactorError(f"{node.label}: needs exactly one input wire, has {len(ins)}")
    return ins[0]


def _shift(pos, dx=0.0, dy=0.0):
    return None if pos is None else (pos[0] + dx, pos[1] + dy)


# the refactors ------------------------------------------------------------------------------------
def separable(design: Design, node_id: str) -> Rewrite:
    conv = _node(design, node_id, ("Conv2D",))
    a = conv.resolved()
    if a["groups"] != 1:
        raise RefactorError(f"{conv.label}: a grouped convolution (groups {a['groups']}) has no separable form here")
    taken: set[str] = set()
    dw_id, pw_id = _fresh(design, f"{conv.id}_dw", taken), _fresh(design, f"{conv.id}_pw", taken)
    src = _single_input(design, conv)
    dw_attrs = {"kernel_size": list(a["kernel_size"]), "strides": list(a["strides"]), "padding": a["padding"],
                "dilation_rate": list(a["dilation_rate"]), "use_bias": False}
    pw_attrs = {"filters": a["filters"], "kernel_size": 1, "activation": a["activation"], "use_bias": a["use_bias"]}
    name = conv.name
    rw = Rewrite(f"Make {conv.label} depthwise separable", remove=[conv.id], focus=[dw_id, pw_id])
    rw.add = [NewNode(dw_id, "DepthwiseConv2D", dw_attrs, f"{name}_dw" if name else None, conv.group, conv.pos),
              NewNode(pw_id, "Conv2D", pw_attrs, f"{name}_pw" if name else None, conv.group, _shift(conv.pos, dy=90))]
    rw.wires = [(src.source, dw_id, src.port), (dw_id, pw_id, 0)]
    rw.wires += [(pw_id, e.target, e.port) for e in _outgoing(design, conv.id)]
    return rw


def bottleneck(design: Design, node_id: str, filters: int) -> Rewrite:
    conv = _node(design, node_id, CONVOLUTIONS)
    if not isinstance(filters, int) or isinstance(filters, bool) or filters < 1:
        raise RefactorError(f"bottleneck filters must be a positive integer, got {filters!r}")
    src = _single_input(design, conv)
    new_id = _fresh(design, f"{conv.id}_reduce", set())
    act = conv.resolved().get("activation") or "relu"
    rw = Rewrite(f"Insert a 1×1 bottleneck of {filters} before {conv.label}", focus=[new_id])
    rw.add = [NewNode(new_id, "Conv2D", {"filters": filters, "kernel_size": 1, "activation": act}, None, conv.group,
                      _shift(conv.pos, dy=-90))]
    rw.unwire = [(src.source, conv.id, src.port)]
    rw.wires = [(src.source, new_id, 0), (new_id, conv.id, src.port)]
    return rw


def scale_width(design: Design, node_ids: list[str], alpha: float) -> Rewrite:
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not 0 < alpha <= 100:
        raise RefactorError(f"width multiplier must be a number above 0, got {alpha!r}")
    rw = Rewrite(f"Scale the width of {len(node_ids)} layers by {alpha:g}", focus=list(node_ids))
    for node_id in node_ids:
        node = _node(design, node_id)
        key = node.layer.width_attr
        if key is None:
            continue
        rw.attrs[node_id] = {key: max(1, round(node.resolved()[key] * alpha))}
    if not rw.attrs:
        raise RefactorError("none of the selected layers chooses its channel count (filters or units)")
    return rw


def carried_attrs(node, new_type: str) -> dict:
    """The attributes of ``node`` that ``new_type`` has and accepts, as written."""
    layer = layers.get(new_type)
    out = {}
    for key, value in node.attrs.items():
        attr = layer.attr_index.get(key)
        if attr is None:
            continue
        try:
            attr.validate(value)
        except AttrError:
            continue
        out[key] = value
    return out


def replace_type(design: Design, node_id: str, new_type: str) -> Rewrite:
    node = _node(design, node_id)
    try:
        layer = layers.get(new_type)
    except ArchCanvasError:
        raise RefactorError(f"unknown layer type {new_type!r}") from None
    ins = design.inputs(node_id)
    if new_type == "Input" and ins:
        raise RefactorError(f"{node.label}: an Input takes no input wire, and this layer has {len(ins)}")
    if layer.max_inputs is not None and len(ins) > layer.max_inputs:
        raise RefactorError(f"{node.label}: a {new_type} takes at most {layer.max_inputs} input(s), "
                            f"and this layer has {len(ins)} wires")
    attrs = carried_attrs(node, new_type)
    try:
        layer.resolve({**layer.initial_attrs(), **attrs})
    except AttrError:
        attrs = {}
    rw = Rewrite(f"Replace {node.label} ({node.type}) with a {new_type}", remove=[node_id], focus=[node_id])
    rw.add = [NewNode(node_id, new_type, attrs, node.name, node.group, node.pos)]
    rw.wires = [(e.source, node_id, e.port) for e in ins] + [(node_id, e.target, e.port) for e in _outgoing(design, node_id)]
    return rw


def chain_from(design: Design, node_id: str) -> list[str]:
    """Conv2D → BatchNormalization → activation, each feeding only the next: the ids, or an error."""
    conv = _node(design, node_id, CONVOLUTIONS)
    chain = [conv.id]
    for want in (("BatchNormalization",), ACTIVATION_TYPES):
        outs = design.outputs(chain[-1])
        if len(outs) != 1 or design.node(outs[0].target).type not in want:
            raise RefactorError(f"{design.node(chain[-1]).label}: is not followed by a single {' or '.join(want)}")
        chain.append(outs[0].target)
    return chain


def group_chain(design: Design, node_id: str) -> Rewrite:
    chain = chain_from(design, node_id)
    existing = set(design.groups())
    base = re.sub(r"\W", "_", design.node(chain[0]).label) + "_block"
    group, i = base, 1
    while group in existing:
        group, i = f"{base}_{i}", i + 1
    return Rewrite(f"Make {design.node(chain[0]).label} a conv-bn-act block", groups={n: group for n in chain},
                   focus=chain)


def ungroup(design: Design, group: str) -> Rewrite:
    members = design.groups().get(group)
    if not members:
        raise RefactorError(f"no block {group!r} in the design")
    return Rewrite(f"Ungroup {group}", groups={n: None for n in members}, focus=list(members))


def insert_on_wire(design: Design, wire: tuple[str, str, int], new_type: str) -> Rewrite:
    """A new layer of ``new_type`` (its initial attributes) on the wire source → target."""
    source, target, port = wire
    if not any((e.source, e.target, e.port) == (source, target, port) for e in design.inputs(target)):
        raise RefactorError(f"no wire from {source!r} to {target!r} (input {port})")
    try:
        layer = layers.get(new_type)
    except ArchCanvasError:
        raise RefactorError(f"unknown layer type {new_type!r}") from None
    if new_type == "Input" or layer.min_inputs > 1:
        raise RefactorError(f"a {new_type} cannot sit on a single wire")
    new_id = _fresh(design, new_type.lower(), set())
    a, b = design.node(source).pos, design.node(target).pos
    pos = None if a is None or b is None else ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    rw = Rewrite(f"Insert a {new_type} between {design.node(source).label} and {design.node(target).label}",
                 unwire=[wire], focus=[new_id])
    rw.add = [NewNode(new_id, new_type, {}, None, design.node(target).group, pos)]
    rw.wires = [(source, new_id, 0), (new_id, target, port)]
    return rw
