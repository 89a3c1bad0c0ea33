"""Preprocessing and normalization beyond batch norm: Rescaling, Normalization,
LayerNormalization, UnitNormalization, and ConvNeXt's LayerScale.

Axes follow Keras and count the batch axis (``-1`` is the last); where Keras indexes the input
shape with an axis as given, so do we, which keeps the weight shapes Keras's.
"""

from __future__ import annotations

from math import prod

from ..errors import AttrError, ShapeError
from ..shapes import fmt_shape
from .spec import Attr, Cost, LayerType


def _identity(ins, a):
    return ins[0]


def _axes(axis) -> tuple:
    return () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)


def _full_index(axis: int, rank: int, what: str = "axis") -> int:
    """Index into the batch-counted shape of an input of ``rank`` (+ batch), never the batch."""
    full = rank + 1
    if not -full <= axis < full:
        raise ShapeError(f"{what}: {axis} is out of range for inputs of rank {rank} (+ batch)")
    if axis % full == 0:
        raise ShapeError(f"{what}: {axis} is the batch axis, whose size is not known")
    return axis % full


def _per_channel(ins, a, *names):
    """A list of values lies along the last axis: one per channel, or one for all."""
    c = ins[0][-1]
    for name in names:
        v = a[name]
        if isinstance(v, tuple) and len(v) not in (1, c):
            raise ShapeError(f"{name}: {len(v)} values do not fit the last axis of size {c}")
    return ins[0]


def _scale_text(v) -> str:
    return ", ".join(f"{x:.4g}" for x in v) if isinstance(v, tuple) else f"{v:.4g}"


RESCALING = LayerType(
    name="Rescaling",
    category="Preprocessing",
    doc="x · scale + offset, e.g. scale 1/255 for pixels, or 1/127.5 with offset −1; lists act per channel.",
    attrs=(Attr("scale", "floats", doc="the factor, or one per channel", initial=1 / 255),
           Attr("offset", "floats", 0.0, "added after scaling, or one per channel")),
    shape=lambda ins, a: _per_channel(ins, a, "scale", "offset"),
    cost=lambda ins, out, a: Cost(extra_flops=2 * prod(out)),
    summary=lambda a: f"×{_scale_text(a['scale'])}" + ("" if a["offset"] == 0 else f" + {_scale_text(a['offset'])}"),
)


def _norm_kept(ins, a) -> tuple:
    """The sizes of the kept axes, in axis order (Keras sorts them), the statistics' shape."""
    x = ins[0]
    kept = sorted(_full_index(ax, len(x)) for ax in _axes(a["axis"]))
    return tuple(x[i - 1] for i in kept)


def _norm_check(a: dict) -> None:
    mean, var = a["mean"], a["variance"]
    if (mean is None) != (var is None):
        raise AttrError("mean: mean and variance must both be given, or both be null (adapt())")
    if mean is not None:
        if isinstance(mean, tuple) != isinstance(var, tuple) or (isinstance(mean, tuple) and len(mean) != len(var)):
            raise AttrError("variance: must have the same shape as mean")
        if isinstance(mean, tuple) and not _axes(a["axis"]):
            raise AttrError("mean: a list of values needs an axis to lie along (axis is null)")


def _norm_shape(ins, a):
    kept = _norm_kept(ins, a)
    mean = a["mean"]
    if isinstance(mean, tuple) and len(mean) not in (1, kept[-1]):
        raise ShapeError(f"mean: {len(mean)} values do not fit axis {a['axis']} of size {kept[-1]}")
    return ins[0]


def _norm_cost(ins, out, a):
    stats = 0 if a["mean"] is not None else 2 * prod(_norm_kept(ins, a)) + 1  # mean, variance, count
    return Cost(non_trainable=stats, extra_flops=2 * prod(out))


