"""One small PyTorch emitter per layer type, keyed by the type's name.

An emitter returns the module a node becomes (``TorchLayer``): a constructor expression and the
helper classes it needs. It keeps Keras's semantics exactly; what it cannot keep it refuses with
``Refused`` and the reason, which the exporter turns into a line naming the node.

Layouts: a [H, W, C] feature map travels as NCHW, every other tensor in Keras's own order, so a
layer that moves between the two (Flatten, Reshape) permutes to channels-last first, and a
channel axis of a feature map is torch's dim 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..layers.merge import keras_axis
from .common import Plan, Refused, window_pads


@dataclass(frozen=True)
class TorchLayer:
    parts: tuple[str, ...]      # constructor expressions; several make an nn.Sequential
    helpers: tuple[str, ...] = ()  # helper classes (torch_helpers.HELPERS) the parts use


def pair_text(p) -> str:
    return str(p[0]) if p[0] == p[1] else f"({p[0]}, {p[1]})"


def _kwargs(**kw) -> str:
    return "".join(f", {k}={v}" for k, v in kw.items() if v is not None)


# Keras activation name -> the torch module computing the same function (checked numerically in
# the tests); Keras's leaky_relu slope is 0.2, torch's default is 0.01.
ACTIVATIONS = {
    "relu": "nn.ReLU()", "relu6": "nn.ReLU6()", "leaky_relu": "nn.LeakyReLU(0.2)", "elu": "nn.ELU()",
    "selu": "nn.SELU()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "hard_sigmoid": "nn.Hardsigmoid()",
    "hard_swish": "nn.Hardswish()", "hard_silu": "nn.Hardswish()", "swish": "nn.SiLU()", "silu": "nn.SiLU()",
    "gelu": "nn.GELU()", "softplus": "nn.Softplus()", "softsign": "nn.Softsign()",
    "mish": "nn.Mish()", "celu": "nn.CELU()", "hard_tanh": "nn.Hardtanh()", "log_sigmoid": "nn.LogSigmoid()",
    "tanh_shrink": "nn.Tanhshrink()", "soft_shrink": "nn.Softshrink(0.5)", "hard_shrink": "nn.Hardshrink(0.5)",
}


def activation(name, shape) -> tuple[str, ...]:
    if name in (None, "linear"):
        return ()
    if name in ("softmax", "log_softmax"):  # Keras: the last axis, which is dim 1 of an NCHW map
        return (f"nn.{'Log' if name == 'log_softmax' else ''}Softmax(dim={1 if len(shape) == 3 else -1})",)
    if name not in ACTIVATIONS:
        raise Refused(f"with activation '{name}'")
    return (ACTIVATIONS[name],)


def torch_dim(axis: int, rank: int) -> int:
    """The torch dim of a Keras axis (which counts the batch) on a tensor of ``rank`` (no batch)."""
    index = keras_axis(axis, rank)
    return (2, 3, 1)[index] if rank == 3 else index + 1


def layer_attrs(plan: Plan, nid: str) -> dict:
    return plan.design.node(nid).resolved()


def _pad_then(pads, value: str | None = None):
    """(explicit pad part or none, the padding argument of the window op)."""
    (t, b), (l, r) = pads
    if t == b and l == r:
        return (), (None if t == l == 0 else pair_text((t, l)))
    if value is None:
        return (f"nn.ZeroPad2d(({l}, {r}, {t}, {b}))",), None
    return (f"nn.ConstantPad2d(({l}, {r}, {t}, {b}), {value})",), None


def conv2d(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    pad, padding = _pad_then(window_pads(x, a, "kernel_size", a["strides"]))
    conv = (f"nn.Conv2d({x[2]}, {a['filters']}, {pair_text(a['kernel_size'])}"
            + _kwargs(stride=_stride(a), padding=padding, dilation=_dilation(a),
                      groups=a["groups"] if a["groups"] > 1 else None, bias=bias_flag(a)) + ")")
    return TorchLayer((*pad, conv, *activation(a["activation"], plan.shape(nid))))


def _stride(a):
    return None if a["strides"] == (1, 1) else pair_text(a["strides"])


def _dilation(a):
    return None if a["dilation_rate"] == (1, 1) else pair_text(a["dilation_rate"])


def bias_flag(a):
    return None if a["use_bias"] else "False"


def depthwise(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    pad, padding = _pad_then(window_pads(x, a, "kernel_size", a["strides"]))
    c = x[2]
    conv = (f"nn.Conv2d({c}, {c * a['depth_multiplier']}, {pair_text(a['kernel_size'])}"
            + _kwargs(stride=_stride(a), padding=padding, dilation=_dilation(a), groups=c, bias=bias_flag(a)) + ")")
    return TorchLayer((*pad, conv, *activation(a["activation"], plan.shape(nid))))


def separable(plan: Plan, nid: str) -> TorchLayer:
    # Keras: a depthwise convolution without bias, then a 1x1 convolution with the layer's bias.
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    pad, padding = _pad_then(window_pads(x, a, "kernel_size", a["strides"]))
    c, mid = x[2], x[2] * a["depth_multiplier"]
    dw = (f"nn.Conv2d({c}, {mid}, {pair_text(a['kernel_size'])}"
          + _kwargs(stride=_stride(a), padding=padding, dilation=_dilation(a), groups=c, bias="False") + ")")
    pw = f"nn.Conv2d({mid}, {a['filters']}, 1" + _kwargs(bias=bias_flag(a)) + ")"
    return TorchLayer((*pad, dw, pw, *activation(a["activation"], plan.shape(nid))))


def _pool(kind: str):
    def emit(plan: Plan, nid: str) -> TorchLayer:
        a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
        strides = a["strides"] or a["pool_size"]
        pads = window_pads(x, a, "pool_size", strides)
        (t, b), (l, r) = pads
        k, s = pair_text(a["pool_size"]), pair_text(strides)
        if kind == "max":  # Keras never picks a padded cell: pad with -inf
            pad, padding = _pad_then(pads, 'float("-inf")')
            return TorchLayer((*pad, f"nn.MaxPool2d({k}, {s}" + _kwargs(padding=padding) + ")"))
        if (t, l) != (b, r):
            raise Refused("with 'same' padding that is uneven here (Keras averages only the real cells)")
        padding = None if t == l == 0 else pair_text((t, l))
        # Keras's 'same' average leaves the padded cells out of the count
        return TorchLayer((f"nn.AvgPool2d({k}, {s}" + _kwargs(
            padding=padding, count_include_pad=None if padding is None else "False") + ")",))
    return emit


def _global(kind: str):
    def emit(plan: Plan, nid: str) -> TorchLayer:
        pool = f"nn.Adaptive{kind}Pool2d(1)"
        return TorchLayer((pool,) if layer_attrs(plan, nid)["keepdims"] else (pool, "nn.Flatten()"))
    return emit


def dense(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    if len(x) == 3:  # Keras's Dense on a feature map acts per position: a 1x1 convolution in NCHW
        layer = f"nn.Conv2d({x[2]}, {a['units']}, 1" + _kwargs(bias=bias_flag(a)) + ")"
    else:
        layer = f"nn.Linear({x[-1]}, {a['units']}" + _kwargs(bias=bias_flag(a)) + ")"
    return TorchLayer((layer, *activation(a["activation"], plan.shape(nid))))


def batch_norm(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    if len(x) not in (1, 3) or keras_axis(a["axis"], len(x)) != len(x) - 1:
        raise Refused(f"over axis {a['axis']} of a {len(x)}-d input")
    dims = 2 if len(x) == 3 else 1
    # torch's momentum weighs the new batch, Keras's the running value
    kw = _kwargs(eps=repr(a["epsilon"]), momentum=repr(round(1 - a["momentum"], 12)))
    if a["center"] != a["scale"]:  # Inception v3's scale=False: only the learned part Keras has
        part = "center=True" if a["center"] else "scale=True"
        return TorchLayer((f"KerasBatchNorm{dims}d({x[-1]}{kw}, {part})",), (f"KerasBatchNorm{dims}d",))
    kw += "" if a["center"] else ", affine=False"
    return TorchLayer((f"nn.BatchNorm{dims}d({x[-1]}{kw})",))


def activation_layer(plan: Plan, nid: str) -> TorchLayer:
    parts = activation(layer_attrs(plan, nid)["activation"], plan.shape(nid))
    return TorchLayer(parts or ("nn.Identity()",))


def dropout(plan: Plan, nid: str) -> TorchLayer:
    return TorchLayer((f"nn.Dropout({layer_attrs(plan, nid)['rate']!r})",))


TO_CHANNELS_LAST, TO_CHANNELS_FIRST = "Permute(0, 2, 3, 1)", "Permute(0, 3, 1, 2)"


def flatten(plan: Plan, nid: str) -> TorchLayer:
    (x,) = plan.in_shapes(nid)
    if len(x) == 3:  # Keras flattens H, W, C in that order; so must we, for Dense to line up
        return TorchLayer((TO_CHANNELS_LAST, "nn.Flatten()"), ("Permute",))
    return TorchLayer(("nn.Flatten()",))


def reshape(plan: Plan, nid: str) -> TorchLayer:
    (x,), out = plan.in_shapes(nid), plan.shape(nid)
    parts = ((TO_CHANNELS_LAST,) if len(x) == 3 else ()) + (f"Reshape({', '.join(map(str, out))})",) \
        + ((TO_CHANNELS_FIRST,) if len(out) == 3 else ())
    return TorchLayer(parts, ("Permute", "Reshape") if len(parts) > 1 else ("Reshape",))


def zero_pad(plan: Plan, nid: str) -> TorchLayer:
    (t, b), (l, r) = layer_attrs(plan, nid)["padding"]
    return TorchLayer((f"nn.ZeroPad2d(({l}, {r}, {t}, {b}))",))


def concatenate(plan: Plan, nid: str) -> TorchLayer:
    rank = len(plan.shape(nid))
    return TorchLayer((f"Concatenate(dim={torch_dim(layer_attrs(plan, nid)['axis'], rank)})",), ("Concatenate",))


def _merge(name: str):
    return lambda plan, nid: TorchLayer((f"{name}()",), (name,))


def input_layer(plan: Plan, nid: str) -> TorchLayer:
    return TorchLayer(())  # a forward() argument, not a module


EMITTERS = {
    "Input": input_layer,
    "Conv2D": conv2d,
    "DepthwiseConv2D": depthwise,
    "SeparableConv2D": separable,
    "MaxPooling2D": _pool("max"),
    "AveragePooling2D": _pool("avg"),
    "GlobalAveragePooling2D": _global("Avg"),
    "GlobalMaxPooling2D": _global("Max"),
    "Dense": dense,
    "BatchNormalization": batch_norm,
    "Activation": activation_layer,
    "Dropout": dropout,
    "Flatten": flatten,
    "Reshape": reshape,
    "ZeroPadding2D": zero_pad,
    "Concatenate": concatenate,
    "Add": _merge("Add"),
    "Multiply": _merge("Multiply"),
}
