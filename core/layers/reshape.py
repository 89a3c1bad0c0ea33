"""Reshaping: Flatten, Reshape, ZeroPadding2D, Cropping2D, UpSampling2D, Permute, RepeatVector, Identity."""

from __future__ import annotations

from math import prod

from ..errors import AttrError, ShapeError
from ..shapes import fmt_shape, require_rank
from .spec import Attr, Cost, LayerType


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
)
RESHAPE = LayerType(
    name="Reshape", category="Reshaping", doc="Gives the tensor a new shape with the same number of elements.",
    attrs=(Attr("target_shape", "shape", doc="new shape without the batch axis; one entry may be -1",
                allow_unknown=True, initial=[-1]),),
    shape=_reshape,
    summary=lambda a: fmt_shape(a["target_shape"]),
)
ZERO_PAD = LayerType(
    name="ZeroPadding2D", category="Reshaping", doc="Adds rows and columns of zeros around a feature map.",
    attrs=(Attr("padding", "padding2d", 1, "int, [rows, cols] or [[top, bottom], [left, right]]"),),
    shape=_zero_pad,
    summary=_pad_summary,
)

def _crop(ins, a):
    (x,) = ins
    require_rank(x, 3)
    (t, b), (l, r) = a["cropping"]
    if t + b >= x[0] or l + r >= x[1]:
        raise ShapeError(f"cropping {t},{b} / {l},{r} leaves nothing of a {fmt_shape(x)} input")
    return (x[0] - t - b, x[1] - l - r, x[2])


def _crop_summary(a) -> str:
    (t, b), (l, r) = a["cropping"]
    return f"{t},{b} / {l},{r}" if (t, l) != (b, r) else f"{t}×{l}"


CROPPING = LayerType(
    name="Cropping2D", category="Reshaping", doc="Cuts rows and columns off the border of a feature map.",
    attrs=(Attr("cropping", "padding2d", 0, "int, [rows, cols] or [[top, bottom], [left, right]]"),),
    shape=_crop,
    summary=_crop_summary,
)

# Per output element: nearest copies; the others weigh 2×2, 4×4, 6×6 or 10×10 source pixels
# (one multiply and one add per tap, the last add saved).
_UPSAMPLE_FLOPS = {"nearest": 0, "bilinear": 7, "bicubic": 31, "lanczos3": 71, "lanczos5": 199}


def _upsample(ins, a):
    (x,) = ins
    require_rank(x, 3)
    return (x[0] * a["size"][0], x[1] * a["size"][1], x[2])


UPSAMPLING = LayerType(
    name="UpSampling2D", category="Reshaping", doc="Enlarges a feature map by whole factors, copying or interpolating.",
    attrs=(Attr("size", "pair", 2, "factors for rows and columns"),
           Attr("interpolation", "choice", "nearest", "how new pixels are made", choices=tuple(_UPSAMPLE_FLOPS))),
    shape=_upsample,
    cost=lambda ins, out, a: Cost(extra_flops=prod(out) * _UPSAMPLE_FLOPS[a["interpolation"]]),
    summary=lambda a: f"×{a['size'][0]}" + ("" if a["size"][0] == a["size"][1] else f"×{a['size'][1]}")
    + ("" if a["interpolation"] == "nearest" else f" {a['interpolation']}"),
)


def _permute_check(a: dict) -> None:
    dims = a["dims"]
    if sorted(dims) != list(range(1, len(dims) + 1)):
        raise AttrError(f"dims: must be a permutation of 1 … {len(dims)} (the batch axis stays first), "
                        f"got {list(dims)}")


def _permute(ins, a):
    (x,) = ins
    if len(x) != len(a["dims"]):
        raise ShapeError(f"dims {list(a['dims'])} permute {len(a['dims'])} axes but the input {fmt_shape(x)} "
                         f"has {len(x)}")
    return tuple(x[d - 1] for d in a["dims"])


PERMUTE = LayerType(
    name="Permute", category="Reshaping", doc="Reorders the axes (batch excluded, counted from 1).",
    attrs=(Attr("dims", "shape", doc="the new order of axes 1 … n, e.g. [2, 1]", initial=[2, 1]),),
    shape=_permute,
    check=_permute_check,
    summary=lambda a: fmt_shape(a["dims"]),
)


def _repeat(ins, a):
    (x,) = ins
    if len(x) != 1:
        raise ShapeError(f"needs a vector [F], got {fmt_shape(x)}")
    return (a["n"], x[0])


REPEAT_VECTOR = LayerType(
    name="RepeatVector", category="Reshaping", doc="Repeats a vector n times: [F] becomes [n, F].",
    attrs=(Attr("n", "int", doc="number of repetitions", min=1, initial=2),),
    shape=_repeat,
    summary=lambda a: f"×{a['n']}",
)

IDENTITY = LayerType(
    name="Identity", category="Core", doc="Passes its input through unchanged.",
    attrs=(), shape=lambda ins, a: ins[0],
)

LAYERS = (FLATTEN, RESHAPE, ZERO_PAD, CROPPING, UPSAMPLING, PERMUTE, REPEAT_VECTOR, IDENTITY)
