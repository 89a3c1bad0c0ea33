"""Inception networks: the seed's small network, one module, and GoogLeNet (Szegedy et al. 2014)."""

from __future__ import annotations

from ..design import Design
from .blocks import conv_attrs, inception

SEED_CONFIG = (64, 96, 128, 16, 32, 32)

# GoogLeNet, Table 1: (row, #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj); a None row is
# the 3×3/2 max pool between stages.
GOOGLENET_ROWS = (
    ("inception_3a", (64, 96, 128, 16, 32, 32)),
    ("inception_3b", (128, 128, 192, 32, 96, 64)),
    ("pool3_3x3_s2", None),
    ("inception_4a", (192, 96, 208, 16, 48, 64)),
    ("inception_4b", (160, 112, 224, 24, 64, 64)),
    ("inception_4c", (128, 128, 256, 24, 64, 64)),
    ("inception_4d", (112, 144, 288, 32, 64, 64)),
    ("inception_4e", (256, 160, 320, 32, 128, 128)),
    ("pool4_3x3_s2", None),
    ("inception_5a", (256, 160, 320, 32, 128, 128)),
    ("inception_5b", (384, 192, 384, 48, 128, 128)),
)

_POOL_S2 = {"pool_size": 3, "strides": 2, "padding": "same"}


def build_seed_inception(filters=SEED_CONFIG, classes=2, resolution=28) -> Design:
    d = Design("seed inception")
    x = d.add_node("Input", "input", attrs={"shape": [resolution, resolution, 3]})
    x = inception(d, x, "inception", filters=filters).output
    x = d.add_node("MaxPooling2D", "max_pooling2d", attrs={"pool_size": 2})
    d.connect("inception_output", x)
    d.add_node("Flatten", "flatten")
    d.connect(x, "flatten")
    d.add_node("Dense", "dense", attrs={"units": 64, "activation": "relu"})
    d.connect("flatten", "dense")
    d.add_node("Dense", "dense_1", attrs={"units": classes, "activation": "softmax"})
    d.connect("dense", "dense_1")
    return d


def build_inception_module(filters=(64, 96, 128, 16, 32, 32), resolution=28, channels=192) -> Design:
    d = Design("inception module")
    x = d.add_node("Input", "input", attrs={"shape": [resolution, resolution, channels]})
    inception(d, x, "inception", filters=filters)
    return d


def build_googlenet(classes=1000, resolution=224) -> Design:
    d = Design("GoogLeNet")

    def add(node_id, type_name, attrs, src, group=None):
        d.add_node(type_name, node_id, attrs=attrs, group=group)
        d.connect(src, node_id)
        return node_id

    x = d.add_node("Input", "input", attrs={"shape": [resolution, resolution, 3]})
    x = add("conv1_7x7_s2", "Conv2D", conv_attrs(64, 7, 2, activation="relu"), x, "conv1")
    x = add("pool1_3x3_s2", "MaxPooling2D", _POOL_S2, x)
    x = add("conv2_3x3_reduce", "Conv2D", conv_attrs(64, 1, activation="relu"), x, "conv2")
    x = add("conv2_3x3", "Conv2D", conv_attrs(192, 3, activation="relu"), x, "conv2")
    x = add("pool2_3x3_s2", "MaxPooling2D", _POOL_S2, x)
    for row, config in GOOGLENET_ROWS:
        if config is None:
            x = add(row, "MaxPooling2D", _POOL_S2, x)
        else:
            x = inception(d, x, row, filters=config).output
    x = add("pool5_7x7_s1", "GlobalAveragePooling2D", {}, x, "classifier")
    x = add("pool5_drop_7x7_s1", "Dropout", {"rate": 0.4}, x, "classifier")
    add("loss3_classifier", "Dense", {"units": classes, "activation": "softmax"}, x, "classifier")
    return d


SEED_INCEPTION_DOC = """\
A small Inception network, a worked example small enough to check by hand: one Inception module
on 28×28×3, max-pool, Dense 64, Dense softmax.
In full: the module (1×1 64; 1×1 96 → 3×3 128; 1×1 16 → 5×5 32; 3×3 max-pool → 1×1 32; all
`same`, ReLU, with bias), 2×2 max-pool, Flatten, Dense 64 ReLU, Dense softmax. With the defaults
it has exactly 3,335,842 params (124,384 in the convolutions). `classes` defaults to 2 (a
two-class problem), not 1,000, so that it gives that figure."""

INCEPTION_MODULE_DOC = """\
One Inception module on its own input (by default GoogLeNet's inception 3a).
Defaults: 28×28×192 with
(64, 96, 128, 16, 32, 32) → 28×28×256, 163,328 weights + 368 biases, 128,049,152 MACs (the
paper's Table 1 prints 159K params, 128M ops)."""

GOOGLENET_DOC = """\
GoogLeNet (Szegedy et al. 2014, Table 1) on 224×224×3, without the auxiliary classifiers.
As in "Going deeper with convolutions" but without local response normalization (not a Keras
layer): conv 7×7/2, max-pool 3×3/2, conv 1×1 64 + 3×3 192, max-pool, inception (3a)–(5b) with Table 1's
configurations, max-pools 3×3/2 between stages, average pool, dropout 40%, linear + softmax.
Convolutions have bias and ReLU; every convolution and pool is `same`, so at 224 the maps are
Table 1's 112, 56, 28, 14, 7. The 7×7/1 average pool is written as GlobalAveragePooling2D,
identical at 224 and valid at other resolutions. Groups are the table's rows (`conv1`, `conv2`,
`inception_3a`…`inception_5b`, `classifier`); node ids follow the BVLC Caffe model
(`inception_3a_3x3_reduce`…) with `_` for `/`, which Keras forbids in names.
At 224: 6,998,552 params (6,990,272 weights + 8,280 biases) and 1,582,671,872 MACs;
docs/templates.md compares every row with Table 1's printed figures and its known errata."""
