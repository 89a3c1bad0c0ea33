"""Blocks and network templates, declared as data for the palette, the CLI and the tests.

``BLOCKS[name].add(design, source, group, origin=(0, 0), **params) -> BlockResult`` adds a block
under ``group`` (used as given; ``fresh_group`` makes one unique), wired to ``source`` (or left
unconnected when ``source`` is None), positioned around ``origin``. A failing add leaves the
design as it was. ``TEMPLATES[name].build(**params) -> Design`` builds a whole network with every
node placed. Parameters are validated by their ``Param`` (``AttrError`` names the parameter).
"""

from __future__ import annotations

import inspect
from functools import partial

from ..design import Design
from ..layout import SPACING, layered_positions
from . import blocks as _b
from .blocks import fresh_group, fresh_id
from .googlenet import (GOOGLENET_DOC, INCEPTION_MODULE_DOC, SEED_CONFIG, SEED_INCEPTION_DOC,
                        build_googlenet, build_inception_module, build_seed_inception)
from .convnext import CONVNEXT_TINY_DOC, build_convnext_tiny
from .densenet import (DENSENET121_DOC, DENSENET169_DOC, DENSENET201_DOC, DENSENET_BLOCKS,
                       densenet)
from .efficientnet import EFFICIENTNET_DOC, VARIANTS, build_efficientnet
from .inception_v3 import INCEPTION_V3_DOC, build_inception_v3
from .mobilenet_v3 import LARGE_DOC, SMALL_DOC, build_mobilenet_v3
from .mobilenet import V1_DOC, V2_DOC, build_mobilenet_v1, build_mobilenet_v2, make_divisible
from .params import Block, BlockResult, Param, Template, resolve
from ..layout import lift_bypassed, place_design
from .resnet import (RESNET50_DOC, RESNET50_V2_DOC, RESNET101_DOC, RESNET152_DOC, build_resnet,
                     build_resnet_v2)
from .vgg import VGG16_DOC, VGG19_DOC, build_vgg16, build_vgg19
from .xception import XCEPTION_DOC, build_xception

__all__ = ["Param", "BlockResult", "Block", "Template", "BLOCKS", "TEMPLATES", "build", "add_block",
           "fresh_group", "fresh_id", "make_divisible"]


def _add_block(fn, name, params, design: Design, source: str | None, group: str | None,
               origin=(0.0, 0.0), **given) -> BlockResult:
    values = resolve(params, given, f"the {name} block")
    if source is not None:
        design.node(source)  # DesignError for an unknown source, before anything changes
    group = group or name.replace("-", "_")
    before = set(design.node_ids())
    try:
        result = fn(design, source, group, **values)
    except Exception:  # a half-added block is worse than none, whatever went wrong
        for node_id in [n for n in design.node_ids() if n not in before]:
            design.remove_node(node_id)
        raise
    local = layered_positions(design, result.nodes, origin=origin)
    for node_id, pos in lift_bypassed(design, result.nodes, local, SPACING[1]).items():
        design.move(node_id, pos)
    return result


def _block(name, fn, doc, *params) -> Block:
    return Block(name, inspect.cleandoc(doc), params, partial(_add_block, fn, name, params))


def _build(fn, name, params, breaks, **given) -> Design:
    design = fn(**resolve(params, given, f"the {name} template"))
    place_design(design, breaks=breaks)
    return design


def _template(name, fn, doc, *params, breaks=(), title="") -> Template:
    return Template(name, doc, params, partial(_build, fn, name, params, breaks), title)


_FILTERS6 = "#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj"
_ACT = ("relu", "relu6")
_CLASSES = Param("classes", "int", 1000, "number of classes of the softmax", min=1, max=1_000_000)
_PAD = Param("downsample_padding", "choice", "keras",
             "'keras': ZeroPadding2D + 'valid' before a stride-2 depthwise conv, as keras.applications; "
             "'same': no padding layer", choices=("keras", "same"))


def _resolution(default, lo=32, doc="input height and width (the paper's ρ × 224)"):
    return Param("resolution", "int", default, doc, min=lo, max=4096)


def _size(default, lo):
    return Param("resolution", "int", default, f"input height and width (Keras accepts {lo} and more)",
                 min=lo, max=4096)


