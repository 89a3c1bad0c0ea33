"""Dense: a fully connected layer acting on the last axis, as in Keras."""

from __future__ import annotations

from math import prod

from .cost_class import DENSE_CLASS
from .spec import Attr, Cost, LayerType, act_suffix, activation_attr, elementwise_flops, use_bias_attr


def _dense_shape(ins, a):
    (x,) = ins
    return (*x[:-1], a["units"])


def _dense_cost(ins, out, a):
    n_in = ins[0][-1]
    weights = n_in * a["units"] + (a["units"] if a["use_bias"] else 0)
    # On a feature map Dense runs once per position: prod(leading dims) × Nin × units MACs.
    macs = prod(ins[0][:-1]) * n_in * a["units"]
    return Cost(trainable=weights, macs=macs, extra_flops=elementwise_flops(out, a))


DENSE = LayerType(
    name="Dense",
    category="Core",
    doc="Fully connected: every output unit sees every element of the last axis.",
    attrs=(Attr("units", "int", doc="number of output units", min=1, initial=64),
           activation_attr(), use_bias_attr()),
    shape=_dense_shape,
    cost=_dense_cost,
    summary=lambda a: f"{a['units']} units" + act_suffix(a),
    cost_class=DENSE_CLASS,
    width_attr="units",
)

LAYERS = (DENSE,)
