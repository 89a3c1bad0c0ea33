"""The independent oracle: the same layer built in Keras 3 (PyTorch backend), measured by Keras
and by ``torch.utils.flop_counter``.

``keras_measure`` answers what Keras says about one layer: whether it accepts the configuration,
its output shape, ``count_params()``, trainable and non-trainable sizes, and the FLOPs that
``FlopCounterMode`` counts on a forward pass with a batch of one. FlopCounterMode counts only
matrix products and convolutions (2 FLOPs per multiply-accumulate, bias excluded, grouped and
depthwise convolutions counted per group), which is exactly our MAC rule times two.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from math import prod

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import torch  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

assert keras.backend.backend() == "torch", "the oracle runs Keras on the PyTorch backend"
# Generated cases include softmax over an axis of size 1; Keras's advice about it is noise here
# (pytest resets filters per test, so test_oracle_keras.py repeats this as a mark).
warnings.filterwarnings("ignore", message="You are using a softmax over axis")


def keras_kwargs(type_name: str, a: dict) -> dict:
    """Our normalized attributes are Keras's constructor arguments: same names, pairs as tuples."""
    return {} if type_name == "Input" else dict(a)


class _ConstantOp(keras.layers.Layer):
    """What Keras 3 records for ``x + 3.0`` on a tensor: the keras.ops call with the constant."""

    def __init__(self, op, value, reverse=False):
        super().__init__()
        self.fn, self.value, self.reverse = getattr(keras.ops, op), value, reverse

    def call(self, x):
        return self.fn(self.value, x) if self.reverse else self.fn(x, self.value)


def keras_class(type_name: str):
    if type_name == "LayerScale":  # Keras's ConvNeXt defines it; keras.layers does not export it
        from keras.src.applications.convnext import LayerScale
        return LayerScale
    if type_name == "ConstantOp":
        return _ConstantOp
    return getattr(keras.layers, type_name)


def keras_layer(type_name: str, a: dict):
    return keras_class(type_name)(**keras_kwargs(type_name, a))


def _takes_list(type_name: str) -> bool:
    """Merges take a list of tensors, even of one."""
    from archcanvas.core import layers

    return type_name in layers.REGISTRY and layers.get(type_name).min_inputs >= 2


@dataclass
class KerasView:
    refused: str | None = None  # Keras's error message when it refuses the configuration
    shape: tuple | None = None
    runtime_shape: tuple | None = None
    params: int = 0
    trainable: int = 0
    non_trainable: int = 0
    flops: int | None = None  # None: the forward pass itself failed on the torch backend
    runtime_error: str | None = None


def _size(weights) -> int:
    return sum(prod(w.shape) for w in weights)


def keras_measure(type_name: str, a: dict, in_shapes: list[tuple]) -> KerasView:
    if type_name == "Input":
        return KerasView(shape=tuple(keras.Input(shape=a["shape"]).shape[1:]))
    try:
        layer = keras_layer(type_name, a)
        xs = [keras.Input(shape=s) for s in in_shapes]
        y = layer(xs if len(xs) > 1 or _takes_list(type_name) else xs[0])
    except Exception as err:  # Keras refuses: ValueError, TypeError, …
        return KerasView(refused=f"{type(err).__name__}: {err}")
    shape = tuple(y.shape[1:])
    if any(d is None or d <= 0 for d in shape):
        return KerasView(refused=f"output shape {shape}")
    view = KerasView(shape=shape, params=layer.count_params(), trainable=_size(layer.trainable_weights),
                     non_trainable=_size(layer.non_trainable_weights))
    ts = [torch.rand(1, *s) for s in in_shapes]
    try:
        with FlopCounterMode(display=False) as counter:
            out = layer(ts if len(ts) > 1 or _takes_list(type_name) else ts[0])
        view.flops = counter.get_total_flops()
        view.runtime_shape = tuple(out.shape[1:])
    except Exception as err:
        view.runtime_error = f"{type(err).__name__}: {err}"
    return view


def keras_model(design):
    """The design as a Keras functional model; returns (model, {node id: Keras tensor})."""
    tensors = {}
    inputs, outputs = [], []
    for nid in design.topological_order():
        node = design.node(nid)
        a = node.resolved()
        if node.type == "Input":
            t = keras.Input(shape=a["shape"], name=nid)
            inputs.append(t)
        else:
            srcs = [tensors[s] for s in design.input_ids(nid)]
            layer = keras_layer(node.type, a)
            t = layer(srcs if _takes_list(node.type) else srcs[0])
        tensors[nid] = t
        if not design.outputs(nid):
            outputs.append(t)
    return keras.Model(inputs, outputs), tensors


def model_flops(model, in_shapes) -> int:
    xs = [torch.rand(1, *s) for s in in_shapes]
    with FlopCounterMode(display=False) as counter:
        model(xs if len(xs) > 1 else xs[0])
    return counter.get_total_flops()
