"""Our shape, parameter and MAC rules against Keras 3 on PyTorch, layer by layer and whole DAGs.

Keras is the reference for shapes and parameters (``count_params()``, trainable weights);
``torch.utils.flop_counter.FlopCounterMode`` on the same Keras layer is the reference for MACs
(it counts 2 FLOPs per multiply-accumulate of matmuls and convolutions, bias excluded). Where
Keras refuses a configuration, our analysis must put an error on the node.

Deliberate differences (not generated here, tested in test_analysis.py): Concatenate on the batch
axis (Keras concatenates samples; a designer never means that) and Add/Multiply of inputs of
different rank (Keras right-aligns them, which lines the batch axis up with a spatial one).
"""

from __future__ import annotations

from math import prod

import pytest

pytest.importorskip("keras")
pytest.importorskip("torch")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from archcanvas.core import layers  # noqa: E402
from archcanvas.core.analysis import NodeResult, analyze, compute_node  # noqa: E402
from archcanvas.core.design import Design, Node  # noqa: E402
from archcanvas.core.layers.spec import ACTIVATIONS  # noqa: E402
from oracle_cases import CASES as MORE_CASES, OMIT, attrs_of  # noqa: E402
from oracle_keras import keras_measure, keras_model, model_flops  # noqa: E402

