"""EfficientNet B0…B7 and any compound coefficient φ, layer for layer as
``keras.applications.EfficientNetB0``… build them (Tan & Le 2019)."""

from __future__ import annotations

import math

from ..design import Design
from ..errors import AttrError
from .blocks import correct_pad
from .mobilenet import make_divisible
from .net import Net, act, bn, conv

# Table 1 (B0): (kernel, repeats, filters in, filters out, expansion, first stride) per stage;
# every block has squeeze-and-excite 0.25 of its input channels.
STAGES = ((3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
          (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1))
# keras.applications' presets: (width, depth, resolution, dropout).
VARIANTS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
            "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
            "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}
DROP_CONNECT = 0.2
SWISH = "silu"  # Keras's code says "swish"; the layer stores (and reports) its name, silu


def compound(phi: float) -> tuple[float, float, int, float]:
    """The paper's compound scaling (§3.3): depth 1.2^φ, width 1.1^φ, resolution 224·1.15^φ
    (rounded); dropout that of the nearest preset."""
    nearest = f"b{min(7, max(0, round(phi)))}"
    return 1.1 ** phi, 1.2 ** phi, round(224 * 1.15 ** phi), VARIANTS[nearest][3]


def build_efficientnet(variant="b0", phi=-1.0, resolution=0, classes=1000) -> Design:
    if phi >= 0:
        width, depth, default_res, dropout = compound(phi)
        title = f"EfficientNet φ={phi:g}"
    elif phi == -1:
        width, depth, default_res, dropout = VARIANTS[variant]
        title = f"EfficientNet-{variant.upper()}"
    else:
        raise AttrError(f"phi: must be -1 (use the variant) or at least 0, got {phi!r}")
    resolution = resolution or default_res
    net = Net(f"{title} {resolution}", resolution)

    def filters(n):  # Keras's round_filters: a multiple of 8, never more than 10% down
        return make_divisible(n * width, 8)

    def repeats(n):
        return int(math.ceil(depth * n))

    with net.group("stem"):  # Keras's preprocessing, inside the model
        x = net.add("Rescaling", {"scale": 1 / 255}, net.input)
        x = net.add("Normalization", {"axis": 3}, x)
        x = net.add("ZeroPadding2D", {"padding": correct_pad((resolution, resolution), 3)}, x, "stem_conv_pad")
        x = net.add("Conv2D", conv(filters(32), 3, strides=2, use_bias=False), x, "stem_conv")
        x = net.add("BatchNormalization", bn(axis=3), x, "stem_bn")
        x = net.add("Activation", act(SWISH), x, "stem_activation")
    total = float(sum(repeats(s[1]) for s in STAGES))
    b = 0
    for i, (k, n, f_in, f_out, expand, stride) in enumerate(STAGES, 1):
        f_in, f_out = filters(f_in), filters(f_out)
        for j in range(repeats(n)):
            name = f"block{i}{chr(97 + j)}_"
            with net.group(name[:-1]):
                x = _block(net, x, name, k, f_in if j == 0 else f_out, f_out, expand,
                           stride if j == 0 else 1, DROP_CONNECT * b / total)
            b += 1
    with net.group("top"):
        x = net.add("Conv2D", conv(filters(1280), 1, padding="same", use_bias=False), x, "top_conv")
        x = net.add("BatchNormalization", bn(axis=3), x, "top_bn")
        x = net.add("Activation", act(SWISH), x, "top_activation")
        x = net.add("GlobalAveragePooling2D", {}, x, "avg_pool")
        x = net.add("Dropout", {"rate": dropout}, x, "top_dropout")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, "predictions")
    return net.design


def _block(net: Net, inputs: str, name: str, k: int, f_in: int, f_out: int, expand: int, stride: int,
           drop_rate: float) -> str:
    """MBConv: [1×1 expand] → k×k depthwise → squeeze-and-excite → 1×1 project [→ drop → add]."""
    channels = f_in * expand
    x = inputs
    if expand != 1:
        x = net.add("Conv2D", conv(channels, 1, padding="same", use_bias=False), x, f"{name}expand_conv")
        x = net.add("BatchNormalization", bn(axis=3), x, f"{name}expand_bn")
        x = net.add("Activation", act(SWISH), x, f"{name}expand_activation")
    dw = {"kernel_size": k, "use_bias": False}
    if stride == 2:
        hw = net.shape(x)[:2]
        x = net.add("ZeroPadding2D", {"padding": correct_pad(hw, k)}, x, f"{name}dwconv_pad")
        dw["strides"] = 2
    else:
        dw["padding"] = "same"
    x = net.add("DepthwiseConv2D", dw, x, f"{name}dwconv")
    x = net.add("BatchNormalization", bn(axis=3), x, f"{name}bn")
    x = net.add("Activation", act(SWISH), x, f"{name}activation")
    se = net.add("GlobalAveragePooling2D", {}, x, f"{name}se_squeeze")
    se = net.add("Reshape", {"target_shape": [1, 1, channels]}, se, f"{name}se_reshape")
    se = net.add("Conv2D", conv(max(1, int(f_in * 0.25)), 1, padding="same", activation=SWISH), se,
                 f"{name}se_reduce")
    se = net.add("Conv2D", conv(channels, 1, padding="same", activation="sigmoid"), se, f"{name}se_expand")
    x = net.add("Multiply", {}, [x, se], f"{name}se_excite")
    x = net.add("Conv2D", conv(f_out, 1, padding="same", use_bias=False), x, f"{name}project_conv")
    x = net.add("BatchNormalization", bn(axis=3), x, f"{name}project_bn")
    if stride == 1 and f_in == f_out:
        if drop_rate > 0:  # stochastic depth: Keras's Dropout with noise_shape (None, 1, 1, 1)
            x = net.add("Dropout", {"rate": drop_rate}, x, f"{name}drop")
        x = net.add("Add", {}, [x, inputs], f"{name}add")
    return x


EFFICIENTNET_DOC = """\
EfficientNet B0…B7 (Tan & Le 2019) layer for layer as keras.applications.EfficientNetB0… build
them, or any compound coefficient φ.
Structure (weights=None): `stem` (Keras's preprocessing inside the model: Rescaling 1/255 and a
Normalization whose mean and variance are left to adapt(), 7 non-trainable numbers; then
ZeroPadding2D, 3×3/2 conv, BN, swish); the MBConv blocks `block1a`… of Table 1's seven stages
(1×1 expand, k×k depthwise, squeeze-and-excite from a quarter of the block's input channels,
1×1 project, and where the shape allows stochastic depth, a Dropout of rate 0.2·b/blocks, and
the residual Add); `top` (1×1 conv to 1280·width, BN, swish, avg_pool, Dropout, softmax).
`variant` takes Keras's presets (width, depth, resolution, dropout): B0 (1.0, 1.0, 224, 0.2) …
B7 (2.0, 3.1, 600, 0.5). `phi` ≥ 0 instead scales B0 by the paper's rule: depth 1.2^φ, width
1.1^φ, resolution 224·1.15^φ; channels are rounded as Keras does (to a multiple of 8, never more
than 10% down) and repeats to ceil(depth·n). `resolution` 0 means the variant's. B0 at 224:
5,330,571 params (the paper's Table 2: 5.3M, 0.39B FLOPs, which are mult-adds); B7 at 600:
66,658,687 (the paper: 66M)."""
