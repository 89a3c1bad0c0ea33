"""Xception layer for layer as ``keras.applications.Xception`` builds it."""

from __future__ import annotations

from ..design import Design
from .net import Net, act, bn, conv


def _sep(filters) -> dict:
    return {"filters": filters, "kernel_size": 3, "padding": "same", "use_bias": False}


def build_xception(classes=1000, resolution=299) -> Design:
    net = Net(f"Xception {resolution}", resolution)
    with net.group("block1"):
        x = net.add("Conv2D", conv(32, 3, strides=2, use_bias=False), net.input, "block1_conv1")
        x = net.add("BatchNormalization", {}, x, "block1_conv1_bn")
        x = net.add("Activation", act(), x, "block1_conv1_act")
        x = net.add("Conv2D", conv(64, 3, use_bias=False), x, "block1_conv2")
        x = net.add("BatchNormalization", {}, x, "block1_conv2_bn")
        x = net.add("Activation", act(), x, "block1_conv2_act")
    # Entry flow (and block 13 of the exit flow): two separable convs, a 3×3/2 max-pool, and a
    # strided 1×1 projection shortcut (unnamed in Keras: conv2d, batch_normalization, add…).
    for b, (f1, f2) in zip((2, 3, 4, 13), ((128, 128), (256, 256), (728, 728), (728, 1024))):
        p = f"block{b}"
        with net.group(p):
            r = net.add("Conv2D", conv(f2, 1, strides=2, padding="same", use_bias=False), x)
            r = net.add("BatchNormalization", {}, r)
            if b != 2:  # block 2 follows block1's ReLU directly
                x = net.add("Activation", act(), x, f"{p}_sepconv1_act")
            x = net.add("SeparableConv2D", _sep(f1), x, f"{p}_sepconv1")
            x = net.add("BatchNormalization", {}, x, f"{p}_sepconv1_bn")
            x = net.add("Activation", act(), x, f"{p}_sepconv2_act")
            x = net.add("SeparableConv2D", _sep(f2), x, f"{p}_sepconv2")
            x = net.add("BatchNormalization", {}, x, f"{p}_sepconv2_bn")
            x = net.add("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, x, f"{p}_pool")
            x = net.add("Add", {}, [x, r])
        if b == 4:  # middle flow: eight residual blocks of three separable convs
            for i in range(5, 13):
                p = f"block{i}"
                with net.group(p):
                    r = x
                    for k in (1, 2, 3):
                        x = net.add("Activation", act(), x, f"{p}_sepconv{k}_act")
                        x = net.add("SeparableConv2D", _sep(728), x, f"{p}_sepconv{k}")
                        x = net.add("BatchNormalization", {}, x, f"{p}_sepconv{k}_bn")
                    x = net.add("Add", {}, [x, r])
    with net.group("block14"):
        for k, f in ((1, 1536), (2, 2048)):
            x = net.add("SeparableConv2D", _sep(f), x, f"block14_sepconv{k}")
            x = net.add("BatchNormalization", {}, x, f"block14_sepconv{k}_bn")
            x = net.add("Activation", act(), x, f"block14_sepconv{k}_act")
    with net.group("top"):
        x = net.add("GlobalAveragePooling2D", {}, x, "avg_pool")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, "predictions")
    return net.design


XCEPTION_DOC = """\
Xception (Chollet 2017) layer for layer as keras.applications.Xception builds it.
Structure (weights=None): `block1` (3×3/2 and 3×3 `valid` convs, no bias, BN, ReLU); the entry
flow `block2`…`block4` (ReLU, 3×3 SeparableConv2D, BN, twice, a 3×3/2 `same` max-pool, plus a
strided 1×1 conv + BN shortcut, summed); the middle flow `block5`…`block12` (three ReLU →
separable 728 → BN, plus the identity); the exit flow `block13` (separable 728 and 1024, pool,
projection) and `block14` (separable 1536 and 2048, each BN, ReLU); `avg_pool`, softmax
`predictions`. Keras leaves the shortcut layers unnamed (`conv2d`, `batch_normalization`, `add`…
in a fresh session); the template uses those names. Keras's preprocessing (tf: scale to [-1, 1])
is outside the model. At 299: 22,910,480 params, of which 22,855,952 trainable: the paper's
Table 3 figure (it leaves out the batch norms' 54,528 moving statistics)."""
