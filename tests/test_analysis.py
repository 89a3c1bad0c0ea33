"""Analysis: shapes and costs per node, errors that a person understands, blocked descendants,
totals by group and by type, and a bad design never raising."""

from math import prod

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archcanvas.core import layers
from archcanvas.core.analysis import ERROR, OK, analyze, compute_node, NodeResult
from archcanvas.core.design import Design, Node


def build(*nodes, edges=()):
    """``nodes``: (id, type, attrs[, group]); ``edges``: (source, target[, port])."""
    d = Design()
    for n in nodes:
        d.add_node(n[1], n[0], attrs=n[2], group=n[3] if len(n) > 3 else None)
    for e in edges:
        d.connect(*e)
    return d


def test_errors_have_messages_and_block_descendants():
    d = build(
        ("in", "Input", {"shape": [4, 4, 3]}),
        ("big", "Conv2D", {"filters": 8, "kernel_size": 5}),
        ("relu", "Activation", {"activation": "relu"}),
        ("flat", "Flatten", {}),
        ("ok", "Conv2D", {"filters": 2, "kernel_size": 3, "padding": "same"}),
        edges=[("in", "big"), ("big", "relu"), ("relu", "flat"), ("in", "ok")],
    )
    a = analyze(d)
    big = a["big"]
    assert big.status == ERROR and big.shape is None
    assert big.error == "input 4×4: input size 4 is smaller than the kernel 5 with 'valid' padding"
    assert a["relu"].status == "blocked" and a["relu"].blocked_by == "big"
    assert a["relu"].message == "not computed: input 'big' could not be computed"
    assert a["flat"].blocked_by == "relu"
    assert a["ok"].status == OK and a["ok"].shape == (4, 4, 2)
    assert [r.id for r in a.problems] == ["big"]
    assert [r.id for r in a.blocked] == ["relu", "flat"]
    assert not a.ok
    # totals count what could be computed: the input and the good convolution
    assert a.totals.params == 9 * 3 * 2 + 2
    assert a.totals.layers == 5


@pytest.mark.parametrize("nodes, edges, bad, message", [
    ([("in", "Input", {"shape": [6, 6, 3]}),
      ("c", "Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 3})],
     [("in", "c")], "c",
     "input 6×6: input size 6 is smaller than the dilated kernel 7 (kernel 3, dilation 3) with 'valid' padding"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("b", "Input", {"shape": [4, 4, 3]}),
      ("cat", "Concatenate", {})],
     [("a", "cat"), ("b", "cat")], "cat",
     "input 1 is 4×4×3 but input 0 is 8×8×3; all dimensions except axis -1 must match"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("b", "Input", {"shape": [8, 8, 4]}), ("add", "Add", {})],
     [("a", "add"), ("b", "add")], "add", "input shapes do not match: 8×8×3, 8×8×4"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("b", "Input", {"shape": [8, 8]}), ("m", "Multiply", {})],
     [("a", "m"), ("b", "m")], "m", "inputs differ in rank: 8×8×3, 8×8"),
    ([("c", "Conv2D", {"filters": 4, "kernel_size": 1})], [], "c", "needs an input, has 0"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("add", "Add", {})], [("a", "add")], "add",
     "needs at least 2 inputs, has 1"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("c", "Conv2D", {"filters": 4, "kernel_size": 1, "groups": 2})],
     [("a", "c")], "c", "input channels (3) must be divisible by groups (2)"),
    ([("a", "Input", {"shape": [8, 8, 4]}), ("c", "Conv2D", {"filters": 6, "kernel_size": 1, "groups": 4})],
     [("a", "c")], "c", "groups: filters (6) must be divisible by groups (4)"),
    ([("a", "Input", {"shape": [10]}), ("p", "MaxPooling2D", {})], [("a", "p")], "p",
     "needs a feature map of rank 3 ([H, W, C]), got 10"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("r", "Reshape", {"target_shape": [5, -1]})], [("a", "r")], "r",
     "cannot reshape 8×8×3 (192 elements) into [5, -1]"),
    ([("a", "Input", {"shape": [8, 8, 3]}), ("cat", "Concatenate", {"axis": 0}), ("b", "Input", {"shape": [8, 8, 3]})],
     [("a", "cat"), ("b", "cat")], "cat", "axis 0 is the batch axis; use -1 (or 3) for channels"),
])
def test_node_errors(nodes, edges, bad, message):
    d = build(*nodes, edges=edges)
    d.add_node("Activation", "after", attrs={"activation": "relu"})
    d.connect(bad, "after")
    a = analyze(d)
    assert a[bad].error == message
    assert a["after"].blocked_by == bad and a["after"].error is None