pytestmark = [pytest.mark.oracle,
              # generated cases include softmax over an axis of size 1; Keras's advice about it is noise
              pytest.mark.filterwarnings("ignore:You are using a softmax over axis"),
              # LayerNormalization(rms_scaling=True) is deprecated in Keras 3; we still model it
              pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`")]



def pair(hi, lo=1):
    return st.one_of(st.integers(lo, hi), st.lists(st.integers(lo, hi), min_size=2, max_size=2))


def fmap(hw=12, c=8):
    return st.tuples(st.integers(1, hw), st.integers(1, hw), st.integers(1, c))


def any_rank(n=10):
    return st.lists(st.integers(1, n), min_size=1, max_size=3).map(tuple)


def keras_axis_for(rank):
    """A Keras axis that is not the batch axis: 1..rank or -rank..-1."""
    return st.one_of(st.integers(1, rank), st.integers(-rank, -1))



ACT = st.sampled_from(ACTIVATIONS)
WINDOW = dict(strides=pair(3), padding=st.sampled_from(["same", "valid"]))
CONV_OPT = dict(**WINDOW, dilation_rate=pair(3), activation=ACT, use_bias=st.booleans())


@st.composite
def conv2d_case(draw):
    groups = draw(st.sampled_from([1, 1, 1, 2, 3, 4]))
    divisible = draw(st.integers(0, 9)) > 0  # mostly valid grouped configurations
    cin = groups * draw(st.integers(1, 3)) if divisible else draw(st.integers(1, 8))
    filters = groups * draw(st.integers(1, 3)) if divisible else draw(st.integers(1, 8))
    a = draw(attrs_of({"filters": st.just(filters), "kernel_size": pair(5)},
                      {**CONV_OPT, "groups": st.just(groups)}))
    if "strides" in a and "dilation_rate" in a and draw(st.integers(0, 4)):
        del a["dilation_rate"]  # keep most cases computable; Keras refuses strides × dilation
    h, w = draw(st.integers(1, 16)), draw(st.integers(1, 16))
    return a, [(h, w, cin)]


@st.composite
def depthwise_case(draw):
    a = draw(attrs_of({"kernel_size": pair(5)}, {**CONV_OPT, "depth_multiplier": st.integers(1, 3)}))
    return a, [draw(fmap())]


@st.composite
def separable_case(draw):
    a = draw(attrs_of({"filters": st.integers(1, 8), "kernel_size": pair(5)},
                      {**CONV_OPT, "depth_multiplier": st.integers(1, 3)}))
    return a, [draw(fmap())]


@st.composite
def pool_case(draw):
    a = draw(attrs_of({}, {"pool_size": pair(4), "strides": st.one_of(st.none(), pair(3)),
                           "padding": st.sampled_from(["same", "valid"])}))
    return a, [draw(fmap())]


@st.composite
def global_pool_case(draw):
    a = draw(attrs_of({}, {"keepdims": st.booleans()}))
    shape = draw(st.one_of(fmap(), fmap(), fmap(), any_rank()))  # other ranks: both must refuse
    return a, [shape]


@st.composite
def dense_case(draw):
    a = draw(attrs_of({"units": st.integers(1, 16)}, {"activation": ACT, "use_bias": st.booleans()}))
    return a, [draw(any_rank(8))]


@st.composite
def concat_case(draw):
    rank = draw(st.integers(1, 3))
    base = list(draw(st.lists(st.integers(1, 6), min_size=rank, max_size=rank)))
    axis = draw(keras_axis_for(rank))
    a = {} if axis == -1 and draw(st.booleans()) else {"axis": axis}
    ax = axis % (rank + 1) - 1
    shapes = []
    for _ in range(draw(st.integers(2, 3))):
        s = list(base)
        s[ax] = draw(st.integers(1, 6))
        if draw(st.integers(0, 9)) == 0:  # sometimes a mismatch elsewhere: both must refuse
            s[draw(st.integers(0, rank - 1))] = draw(st.integers(1, 6))
        shapes.append(tuple(s))
    return a, shapes


@st.composite
def elementwise_case(draw):
    rank = draw(st.integers(1, 3))
    base = draw(st.lists(st.integers(1, 6), min_size=rank, max_size=rank))
    shapes = []
    for _ in range(draw(st.integers(2, 3))):
        s = [1 if draw(st.integers(0, 4)) == 0 else d for d in base]  # broadcasting dims of 1
        if draw(st.integers(0, 9)) == 0:
            s[draw(st.integers(0, rank - 1))] = draw(st.integers(1, 6))
        shapes.append(tuple(s))
    return {}, shapes


@st.composite
def batchnorm_case(draw):
    shape = draw(any_rank(8))
    a = draw(attrs_of({}, {"axis": keras_axis_for(len(shape)),
                           "momentum": st.floats(0, 1), "epsilon": st.floats(0, 0.1),
                           "center": st.booleans(), "scale": st.booleans()}))
    return a, [shape]


@st.composite
def activation_case(draw):
    return {"activation": draw(ACT)}, [draw(any_rank(8))]


@st.composite
def dropout_case(draw):
    return {"rate": draw(st.floats(0, 0.99))}, [draw(any_rank(8))]


@st.composite
def flatten_case(draw):
    return {}, [draw(any_rank(8))]


@st.composite
def zero_pad_case(draw):
    p = draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=2, max_size=2),
                       st.lists(st.lists(st.integers(0, 3), min_size=2, max_size=2), min_size=2, max_size=2)))
    return draw(attrs_of({}, {"padding": st.just(p)})), [draw(fmap())]


@st.composite
def reshape_case(draw):
    shape = draw(any_rank(6))
    n = prod(shape)
    dims, rest = [], n
    for _ in range(draw(st.integers(0, 2))):
        divisors = [k for k in range(1, rest + 1) if rest % k == 0]
        k = draw(st.sampled_from(divisors))
        dims.append(k)
        rest //= k
    dims.append(rest)
    dims = draw(st.permutations(dims))
    if draw(st.booleans()):
        dims[draw(st.integers(0, len(dims) - 1))] = -1
    if draw(st.integers(0, 9)) == 0:  # a wrong element count: both must refuse
        dims[0] = dims[0] + 1 if dims[0] != -1 else 7
        if -1 not in dims and prod(dims) == n:
            dims.append(2)
    return {"target_shape": list(dims)}, [shape]


@st.composite
def input_case(draw):
    return {"shape": list(draw(any_rank(224)))}, []


CASES = {
    "Input": input_case(),
    "Conv2D": conv2d_case(),
    "DepthwiseConv2D": depthwise_case(),
    "SeparableConv2D": separable_case(),
    "MaxPooling2D": pool_case(),
    "AveragePooling2D": pool_case(),
    "GlobalAveragePooling2D": global_pool_case(),
    "GlobalMaxPooling2D": global_pool_case(),
    "Flatten": flatten_case(),
    "Dense": dense_case(),
    "Concatenate": concat_case(),
    "Add": elementwise_case(),
    "Multiply": elementwise_case(),
    "BatchNormalization": batchnorm_case(),
    "Activation": activation_case(),
    "Dropout": dropout_case(),
    "ZeroPadding2D": zero_pad_case(),
    "Reshape": reshape_case(),
    **MORE_CASES,
}


def test_every_layer_type_has_an_oracle_case():
    assert set(CASES) == set(layers.REGISTRY)


def ours(type_name, attrs, shapes) -> NodeResult:
    ins = [NodeResult(f"in{k}", "Input", None, shape=tuple(s)) for k, s in enumerate(shapes)]
    return compute_node(Node("n", type_name, attrs), ins)


def compare_layer(type_name, attrs, shapes):
    # Each value alone is valid (a strategy bug otherwise); cross-attribute rules such as
    # groups dividing filters are left for Keras and us to judge.
    keras_attrs = _normalized(layers.get(type_name), attrs)
    mine = ours(type_name, attrs, shapes)
    assert "internal error" not in (mine.error or "")
    k = keras_measure(type_name, keras_attrs, shapes)
    where = f"{type_name} {attrs} on {shapes}"
    if k.refused:
        assert mine.error, f"Keras refuses {where} ({k.refused[:200]}) but we computed {mine.shape}"
        return "refused"
    assert not mine.error, f"we refuse {where} ({mine.error}) but Keras gives {k.shape}"
    assert mine.shape == k.shape, where
    assert (mine.params, mine.trainable, mine.non_trainable) == (k.params, k.trainable, k.non_trainable), where
    if k.flops is None:
        return "no-runtime"
    assert k.runtime_shape == k.shape, f"Keras's own runtime shape differs for {where}"
    assert 2 * mine.macs == k.flops, where
    return "ok"


def _normalized(layer, attrs):
    out = {}
    for a in layer.attrs:
        if a.name in attrs:
            out[a.name] = a.validate(attrs[a.name])
        elif not a.required:
            out[a.name] = a.validate(a.default) if a.default is not None else None
    return out


def _oracle_test(type_name):
    @settings(max_examples=200, suppress_health_check=list(HealthCheck))
    @given(case=CASES[type_name])
    def run(case):
        attrs, shapes = case
        compare_layer(type_name, attrs, shapes)
    return run


@pytest.mark.parametrize("type_name", sorted(CASES))
def test_layer_matches_keras(type_name):
    _oracle_test(type_name)()


# ---- whole designs ----------------------------------------------------------------------------
from archcanvas.core.analysis import Analyzer  # noqa: E402

SPATIAL_OPS = ["conv", "conv", "dw", "sep", "bn", "act", "pool", "concat", "add", "mul"]


@st.composite
def random_design(draw):
    """A small DAG: chains that branch from any earlier layer and meet again in Concatenate,
    Add or Multiply; sometimes a second Input; ends in GlobalAveragePooling2D + Dense or Flatten."""
    d = Design()
    an = Analyzer(d)
    hw = draw(st.integers(4, 12))
    d.add_node("Input", "x", attrs={"shape": [hw, hw, draw(st.integers(1, 6))]})
    if draw(st.booleans()):
        d.add_node("Input", "y", attrs={"shape": [hw, hw, draw(st.integers(1, 6))]})
    for _ in range(draw(st.integers(2, 10))):
        a = an.result()
        live = [n for n in a.order if a[n].ok and len(a[n].shape) == 3]
        src = draw(st.sampled_from(live))
        op = draw(st.sampled_from(SPATIAL_OPS))
        if op in ("concat", "add", "mul"):
            same_hw = [n for n in live if a[n].shape[:2] == a[src].shape[:2] and n != src]
            partners = same_hw if op == "concat" else [n for n in same_hw if a[n].shape == a[src].shape]
            if not partners:
                op = "conv"
            else:
                kind = {"concat": "Concatenate", "add": "Add", "mul": "Multiply"}[op]
                node = d.add_node(kind)
                d.connect(src, node)
                d.connect(draw(st.sampled_from(partners)), node)
                continue
        if op == "conv":
            node = d.add_node("Conv2D", attrs={
                "filters": draw(st.integers(1, 8)), "kernel_size": draw(st.sampled_from([1, 3, 5])),
                "strides": draw(st.sampled_from([1, 1, 2])), "padding": draw(st.sampled_from(["same", "valid"])),
                "activation": draw(st.sampled_from([None, "relu"]))})
        elif op == "dw":
            node = d.add_node("DepthwiseConv2D", attrs={"kernel_size": 3, "padding": "same",
                                                        "depth_multiplier": draw(st.integers(1, 2))})
        elif op == "sep":
            node = d.add_node("SeparableConv2D", attrs={"filters": draw(st.integers(1, 8)), "kernel_size": 3,
                                                        "padding": "same"})
        elif op == "bn":
            node = d.add_node("BatchNormalization")
        elif op == "act":
            node = d.add_node("Activation", attrs={"activation": draw(st.sampled_from(["relu", "sigmoid"]))})
        else:
            node = d.add_node(draw(st.sampled_from(["MaxPooling2D", "AveragePooling2D"])),
                              attrs={"pool_size": draw(st.sampled_from([2, 3])), "padding": "same"})
        d.connect(src, node)
    a = an.result()
    live = [n for n in a.order if a[n].ok and len(a[n].shape) == 3 and not d.outputs(n)]
    if live:
        head = d.add_node(draw(st.sampled_from(["GlobalAveragePooling2D", "Flatten"])))
        d.connect(draw(st.sampled_from(live)), head)
        fc = d.add_node("Dense", attrs={"units": draw(st.integers(1, 10)), "activation": "softmax"})
        d.connect(head, fc)
    an.close()
    return d


@settings(max_examples=100, suppress_health_check=list(HealthCheck))
@given(design=random_design())
def test_random_designs_match_a_keras_functional_model(design):
    a = analyze(design)
    if not a.ok:  # a valid-padding convolution ran out of pixels somewhere: Keras must refuse too
        with pytest.raises(ValueError):
            keras_model(design)
        return
    model, tensors = keras_model(design)
    for nid in a.order:
        assert a[nid].shape == tuple(tensors[nid].shape[1:]), nid
    assert a.totals.params == model.count_params()
    assert a.totals.trainable_params == sum(prod(w.shape) for w in model.trainable_weights)
    assert a.totals.non_trainable_params == sum(prod(w.shape) for w in model.non_trainable_weights)
    in_shapes = [a[n].shape for n in a.order if design.node(n).type == "Input"]
    assert 2 * a.totals.macs == model_flops(model, in_shapes)


# ---- pinned cases: what Keras refuses, and what FlopCounterMode counts -------------------------
@pytest.mark.parametrize("type_name, attrs, shapes, refused", [
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, [(16, 16, 3)], True),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, [(16, 16, 3)], False),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, [(16, 16, 3)], False),
    ("Conv2D", {"filters": 4, "kernel_size": 5}, [(4, 4, 3)], True),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2}, [(4, 4, 3)], True),
    ("MaxPooling2D", {"pool_size": 5}, [(4, 4, 3)], True),
    ("MaxPooling2D", {"pool_size": 5, "padding": "same"}, [(4, 4, 3)], False),
    ("Conv2D", {"filters": 4, "kernel_size": 1, "groups": 2}, [(4, 4, 3)], True),
    ("Conv2D", {"filters": 3, "kernel_size": 1, "groups": 2}, [(4, 4, 4)], True),
    ("Add", {}, [(4, 4, 3), (4, 4, 2)], True),
    ("Concatenate", {}, [(4, 4, 3), (2, 4, 3)], True),
    ("GlobalAveragePooling2D", {}, [(4, 3)], True),
    ("Reshape", {"target_shape": [5, -1]}, [(4, 4, 3)], True),
    ("BatchNormalization", {"axis": 0}, [(4, 4, 3)], True),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}, [(4, 4, 3)], True),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, [(4, 4, 3)], False),
    ("Cropping2D", {"cropping": [[2, 2], [0, 0]]}, [(4, 4, 3)], True),
    ("Permute", {"dims": [1, 3]}, [(4, 4, 3)], True),
    ("Subtract", {}, [(4, 3), (4, 3), (4, 3)], True),
    ("Normalization", {"mean": [0.5, 0.5], "variance": [1.0, 1.0]}, [(4, 4, 3)], True),
    ("LayerScale", {"init_values": 1e-6, "projection_dim": 5}, [(4, 4, 3)], True),
    ("RepeatVector", {"n": 3}, [(4, 3)], True),
])
def test_pinned_refusals_agree(type_name, attrs, shapes, refused):
    assert (compare_layer(type_name, attrs, shapes) == "refused") is refused


@pytest.mark.parametrize("type_name, attrs, shape, macs", [
    # grouped: each filter sees Cin/groups channels
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4, "padding": "same"}, (6, 6, 8), 36 * 9 * 2 * 8),
    # depthwise: one kh×kw kernel per channel and multiplier
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (6, 6, 5), 16 * 9 * 10),
    ("SeparableConv2D", {"filters": 7, "kernel_size": 3}, (6, 6, 5), 16 * (9 * 5 + 5 * 7)),
    # Dense on a feature map: one matmul row per position; the bias add is not counted
    ("Dense", {"units": 6}, (3, 4, 5), 12 * 5 * 6),
    ("Dense", {"units": 6, "use_bias": False}, (5,), 30),
    ("BatchNormalization", {}, (3, 4, 5), 0),
    ("AveragePooling2D", {}, (4, 4, 5), 0),
])
def test_flop_counter_counts_two_per_mac(type_name, attrs, shape, macs):
    from oracle_keras import keras_measure as measure

    assert ours(type_name, attrs, [shape]).macs == macs
    k = measure(type_name, _normalized(layers.get(type_name), attrs), [shape])
    assert k.flops == 2 * macs
