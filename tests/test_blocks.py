"""Blocks: structure, ids, wiring, positions, rollback, parameters, and the seeds' figures."""

from fractions import Fraction

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.errors import AttrError, DesignError
from archcanvas.core.templates import BLOCKS, Param, add_block, fresh_group


def _input(shape, node_id="input"):
    d = Design()
    d.add_node("Input", node_id, attrs={"shape": list(shape)})
    return d


def _group_totals(design, nodes):
    a = analyze(design)
    return (sum(a.results[n].params for n in nodes), sum(a.results[n].trainable for n in nodes),
            sum(a.results[n].macs for n in nodes))


def test_registry_names_are_the_pinned_ones():
    assert list(BLOCKS) == ["inception", "bottleneck", "conv-bn-relu", "separable", "inverted-residual"]
    for block in BLOCKS.values():
        assert block.doc and all(isinstance(p, Param) for p in block.params)
        names = [p.name for p in block.params]
        assert len(set(names)) == len(names)
        for p in block.params:  # every default passes its own validation
            assert p.validate(p.default) == p.validate(p.default)


# --- Inception ---------------------------------------------------------------------------------

def test_inception_3a_reproduces_the_design_worked_example():
    # DESIGN.md: inception (3a) on 28×28×192 with (64, 96, 128, 16, 32, 32): 163,328 weights
    # (+368 biases) and 128,049,152 MACs; GoogLeNet Table 1 prints 159K and 128M.
    d = _input((28, 28, 192))
    r = BLOCKS["inception"].add(d, "input", "inception_3a", filters=(64, 96, 128, 16, 32, 32))
    assert r.nodes == ["inception_3a_1x1", "inception_3a_3x3_reduce", "inception_3a_3x3",
                       "inception_3a_5x5_reduce", "inception_3a_5x5", "inception_3a_pool",
                       "inception_3a_pool_proj", "inception_3a_output"]
    assert r.output == "inception_3a_output"
    assert r.entries == [("inception_3a_1x1", 0), ("inception_3a_3x3_reduce", 0),
                         ("inception_3a_5x5_reduce", 0), ("inception_3a_pool", 0)]
    assert d.input_ids("inception_3a_output") == ["inception_3a_1x1", "inception_3a_3x3",
                                                  "inception_3a_5x5", "inception_3a_pool_proj"]
    assert {d.node(n).group for n in r.nodes} == {"inception_3a"}
    a = analyze(d)
    assert a.results[r.output].shape == (28, 28, 256)
    params, _, macs = _group_totals(d, r.nodes)
    assert params == 163_328 + 368
    assert macs == 128_049_152


def test_inception_added_twice_gets_fresh_ids_and_unconnected_entries():
    d = Design()
    first = BLOCKS["inception"].add(d, None, "inception")
    second = BLOCKS["inception"].add(d, None, "inception")
    assert second.output == "inception_output_1"
    assert not set(first.nodes) & set(second.nodes)
    for node_id, port in first.entries:
        assert d.source_at(node_id, port) is None  # left for the caller to connect
    assert fresh_group(d, "inception") == "inception_1"
    d.add_node("Input", "x", attrs={"shape": [28, 28, 192]})
    for node_id, port in second.entries:
        d.connect("x", node_id, port)
    assert analyze(d).results[second.output].shape == (28, 28, 256)


def test_block_positions_are_relative_to_origin_with_branches_side_by_side():
    d = _input((28, 28, 192))
    r = BLOCKS["inception"].add(d, "input", "inc", origin=(1000, 500))
    pos = {n: d.node(n).pos for n in r.nodes}
    assert all(p is not None for p in pos.values())
    assert min(x for x, _ in pos.values()) == 1000
    firsts = [pos[n] for n, _ in r.entries]  # the four branch heads share a column, distinct rows
    assert len({x for x, _ in firsts}) == 1 and len({y for _, y in firsts}) == 4
    assert pos[r.output][0] > pos["inc_3x3"][0] > pos["inc_3x3_reduce"][0]


def test_failed_add_changes_nothing():
    d = _input((28, 28, 192))
    before = (d.node_ids(), d.edges())
    with pytest.raises(DesignError, match="no node 'nope'"):
        BLOCKS["inception"].add(d, "nope", "g")
    with pytest.raises(AttrError, match=r"^filters: must be a list of 6 integers"):
        BLOCKS["inception"].add(d, "input", "g", filters=(1, 2, 3))
    with pytest.raises(AttrError, match=r"^filterz: unknown parameter for the inception block"):
        BLOCKS["inception"].add(d, "input", "g", filterz=(1, 2, 3, 4, 5, 6))
    assert (d.node_ids(), d.edges()) == before


