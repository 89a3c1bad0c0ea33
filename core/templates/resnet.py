"""ResNet v1 (50, 101, 152; Keras's and the v1.5 stride placement) and ResNet50 v2, layer for
layer as ``keras.applications.ResNet50``… and ``ResNet50V2`` build them."""

from __future__ import annotations

from ..design import Design
from .net import Net, act, bn, conv

# He et al. 2016, Table 1: bottleneck blocks per stage conv2_x … conv5_x.
RESNET_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
STAGE_FILTERS = (64, 128, 256, 512)
EPS = 1.001e-5


def _stem(net: Net, use_bias: bool, preact: bool) -> str:
    with net.group("conv1"):
        x = net.add("ZeroPadding2D", {"padding": [[3, 3], [3, 3]]}, net.input, "conv1_pad")
        x = net.add("Conv2D", conv(64, 7, strides=2, use_bias=use_bias), x, "conv1_conv")
        if not preact:
            x = net.add("BatchNormalization", bn(EPS, axis=3), x, "conv1_bn")
            x = net.add("Activation", act(), x, "conv1_relu")
        x = net.add("ZeroPadding2D", {"padding": [[1, 1], [1, 1]]}, x, "pool1_pad")
        return net.add("MaxPooling2D", {"pool_size": 3, "strides": 2}, x, "pool1_pool")


def _top(net: Net, x: str, classes: int) -> None:
    with net.group("top"):
        x = net.add("GlobalAveragePooling2D", {}, x, "avg_pool")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, "predictions")


def _block_v1(net: Net, x: str, filters: int, stride: int, shortcut_conv: bool, name: str,
              stride_on: str) -> str:
    with net.group(name):
        if shortcut_conv:
            s = net.add("Conv2D", conv(4 * filters, 1, strides=stride), x, f"{name}_0_conv")
            shortcut = net.add("BatchNormalization", bn(EPS, axis=3), s, f"{name}_0_bn")
        else:
            shortcut = x
        s1, s2 = (stride, 1) if stride_on == "1x1" else (1, stride)
        y = net.add("Conv2D", conv(filters, 1, strides=s1), x, f"{name}_1_conv")
        y = net.add("BatchNormalization", bn(EPS, axis=3), y, f"{name}_1_bn")
        y = net.add("Activation", act(), y, f"{name}_1_relu")
        y = net.add("Conv2D", conv(filters, 3, strides=s2, padding="same"), y, f"{name}_2_conv")
        y = net.add("BatchNormalization", bn(EPS, axis=3), y, f"{name}_2_bn")
        y = net.add("Activation", act(), y, f"{name}_2_relu")
        y = net.add("Conv2D", conv(4 * filters, 1), y, f"{name}_3_conv")
        y = net.add("BatchNormalization", bn(EPS, axis=3), y, f"{name}_3_bn")
        y = net.add("Add", {}, [shortcut, y], f"{name}_add")
        return net.add("Activation", act(), y, f"{name}_out")


def build_resnet(depth=50, classes=1000, resolution=224, variant="v1") -> Design:
    """``variant`` "v1": Keras's ResNet (the stride on each stage's first 1×1); "v1.5": the
    stride on the 3×3 (torchvision's, NVIDIA's "ResNet v1.5"): same params, more mult-adds."""
    net = Net(f"ResNet{depth} {variant} {resolution}", resolution)
    x = _stem(net, use_bias=True, preact=False)
    stride_on = "1x1" if variant == "v1" else "3x3"
    for stage, (blocks, filters) in enumerate(zip(RESNET_BLOCKS[depth], STAGE_FILTERS), 2):
        for i in range(1, blocks + 1):
            x = _block_v1(net, x, filters, (1 if stage == 2 else 2) if i == 1 else 1, i == 1,
                          f"conv{stage}_block{i}", stride_on)
    _top(net, x, classes)
    return net.design


