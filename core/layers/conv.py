"""Convolutions: Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose."""

from __future__ import annotations


from ..errors import AttrError, ShapeError
from ..shapes import conv2d_output_hw, require_rank
from .cost_class import CONV_1X1, DENSE_CLASS, DEPTHWISE_CLASS, SEPARABLE_CLASS, CostClass, conv_kxk
from .spec import (
    Attr, Cost, LayerType, act_suffix, activation_attr, elementwise_flops, kernel_text, use_bias_attr,
)

FILTERS = Attr("filters", "int", doc="number of output channels", min=1, initial=32)
KERNEL = Attr("kernel_size", "pair", doc="height and width of the kernel", initial=3)
STRIDES = Attr("strides", "pair", 1, "step of the kernel over height and width")
PADDING = Attr("padding", "choice", "valid", "'same' keeps ceil(in / stride); 'valid' adds no border",
               choices=("valid", "same"))
DILATION = Attr("dilation_rate", "pair", 1, "spacing between kernel taps")
DEPTH_MULT = Attr("depth_multiplier", "int", 1, "output channels per input channel", min=1)


def _conv_check(a: dict) -> None:
    # Keras's Conv2D refuses strides > 1 with dilation_rate > 1 at construction time; so do we. (Its
    # DepthwiseConv2D and SeparableConv2D accept it and compute the usual formula, and so do we.)
    # Both pairs are at least 1 each, so "> 1 somewhere" is "not (1, 1)": run for every Conv2D read.
    if a["strides"] != (1, 1) and a["dilation_rate"] != (1, 1):
        raise AttrError("strides: strides > 1 cannot be combined with dilation_rate > 1")
    if a["filters"] % a["groups"]:
        raise AttrError(f"groups: filters ({a['filters']}) must be divisible by groups ({a['groups']})")


def _spatial(ins, a):
    (x,) = ins
    require_rank(x, 3)
    hw = conv2d_output_hw(x[:2], a["kernel_size"], a["strides"], a["padding"], a["dilation_rate"])
    return x, hw


def _conv_shape(ins, a):
    x, hw = _spatial(ins, a)
    if x[2] % a["groups"]:
        raise ShapeError(f"input channels ({x[2]}) must be divisible by groups ({a['groups']})")
    return (*hw, a["filters"])