def test_bad_attribute_value_from_a_file_is_a_node_error():
    # set_attrs is the undo path and does not validate; the analysis must still cope
    d = build(("in", "Input", {"shape": [8, 8, 3]}), ("c", "Conv2D", {"filters": 4, "kernel_size": 3}),
              edges=[("in", "c")])
    d.set_attrs("c", {"filters": -4, "kernel_size": 3})
    a = analyze(d)
    assert a["c"].error == "filters: must be a positive integer, got -4"
    d.set_attrs("c", {"filters": 4, "kernel_size": 3, "filterz": 1})
    assert analyze(d)["c"].error.startswith("filterz: unknown attribute for Conv2D")
    d.set_attrs("c", {"kernel_size": 3})
    assert analyze(d)["c"].error == "filters: required for Conv2D"


def test_dense_on_a_feature_map_acts_on_the_last_axis():
    d = build(("in", "Input", {"shape": [7, 5, 3]}), ("fc", "Dense", {"units": 10}), edges=[("in", "fc")])
    r = analyze(d)["fc"]
    assert r.status == OK
    assert r.shape == (7, 5, 10)
    assert r.params == 3 * 10 + 10
    assert r.macs == 7 * 5 * 3 * 10
    assert r.flops == 2 * r.macs + 7 * 5 * 10  # bias add per output element


def test_costs_of_every_family():
    d = build(
        ("in", "Input", {"shape": [16, 16, 8]}),
        ("bn", "BatchNormalization", {}),
        ("act", "Activation", {"activation": "softmax"}),
        ("mp", "MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}),
        ("ap", "AveragePooling2D", {"pool_size": 2}),
        ("gap", "GlobalAveragePooling2D", {}),
        ("gmp", "GlobalMaxPooling2D", {"keepdims": True}),
        ("add", "Add", {}),
        ("mul", "Multiply", {}),
        ("dw", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2, "padding": "same",
                                   "activation": "relu"}),
        ("sep", "SeparableConv2D", {"filters": 4, "kernel_size": 3, "use_bias": False}),
        ("zp", "ZeroPadding2D", {"padding": [[1, 2], [0, 3]]}),
        ("drop", "Dropout", {"rate": 0.3}),
        edges=[("in", "bn"), ("bn", "act"), ("act", "mp"), ("mp", "ap"), ("ap", "gap"), ("in", "gmp"),
               ("in", "add"), ("bn", "add"), ("in", "mul"), ("bn", "mul"), ("in", "dw"),
               ("in", "sep"), ("in", "zp"), ("zp", "drop")],
    )
    a = analyze(d)
    n = 16 * 16 * 8
    assert (a["bn"].trainable, a["bn"].non_trainable, a["bn"].flops) == (16, 16, 2 * n)
    assert a["act"].flops == 3 * n
    assert a["mp"].shape == (8, 8, 8) and a["mp"].flops == 8 * 8 * 8 * 8
    assert a["ap"].shape == (4, 4, 8) and a["ap"].flops == 4 * 4 * 8 * 4
    assert a["gap"].shape == (8,) and a["gap"].flops == 8 * 16
    assert a["gmp"].shape == (1, 1, 8) and a["gmp"].flops == 8 * 255
    assert a["add"].flops == n and a["mul"].flops == n and a["add"].params == 0
    assert a["dw"].shape == (16, 16, 16)
    assert a["dw"].params == 9 * 16 + 16
    assert a["dw"].macs == 16 * 16 * 9 * 16
    assert a["dw"].flops == 2 * a["dw"].macs + 2 * 16 * 16 * 16
    assert a["sep"].shape == (14, 14, 4)
    assert a["sep"].params == 9 * 8 + 8 * 4
    assert a["sep"].macs == 14 * 14 * (9 * 8 + 8 * 4)
    assert a["sep"].flops == 2 * a["sep"].macs
    assert a["zp"].shape == (19, 19, 8) and a["zp"].flops == 0
    assert a["drop"].shape == (19, 19, 8) and a["drop"].activations == 19 * 19 * 8
    for r in a.results.values():
        assert r.activations == prod(r.shape)