def _block_v2(net: Net, x: str, filters: int, stride: int, shortcut_conv: bool, name: str) -> str:
    with net.group(name):
        pre = net.add("BatchNormalization", bn(EPS, axis=3), x, f"{name}_preact_bn")
        pre = net.add("Activation", act(), pre, f"{name}_preact_relu")
        if shortcut_conv:
            shortcut = net.add("Conv2D", conv(4 * filters, 1, strides=stride), pre, f"{name}_0_conv")
        elif stride > 1:  # Keras leaves this pool unnamed: max_pooling2d, max_pooling2d_1…
            shortcut = net.add("MaxPooling2D", {"pool_size": 1, "strides": stride}, x)
        else:
            shortcut = x
        y = net.add("Conv2D", conv(filters, 1, use_bias=False), pre, f"{name}_1_conv")
        y = net.add("BatchNormalization", bn(EPS, axis=3), y, f"{name}_1_bn")
        y = net.add("Activation", act(), y, f"{name}_1_relu")
        y = net.add("ZeroPadding2D", {"padding": [[1, 1], [1, 1]]}, y, f"{name}_2_pad")
        y = net.add("Conv2D", conv(filters, 3, strides=stride, use_bias=False), y, f"{name}_2_conv")
        y = net.add("BatchNormalization", bn(EPS, axis=3), y, f"{name}_2_bn")
        y = net.add("Activation", act(), y, f"{name}_2_relu")
        y = net.add("Conv2D", conv(4 * filters, 1), y, f"{name}_3_conv")
        return net.add("Add", {}, [shortcut, y], f"{name}_out")


def build_resnet_v2(depth=50, classes=1000, resolution=224) -> Design:
    net = Net(f"ResNet{depth}V2 {resolution}", resolution)
    x = _stem(net, use_bias=True, preact=True)
    for stage, (blocks, filters) in enumerate(zip(RESNET_BLOCKS[depth], STAGE_FILTERS), 2):
        # v2 strides in the LAST block of a stage (conv2…conv4); conv5 keeps its resolution.
        for i in range(1, blocks + 1):
            stride = 2 if i == blocks and stage < 5 else 1
            x = _block_v2(net, x, filters, stride, i == 1, f"conv{stage}_block{i}")
    with net.group("post"):
        x = net.add("BatchNormalization", bn(EPS, axis=3), x, "post_bn")
        x = net.add("Activation", act(), x, "post_relu")
    _top(net, x, classes)
    return net.design


RESNET_DOC = """\
ResNet-{depth} (He et al. 2016) layer for layer as keras.applications.ResNet{depth} builds it.
Structure (weights=None): `conv1` (ZeroPadding2D 3, 7×7/2 conv with bias, BN, ReLU,
ZeroPadding2D 1, 3×3/2 max-pool), then the bottleneck blocks `conv2_block1`… of stages conv2_x
… conv5_x ({blocks} blocks; 1×1, 3×3, 1×1 ×4 convolutions with bias, BN ε=1.001e-5, a 1×1
projection shortcut `_0_conv` in each stage's first block, `_add`, `_out` ReLU), then `avg_pool`
and the softmax `predictions`. `variant` v1 is Keras's (and the paper's Caffe model): the
stride sits on the first 1×1 of a stage; v1.5 moves it to the 3×3 (torchvision): the same
params, more mult-adds, because the 1×1 then runs at full resolution. Keras's preprocessing
(caffe) is outside the model. {figures}"""

RESNET50_DOC = RESNET_DOC.format(depth=50, blocks="3, 4, 6, 3", figures=(
    "At 224: 25,636,712 params; 3.87G mult-adds (v1), 4.09G (v1.5); the paper's Table 1 prints "
    "3.8×10⁹ FLOPs, which are its mult-adds."))
RESNET101_DOC = RESNET_DOC.format(depth=101, blocks="3, 4, 23, 3", figures="At 224: 44,707,176 params.")
RESNET152_DOC = RESNET_DOC.format(depth=152, blocks="3, 8, 36, 3", figures="At 224: 60,419,944 params.")

RESNET50_V2_DOC = """\
ResNet-50 v2 (He et al. 2016, "Identity mappings": pre-activation) layer for layer as
keras.applications.ResNet50V2 builds it.
Structure (weights=None): `conv1` (ZeroPadding2D 3, 7×7/2 conv with bias, no BN, ZeroPadding2D 1,
3×3/2 max-pool); blocks `conv2_block1`… each start with BN + ReLU (`_preact_bn`, `_preact_relu`)
that feeds the 1×1 (no bias), the padded 3×3 (no bias) and a 1×1 with bias, joined by `_out` (an
Add, no ReLU after it). The first block of a stage projects the shortcut from the pre-activation;
the last block of conv2…conv4 strides on its 3×3 and its shortcut is a 1×1/2 max-pool (unnamed in
Keras: `max_pooling2d`…). `post_bn`, `post_relu`, `avg_pool`, softmax `predictions`. Keras's
preprocessing (tf: scale to [-1, 1]) is outside the model. At 224: 25,613,800 params."""