def _conv_cost(ins, out, a):
    kh, kw = a["kernel_size"]
    per_filter = kh * kw * (ins[0][2] // a["groups"])
    weights = per_filter * a["filters"] + (a["filters"] if a["use_bias"] else 0)
    macs = out[0] * out[1] * per_filter * a["filters"]
    return Cost(trainable=weights, macs=macs, extra_flops=elementwise_flops(out, a))


def _window_text(a) -> str:
    s = a["strides"]
    stride = "" if s == (1, 1) else (f" /{s[0]}" if s[0] == s[1] else f" /{s[0]}×{s[1]}")
    d = a.get("dilation_rate", (1, 1))
    dil = "" if d == (1, 1) else f" d{d[0]}" if d[0] == d[1] else f" d{d[0]}×{d[1]}"
    return f"{kernel_text(a['kernel_size'])}{stride}{dil} {a['padding']}"


def _conv_cost_class(a: dict, in_shape) -> CostClass:
    """Conv2D kh×kw, or Conv2D 1×1; a 1×1 convolution of a 1×1 map is a fully connected layer
    (Keras's MobileNet classifier; MobileNet's Table 2 counts it as "Fully Connected")."""
    kh, kw = a["kernel_size"]
    if (kh, kw) != (1, 1):
        return conv_kxk((kh, kw))
    if a["groups"] == 1 and in_shape is not None and len(in_shape) == 3 and in_shape[:2] == (1, 1):
        return DENSE_CLASS
    return CONV_1X1


CONV2D = LayerType(
    name="Conv2D",
    category="Convolution",
    doc="2-D convolution: each of `filters` kernels sees kh×kw×(Cin/groups) inputs.",
    attrs=(FILTERS, KERNEL, STRIDES, PADDING, DILATION,
           Attr("groups", "int", 1, "split channels into groups (grouped convolution)", min=1),
           activation_attr(), use_bias_attr()),
    shape=_conv_shape,
    cost=_conv_cost,
    summary=lambda a: f"{a['filters']} · {_window_text(a)}"
    + (f" g{a['groups']}" if a["groups"] > 1 else "") + act_suffix(a),
    check=_conv_check,
    cost_class=_conv_cost_class,
    memory="window",
    width_attr="filters",
)


def _dw_shape(ins, a):
    x, hw = _spatial(ins, a)
    return (*hw, x[2] * a["depth_multiplier"])


def _dw_cost(ins, out, a):
    kh, kw = a["kernel_size"]
    channels = ins[0][2] * a["depth_multiplier"]
    weights = kh * kw * channels + (channels if a["use_bias"] else 0)
    return Cost(trainable=weights, macs=out[0] * out[1] * kh * kw * channels,
                extra_flops=elementwise_flops(out, a))


DEPTHWISE = LayerType(
    name="DepthwiseConv2D",
    category="Convolution",
    doc="One kh×kw kernel per input channel (× depth_multiplier); no mixing across channels.",
    attrs=(KERNEL, STRIDES, PADDING, DEPTH_MULT, DILATION, activation_attr(), use_bias_attr()),
    shape=_dw_shape,
    cost=_dw_cost,
    summary=lambda a: f"dw {_window_text(a)}"
    + (f" ×{a['depth_multiplier']}" if a["depth_multiplier"] > 1 else "") + act_suffix(a),
    cost_class=DEPTHWISE_CLASS,
    memory="depthwise",
)


def _sep_shape(ins, a):
    _, hw = _spatial(ins, a)
    return (*hw, a["filters"])


def _sep_cost(ins, out, a):
    kh, kw = a["kernel_size"]
    mid = ins[0][2] * a["depth_multiplier"]
    weights = kh * kw * mid + mid * a["filters"] + (a["filters"] if a["use_bias"] else 0)
    macs = out[0] * out[1] * (kh * kw * mid + mid * a["filters"])
    return Cost(trainable=weights, macs=macs, extra_flops=elementwise_flops(out, a))


SEPARABLE = LayerType(
    name="SeparableConv2D",
    category="Convolution",
    doc="Depthwise kh×kw convolution followed by a 1×1 pointwise convolution to `filters` channels.",
    attrs=(FILTERS, KERNEL, STRIDES, PADDING, DEPTH_MULT, DILATION, activation_attr(), use_bias_attr()),
    shape=_sep_shape,
    cost=_sep_cost,
    summary=lambda a: f"{a['filters']} · sep {_window_text(a)}" + act_suffix(a),
    cost_class=SEPARABLE_CLASS,
    memory="window",
    width_attr="filters",
)

def _transpose_length(size: int, k: int, s: int, padding: str, op, d: int) -> int:
    """Keras's output length of a transposed convolution (``_get_output_shape_given_tf_padding``)."""
    k = (k - 1) * d + 1
    if padding == "valid":
        return (size - 1) * s + k + (max(k, s) - k if op is None else op)
    return size * s if op is None else (size - 1) * s + k % 2 + op


def _transpose_check(a: dict) -> None:
    if max(a["strides"]) > 1 and max(a["dilation_rate"]) > 1:
        raise AttrError("strides: strides > 1 cannot be combined with dilation_rate > 1")
    op = a["output_padding"]
    if op is not None and any(p >= s for p, s in zip(op, a["strides"])):
        raise AttrError(f"output_padding: must be less than strides {list(a['strides'])}, got {list(op)}")


def _transpose_shape(ins, a):
    (x,) = ins
    require_rank(x, 3)
    op = a["output_padding"] or (None, None)
    hw = tuple(_transpose_length(x[i], a["kernel_size"][i], a["strides"][i], a["padding"], op[i],
                                 a["dilation_rate"][i]) for i in (0, 1))
    if min(hw) < 1:
        raise ShapeError(f"output would be {hw[0]}×{hw[1]}: output_padding leaves no pixels")
    return (*hw, a["filters"])


def _transpose_cost(ins, out, a):
    kh, kw = a["kernel_size"]
    h, w, cin = ins[0]
    weights = kh * kw * cin * a["filters"] + (a["filters"] if a["use_bias"] else 0)
    # Each input position scatters its kh·kw·F products (Keras, torch's FlopCounterMode).
    return Cost(trainable=weights, macs=h * w * kh * kw * cin * a["filters"], extra_flops=elementwise_flops(out, a))


CONV_TRANSPOSE = LayerType(
    name="Conv2DTranspose",
    category="Convolution",
    doc="Transposed (\"de-\") convolution: each input pixel spreads a kh×kw×F kernel; strides enlarge the map.",
    attrs=(FILTERS, KERNEL, STRIDES, PADDING,
           Attr("output_padding", "pair_or_none", None, "extra rows and columns on one side; null: Keras's rule",
                min=0),
           DILATION, activation_attr(), use_bias_attr()),
    shape=_transpose_shape,
    cost=_transpose_cost,
    summary=lambda a: f"{a['filters']} · T {_window_text(a)}" + act_suffix(a),
    check=_transpose_check,
    cost_class=CostClass("Conv2DTranspose", (1.5, 0)),  # after the k×k convolutions
    width_attr="filters",
)

LAYERS = (CONV2D, DEPTHWISE, SEPARABLE, CONV_TRANSPOSE)
