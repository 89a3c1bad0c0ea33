"""Reshaping: Flatten, Reshape, ZeroPadding2D."""

from __future__ import annotations

from math import prod

from ..errors import ShapeError
from ..shapes import fmt_shape, require_rank
from .spec import Attr, LayerType


def _reshape(ins, a):
    n = prod(ins[0])
    target = list(a["target_shape"])
    if -1 in target:
        known = -prod(target)
        if n % known:
            raise ShapeError(f"cannot reshape {fmt_shape(ins[0])} ({n} elements) into {target}")
        target[target.index(-1)] = n // known
    elif prod(target) != n:
        raise ShapeError(f"cannot reshape {fmt_shape(ins[0])} ({n} elements) into "
                         f"{fmt_shape(target)} ({prod(target)} elements)")
    return tuple(target)


def _zero_pad(ins, a):
    (x,) = ins
    require_rank(x, 3)
    (t, b), (l, r) = a["padding"]
    return (x[0] + t + b, x[1] + l + r, x[2])


def _pad_summary(a) -> str:
    (t, b), (l, r) = a["padding"]
    return f"{t},{b} / {l},{r}" if (t, l) != (b, r) else f"{t}×{l}"


FLATTEN = LayerType(
    name="Flatten", category="Reshaping", doc="Turns any tensor into a vector.",
    attrs=(), shape=lambda ins, a: (prod(ins[0]),),
    memory="in_place",
)
RESHAPE = LayerType(
    name="Reshape", category="Reshaping", doc="Gives the tensor a new shape with the same number of elements.",
    attrs=(Attr("target_shape", "shape", doc="new shape without the batch axis; one entry may be -1",
                allow_unknown=True, initial=[-1]),),
    shape=_reshape,
    summary=lambda a: fmt_shape(a["target_shape"]),
    memory="in_place",
)
ZERO_PAD = LayerType(
    name="ZeroPadding2D", category="Reshaping", doc="Adds rows and columns of zeros around a feature map.",
    attrs=(Attr("padding", "padding2d", 1, "int, [rows, cols] or [[top, bottom], [left, right]]"),),
    shape=_zero_pad,
    summary=_pad_summary,
    memory="pad",
)

LAYERS = (FLATTEN, RESHAPE, ZERO_PAD)