def test_rollback_after_a_partial_add(monkeypatch):
    d = _input((28, 28, 192))
    before = (d.node_ids(), d.edges())
    real_connect = d.connect
    calls = []

    def failing_connect(src, tgt, port=None):
        calls.append(tgt)
        if len(calls) == 5:
            raise DesignError("simulated failure")
        return real_connect(src, tgt, port)

    monkeypatch.setattr(d, "connect", failing_connect)
    with pytest.raises(DesignError, match="simulated"):
        BLOCKS["inception"].add(d, "input", "g")
    assert (d.node_ids(), d.edges()) == before


def test_unknown_block_name():
    with pytest.raises(DesignError, match="unknown block 'incepton'.*inception"):
        add_block(Design(), "incepton", None)


# --- Bottleneck (seed 003) ---------------------------------------------------------------------

def test_bottleneck_matches_seed_003():
    # Seed 003: on 28×28×192, Conv2D 32 5×5 same costs 120,422,400 MACs; with a 1×1
    # bottleneck of 16 first: 2,408,448 + 10,035,200 = 12,443,648.
    d = _input((28, 28, 192))
    r = BLOCKS["bottleneck"].add(d, "input", "bottleneck")  # defaults are the seed's
    a = analyze(d)
    assert [a.results[n].macs for n in r.nodes] == [2_408_448, 10_035_200]
    assert a.results[r.output].shape == (28, 28, 32)
    d.add_node("Conv2D", "direct", attrs={"filters": 32, "kernel_size": 5, "padding": "same"})
    d.connect("input", "direct")
    assert analyze(d).results["direct"].macs == 120_422_400


# --- conv-bn-relu ------------------------------------------------------------------------------

def test_conv_bn_relu_ids_and_cost():
    d = _input((224, 224, 3))
    r = BLOCKS["conv-bn-relu"].add(d, "input", "conv1", strides=2, activation="relu6")
    assert r.nodes == ["conv1", "conv1_bn", "conv1_relu"]  # Keras's MobileNet stem names
    a = analyze(d)
    assert a.results["conv1_relu"].shape == (112, 112, 32)
    # 3·3·3·32 = 864 weights, no bias; BN 4·32 of which 2·32 trainable.
    assert _group_totals(d, r.nodes) == (864 + 128, 864 + 64, 112 * 112 * 864)


# --- Depthwise separable (MobileNet v1, seeds 001, 003, 004) -----------------------------------

@pytest.mark.parametrize("stride_on", ["depthwise", "pointwise"])
def test_separable_stride_placement_changes_only_the_depthwise_cost(stride_on):
    d = _input((112, 112, 64))
    r = BLOCKS["separable"].add(d, "input", "s", filters=128, strides=2, stride_on=stride_on)
    a = analyze(d)
    assert a.results[r.output].shape == (56, 56, 128)
    dw = a.results["s_dw"]
    pw = a.results["s_pw"]
    assert pw.macs == 56 * 56 * 64 * 128  # the pointwise conv always works at the output size
    assert dw.params == 9 * 64 and pw.params == 64 * 128
    if stride_on == "depthwise":  # the paper: 3×3 taps at 56×56 positions
        assert dw.macs == 56 * 56 * 9 * 64 == 1_806_336
        assert r.nodes[0] == "s_pad" and d.node("s_pad").attrs["padding"] == [[0, 1], [0, 1]]
    else:  # seed 001: the depthwise conv runs at 112×112, 4× the work
        assert dw.macs == 112 * 112 * 9 * 64 == 4 * 1_806_336
        assert r.nodes[0] == "s_dw" and dw.shape == (112, 112, 64)


def test_separable_keras_padding_loses_a_pixel_on_odd_maps():
    for padding, size in (("keras", 3), ("same", 4)):
        d = _input((7, 7, 8))
        r = BLOCKS["separable"].add(d, "input", "s", filters=8, strides=2, downsample_padding=padding)
        assert analyze(d).results[r.output].shape == (size, size, 8)


def test_separable_to_standard_ratio_is_seed_004s_formula():
    # Seed 004 / 003: depthwise separable / standard = 1/N + 1/Dk² (stride 1, same size).
    n, dk = 40, 3
    d = _input((14, 14, 24))
    r = BLOCKS["separable"].add(d, "input", "s", filters=n, kernel_size=dk)
    d.add_node("Conv2D", "std", attrs={"filters": n, "kernel_size": dk, "padding": "same"})
    d.connect("input", "std")
    a = analyze(d)
    sep = a.results["s_dw"].macs + a.results["s_pw"].macs
    assert Fraction(sep, a.results["std"].macs) == Fraction(1, n) + Fraction(1, dk * dk)


# --- Inverted residual (MobileNet v2) ----------------------------------------------------------