_VARIANT = Param("variant", "choice", "v1", "'v1': Keras's ResNet, the stride on a stage's first 1×1; "
                 "'v1.5': the stride on the 3×3 (torchvision)", choices=("v1", "v1.5"))


def _resnet(depth):
    return partial(build_resnet, depth)


def _dense_blocks(depth):
    return Param("blocks", "ints", DENSENET_BLOCKS[depth], "conv blocks in each of the four dense blocks",
                 min=1, max=1000, length=4)


def _alpha(lo):
    return Param("alpha", "float", 1.0, "width multiplier α: scales every layer's channels",
                 min=lo, max=10.0)


BLOCKS: dict[str, Block] = {b.name: b for b in (
    _block("inception", _b.inception, _b.inception.__doc__,
           Param("filters", "ints", (64, 96, 128, 16, 32, 32), _FILTERS6, min=1, max=100_000, length=6),
           Param("activation", "choice", "relu", "activation of every convolution", choices=_ACT)),
    _block("bottleneck", _b.bottleneck, _b.bottleneck.__doc__,
           Param("reduce_filters", "int", 16, "channels of the 1×1 reduction", min=1, max=100_000),
           Param("filters", "int", 32, "channels of the large convolution", min=1, max=100_000),
           Param("kernel_size", "int", 5, "kernel of the large convolution", min=1, max=31),
           Param("activation", "choice", "relu", "activation of both convolutions", choices=_ACT)),
    _block("conv-bn-relu", _b.conv_bn_relu, _b.conv_bn_relu.__doc__,
           Param("filters", "int", 32, "output channels", min=1, max=100_000),
           Param("kernel_size", "int", 3, "kernel height and width", min=1, max=31),
           Param("strides", "choice", 1, "stride", choices=(1, 2)),
           Param("activation", "choice", "relu", "activation after the batch norm", choices=_ACT)),
    _block("separable", _b.separable, _b.separable.__doc__,
           Param("filters", "int", 64, "channels of the 1×1 pointwise convolution", min=1, max=100_000),
           Param("strides", "choice", 1, "stride of the block", choices=(1, 2)),
           Param("stride_on", "choice", "depthwise",
                 "'depthwise': the depthwise convolution strides (the paper and Keras); 'pointwise': the "
                 "1×1 pointwise convolution strides, as some MobileNet implementations do (same params, "
                 "stride² × the depthwise mult-adds)", choices=("depthwise", "pointwise")),
           Param("kernel_size", "int", 3, "depthwise kernel", min=1, max=31),
           Param("activation", "choice", "relu", "activation after each batch norm", choices=_ACT),
           Param("depth_multiplier", "int", 1, "depthwise outputs per input channel", min=1, max=64),
           _PAD),
    _block("inverted-residual", _b.inverted_residual, _b.inverted_residual.__doc__,
           Param("filters", "int", 24, "channels of the linear 1×1 projection", min=1, max=100_000),
           Param("expansion", "int", 6, "expansion factor t (1: no expand convolution)", min=1, max=64),
           Param("strides", "choice", 1, "stride of the depthwise convolution", choices=(1, 2)),
           Param("in_channels", "int", 0, "channels of the input; 0: the source's (or `filters` "
                 "when added unconnected)", min=0, max=100_000),
           Param("activation", "choice", "relu6", "activation after expand and depthwise", choices=_ACT),
           _PAD),
)}

