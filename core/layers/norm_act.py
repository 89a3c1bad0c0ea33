"""Normalization, activation and regularization: BatchNormalization, Activation, Dropout,
SpatialDropout2D, GaussianNoise, GaussianDropout (the regularizers cost nothing at inference)."""

from __future__ import annotations

from math import prod

from .merge import AXIS, keras_axis
from ..shapes import require_rank
from .spec import ACTIVATION_FLOPS, ACTIVATIONS, Attr, Cost, LayerType


def _identity(ins, a):
    return ins[0]


def _bn_shape(ins, a):
    keras_axis(a["axis"], len(ins[0]))
    return ins[0]


def _bn_cost(ins, out, a):
    c = ins[0][keras_axis(a["axis"], len(ins[0]))]
    learned = c * (int(a["center"]) + int(a["scale"]))
    # Inference folds the four statistics into one multiply and one add per element.
    return Cost(trainable=learned, non_trainable=2 * c, extra_flops=2 * prod(out))


BATCH_NORM = LayerType(
    name="BatchNormalization",
    category="Normalization",
    doc="Normalizes each channel; gamma and beta are trained, the moving mean and variance are not.",
    attrs=(AXIS,
           Attr("momentum", "float", 0.99, "momentum of the moving statistics", min=0.0, max=1.0),
           Attr("epsilon", "float", 0.001, "added to the variance", min=0.0),
           Attr("center", "bool", True, "learn a shift (beta)"),
           Attr("scale", "bool", True, "learn a scale (gamma)")),
    shape=_bn_shape,
    cost=_bn_cost,
)

ACTIVATION = LayerType(
    name="Activation",
    category="Activation",
    doc="Applies an activation function to every element.",
    attrs=(Attr("activation", "choice", doc="the function", choices=ACTIVATIONS, initial="relu"),),
    shape=_identity,
    cost=lambda ins, out, a: Cost(extra_flops=prod(out) * ACTIVATION_FLOPS[a["activation"]]),
    summary=lambda a: str(a["activation"]),
)

DROPOUT = LayerType(
    name="Dropout",
    category="Regularization",
    doc="Zeroes a fraction `rate` of elements while training; the identity at inference.",
    attrs=(Attr("rate", "float", doc="fraction of elements dropped", min=0.0, max=1.0,
                max_exclusive=True, initial=0.5),),
    shape=_identity,
    summary=lambda a: f"{a['rate']:g}",
)

def _feature_map(ins, a):
    require_rank(ins[0], 3)
    return ins[0]


SPATIAL_DROPOUT = LayerType(
    name="SpatialDropout2D",
    category="Regularization",
    doc="Drops whole channels (feature maps) while training; the identity at inference.",
    attrs=(Attr("rate", "float", doc="fraction of channels dropped", min=0.0, max=1.0, initial=0.5),),
    shape=_feature_map,
    summary=lambda a: f"{a['rate']:g}",
)

GAUSSIAN_NOISE = LayerType(
    name="GaussianNoise",
    category="Regularization",
    doc="Adds zero-mean Gaussian noise while training; the identity at inference.",
    attrs=(Attr("stddev", "float", doc="standard deviation of the noise", min=0.0, max=1.0, initial=0.1),),
    shape=_identity,
    summary=lambda a: f"σ {a['stddev']:g}",
)

GAUSSIAN_DROPOUT = LayerType(
    name="GaussianDropout",
    category="Regularization",
    doc="Multiplies by Gaussian noise of mean 1 while training; the identity at inference.",
    attrs=(Attr("rate", "float", doc="drop probability (noise stddev √(rate / (1 − rate)))", min=0.0, max=1.0,
                initial=0.5),),
    shape=_identity,
    summary=lambda a: f"{a['rate']:g}",
)

LAYERS = (BATCH_NORM, ACTIVATION, DROPOUT, SPATIAL_DROPOUT, GAUSSIAN_NOISE, GAUSSIAN_DROPOUT)
