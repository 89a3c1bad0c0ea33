"""Pooling: MaxPooling2D, AveragePooling2D and their global forms."""

from __future__ import annotations

from math import prod

from ..shapes import conv2d_output_hw, require_rank
from .spec import Attr, Cost, LayerType, kernel_text

POOL_ATTRS = (
    Attr("pool_size", "pair", 2, "height and width of the pooling window"),
    Attr("strides", "pair_or_none", None, "step of the window; null means pool_size",
         none_means="pool_size"),
    Attr("padding", "choice", "valid", "'same' keeps ceil(in / stride); 'valid' adds no border",
         choices=("valid", "same")),
)


def _pool_shape(ins, a):
    (x,) = ins
    require_rank(x, 3)
    strides = a["strides"] or a["pool_size"]
    return (*conv2d_output_hw(x[:2], a["pool_size"], strides, a["padding"]), x[2])


def _window_cost(extra_per_window: int):
    # A window of k elements costs k - 1 comparisons (max) or k - 1 adds + 1 divide (average).
    def cost(ins, out, a):
        k = a["pool_size"][0] * a["pool_size"][1]
        return Cost(extra_flops=prod(out) * (k - 1 + extra_per_window))
    return cost


def _pool_summary(a) -> str:
    s = a["strides"] or a["pool_size"]
    stride = f" /{s[0]}" if s[0] == s[1] else f" /{s[0]}×{s[1]}"
    return f"{kernel_text(a['pool_size'])}{stride} {a['padding']}"


MAX_POOL = LayerType(
    name="MaxPooling2D", category="Pooling", doc="Maximum over each window.",
    attrs=POOL_ATTRS, shape=_pool_shape, cost=_window_cost(0), summary=_pool_summary,
    memory="window",
)
AVG_POOL = LayerType(
    name="AveragePooling2D", category="Pooling", doc="Mean over each window.",
    attrs=POOL_ATTRS, shape=_pool_shape, cost=_window_cost(1), summary=_pool_summary,
    memory="window",
)

KEEPDIMS = Attr("keepdims", "bool", False, "keep the output as [1, 1, C] instead of [C]")


def _global_shape(ins, a):
    (x,) = ins
    require_rank(x, 3)
    return (1, 1, x[2]) if a["keepdims"] else (x[2],)


def _global_cost(extra_per_channel: int):
    def cost(ins, out, a):
        h, w, c = ins[0]
        return Cost(extra_flops=c * (h * w - 1 + extra_per_channel))
    return cost


GLOBAL_AVG = LayerType(
    name="GlobalAveragePooling2D", category="Pooling", doc="Mean over height and width, per channel.",
    attrs=(KEEPDIMS,), shape=_global_shape, cost=_global_cost(1),
)
GLOBAL_MAX = LayerType(
    name="GlobalMaxPooling2D", category="Pooling", doc="Maximum over height and width, per channel.",
    attrs=(KEEPDIMS,), shape=_global_shape, cost=_global_cost(0),
)

LAYERS = (MAX_POOL, AVG_POOL, GLOBAL_AVG, GLOBAL_MAX)
