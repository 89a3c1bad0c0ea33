"""Activations as layers, as Keras 3 has them: ReLU, LeakyReLU, PReLU, ELU, Softmax.

Each is elementwise (Softmax along one axis); only PReLU has weights, its trainable alpha.
"""

from __future__ import annotations

from math import prod

from ..errors import ShapeError
from .merge import keras_axis
from .spec import ACTIVATION_FLOPS, Attr, Cost, LayerType


def _identity(ins, a):
    return ins[0]


def _per_element(flops: int):
    return lambda ins, out, a: Cost(extra_flops=flops * prod(out))


def _relu_summary(a) -> str:
    parts = [] if a["max_value"] is None else [f"max {a['max_value']:g}"]
    if a["negative_slope"]:
        parts.append(f"slope {a['negative_slope']:g}")
    if a["threshold"]:
        parts.append(f"threshold {a['threshold']:g}")
    return " ".join(parts)


RELU = LayerType(
    name="ReLU",
    category="Activation",
    doc="max(x, 0), optionally capped at `max_value` (6: ReLU6), leaky below `threshold`.",
    attrs=(Attr("max_value", "float_or_none", None, "the cap; null: none (6 gives ReLU6)", min=0.0, initial=6.0),
           Attr("negative_slope", "float", 0.0, "slope below the threshold", min=0.0),
           Attr("threshold", "float", 0.0, "values below it are scaled by negative_slope", min=0.0)),
    shape=_identity,
    cost=_per_element(ACTIVATION_FLOPS["relu"]),
    summary=_relu_summary,
)

LEAKY_RELU = LayerType(
    name="LeakyReLU",
    category="Activation",
    doc="x for x ≥ 0, negative_slope · x below.",
    attrs=(Attr("negative_slope", "float", 0.3, "slope for negative inputs", min=0.0),),
    shape=_identity,
    cost=_per_element(ACTIVATION_FLOPS["leaky_relu"]),
    summary=lambda a: f"{a['negative_slope']:g}",
)


def _prelu_alpha_shape(ins, a) -> tuple:
    x = ins[0]
    shared = a["shared_axes"]
    shared = () if shared is None else (shared,) if isinstance(shared, int) else shared
    alpha = list(x)
    for axis in shared:
        # Keras indexes the shape with the axis as given (batch counted), so 0 and negatives
        # reach other dimensions than they seem to; we refuse them with their reason.
        if not 1 <= axis <= len(x):
            raise ShapeError(f"shared_axes: axis {axis} is not one of 1 … {len(x)} for inputs of rank {len(x)}")
        alpha[axis - 1] = 1
    return tuple(alpha)


def _prelu_shape(ins, a):
    _prelu_alpha_shape(ins, a)
    return ins[0]


PRELU = LayerType(
    name="PReLU",
    category="Activation",
    doc="Leaky ReLU whose negative slope alpha is learned, one per element unless `shared_axes` share it.",
    attrs=(Attr("shared_axes", "axes_or_none", None,
                "axes (batch counted, from 1) along which alpha is shared, e.g. [1, 2] for one per channel"),),
    shape=_prelu_shape,
    cost=lambda ins, out, a: Cost(trainable=prod(_prelu_alpha_shape(ins, a)), extra_flops=prod(out)),
    summary=lambda a: "" if a["shared_axes"] is None else f"shared {a['shared_axes']}",
)

ELU = LayerType(
    name="ELU",
    category="Activation",
    doc="x for x > 0, alpha · (exp(x) − 1) below.",
    attrs=(Attr("alpha", "float", 1.0, "scale of the negative part"),),
    shape=_identity,
    cost=_per_element(ACTIVATION_FLOPS["elu"]),
    summary=lambda a: "" if a["alpha"] == 1.0 else f"alpha {a['alpha']:g}",
)


def _softmax_shape(ins, a):
    keras_axis(a["axis"], len(ins[0]))
    return ins[0]


SOFTMAX = LayerType(
    name="Softmax",
    category="Activation",
    doc="exp(x) normalized to sum to 1 along `axis`.",
    attrs=(Attr("axis", "int", -1, "Keras counts the batch axis: -1 is the last"),),
    shape=_softmax_shape,
    cost=_per_element(ACTIVATION_FLOPS["softmax"]),
    summary=lambda a: "" if a["axis"] == -1 else f"axis {a['axis']}",
)

LAYERS = (RELU, LEAKY_RELU, PRELU, ELU, SOFTMAX)