NORMALIZATION = LayerType(
    name="Normalization",
    category="Preprocessing",
    doc="(x − mean) / √variance per position of `axis`; statistics given, or left null for adapt().",
    attrs=(Attr("axis", "axes_or_none", -1, "the axes that keep their own statistics (-1: per channel); "
                                            "null: one mean and variance for everything"),
           Attr("mean", "floats_or_none", None, "a number or one per channel; null: learned by adapt()"),
           Attr("variance", "floats_or_none", None, "as mean", min=0.0),
           Attr("invert", "bool", False, "undo the normalization instead: x · √variance + mean")),
    shape=_norm_shape,
    cost=_norm_cost,
    check=_norm_check,
    summary=lambda a: ("invert" if a["invert"] else "") + ("" if a["mean"] is not None else " adapt").strip(),
)


def _keras_dims(ins, a) -> tuple:
    """LayerNormalization's weight shape: the input's sizes at each axis as Keras indexes them."""
    x = ins[0]
    return tuple((None, *x)[_full_index(ax, len(x))] for ax in sorted(_axes(a["axis"])))


def _ln_shape(ins, a):
    _keras_dims(ins, a)
    return ins[0]


def _ln_cost(ins, out, a):
    n = prod(_keras_dims(ins, a))
    gamma = n if a["scale"] or a["rms_scaling"] else 0
    beta = n if a["center"] and not a["rms_scaling"] else 0
    # mean (1 add), variance (subtract, square, add), normalize (subtract, divide): 5 per element,
    # plus one multiply for gamma and one add for beta.
    return Cost(trainable=gamma + beta, extra_flops=prod(out) * (5 + bool(gamma) + bool(beta)))


LAYER_NORM = LayerType(
    name="LayerNormalization",
    category="Normalization",
    doc="Normalizes each sample over `axis` (not over the batch); learned scale gamma and shift beta.",
    attrs=(Attr("axis", "axes", -1, "axis or axes to normalize over (batch counted; -1: channels)"),
           Attr("epsilon", "float", 0.001, "added to the variance", min=0.0),
           Attr("center", "bool", True, "learn a shift (beta)"),
           Attr("scale", "bool", True, "learn a scale (gamma)"),
           Attr("rms_scaling", "bool", False, "scale by the root mean square, no shift (Keras: deprecated)")),
    shape=_ln_shape,
    cost=_ln_cost,
    summary=lambda a: "" if a["axis"] == -1 else f"axis {a['axis']}",
)


def _unit_shape(ins, a):
    x = ins[0]
    full = len(x) + 1
    for ax in _axes(a["axis"]):
        if not -full <= ax < full:  # Keras admits the batch axis here
            raise ShapeError(f"axis: {ax} is out of range for inputs of rank {len(x)} (+ batch)")
    return x


UNIT_NORM = LayerType(
    name="UnitNormalization",
    category="Normalization",
    doc="Scales each sample to unit L2 norm along `axis`.",
    attrs=(Attr("axis", "axes", -1, "axis or axes of the norm (batch counted)"),),
    shape=_unit_shape,
    # square and add per element, then one divide per element
    cost=lambda ins, out, a: Cost(extra_flops=3 * prod(out)),
    summary=lambda a: "" if a["axis"] == -1 else f"axis {a['axis']}",
)


def _scale_shape(ins, a):
    x = ins[0]
    p = a["projection_dim"]
    if x[-1] == p or p == 1:
        return x
    if x[-1] == 1:  # x · gamma broadcasts the size-1 axis
        return (*x[:-1], p)
    raise ShapeError(f"projection_dim ({p}) must equal the last axis of the input {fmt_shape(x)}")


LAYER_SCALE = LayerType(
    name="LayerScale",
    category="Normalization",
    doc="Multiplies each channel by a learned gamma (Keras's ConvNeXt, CaiT): one weight per channel.",
    attrs=(Attr("init_values", "float", doc="gamma's initial value (ConvNeXt: 1e-6)", initial=1e-6),
           Attr("projection_dim", "int", doc="channels: the size of the last axis", min=1, initial=96)),
    shape=_scale_shape,
    cost=lambda ins, out, a: Cost(trainable=a["projection_dim"], extra_flops=prod(out)),
    summary=lambda a: f"{a['init_values']:g}",
)

LAYERS = (RESCALING, NORMALIZATION, LAYER_NORM, UNIT_NORM, LAYER_SCALE)