def test_totals_by_group_and_by_type_are_sums():
    d = build(
        ("in", "Input", {"shape": [32, 32, 3]}),
        ("c1", "Conv2D", {"filters": 8, "kernel_size": 3, "padding": "same"}, "stem"),
        ("b1", "BatchNormalization", {}, "stem"),
        ("c2", "Conv2D", {"filters": 16, "kernel_size": 3, "strides": 2}, "body"),
        ("b2", "BatchNormalization", {}, "body"),
        ("g", "GlobalAveragePooling2D", {}),
        ("fc", "Dense", {"units": 10, "activation": "softmax"}),
        edges=[("in", "c1"), ("c1", "b1"), ("b1", "c2"), ("c2", "b2"), ("b2", "g"), ("g", "fc")],
    )
    a = analyze(d)
    rs = list(a.results.values())
    for field in ("params", "trainable_params", "non_trainable_params", "macs", "flops", "activations"):
        total = getattr(a.totals, field)
        assert total == sum(getattr(t, field) for t in a.by_type.values())
        grouped = sum(getattr(t, field) for t in a.by_group.values())
        ungrouped = {"params": sum(r.params for r in rs if not r.group),
                     "trainable_params": sum(r.trainable for r in rs if not r.group),
                     "non_trainable_params": sum(r.non_trainable for r in rs if not r.group),
                     "macs": sum(r.macs for r in rs if not r.group),
                     "flops": sum(r.flops for r in rs if not r.group),
                     "activations": sum(r.activations for r in rs if not r.group)}[field]
        assert total == grouped + ungrouped
    assert a.by_group["stem"].params == 3 * 9 * 8 + 8 + 32
    assert a.by_group["stem"].non_trainable_params == 16
    assert a.by_group["body"].macs == 15 * 15 * 9 * 8 * 16
    assert a.by_type["BatchNormalization"].layers == 2
    assert a.by_type["BatchNormalization"].params == 4 * 8 + 4 * 16
    assert a.totals.params == (3 * 9 * 8 + 8) + 32 + (8 * 9 * 16 + 16) + 64 + (16 * 10 + 10)
    assert a.totals.layers == 7
    assert set(a.totals.as_dict()) == {"params", "trainable_params", "non_trainable_params", "macs",
                                       "flops", "activations", "layers"}
    assert a.order == ["in", "c1", "b1", "c2", "b2", "g", "fc"]


def _values():
    return st.one_of(
        st.integers(-3, 40), st.booleans(), st.none(), st.floats(allow_nan=True),
        st.sampled_from(["same", "valid", "relu", "softmax", "64", "", "x"]),
        st.lists(st.integers(-2, 9), max_size=4),
        st.lists(st.lists(st.integers(-1, 3), max_size=3), max_size=3),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    )


@settings(max_examples=300)
@given(
    type_name=st.sampled_from(sorted(layers.REGISTRY)),
    raw=st.data(),
    shapes=st.lists(st.lists(st.integers(1, 12), min_size=1, max_size=4).map(tuple), max_size=3),
)
def test_nothing_raises_whatever_the_attributes(type_name, raw, shapes):
    layer = layers.get(type_name)
    names = [a.name for a in layer.attrs] + ["bogus"]
    attrs = raw.draw(st.dictionaries(st.sampled_from(names), _values(), max_size=4))
    ins = [NodeResult(f"i{k}", "Input", None, shape=s) for k, s in enumerate(shapes)]
    r = compute_node(Node("n", type_name, attrs), ins)
    assert "internal error" not in (r.error or "")
    if r.ok:
        assert all(isinstance(x, int) and x >= 1 for x in r.shape)
        assert min(r.params, r.macs, r.flops) >= 0
    else:
        assert r.error


# ---- incremental analysis ---------------------------------------------------------------------
from archcanvas.core.analysis import Analyzer  # noqa: E402
from archcanvas.core.errors import ArchCanvasError  # noqa: E402


def copy_design(d: Design) -> Design:
    """A fresh Design with the same nodes (in the same order) and edges."""
    c = Design(d.name)
    for n in d.nodes():
        c.add_node(n.type, n.id, name=n.name, group=n.group)
        c.node(n.id).attrs = dict(n.attrs)  # as is, even if invalid
    for e in d.edges():
        c.connect(e.source, e.target, e.port)
    return c


def assert_same(inc, full):
    assert inc.order == full.order
    assert inc.results == full.results
    assert inc.totals == full.totals
    assert inc.by_group == full.by_group
    assert inc.by_type == full.by_type


