"""ConvNeXt-Tiny layer for layer as ``keras.applications.ConvNeXtTiny`` builds it (Liu et al. 2022)."""

from __future__ import annotations

from ..design import Design
from .net import Net, conv

# Table (ConvNeXt-T): blocks and channels per stage.
TINY = {"depths": (3, 3, 9, 3), "dims": (96, 192, 384, 768)}
EPS = {"epsilon": 1e-6}
# ImageNet's mean and variance on [0, 255], as Keras's PreStem gives them.
MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255]
VARIANCE = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]


def build_convnext(depths=TINY["depths"], dims=TINY["dims"], classes=1000, resolution=224,
                   name="convnext_tiny", layer_scale=1e-6) -> Design:
    net = Net(f"ConvNeXt-T {resolution}", resolution)
    with net.group(f"{name}_stem"):  # Keras's Sequential of that name, after its preprocessing
        x = net.add("Normalization", {"mean": MEAN, "variance": VARIANCE}, net.input,
                    f"{name}_prestem_normalization")
        x = net.add("Conv2D", conv(dims[0], 4, strides=4), x, f"{name}_stem_conv")
        x = net.add("LayerNormalization", EPS, x, f"{name}_stem_layernorm")
    for i, (depth, dim) in enumerate(zip(depths, dims)):
        if i:
            with net.group(f"{name}_downsampling_block_{i - 1}"):
                x = net.add("LayerNormalization", EPS, x, f"{name}_downsampling_layernorm_{i - 1}")
                x = net.add("Conv2D", conv(dim, 2, strides=2), x, f"{name}_downsampling_conv_{i - 1}")
        for j in range(depth):
            b = f"{name}_stage_{i}_block_{j}"
            with net.group(b):
                y = net.add("Conv2D", {**conv(dim, 7, padding="same"), "groups": dim}, x, f"{b}_depthwise_conv")
                y = net.add("LayerNormalization", EPS, y, f"{b}_layernorm")
                y = net.add("Dense", {"units": 4 * dim}, y, f"{b}_pointwise_conv_1")
                y = net.add("Activation", {"activation": "gelu"}, y, f"{b}_gelu")
                y = net.add("Dense", {"units": dim}, y, f"{b}_pointwise_conv_2")
                y = net.add("LayerScale", {"init_values": layer_scale, "projection_dim": dim}, y, f"{b}_layer_scale")
                # Keras's drop path at rate 0 is Activation("linear"); `inputs + y` is the op add
                y = net.add("Activation", {"activation": "linear"}, y, f"{b}_identity")
                x = net.add("Add", {}, [x, y])
    with net.group(f"{name}_head"):
        x = net.add("GlobalAveragePooling2D", {}, x, f"{name}_head_gap")
        x = net.add("LayerNormalization", EPS, x, f"{name}_head_layernorm")
        net.add("Dense", {"units": classes, "activation": "softmax"}, x, f"{name}_head_dense")
    return net.design


def build_convnext_tiny(classes=1000, resolution=224) -> Design:
    return build_convnext(classes=classes, resolution=resolution)


CONVNEXT_TINY_DOC = """\
ConvNeXt-T (Liu et al. 2022) layer for layer as keras.applications.ConvNeXtTiny builds it.
Structure (weights=None): Keras's preprocessing inside the model (a Normalization with ImageNet's
mean and variance given: no params); the stem (4×4/4 conv to 96, LayerNorm); four stages of 3, 3,
9, 3 blocks `convnext_tiny_stage_0_block_0`… (7×7 depthwise conv, written as Conv2D with
groups = channels; LayerNorm ε=1e-6; Dense to 4× the channels, GELU, Dense back; LayerScale
1e-6; the drop path, at rate 0 an Activation("linear"); the residual `inputs + y`, which Keras
records as the op `add`: an Add here); between stages LayerNorm and a 2×2/2 conv; the head
(global pool, LayerNorm, softmax Dense). Keras builds the stem and the downsampling layers as
nested Sequential models; their layers are grouped under those models' names. At 224:
28,589,128 params (the paper: 28M) and 4.46G mult-adds (the paper: 4.5G FLOPs)."""
