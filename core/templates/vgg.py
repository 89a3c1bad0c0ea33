"""VGG16 and VGG19 layer for layer as ``keras.applications.VGG16`` / ``VGG19`` build them."""

from __future__ import annotations

from ..design import Design
from .net import Net, conv

# Simonyan & Zisserman 2015, Table 1, configurations D (16) and E (19): convs per block.
VGG_BLOCKS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
VGG_FILTERS = (64, 128, 256, 512, 512)


def build_vgg(depth: int, classes=1000, resolution=224) -> Design:
    net = Net(f"VGG{depth} {resolution}", resolution)
    x = net.input
    for b, (n, filters) in enumerate(zip(VGG_BLOCKS[depth], VGG_FILTERS), 1):
        with net.group(f"block{b}"):
            for i in range(1, n + 1):
                x = net.add("Conv2D", conv(filters, 3, padding="same", activation="relu"), x,
                            f"block{b}_conv{i}")
            x = net.add("MaxPooling2D", {"pool_size": 2, "strides": 2}, x, f"block{b}_pool")
    with net.group("classifier"):
        x = net.add("Flatten", {}, x, "flatten")
        x = net.add("Dense", {"units": 4096, "activation": "relu"}, x, "fc1")
        x = net.add("Dense", {"units": 4096, "activation": "relu"}, x, "fc2")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, "predictions")
    return net.design


def build_vgg16(classes=1000, resolution=224) -> Design:
    return build_vgg(16, classes, resolution)


def build_vgg19(classes=1000, resolution=224) -> Design:
    return build_vgg(19, classes, resolution)


VGG_DOC = """\
VGG{depth} (Simonyan & Zisserman 2015, configuration {config}) layer for layer as
keras.applications.VGG{depth} builds it.
Structure (weights=None): five blocks `block1`…`block5` of 3×3 `same` convolutions with bias and
ReLU ({convs} per block; 64, 128, 256, 512, 512 filters), each ending in a 2×2/2 max-pool; then
Flatten, `fc1` and `fc2` (4096, ReLU) and the softmax `predictions`. Keras's preprocessing
(caffe: BGR, mean subtracted) is a function outside the model, so there is no layer for it.
{figures}"""

VGG16_DOC = VGG_DOC.format(depth=16, config="D", convs="2, 2, 3, 3, 3", figures=(
    "At 224: 138,357,544 params and 15,470,264,320 mult-adds (the paper: 138M params)."))
VGG19_DOC = VGG_DOC.format(depth=19, config="E", convs="2, 2, 4, 4, 4", figures=(
    "At 224: 143,667,240 params (the paper: 144M)."))
