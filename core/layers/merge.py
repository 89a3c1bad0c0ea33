"""Merges of several inputs: Concatenate, Add, Subtract, Multiply, Maximum, Minimum, Average.
Input order is the port order (Subtract: input 0 minus input 1)."""

from __future__ import annotations

from math import prod

from ..errors import ShapeError
from ..shapes import fmt_shape
from .spec import Attr, Cost, LayerType

AXIS = Attr("axis", "int", -1, "Keras counts the batch axis: -1 (or 3 on a feature map) is channels")


def keras_axis(axis: int, rank: int) -> int:
    """Index into a batch-less shape of ``rank`` for a Keras ``axis`` (which counts the batch)."""
    full = rank + 1
    if not -full <= axis < full:
        raise ShapeError(f"axis {axis} is out of range for inputs of rank {rank} (+ batch)")
    index = axis % full
    if index == 0:
        raise ShapeError(f"axis {axis} is the batch axis; use -1 (or {rank}) for channels")
    return index - 1


def _concat_shape(ins, a):
    rank = len(ins[0])
    if any(len(s) != rank for s in ins):
        raise ShapeError("inputs differ in rank: " + ", ".join(fmt_shape(s) for s in ins))
    ax = keras_axis(a["axis"], rank)
    for i, s in enumerate(ins[1:], 1):
        if s[:ax] + s[ax + 1:] != ins[0][:ax] + ins[0][ax + 1:]:
            raise ShapeError(
                f"input {i} is {fmt_shape(s)} but input 0 is {fmt_shape(ins[0])}; "
                f"all dimensions except axis {a['axis']} must match"
            )
    return (*ins[0][:ax], sum(s[ax] for s in ins), *ins[0][ax + 1:])


CONCATENATE = LayerType(
    name="Concatenate",
    category="Merge",
    doc="Joins its inputs along `axis`, in port order.",
    attrs=(AXIS,),
    shape=_concat_shape,
    summary=lambda a: "" if a["axis"] == -1 else f"axis {a['axis']}",
    min_inputs=2,
    max_inputs=None,
)


def _broadcast_shape(ins, a):
    """Keras's elementwise merge: equal rank, and each dimension equal or 1."""
    rank = len(ins[0])
    if any(len(s) != rank for s in ins):
        raise ShapeError("inputs differ in rank: " + ", ".join(fmt_shape(s) for s in ins))
    out = []
    for dims in zip(*ins):
        sizes = {d for d in dims if d != 1}
        if len(sizes) > 1:
            raise ShapeError("input shapes do not match: " + ", ".join(fmt_shape(s) for s in ins))
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def _elementwise_cost(ins, out, a):
    return Cost(extra_flops=(len(ins) - 1) * prod(out))


ADD = LayerType(
    name="Add", category="Merge", doc="Elementwise sum of its inputs (a residual connection).",
    attrs=(), shape=_broadcast_shape, cost=_elementwise_cost, min_inputs=2, max_inputs=None,
)
MULTIPLY = LayerType(
    name="Multiply", category="Merge", doc="Elementwise product of its inputs (e.g. squeeze-and-excite).",
    attrs=(), shape=_broadcast_shape, cost=_elementwise_cost, min_inputs=2, max_inputs=None,
)

SUBTRACT = LayerType(
    name="Subtract", category="Merge", doc="Input 0 minus input 1, elementwise.",
    attrs=(), shape=_broadcast_shape, cost=_elementwise_cost, min_inputs=2, max_inputs=2,
)
MAXIMUM = LayerType(
    name="Maximum", category="Merge", doc="Elementwise maximum of its inputs.",
    attrs=(), shape=_broadcast_shape, cost=_elementwise_cost, min_inputs=2, max_inputs=None,
)
MINIMUM = LayerType(
    name="Minimum", category="Merge", doc="Elementwise minimum of its inputs.",
    attrs=(), shape=_broadcast_shape, cost=_elementwise_cost, min_inputs=2, max_inputs=None,
)
AVERAGE = LayerType(
    name="Average", category="Merge", doc="Elementwise mean of its inputs.",
    attrs=(), shape=_broadcast_shape, min_inputs=2, max_inputs=None,
    cost=lambda ins, out, a: Cost(extra_flops=len(ins) * prod(out)),  # n − 1 adds and a multiply by 1/n
)

LAYERS = (CONCATENATE, ADD, MULTIPLY, SUBTRACT, MAXIMUM, MINIMUM, AVERAGE)
