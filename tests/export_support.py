"""What the export tests share: the designs they round-trip, and loading a generated file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from archcanvas.core.design import Design
from archcanvas.core.fileformat import load
from archcanvas.core.templates import build

EXAMPLES = sorted((Path(__file__).parent.parent / "resources" / "examples").glob("*.json"))
# every template, at a small resolution where it has one (CI time), with a short classifier
TEMPLATE_CASES = {
    "seed-inception": {},
    "inception-module": {"resolution": 14, "channels": 32},
    "googlenet": {"resolution": 64, "classes": 10},
    "mobilenet-v1": {"resolution": 32, "alpha": 0.25, "classes": 10},
    "mobilenet-v1-pointwise": {"resolution": 32, "alpha": 0.25, "classes": 10, "stride_on": "pointwise"},
    "mobilenet-v2": {"resolution": 32, "alpha": 0.35, "classes": 10},
    # the three whose partial layers (Normalization before adapt(), scale=False, LayerScale) the
    # export writes in its own forms, at the smallest resolution each allows
    "efficientnet": {"resolution": 32, "classes": 10},
    "inception-v3": {"resolution": 75, "classes": 10},
    "convnext-tiny": {"resolution": 32, "classes": 10},
}


def template(case: str) -> Design:
    return build(case.replace("-pointwise", ""), **TEMPLATE_CASES[case])


def every_type() -> Design:
    """All 18 layer types, with the paddings that are hard to get right: 'same' with stride 2
    on even sizes (Keras pads one more row at the bottom), an even kernel, -inf for max pooling,
    Flatten and Reshape across layouts, a broadcast Multiply, Dense on a feature map and on a
    rank-2 tensor, BatchNormalization on a map and on a vector, two outputs."""
    d = Design("every type")
    chain = [
        ("in", "Input", {"shape": [16, 16, 3]}, []),
        ("c1", "Conv2D", {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same",
                          "activation": "relu"}, ["in"]),
        ("bn", "BatchNormalization", {"momentum": 0.9, "epsilon": 0.01}, ["c1"]),
        ("dw", "DepthwiseConv2D", {"kernel_size": 3, "padding": "same", "depth_multiplier": 2,
                                   "activation": "relu6"}, ["bn"]),
        ("sep", "SeparableConv2D", {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}, ["dw"]),
        ("mp", "MaxPooling2D", {"pool_size": 2, "strides": 1, "padding": "same"}, ["sep"]),
        ("ap", "AveragePooling2D", {"pool_size": 3, "strides": 1, "padding": "same"}, ["mp"]),
        ("zp", "ZeroPadding2D", {"padding": [[1, 0], [0, 1]]}, ["ap"]),
        ("c2", "Conv2D", {"filters": 8, "kernel_size": 2, "padding": "same", "use_bias": False}, ["zp"]),
        ("add", "Add", {}, ["zp", "c2"]),
        ("gmp", "GlobalMaxPooling2D", {"keepdims": True}, ["add"]),
        ("mul", "Multiply", {}, ["add", "gmp"]),
        ("cat", "Concatenate", {}, ["mul", "add"]),
        ("act", "Activation", {"activation": "gelu"}, ["cat"]),
        ("dmap", "Dense", {"units": 4, "activation": "tanh"}, ["act"]),
        ("flat", "Flatten", {}, ["dmap"]),
        ("drop", "Dropout", {"rate": 0.3}, ["flat"]),
        ("out", "Dense", {"units": 6, "activation": "softmax"}, ["drop"]),
        ("gap", "GlobalAveragePooling2D", {}, ["cat"]),
        ("bnv", "BatchNormalization", {}, ["gap"]),
        ("r3", "Reshape", {"target_shape": [2, 2, -1]}, ["bnv"]),
        ("c3", "Conv2D", {"filters": 2, "kernel_size": 1, "activation": "leaky_relu"}, ["r3"]),
        ("r2", "Reshape", {"target_shape": [4, 2]}, ["c3"]),
        ("d2", "Dense", {"units": 3, "activation": "swish"}, ["r2"]),
        ("out2", "Flatten", {}, ["d2"]),
    ]
    for nid, kind, attrs, sources in chain:
        d.add_node(kind, nid, attrs)
        for port, s in enumerate(sources):
            d.connect(s, nid, port)
    return d


def _chain(name: str, chain) -> Design:
    d = Design(name)
    for nid, kind, attrs, sources in chain:
        d.add_node(kind, nid, attrs)
        for port, s in enumerate(sources):
            d.connect(s, nid, port)
    return d


def second_catalogue(layer_scale: bool = False) -> Design:
    """The layer types of the second catalogue that PyTorch can express faithfully (LayerScale
    in place of a Rescaling when asked)."""
    return _chain("second catalogue", [
        ("in", "Input", {"shape": [6, 6, 4]}, []),
        ("norm", "Normalization", {"mean": [0.5, -1.0, 2.0, 0.0], "variance": [4.0, 0.25, 1.0, 9.0]}, ["in"]),
        ("ct", "Conv2DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2}, ["norm"]),
        ("crop", "Cropping2D", {"cropping": [[1, 0], [0, 2]]}, ["ct"]),
        ("up", "UpSampling2D", {"size": 2}, ["crop"]),
        ("upb", "UpSampling2D", {"size": [1, 2], "interpolation": "bilinear"}, ["crop"]),
        ("pool", "MaxPooling2D", {"pool_size": [2, 1]}, ["up"]),
        ("relu", "ReLU", {"max_value": 6.0}, ["pool"]),
        ("cap", "ReLU", {"max_value": 2.5}, ["upb"]),
        ("prelu", "PReLU", {"shared_axes": [1, 2]}, ["relu"]),
        ("ln", "LayerNormalization", {"epsilon": 0.01}, ["prelu"]),
        ("unit", "UnitNormalization", {}, ["cap"]),
        ("scale", "LayerScale", {"init_values": 0.5, "projection_dim": 4}, ["ln"]) if layer_scale else
        ("scale", "Rescaling", {"scale": 2.0}, ["ln"]),
        ("resc", "Rescaling", {"scale": 0.5, "offset": 0.25}, ["unit"]),
        ("plus3", "ConstantOp", {"op": "add", "value": 3.0}, ["scale"]),
        ("third", "ConstantOp", {"op": "divide", "value": 1.5, "reverse": True}, ["plus3"]),
        ("sub", "Subtract", {}, ["third", "resc"]),
        ("max", "Maximum", {}, ["sub", "resc", "third"]),
        ("min", "Minimum", {}, ["sub", "resc"]),
        ("avg", "Average", {}, ["max", "min"]),
        ("leaky", "LeakyReLU", {"negative_slope": 0.1}, ["avg"]),
        ("elu", "ELU", {"alpha": 0.5}, ["leaky"]),
        ("sd", "SpatialDropout2D", {"rate": 0.2}, ["elu"]),
        ("gn", "GaussianNoise", {"stddev": 0.1}, ["sd"]),
        ("gd", "GaussianDropout", {"rate": 0.1}, ["gn"]),
        ("same", "Identity", {}, ["gd"]),
        ("perm", "Permute", {"dims": [2, 1, 3]}, ["same"]),
        ("sm", "Softmax", {"axis": 2}, ["perm"]),
        ("gap", "GlobalAveragePooling2D", {}, ["sm"]),
        ("rep", "RepeatVector", {"n": 3}, ["gap"]),
        ("lnv", "LayerNormalization", {"center": False}, ["rep"]),
        ("flat", "Flatten", {}, ["lnv"]),
    ])


def partial_layers() -> Design:
    """What EfficientNet, Inception v3 and ConvNeXt need beyond the catalogues' usual forms:
    Normalization left for adapt() (per channel, and one statistic for everything, inverted),
    BatchNormalization with only center or only scale (on a map and on a vector), LayerScale."""
    return _chain("partial layers", [
        ("in", "Input", {"shape": [8, 8, 3]}, []),
        ("norm", "Normalization", {}, ["in"]),
        ("conv", "Conv2D", {"filters": 4, "kernel_size": 3, "use_bias": False}, ["norm"]),
        ("shift", "BatchNormalization", {"scale": False, "momentum": 0.9}, ["conv"]),
        ("gain", "BatchNormalization", {"center": False, "epsilon": 0.01}, ["shift"]),
        ("ls", "LayerScale", {"init_values": 0.5, "projection_dim": 4}, ["gain"]),
        ("gap", "GlobalAveragePooling2D", {}, ["ls"]),
        ("bnv", "BatchNormalization", {"scale": False}, ["gap"]),
        ("undo", "Normalization", {"axis": None, "invert": True}, ["bnv"]),
        ("out", "Dense", {"units": 2}, ["undo"]),
    ])


# Designs an exporter refuses by name, ("pytorch" | "keras", case) -> the start of the refusal.
# None is refused now; a case added here is checked to be refused with that line.
REFUSED: dict[tuple[str, str], str] = {}


def refused(fmt: str, case: str, design) -> bool:
    """True (after checking the refusal names the layer) when ``fmt`` is known to refuse ``case``."""
    import pytest

    from archcanvas.core.export import ExportError, export

    start = REFUSED.get((fmt, case))
    if start is None:
        return False
    with pytest.raises(ExportError) as err:
        export(design, fmt)
    assert str(err.value).startswith(start), str(err.value)[:200]
    return True


def designs() -> dict:
    """name -> a function building the design (built inside each test, never shared)."""
    out = {f"template:{c}": (lambda c=c: template(c)) for c in TEMPLATE_CASES}
    out |= {f"example:{p.stem}": (lambda p=p: load(p)) for p in EXAMPLES}
    out["every-type"] = every_type
    out["second-catalogue"] = second_catalogue
    out["second-catalogue-layerscale"] = lambda: second_catalogue(layer_scale=True)
    out["partial-layers"] = partial_layers
    return out


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
