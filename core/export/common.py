"""What every exporter reads: a design that analyses cleanly, in topological order, with a
Python identifier per node and every node's input and output shapes.

A design with errors is refused with the lines ``archcanvas report`` prints, and a layer an
exporter cannot write faithfully is refused by its name, so a file is never written half right.
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass

from ..analysis import Analysis, analyze
from ..design import Design
from ..errors import ArchCanvasError
from ..report import node_ref, problem_lines

# Names the generated files use for themselves (LayerScale: the Keras file's own class); a node
# called ``torch`` gets ``torch_``.
RESERVED = {"self", "torch", "nn", "keras", "layers", "model", "build_model", "inputs", "outputs",
            "Model", "LayerScale"} | set(dir(builtins))  # never shadow a builtin such as max or input


class ExportError(ArchCanvasError):
    """An export refused: ``lines`` are the ``error:`` lines, each naming its node."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__("; ".join(self.lines))


@dataclass(frozen=True)
class Plan:
    design: Design
    analysis: Analysis
    order: list[str]           # node ids in topological order
    ident: dict[str, str]      # node id -> a unique Python identifier, from its name
    inputs: dict[str, list[str]]  # node id -> its sources, in port order
    outputs: list[str]          # the nodes nothing reads: the model's outputs, in order
    layer_name: dict[str, str]  # node id -> its Keras layer name: its name, or its id when not unique

    def shape(self, node_id: str) -> tuple[int, ...]:
        return self.analysis[node_id].shape

    def in_shapes(self, node_id: str) -> list[tuple[int, ...]]:
        return [self.shape(s) for s in self.inputs[node_id]]

    def ref(self, node_id: str) -> str:
        """The node as an error line names it."""
        return node_ref(self.design, node_id)


def identifier(text: str) -> str:
    """``text`` as a Python identifier: other characters become ``_``, a leading digit gets ``n``."""
    name = re.sub(r"\W", "_", text, flags=re.ASCII).strip("_") or "layer"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name) or name in RESERVED:
        name += "_"
    return name


def make_plan(design: Design) -> Plan:
    analysis = analyze(design)
    if not analysis.ok:
        raise ExportError(problem_lines(design, analysis))
    order = design.topological_order()
    ident, taken = {}, set()
    for nid in order:
        base = identifier(design.node(nid).label)
        name, i = base, 2
        while name in taken:
            name, i = f"{base}_{i}", i + 1
        taken.add(name)
        ident[nid] = name
    inputs = {nid: design.input_ids(nid) for nid in order}
    outputs = [nid for nid in order if not design.outputs(nid)]
    labels = [design.node(n).label for n in order]
    layer_name = {n: (label if labels.count(label) == 1 and "/" not in label
                      and label not in set(order) - {n} else n) for n, label in zip(order, labels)}
    return Plan(design, analysis, order, ident, inputs, outputs, layer_name)


def frozen(node) -> bool:
    """Keras's ``trainable=False`` on the node (a field of designs that have it)."""
    return getattr(node, "trainable", True) is False


def owner_of(node) -> str | None:
    """The node whose weights this one reuses (a shared layer called twice), if any."""
    return getattr(node, "weights_of", None)


class Refused(Exception):
    """Raised by an emitter: this node has no faithful counterpart; the message says why."""


def emit_all(plan: Plan, table: dict, target: str) -> dict:
    """Run ``table[type](plan, node_id)`` for every node; collect every refusal, then raise once."""
    out, lines = {}, []
    for nid in plan.order:
        node = plan.design.node(nid)
        entry = table.get(node.type)
        if entry is None:
            lines.append(f"{plan.ref(nid)}: {node.type} cannot be exported to {target} yet")
            continue
        try:
            out[nid] = entry(plan, nid)
        except Refused as why:
            lines.append(f"{plan.ref(nid)}: {node.type} {why} has no faithful {target} counterpart")
    if lines:
        raise ExportError(lines)
    return out


def shape_text(shape) -> str:
    return "x".join(str(d) for d in shape)


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """Keras's (TensorFlow's) 'same' padding of one axis: the odd pixel goes after (bottom/right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def window_pads(in_shape, a: dict, kernel_key: str, strides) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, bottom), (left, right)) for a window layer on an [H, W, C] input."""
    if a["padding"] != "same":
        return (0, 0), (0, 0)
    k, d = a[kernel_key], a.get("dilation_rate", (1, 1))
    return (same_pads(in_shape[0], k[0], strides[0], d[0]), same_pads(in_shape[1], k[1], strides[1], d[1]))