def deep_chain(n=40):
    d = Design()
    d.add_node("Input", "in", attrs={"shape": [32, 32, 8]})
    prev = "in"
    for i in range(n):
        kind = ("Conv2D", {"filters": 8, "kernel_size": 3, "padding": "same"}) if i % 2 == 0 else \
            ("BatchNormalization", {})
        d.add_node(kind[0], f"n{i}", attrs=kind[1], group=f"g{i // 10}")
        d.connect(prev, f"n{i}")
        prev = f"n{i}"
    return d


def test_refresh_recomputes_only_the_edited_node_and_its_descendants():
    d = deep_chain(40)
    d.add_node("Conv2D", "side", attrs={"filters": 4, "kernel_size": 1})
    d.connect("n10", "side")
    an = Analyzer(d)
    assert an.refresh() == set(d.node_ids())
    assert an.refresh() == set()
    d.set_attr("n30", "filters", 16)
    assert an.refresh() == {f"n{i}" for i in range(30, 40)}
    assert an.analysis["n30"].shape == (32, 32, 16)
    assert an.analysis["n32"].params == 9 * 16 * 8 + 8
    d.set_attr("side", "filters", 5)
    assert an.refresh() == {"side"}
    d.rename("n5", "renamed")
    d.move("n5", (3, 4))
    assert an.refresh() == set()  # names and positions do not change any result
    d.set_group("n39", "tail")
    assert an.refresh() == {"n39"}
    assert an.analysis.by_group["tail"].layers == 1
    d.disconnect("n37", "n38", 0)
    assert an.refresh() == {"n38", "n39"}
    assert an.analysis["n38"].error == "needs an input, has 0"
    assert an.analysis["n39"].blocked_by == "n38"
    d.remove_node("n38")
    assert an.refresh() == {"n38", "n39"}
    assert "n38" not in an.analysis.results
    assert_same(an.result(), analyze(copy_design(d)))


ADDABLE = [
    ("Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same"}),
    ("Conv2D", {"filters": 6, "kernel_size": 3, "strides": 2}),
    ("Conv2D", {"filters": 4, "kernel_size": 5}),
    ("DepthwiseConv2D", {"kernel_size": 3, "padding": "same"}),
    ("SeparableConv2D", {"filters": 8, "kernel_size": 3}),
    ("MaxPooling2D", {"pool_size": 2}),
    ("BatchNormalization", {}),
    ("Activation", {"activation": "relu"}),
    ("Dense", {"units": 5}),
    ("Flatten", {}),
    ("GlobalAveragePooling2D", {}),
    ("Concatenate", {}),
    ("Add", {}),
    ("Multiply", {}),
    ("Input", {"shape": [8, 8, 4]}),
    ("Input", {"shape": [16, 16, 4]}),
]
EDITS = [
    ("filters", st.integers(1, 8)), ("kernel_size", st.integers(1, 6)), ("strides", st.integers(1, 3)),
    ("padding", st.sampled_from(["same", "valid"])), ("units", st.integers(1, 9)),
    ("shape", st.sampled_from([[8, 8, 4], [5, 5, 4], [16, 16, 2], [12]])),
    ("use_bias", st.booleans()), ("axis", st.sampled_from([-1, 1, 3, 0])),
    ("filters", st.integers(-2, 0)),  # rejected by set_attr
]


OPS = ["add", "add", "remove", "connect", "disconnect", "set_attr", "set_attrs_raw", "set_group", "rename"]


def random_edit(d: Design, draw, ops=OPS):
    """One random edit of ``d`` drawn by Hypothesis (refused edits included, as a user's may be);
    returns the id whose attribute a single ``set_attr`` changed, else None."""
    ids = d.node_ids()
    op = draw(st.sampled_from(ops), label="op")
    try:
        if op == "add":
            t, attrs = draw(st.sampled_from(ADDABLE))
            nid = d.add_node(t, attrs=attrs, group=draw(st.sampled_from([None, "a", "b"])))
            if t != "Input" and ids:
                d.connect(draw(st.sampled_from(ids)), nid)
        elif op == "remove" and len(ids) > 1:
            d.remove_node(draw(st.sampled_from(ids)))
        elif op == "connect":
            d.connect(draw(st.sampled_from(ids)), draw(st.sampled_from(ids)))
        elif op == "disconnect" and d.edges():
            e = draw(st.sampled_from(d.edges()))
            d.disconnect(e.source, e.target, e.port)
        elif op in ("set_attr", "batch"):
            with d.batch():  # "batch": several attribute edits in one refresh
                for _ in range(draw(st.integers(2, 4)) if op == "batch" else 1):
                    key, values = draw(st.sampled_from(EDITS))
                    nid = draw(st.sampled_from(ids))
                    d.set_attr(nid, key, draw(values))
            return nid if op == "set_attr" else None
        elif op == "set_attrs_raw":  # the undo path: no validation, may leave a bad value
            nid = draw(st.sampled_from(ids))
            key, values = draw(st.sampled_from(EDITS))
            if key in d.node(nid).layer.attr_index:
                d.set_attrs(nid, {**d.node(nid).attrs, key: draw(values)})
        elif op == "rename":
            d.rename(draw(st.sampled_from(ids)), draw(st.sampled_from([None, "x", "conv"])))
        elif op == "set_group":
            d.set_group(draw(st.sampled_from(ids)), draw(st.sampled_from([None, "a", "b", "c"])))
    except ArchCanvasError:
        pass  # a refused edit must leave the design and the analysis consistent too
    return None