def test_inverted_residual_with_add():
    d = _input((56, 56, 24))
    r = BLOCKS["inverted-residual"].add(d, "input", "block_2", filters=24)
    assert r.nodes == ["block_2_expand", "block_2_expand_BN", "block_2_expand_relu", "block_2_depthwise",
                       "block_2_depthwise_BN", "block_2_depthwise_relu", "block_2_project",
                       "block_2_project_BN", "block_2_add"]
    assert r.entries == [("block_2_expand", 0), ("block_2_add", 0)]
    assert d.input_ids("block_2_add") == ["input", "block_2_project_BN"]
    assert d.node("block_2_expand").attrs["filters"] == 144
    a = analyze(d)
    assert a.results["block_2_add"].shape == (56, 56, 24)
    # expand 24·144 + dw 9·144 + project 144·24 weights; BN 4C each (2C trainable).
    weights = 24 * 144 + 9 * 144 + 144 * 24
    assert _group_totals(d, r.nodes)[:2] == (weights + 4 * (144 + 144 + 24), weights + 2 * (144 + 144 + 24))


@pytest.mark.parametrize("size, pad, out", [(56, [[0, 1], [0, 1]], 28), (7, [[1, 1], [1, 1]], 4)])
def test_inverted_residual_stride_2_uses_keras_correct_pad(size, pad, out):
    d = _input((size, size, 16))
    r = BLOCKS["inverted-residual"].add(d, "input", "b", filters=24, strides=2)
    assert "b_add" not in r.nodes and r.entries == [("b_expand", 0)]
    assert d.node("b_pad").attrs["padding"] == pad
    assert analyze(d).results[r.output].shape == (out, out, 24)


def test_inverted_residual_expansion_1_has_no_expand_and_unconnected_uses_filters():
    d = Design()
    r = BLOCKS["inverted-residual"].add(d, None, "expanded_conv", filters=16, expansion=1)
    assert r.nodes[0] == "expanded_conv_depthwise"
    assert r.entries == [("expanded_conv_depthwise", 0), ("expanded_conv_add", 0)]
    assert d.source_at("expanded_conv_add", 0) is None
    assert d.source_at("expanded_conv_add", 1) == "expanded_conv_project_BN"
    r = BLOCKS["inverted-residual"].add(Design(), None, "b", filters=24)
    assert r.output == "b_add"


# --- Param -------------------------------------------------------------------------------------

def test_param_validation_normalizes_text_and_names_the_fault():
    ints = Param("filters", "ints", (1, 2), length=2, min=1)
    assert ints.validate("64, 96") == (64, 96)
    assert ints.validate([3, 4]) == (3, 4)
    with pytest.raises(AttrError, match=r'^filters: must be a list of 2 integers of at least 1, got "0,5"'):
        ints.validate("0,5")
    alpha = Param("alpha", "float", 1.0, min=0.05, max=10.0)
    assert alpha.validate("0.75") == 0.75 and alpha.validate(1) == 1.0
    for bad in ("abc", float("nan"), True, 0.0, None):
        with pytest.raises(AttrError, match=r"^alpha: must be a number from 0.05 to 10"):
            alpha.validate(bad)
    stride = Param("strides", "choice", 1, choices=(1, 2))
    assert stride.validate("2") == 2 and stride.validate(1) == 1
    with pytest.raises(AttrError, match=r"^strides: must be one of 1, 2, got 3"):
        stride.validate(3)
    with pytest.raises(AttrError):
        stride.validate(True)
    count = Param("classes", "int", 1000, min=1)
    assert count.validate("10") == 10 and count.validate(10.0) == 10
    for bad in ("1.5", 2.5, 0, True):
        with pytest.raises(AttrError, match=r"^classes: must be an integer of at least 1"):
            count.validate(bad)


def test_inverted_residual_in_channels_for_an_unconnected_block():
    d = Design()
    r = BLOCKS["inverted-residual"].add(d, None, "b", filters=24, in_channels=16)
    assert d.node("b_expand").attrs["filters"] == 96 and r.output == "b_project_BN"
    d.add_node("Input", "x", attrs={"shape": [56, 56, 16]})
    for node_id, port in r.entries:
        d.connect("x", node_id, port)
    assert analyze(d).results[r.output].shape == (56, 56, 24)


def test_residual_body_sits_a_row_above_its_add_so_the_skip_wire_is_clear():
    d = _input((56, 56, 24))
    r = BLOCKS["inverted-residual"].add(d, "input", "b", origin=(260, 0))
    add_y = d.node("b_add").pos[1]
    assert add_y == 0.0
    assert {d.node(n).pos[1] for n in r.nodes[:-1]} == {add_y - 150}
    plain = BLOCKS["inverted-residual"].add(d, None, "c")  # nothing skips it yet: one level row
    assert len({d.node(n).pos[1] for n in plain.nodes}) == 1
