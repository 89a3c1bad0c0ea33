"""Write the example designs in resources/examples/ from the templates and blocks.

    python scripts/make_examples.py            # regenerate resources/examples/*.json
    python scripts/make_examples.py --out DIR  # write them somewhere else (the test compares)

The examples are generated, never edited by hand; tests/test_templates.py fails when a file is
not what this script writes now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archcanvas.core.design import Design  # noqa: E402
from archcanvas.core.fileformat import dumps  # noqa: E402
from archcanvas.core.templates import BLOCKS, build  # noqa: E402
from archcanvas.core.layout import place_design  # noqa: E402


def bottleneck_demo() -> Design:
    """Seed 003: a 5×5 convolution on 28×28×192 (120.4M MACs) against the same after a 1×1
    bottleneck of 16 (2.4M + 10.0M = 12.4M MACs)."""
    d = Design("1x1 bottleneck (seed 003)")
    d.add_node("Input", "input", attrs={"shape": [28, 28, 192]})
    d.add_node("Conv2D", "direct_5x5", group="direct",
               attrs={"filters": 32, "kernel_size": 5, "padding": "same", "activation": "relu"})
    d.connect("input", "direct_5x5")
    BLOCKS["bottleneck"].add(d, "input", "bottleneck", reduce_filters=16, filters=32, kernel_size=5)
    place_design(d)
    return d


def separable_demo() -> Design:
    """Seeds 003 and 004: on 6×6×3, a standard 3×3 convolution to 5 channels costs 2,160 MACs;
    depthwise 3×3 (432) + pointwise 1×1 (240) = 672, a ratio of 1/5 + 1/9."""
    d = Design("depthwise separable (seeds 003, 004)")
    d.add_node("Input", "input", attrs={"shape": [6, 6, 3]})
    d.add_node("Conv2D", "standard", group="standard", attrs={"filters": 5, "kernel_size": 3})
    d.connect("input", "standard")
    d.add_node("DepthwiseConv2D", "depthwise", group="separable", attrs={"kernel_size": 3})
    d.connect("input", "depthwise")
    d.add_node("Conv2D", "pointwise", group="separable", attrs={"filters": 5, "kernel_size": 1})
    d.connect("depthwise", "pointwise")
    place_design(d)
    return d


def stride_placement_demo() -> Design:
    """MobileNet's stride-2 separable block with the stride on the depthwise conv (the paper,
    Keras) and on the pointwise conv (seed 001): same params, 4× the depthwise work."""
    d = Design("separable block: where the stride goes (paper vs seed 001)")
    d.add_node("Input", "input", attrs={"shape": [112, 112, 64]})
    BLOCKS["separable"].add(d, "input", "paper", filters=128, strides=2, stride_on="depthwise")
    BLOCKS["separable"].add(d, "input", "seed_001", filters=128, strides=2, stride_on="pointwise")
    place_design(d)
    return d


def inverted_residual_demo() -> Design:
    """MobileNet v2's bottleneck twice: stride 1 with its residual Add, then stride 2 without."""
    d = Design("inverted residual (MobileNet v2)")
    d.add_node("Input", "input", attrs={"shape": [56, 56, 24]})
    r = BLOCKS["inverted-residual"].add(d, "input", "block_2", filters=24, expansion=6)
    BLOCKS["inverted-residual"].add(d, r.output, "block_3", filters=32, expansion=6, strides=2)
    place_design(d)
    return d


def examples() -> dict[str, Design]:
    """File name -> design, in the order a person would read them."""
    return {
        "seed_inception.json": build("seed-inception"),
        "inception_module.json": build("inception-module"),
        "googlenet.json": build("googlenet"),
        "mobilenet_v1.json": build("mobilenet-v1"),
        "mobilenet_v2.json": build("mobilenet-v2"),
        **{f"{name.replace('-', '_')}.json": build(name) for name in (
            "mobilenet-v3-small", "mobilenet-v3-large", "vgg16", "vgg19", "resnet50", "resnet101", "resnet152", "resnet50-v2", "densenet121",
            "densenet169", "densenet201", "convnext-tiny", "xception", "inception-v3")},
        "efficientnet_b0.json": build("efficientnet"),
        "bottleneck_demo.json": bottleneck_demo(),
        "separable_demo.json": separable_demo(),
        "stride_placement_demo.json": stride_placement_demo(),
        "inverted_residual_demo.json": inverted_residual_demo(),
    }


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, design in examples().items():
        path = out / name
        path.write_text(dumps(design), encoding="utf-8")
        written.append(path)
    return written


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "resources" / "examples", help="output directory")
    args = p.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
