"""Inception v3 layer for layer as ``keras.applications.InceptionV3`` builds it.

Keras names only the merges (``mixed0``…``mixed10``, ``mixed9_0``, ``mixed9_1``) and the top;
every convolution, batch norm, activation and pool is unnamed, so the ids are the names Keras
gives them in a fresh session, counted in the order its code creates them (``conv2d_17``…).
"""

from __future__ import annotations

from ..design import Design
from .net import Net, act, bn, conv

_AVG3 = {"pool_size": 3, "strides": 1, "padding": "same"}
_MAX3 = {"pool_size": 3, "strides": 2}


def build_inception_v3(classes=1000, resolution=299) -> Design:
    net = Net(f"Inception v3 {resolution}", resolution)

    def cbr(x, filters, rows, cols, padding="same", strides=1):
        kernel = rows if rows == cols else (rows, cols)
        x = net.add("Conv2D", conv(filters, kernel, strides=strides, padding=padding, use_bias=False), x)
        x = net.add("BatchNormalization", bn(scale=False, axis=3), x)
        return net.add("Activation", act(), x)

    def mixed(name, branches):
        return net.add("Concatenate", {"axis": 3}, branches, name)

    with net.group("stem"):
        x = cbr(net.input, 32, 3, 3, strides=2, padding="valid")
        x = cbr(x, 32, 3, 3, padding="valid")
        x = cbr(x, 64, 3, 3)
        x = net.add("MaxPooling2D", _MAX3, x)
        x = cbr(x, 80, 1, 1, padding="valid")
        x = cbr(x, 192, 3, 3, padding="valid")
        x = net.add("MaxPooling2D", _MAX3, x)

    for i, pool_proj in enumerate((32, 64, 64)):  # mixed0-2, Fig. 5: 35×35
        with net.group(f"mixed{i}"):
            b1 = cbr(x, 64, 1, 1)
            b5 = cbr(cbr(x, 48, 1, 1), 64, 5, 5)
            b3 = cbr(cbr(cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
            bp = cbr(net.add("AveragePooling2D", _AVG3, x), pool_proj, 1, 1)
            x = mixed(f"mixed{i}", [b1, b5, b3, bp])

    with net.group("mixed3"):  # grid reduction 35 → 17
        b3 = cbr(x, 384, 3, 3, strides=2, padding="valid")
        bd = cbr(cbr(cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=2, padding="valid")
        bp = net.add("MaxPooling2D", _MAX3, x)
        x = mixed("mixed3", [b3, bd, bp])

    for i, c in zip((4, 5, 6, 7), (128, 160, 160, 192)):  # Fig. 6: factorized 7×7, 17×17
        with net.group(f"mixed{i}"):
            b1 = cbr(x, 192, 1, 1)
            b7 = cbr(cbr(cbr(x, c, 1, 1), c, 1, 7), 192, 7, 1)
            bd = cbr(x, c, 1, 1)
            for f, (r, k) in ((c, (7, 1)), (c, (1, 7)), (c, (7, 1)), (192, (1, 7))):
                bd = cbr(bd, f, r, k)
            bp = cbr(net.add("AveragePooling2D", _AVG3, x), 192, 1, 1)
            x = mixed(f"mixed{i}", [b1, b7, bd, bp])

    with net.group("mixed8"):  # grid reduction 17 → 8
        b3 = cbr(cbr(x, 192, 1, 1), 320, 3, 3, strides=2, padding="valid")
        b7 = cbr(cbr(cbr(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
        b7 = cbr(b7, 192, 3, 3, strides=2, padding="valid")
        bp = net.add("MaxPooling2D", _MAX3, x)
        x = mixed("mixed8", [b3, b7, bp])

    for i in range(2):  # Fig. 7: expanded filter banks, 8×8
        with net.group(f"mixed{9 + i}"):
            b1 = cbr(x, 320, 1, 1)
            b3 = cbr(x, 384, 1, 1)
            b3 = net.add("Concatenate", {"axis": 3}, [cbr(b3, 384, 1, 3), cbr(b3, 384, 3, 1)], f"mixed9_{i}")
            bd = cbr(cbr(x, 448, 1, 1), 384, 3, 3)
            bd = net.add("Concatenate", {"axis": 3}, [cbr(bd, 384, 1, 3), cbr(bd, 384, 3, 1)])
            bp = cbr(net.add("AveragePooling2D", _AVG3, x), 192, 1, 1)
            x = mixed(f"mixed{9 + i}", [b1, b3, bd, bp])

    with net.group("top"):
        x = net.add("GlobalAveragePooling2D", {}, x, "avg_pool")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, "predictions")
    return net.design


INCEPTION_V3_DOC = """\
Inception v3 (Szegedy et al. 2016) layer for layer as keras.applications.InceptionV3 builds it.
Structure (weights=None): a stem of five conv + BN (no scale) + ReLU units and two 3×3/2
max-pools; three 35×35 modules `mixed0`…`mixed2` (Fig. 5: 1×1, 5×5, double 3×3, pool
projection), the grid reduction `mixed3`; four 17×17 modules `mixed4`…`mixed7` (Fig. 6: 1×7 and
7×1 factorized convolutions), the grid reduction `mixed8`; two 8×8 modules `mixed9`, `mixed10`
(Fig. 7: the 1×3 and 3×1 halves concatenated); `avg_pool` and the softmax `predictions`, without
the auxiliary classifier. Convs have no bias; BN has no γ (scale=False), as in Keras. Keras
names only the merges; the other ids are Keras's own automatic names in a fresh session
(`conv2d_12`, `batch_normalization_12`, `activation_12`). Keras's preprocessing (tf: scale to
[-1, 1]) is outside the model. At 299: 23,851,784 params and 5.71G mult-adds (the paper's
abstract: "less than 25 million parameters", "5 billion multiply-adds")."""
