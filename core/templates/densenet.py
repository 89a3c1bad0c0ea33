"""DenseNet-121, -169 and -201 layer for layer as ``keras.applications.DenseNet121``… build them."""

from __future__ import annotations

from ..design import Design
from .net import Net, act, bn, conv

# Huang et al. 2017, Table 1: conv blocks per dense block.
DENSENET_BLOCKS = {121: (6, 12, 24, 16), 169: (6, 12, 32, 32), 201: (6, 12, 48, 32)}
EPS = 1.001e-5


def build_densenet(blocks=(6, 12, 24, 16), classes=1000, resolution=224, growth_rate=32) -> Design:
    net = Net(f"DenseNet-{sum(blocks) * 2 + 5} {resolution}", resolution)
    with net.group("conv1"):  # Keras leaves both paddings unnamed: zero_padding2d, zero_padding2d_1
        x = net.add("ZeroPadding2D", {"padding": [[3, 3], [3, 3]]}, net.input)
        x = net.add("Conv2D", conv(64, 7, strides=2, use_bias=False), x, "conv1_conv")
        x = net.add("BatchNormalization", bn(EPS, axis=3), x, "conv1_bn")
        x = net.add("Activation", act(), x, "conv1_relu")
        x = net.add("ZeroPadding2D", {"padding": [[1, 1], [1, 1]]}, x)
        x = net.add("MaxPooling2D", {"pool_size": 3, "strides": 2}, x, "pool1")
    channels = 64
    for stage, n in enumerate(blocks, 2):
        for i in range(1, n + 1):
            name = f"conv{stage}_block{i}"
            with net.group(name):
                y = net.add("BatchNormalization", bn(EPS, axis=3), x, f"{name}_0_bn")
                y = net.add("Activation", act(), y, f"{name}_0_relu")
                y = net.add("Conv2D", conv(4 * growth_rate, 1, use_bias=False), y, f"{name}_1_conv")
                y = net.add("BatchNormalization", bn(EPS, axis=3), y, f"{name}_1_bn")
                y = net.add("Activation", act(), y, f"{name}_1_relu")
                y = net.add("Conv2D", conv(growth_rate, 3, padding="same", use_bias=False), y,
                            f"{name}_2_conv")
                x = net.add("Concatenate", {"axis": 3}, [x, y], f"{name}_concat")
            channels += growth_rate
        if stage < 1 + len(blocks):
            name = f"pool{stage}"  # the transition layer: compression 0.5
            with net.group(name):
                x = net.add("BatchNormalization", bn(EPS, axis=3), x, f"{name}_bn")
                x = net.add("Activation", act(), x, f"{name}_relu")
                channels = int(channels * 0.5)
                x = net.add("Conv2D", conv(channels, 1, use_bias=False), x, f"{name}_conv")
                x = net.add("AveragePooling2D", {"pool_size": 2, "strides": 2}, x, f"{name}_pool")
    with net.group("top"):
        x = net.add("BatchNormalization", bn(EPS, axis=3), x, "bn")
        x = net.add("Activation", act(), x, "relu")
        x = net.add("GlobalAveragePooling2D", {}, x, "avg_pool")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, "predictions")
    return net.design


def densenet(depth):
    def build(classes=1000, resolution=224, blocks=DENSENET_BLOCKS[depth]) -> Design:
        return build_densenet(blocks, classes, resolution)
    return build


DENSENET_DOC = """\
DenseNet-{depth} (Huang et al. 2017, DenseNet-BC) layer for layer as
keras.applications.DenseNet{depth} builds it.
Structure (weights=None): `conv1` (ZeroPadding2D 3, 7×7/2 conv, BN, ReLU, ZeroPadding2D 1 and
the 3×3/2 max-pool `pool1`); four dense blocks of {blocks} conv blocks `conv2_block1`… (BN,
ReLU, 1×1 conv to 128, BN, ReLU, 3×3 conv to the growth rate 32, Concatenate with the block's
input); between them the transitions `pool2`…`pool4` (BN, ReLU, 1×1 conv halving the channels,
2×2/2 average pool); then `bn`, `relu`, `avg_pool`, softmax `predictions`. BN ε=1.001e-5, no
conv has a bias. `blocks` changes the depth (conv blocks per dense block). Keras's preprocessing
(torch: scale and ImageNet mean/std) is outside the model. {figures}"""

DENSENET121_DOC = DENSENET_DOC.format(depth=121, blocks="6, 12, 24, 16",
                                      figures="At 224: 8,062,504 params, 7,978,856 trainable (torchvision's figure).")
DENSENET169_DOC = DENSENET_DOC.format(depth=169, blocks="6, 12, 32, 32",
                                      figures="At 224: 14,307,880 params, 14,149,480 trainable.")
DENSENET201_DOC = DENSENET_DOC.format(depth=201, blocks="6, 12, 48, 32",
                                      figures="At 224: 20,242,984 params, 20,013,928 trainable.")
