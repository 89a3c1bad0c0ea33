"""MobileNet v1 and v2, layer for layer as ``keras.applications.MobileNet`` / ``MobileNetV2`` build them.

Node ids are Keras's layer names (``conv_dw_3``, ``block_5_expand_BN``…), so a design can be
compared with the Keras model layer by layer; ReLU6 is a ``ReLU`` layer with ``max_value`` 6, as
Keras writes ``layers.ReLU(6.0)``.
"""

from __future__ import annotations

from ..design import Design
from .blocks import RELU6_LAYER, conv_attrs, conv_bn_relu, inverted_residual, separable

# MobileNet v1, Table 1: (pointwise filters, stride) of the 13 depthwise-separable blocks.
V1_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
             (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))

# MobileNet v2, Table 2: (expansion t, channels c, repeats n, first stride s).
V2_STAGES = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
             (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))


def make_divisible(v, divisor=8, min_value=None) -> int:
    """Keras's ``_make_divisible``: nearest multiple of ``divisor``, never more than 10% below ``v``."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _chain(d: Design, group: str):
    def add(node_id, type_name, attrs, src):
        d.add_node(type_name, node_id, attrs=attrs, group=group)
        d.connect(src, node_id)
        return node_id
    return add


def build_mobilenet_v1(alpha=1.0, resolution=224, classes=1000, depth_multiplier=1, dropout=0.001,
                       stride_on="depthwise") -> Design:
    d = Design(f"MobileNet v1 {alpha:g} {resolution}")
    x = d.add_node("Input", "input", attrs={"shape": [resolution, resolution, 3]})
    x = conv_bn_relu(d, x, "conv1", filters=int(32 * alpha), strides=2, activation=RELU6_LAYER).output
    for i, (filters, stride) in enumerate(V1_BLOCKS, 1):
        names = {"pad": f"conv_pad_{i}", "dw": f"conv_dw_{i}", "pw": f"conv_pw_{i}"}
        names.update({f"{k}_{s}": f"{names[k]}_{s}" for k in ("dw", "pw") for s in ("bn", "relu")})
        x = separable(d, x, f"conv_dw_{i}", filters=int(filters * alpha), strides=stride,
                      stride_on=stride_on, activation=RELU6_LAYER, depth_multiplier=depth_multiplier,
                      names=names).output
    add = _chain(d, "classifier")
    x = add("global_average_pooling2d", "GlobalAveragePooling2D", {"keepdims": True}, x)
    x = add("dropout", "Dropout", {"rate": dropout}, x)
    x = add("conv_preds", "Conv2D", conv_attrs(classes, 1), x)
    x = add("reshape_2", "Reshape", {"target_shape": [classes]}, x)
    add("predictions", "Activation", {"activation": "softmax"}, x)
    return d


def build_mobilenet_v2(alpha=1.0, resolution=224, classes=1000) -> Design:
    d = Design(f"MobileNet v2 {alpha:g} {resolution}")
    x = d.add_node("Input", "input", attrs={"shape": [resolution, resolution, 3]})
    x = conv_bn_relu(d, x, "conv1", filters=make_divisible(32 * alpha, 8), strides=2,
                     activation=RELU6_LAYER, bn_momentum=0.999,
                     names={"conv": "Conv1", "bn": "bn_Conv1", "relu": "Conv1_relu"}).output
    block_id = 0
    for t, c, n, s in V2_STAGES:
        for i in range(n):
            group = f"block_{block_id}" if block_id else "expanded_conv"
            x = inverted_residual(d, x, group, filters=make_divisible(int(c * alpha), 8), expansion=t,
                                  strides=s if i == 0 else 1, activation=RELU6_LAYER).output
            block_id += 1
    last = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    add = _chain(d, "top_conv")
    x = add("Conv_1", "Conv2D", conv_attrs(last, 1, padding="valid", use_bias=False), x)
    x = add("Conv_1_bn", "BatchNormalization", {"momentum": 0.999}, x)
    x = add("out_relu", "ReLU", {"max_value": 6.0}, x)
    add = _chain(d, "classifier")
    x = add("global_average_pooling2d", "GlobalAveragePooling2D", {}, x)
    add("predictions", "Dense", {"units": classes, "activation": "softmax"}, x)
    return d


V1_DOC = """\
MobileNet v1 (Howard et al. 2017) layer for layer as keras.applications.MobileNet builds it.
Structure (weights=None): conv1 3×3/2 (`same`, no bias) + BN + ReLU6, then 13 depthwise-separable blocks `conv_dw_1`…
`conv_dw_13` (3×3 depthwise, BN, ReLU6, 1×1 pointwise, BN, ReLU6), then GlobalAveragePooling2D
(keepdims), Dropout, a 1×1 Conv2D classifier `conv_preds` (with bias), Reshape and softmax.
Channels are int(filters × alpha), as Keras rounds them; `resolution` is ρ·224.
Keras pads each stride-2 depthwise convolution with ZeroPadding2D ((0, 1), (0, 1)) and then uses
`valid`: on an even map this equals `same`, on an odd one it gives one pixel less (at 200: 25 →
12, where `same` gives 13). `stride_on="pointwise"` builds the variant some MobileNet implementations
use instead (depthwise always stride 1 `same`, the 1×1 pointwise convolution strides): same params, more mult-adds.
At 224, α=1: 4,253,864 params (4,231,976 trainable), 568.7M mult-adds; paper Table 6: 4.2M, 569M."""

V2_DOC = """\
MobileNet v2 (Sandler et al. 2018) layer for layer as keras.applications.MobileNetV2 builds it.
Structure (weights=None): Conv1 3×3/2 + BN + ReLU6, 17 inverted-residual blocks (`expanded_conv`, then
`block_1`…`block_16`, Table 2's t, c, n, s), Conv_1 1×1 to 1280 + BN + ReLU6, global average
pool, Dense softmax. Channels are Keras's _make_divisible(c·α, 8); the last conv stays 1280
unless α > 1. Batch norms use Keras's momentum 0.999. Before each stride-2 depthwise convolution
Keras adds ZeroPadding2D(correct_pad) and uses `valid`: 1 row/column at the bottom/right on an
even map, 1 on every side on an odd one. That is exactly where `same` pads, so unlike v1 the
sizes never differ from `same` (ceil(in/2)); Keras spells the padding out so that every backend
pads alike. At 224, α=1: 3,538,984 params (3,504,872 trainable),
300.8M mult-adds; the paper prints 3.4M and 300M."""