@settings(max_examples=150)
@given(st.data())
def test_incremental_always_equals_a_fresh_full_analysis(data):
    d = Design()
    d.add_node("Input", "in", attrs={"shape": [16, 16, 4]})
    an = Analyzer(d)
    for step in range(data.draw(st.integers(5, 30), label="steps")):
        edited = random_edit(d, data.draw)
        before = dict(an.analysis.results)
        changed = an.refresh()
        if edited is not None:
            assert changed == {edited} | d.descendants([edited])
        full = analyze(copy_design(d))
        assert_same(an.analysis, full)
        # whatever was not reported as changed kept its previous result object
        for nid, r in an.analysis.results.items():
            if nid not in changed:
                assert before[nid] is r


def test_a_hand_built_cycle_is_an_error_not_a_crash():
    d = build(("in", "Input", {"shape": [4]}), ("a", "Concatenate", {}), ("b", "Dense", {"units": 2}),
              edges=[("in", "a"), ("a", "b")])
    d.graph.add_edge("b", "a", key=1)  # bypasses connect's check, as a corrupted graph might
    d._structure_changed()
    a = analyze(d)
    assert {r.error for r in a.results.values()} == {"part of a cycle"}


def test_cost_rules_document_names_every_type_and_the_activation_table():
    import re
    from pathlib import Path

    from archcanvas.core.layers.spec import ACTIVATION_FLOPS

    text = (Path(__file__).resolve().parents[1] / "docs" / "cost-rules.md").read_text(encoding="utf-8")
    for name in layers.REGISTRY:
        assert f"`{name}`" in text, name
    table = text[text.index("### Activation table"):text.index("## Worked examples")]
    documented = {}
    for names, flops in re.findall(r"^\| (`.+?) \| (\d+)", table, flags=re.M):
        for n in re.findall(r"`(\w+)`", names):
            documented[None if n == "null" else n] = int(flops)
    assert documented == ACTIVATION_FLOPS


def test_results_and_costs_are_immutable_values():
    """NodeResult and Cost are tuples underneath (for speed) but behave as the frozen records
    they replaced: keyword construction, named repr, equal only to the same class, hashable."""
    import copy
    import pickle

    from archcanvas.core.layers import Cost

    c = Cost(trainable=3, macs=5)
    r = NodeResult("c", "Conv2D", "g", shape=(2, 2, 4), cost=c)
    assert (c.trainable, c.non_trainable, c.macs, c.extra_flops, c.params) == (3, 0, 5, 0, 3)
    assert repr(c) == "Cost(trainable=3, non_trainable=0, macs=5, extra_flops=0)"
    assert repr(r) == ("NodeResult(id='c', type='Conv2D', group='g', shape=(2, 2, 4), cost=" + repr(c)
                       + ", error=None, blocked_by=None)")
    assert (r.params, r.macs, r.flops, r.activations, r.status, r.message) == (3, 5, 10, 16, OK, "")
    assert NodeResult("x", "Add", None).cost == Cost() and NodeResult("x", "Add", None).shape is None
    assert r == NodeResult("c", "Conv2D", "g", (2, 2, 4), Cost(3, 0, 5, 0)) and hash(r) == hash(copy.copy(r))
    assert r != NodeResult("c", "Conv2D", "g", (2, 2, 4), Cost(3, 0, 5, 1))
    assert r != tuple(r) and tuple(r) != r and c != (3, 0, 5, 0) and not c == (3, 0, 5, 0)
    assert pickle.loads(pickle.dumps(r)) == r and copy.deepcopy(c) == c
    with pytest.raises(AttributeError):
        r.shape = (1,)
    with pytest.raises(AttributeError):
        c.macs = 0
