"""core.refactors: each refactor's exact cost, and what it refuses."""

import pytest

from archcanvas.core import refactors as R
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.fileformat import dumps
from small_designs import seed_003


def macs(d: Design) -> dict:
    a = analyze(d)
    assert a.ok
    return {n: r.macs for n, r in a.results.items()}


def test_separable_replacement_of_seed_003_costs_672_instead_of_2160():
    d = seed_003()
    assert macs(d)["conv"] == 2_160
    rw = R.separable(d, "conv")
    p = R.preview(d, rw)
    assert (p["before"]["macs"], p["after"]["macs"], p["delta"]["macs"]) == (2_160, 672, -1_488)
    assert dumps(d) == dumps(seed_003())  # the preview changed nothing
    R.apply(d, rw)
    m = macs(d)
    assert (m["conv_dw"], m["conv_pw"]) == (432, 240)
    assert [e.source for e in d.inputs("flat")] == ["conv_pw"] and d.input_ids("conv_dw") == ["in"]
    assert d.node("conv_dw").resolved()["use_bias"] is False
    assert analyze(d).results["flat"].shape == (4 * 4 * 5,)


def test_a_bottleneck_cuts_seed_003s_120m_to_12m():
    d = seed_003(kernel=5, filters=32, shape=(28, 28, 192), padding="same")
    assert macs(d)["conv"] == 120_422_400
    rw = R.bottleneck(d, "conv", 16)
    assert R.preview(d, rw)["after"]["macs"] == 12_443_648
    R.apply(d, rw)
    m = macs(d)
    assert (m["conv_reduce"], m["conv"]) == (2_408_448, 10_035_200)
    assert d.input_ids("conv") == ["conv_reduce"] and d.input_ids("conv_reduce") == ["in"]


def test_scale_width_and_replace_type_keep_wiring():
    d = seed_003(filters=8)
    R.apply(d, R.scale_width(d, ["conv", "flat"], 0.5))
    assert d.node("conv").resolved()["filters"] == 4
    edges = sorted((e.source, e.target, e.port) for e in d.edges())
    R.apply(d, R.replace_type(d, "conv", "SeparableConv2D"))
    assert d.node("conv").type == "SeparableConv2D" and d.node("conv").attrs["filters"] == 4
    assert sorted((e.source, e.target, e.port) for e in d.edges()) == edges
    assert d.node("conv").pos == (0, 90)
    R.apply(d, R.replace_type(d, "conv", "MaxPooling2D"))  # nothing carries over but the wiring
    assert sorted((e.source, e.target, e.port) for e in d.edges()) == edges


def test_conv_bn_act_chain_becomes_a_block_and_back():
    d = Design("chain")
    d.add_node("Input", "in", {"shape": [8, 8, 3]})
    d.add_node("Conv2D", "c", {"filters": 4, "kernel_size": 3})
    d.add_node("BatchNormalization", "bn", {})
    d.add_node("Activation", "act", {"activation": "relu"})
    for s, t in (("in", "c"), ("c", "bn"), ("bn", "act")):
        d.connect(s, t)
    R.apply(d, R.group_chain(d, "c"))
    assert d.groups() == {"c_block": ["c", "bn", "act"]}
    R.apply(d, R.ungroup(d, "c_block"))
    assert d.groups() == {}


@pytest.mark.parametrize("make,message", [
    (lambda d: R.separable(d, "flat"), "flat: is a Flatten; this refactor needs a Conv2D"),
    (lambda d: R.separable(d, "nope"), "no layer 'nope'"),
    (lambda d: R.bottleneck(d, "conv", 0), "bottleneck filters must be a positive integer"),
    (lambda d: R.scale_width(d, ["flat"], 0.5), "none of the selected layers chooses its channel count"),
    (lambda d: R.replace_type(d, "conv", "Input"), "an Input takes no input wire"),
    (lambda d: R.replace_type(d, "conv", "Conv3D"), "unknown layer type 'Conv3D'"),
    (lambda d: R.group_chain(d, "conv"), "conv: is not followed by a single BatchNormalization"),
])
def test_refused_refactors_say_why(make, message):
    d = seed_003()
    with pytest.raises(R.RefactorError) as err:
        make(d)
    assert message in str(err.value)
    assert dumps(d) == dumps(seed_003())
