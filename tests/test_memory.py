"""Peak activation memory and the order that minimizes it (core/memory.py, core/schedule.py).

The MobileNet figures are the issue's: v1 1.0 at 224 in float16 peaks at the first pointwise
layer (112×112×32 in + 112×112×64 out); v2 1.0 at 224 in int8 at block_1's expansion with the
depthwise convolution in place, at block_1's depthwise convolution without. The property tests
check the model against a brute-force simulation written from the definition (a buffer is live
from the layer that writes it to the last layer that reads it), and the best order against an
exhaustive search of every topological order.
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archcanvas.core import memory, schedule
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.estimates import compute
from archcanvas.core.templates import TEMPLATES


@pytest.fixture(scope="module")
def v1():
    d = TEMPLATES["mobilenet-v1"].build()
    return d, analyze(d)


@pytest.fixture(scope="module")
def v2():
    d = TEMPLATES["mobilenet-v2"].build()
    return d, analyze(d)


def test_mobilenet_v1_float16(v1):
    m = memory.measure(*v1, memory.Options("float16"))
    assert m.peak_bytes == 2_408_448 == (112 * 112 * 32 + 112 * 112 * 64) * 2
    assert m.peak_layer == "conv_pw_1"
    assert m.largest_tensor_bytes == 1_605_632  # MobileNetV2 paper, Table 3: "1600K"
    assert m.during["conv_pw_1"] == m.peak_bytes
    # after conv_pw_1 its input is freed; BN and ReLU6 run in place on its output
    assert m.after["conv_pw_1"] == m.during["conv_pw_1_bn"] == m.after["conv_pw_1_relu"] == 1_605_632


def test_mobilenet_v2_int8(v2):
    inplace = memory.measure(*v2, memory.Options("int8", depthwise_in_place=True))
    assert inplace.peak_bytes == 1_404_928 == 112 * 112 * 16 + 112 * 112 * 96  # MCUNetV2: 1,372 KiB
    assert inplace.peak_layer == "block_1_expand"
    plain = memory.measure(*v2, memory.Options("int8"))
    assert plain.peak_bytes == 1_505_280 == 112 * 112 * 96 + 56 * 56 * 96
    assert plain.peak_layer == "block_1_depthwise"  # its ZeroPadding2D folded in: 113×113×96 never exists
    assert plain.largest_tensor_bytes == 112 * 112 * 96


def test_no_fuse_materializes_padding_and_batch_norm(v2):
    m = memory.measure(*v2, memory.Options("int8", fuse=False))
    # block_1_pad's 113×113×96 output is live with its input while it runs
    assert m.during["block_1_pad"] == 112 * 112 * 96 + 113 * 113 * 96
    assert m.peak_bytes == m.during["block_1_pad"]
    assert m.largest_tensor_bytes == 113 * 113 * 96
    # the first batch norm now writes a tensor of its own beside Conv1's output
    assert m.during["bn_Conv1"] == 2 * 112 * 112 * 32


def _chain(d: Design, *specs):
    prev = None
    for node_id, type_name, attrs in specs:
        d.add_node(type_name, node_id, attrs=attrs)
        if prev:
            d.connect(prev, node_id)
        prev = node_id


def test_hand_computed_residual_block():
    d = Design("residual")
    _chain(d, ("in", "Input", {"shape": [8, 8, 4]}), ("c1", "Conv2D", {"filters": 16, "kernel_size": 3, "padding": "same"}),
           ("bn", "BatchNormalization", {}), ("c2", "Conv2D", {"filters": 4, "kernel_size": 1}))
    d.add_node("Add", "add")
    d.connect("c2", "add", 0)
    d.connect("in", "add", 1)
    d.add_node("Activation", "relu", attrs={"activation": "relu"})
    d.connect("add", "relu")
    a = analyze(d)
    m = memory.measure(d, a, memory.Options("float32"))
    x, wide = 8 * 8 * 4, 8 * 8 * 16
    assert m.during == {"in": 4 * x, "c1": 4 * (x + wide), "bn": 4 * (x + wide),
                        "c2": 4 * (x + wide + x), "add": 4 * (x + x + x), "relu": 4 * x}
    assert m.peak_layer == "c2" and m.peak_bytes == 4 * (2 * x + wide)
    # no fusing: the batch norm's output is a tensor of its own
    assert memory.measure(d, a, memory.Options("float32", fuse=False)).during["bn"] == 4 * (x + 2 * wide)


def test_a_batch_norm_whose_input_feeds_another_layer_is_not_in_place():
    d = Design("fork")
    _chain(d, ("in", "Input", {"shape": [4, 4, 2]}), ("bn", "BatchNormalization", {}))
    d.add_node("Concatenate", "cat")
    d.connect("in", "cat", 0)
    d.connect("bn", "cat", 1)
    m = memory.measure(d, analyze(d))
    assert m.during["bn"] == 4 * 2 * 32  # the input and the batch norm's own output


def test_inception_order_matters_and_the_best_order_saves():
    # a wide 1×1 branch placed first keeps its output live while the other branch runs; the
    # best order runs the branch with the big intermediate first
    d = Design("branches")
    d.add_node("Input", "in", attrs={"shape": [4, 4, 8]})
    d.add_node("Conv2D", "a", attrs={"filters": 64, "kernel_size": 1})
    d.add_node("Conv2D", "b1", attrs={"filters": 128, "kernel_size": 1})
    d.add_node("Conv2D", "b2", attrs={"filters": 8, "kernel_size": 1})
    d.add_node("Concatenate", "cat")
    for s, t in (("in", "a"), ("in", "b1"), ("b1", "b2")):
        d.connect(s, t)
    d.connect("a", "cat", 0)
    d.connect("b2", "cat", 1)
    a = analyze(d)
    e = compute(d, a, memory.Options("float32"))
    px = 16
    # default order in, a, b1, b2: at b1 the input, a's 64 and b1's 128 channels are live
    assert e.memory.peak_bytes == 4 * px * (8 + 64 + 128)
    assert e.best_order == ["in", "b1", "b2", "a", "cat"]
    # b1: 8 + 128; b2: 8 + 128 + 8; a: 8 + 8 + 64; cat: 64 + 8 + 72 (the input is freed)
    assert e.best_peak_bytes == 4 * px * 144
    assert e.saving_bytes == 4 * px * (200 - 144) and e.best.exact


# property tests ---------------------------------------------------------------------------------
IN_PLACE = {"BatchNormalization", "Activation"}


@st.composite
def dags(draw, max_nodes):
    n = draw(st.integers(2, max_nodes))
    d = Design("random")
    d.add_node("Input", "n0", attrs={"shape": [2, 2, draw(st.integers(1, 9))]})
    for i in range(1, n):
        kind = draw(st.sampled_from(["conv", "conv", "bn", "act", "cat", "input"]))
        nid = f"n{i}"
        if kind == "input":
            d.add_node("Input", nid, attrs={"shape": [2, 2, draw(st.integers(1, 9))]})
            continue
        if kind == "cat" and i >= 2:
            srcs = draw(st.lists(st.integers(0, i - 1), min_size=2, max_size=3, unique=True))
            d.add_node("Concatenate", nid)
        else:
            srcs = [draw(st.integers(0, i - 1))]
            if kind == "bn":
                d.add_node("BatchNormalization", nid)
            elif kind == "act":
                d.add_node("Activation", nid, attrs={"activation": "relu"})
            else:
                d.add_node("Conv2D", nid, attrs={"filters": draw(st.integers(1, 9)), "kernel_size": 1})
        for port, s in enumerate(srcs):
            d.connect(f"n{s}", nid, port)
    return d


def brute_peak(d: Design, a, order: list[str], fuse: bool) -> int:
    """From the definition: every buffer is live from the position that writes it to the last
    position that reads it (to the end for a design output); the peak is the largest sum."""
    buffer = {}
    for n in a.order:
        srcs = d.input_ids(n)
        alias = fuse and d.node(n).type in IN_PLACE and len(srcs) == 1 and len(d.outputs(srcs[0])) == 1
        buffer[n] = buffer[srcs[0]] if alias else n
    pos = {n: i for i, n in enumerate(order)}
    first, last = {}, {}
    for n in order:
        b = buffer[n]
        first[b] = min(first.get(b, pos[n]), pos[n])
        last[b] = max(last.get(b, pos[n]), pos[n])
        for s in d.input_ids(n):
            last[buffer[s]] = max(last[buffer[s]], pos[n])
        if not d.outputs(n):
            last[b] = len(order)
    size = {b: a.results[b].activations for b in first}
    return max(sum(size[b] for b in first if first[b] <= i <= last[b]) for i in range(len(order)))


@settings(derandomize=True, max_examples=150)
@given(dags(14), st.booleans())
def test_peak_matches_brute_force(d, fuse):
    a = analyze(d)
    assert a.ok
    m = memory.measure(d, a, memory.Options("int8", fuse=fuse))
    assert sorted(m.order) == sorted(d.node_ids())
    assert m.peak_bytes == brute_peak(d, a, m.order, fuse) == max(m.during.values())


@settings(derandomize=True, max_examples=80)
@given(dags(7), st.booleans())
def test_best_order_matches_exhaustive_search(d, fuse):
    a = analyze(d)
    g = nx.DiGraph()
    g.add_nodes_from(d.node_ids())
    g.add_edges_from((e.source, e.target) for e in d.edges())
    exhaustive = min(brute_peak(d, a, list(o), fuse) for o in nx.all_topological_sorts(g))
    e = compute(d, a, memory.Options("int8", fuse=fuse))
    assert e.best.exact
    assert e.best_peak_bytes == exhaustive
    assert brute_peak(d, a, e.best_order, fuse) == exhaustive  # the order given really reaches it
    assert e.saving_bytes == e.memory.peak_bytes - exhaustive >= 0


def test_a_bounded_search_says_so():
    d = Design("wide")
    d.add_node("Input", "in", attrs={"shape": [2, 2, 1]})
    d.add_node("Concatenate", "cat")
    for i in range(7):  # 3 ** 7 sets of branches run so far
        d.add_node("Conv2D", f"a{i}", attrs={"filters": i + 1, "kernel_size": 1})
        d.add_node("Conv2D", f"b{i}", attrs={"filters": 1, "kernel_size": 1})
        d.connect("in", f"a{i}")
        d.connect(f"a{i}", f"b{i}")
        d.connect(f"b{i}", "cat", i)
    a = analyze(d)
    p = memory.plan(d, a)
    bounded = schedule.best_order(p, limit=4)
    assert not bounded.exact
    full = schedule.best_order(p)
    assert full.exact and full.peak <= bounded.peak <= full.default_peak


def test_every_layer_type_declares_a_documented_memory_kind():
    import re
    from pathlib import Path

    from archcanvas.core import layers

    text = (Path(__file__).resolve().parents[1] / "docs" / "cost-rules.md").read_text(encoding="utf-8")
    section = text[text.index("## Memory at inference"):text.index("## Sources")]
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|", section, flags=re.M))
    assert set(rows) == {"new", "in_place", "pad", "window", "depthwise"}
    for name, layer in layers.REGISTRY.items():
        kind = layer.memory
        assert kind in rows, name
        assert f"`{name}`" in rows[kind] or kind == "new", (name, kind)