TEMPLATES: dict[str, Template] = {t.name: t for t in (
    _template("seed-inception", build_seed_inception, SEED_INCEPTION_DOC,
              Param("filters", "ints", SEED_CONFIG, _FILTERS6, min=1, max=100_000, length=6),
              Param("classes", "int", 2, "classes of the last Dense (2: the worked example's)", min=1,
                    max=1_000_000),
              _resolution(28, lo=2, doc="input height and width (28: the worked example's)"),
              title="small inception network"),
    _template("inception-module", build_inception_module, INCEPTION_MODULE_DOC,
              Param("filters", "ints", (64, 96, 128, 16, 32, 32), _FILTERS6, min=1, max=100_000, length=6),
              Param("resolution", "int", 28, "input height and width", min=1, max=4096),
              Param("channels", "int", 192, "input channels", min=1, max=100_000)),
    _template("googlenet", build_googlenet, GOOGLENET_DOC, _CLASSES, _resolution(224),
              breaks=("pool3_3x3_s2", "pool4_3x3_s2")),
    _template("mobilenet-v1", build_mobilenet_v1, V1_DOC, _alpha(1 / 32), _resolution(224), _CLASSES,
              Param("depth_multiplier", "int", 1, "depthwise outputs per input channel (Keras's "
                    "depth_multiplier)", min=1, max=16),
              Param("dropout", "float", 0.001, "dropout rate before the classifier (Keras: 1e-3)",
                    min=0.0, max=0.99),
              Param("stride_on", "choice", "depthwise", "'depthwise': each block's depthwise convolution "
                    "strides (the paper and Keras); 'pointwise': the 1×1 pointwise convolution strides, as "
                    "some MobileNet implementations do (same params, more mult-adds)",
                    choices=("depthwise", "pointwise"))),
    _template("mobilenet-v2", build_mobilenet_v2, V2_DOC, _alpha(0.05), _resolution(224), _CLASSES),
    *(_template(f"mobilenet-v3-{size}", partial(build_mobilenet_v3, size), doc, _alpha(0.05),
                Param("minimalistic", "choice", "false", "'true': 3×3 kernels, ReLU, no squeeze-and-excite",
                      choices=("false", "true")),
                _resolution(224, doc="input height and width (Keras's default 224)"), _CLASSES,
                Param("dropout", "float", 0.2, "dropout rate before the logits (Keras: 0.2)", min=0.0, max=0.99))
      for size, doc in (("small", SMALL_DOC), ("large", LARGE_DOC))),
    _template("vgg16", build_vgg16, VGG16_DOC, _CLASSES, _size(224, 32)),
    _template("vgg19", build_vgg19, VGG19_DOC, _CLASSES, _size(224, 32)),
    *(_template(f"resnet{depth}", _resnet(depth), doc, _CLASSES, _size(224, 32), _VARIANT)
      for depth, doc in ((50, RESNET50_DOC), (101, RESNET101_DOC), (152, RESNET152_DOC))),
    _template("resnet50-v2", partial(build_resnet_v2, 50), RESNET50_V2_DOC, _CLASSES, _size(224, 32)),
    *(_template(f"densenet{depth}", densenet(depth), doc, _CLASSES, _size(224, 32), _dense_blocks(depth))
      for depth, doc in ((121, DENSENET121_DOC), (169, DENSENET169_DOC), (201, DENSENET201_DOC))),
    _template("efficientnet", build_efficientnet, EFFICIENTNET_DOC,
              Param("variant", "choice", "b0", "Keras's preset: width, depth, resolution, dropout",
                    choices=tuple(VARIANTS)),
              Param("phi", "float", -1.0, "compound coefficient φ (≥ 0 overrides the variant; -1: "
                    "use the variant)", min=-1.0, max=20.0),
              Param("resolution", "int", 0, "input height and width; 0: the variant's (B0 224 … B7 600)",
                    min=0, max=4096), _CLASSES),
    _template("convnext-tiny", build_convnext_tiny, CONVNEXT_TINY_DOC, _CLASSES, _size(224, 32)),
    _template("xception", build_xception, XCEPTION_DOC, _CLASSES, _size(299, 71)),
    _template("inception-v3", build_inception_v3, INCEPTION_V3_DOC, _CLASSES, _size(299, 75)),
)}


def build(name: str, **params) -> Design:
    """``TEMPLATES[name].build(**params)`` with a clear error for an unknown name."""
    try:
        template = TEMPLATES[name]
    except KeyError:
        from ..errors import DesignError
        raise DesignError(f"unknown template {name!r} (known: {', '.join(TEMPLATES)})") from None
    return template.build(**params)


def add_block(design: Design, name: str, source: str | None, group: str | None = None,
              origin=(0.0, 0.0), **params) -> BlockResult:
    """``BLOCKS[name].add(...)`` with a clear error for an unknown name."""
    try:
        block = BLOCKS[name]
    except KeyError:
        from ..errors import DesignError
        raise DesignError(f"unknown block {name!r} (known: {', '.join(BLOCKS)})") from None
    return block.add(design, source, group, origin, **params)
