"""Hypothesis strategies for the oracle (tests/test_oracle_keras.py): one per layer type beyond
the first catalogue, each drawing Keras-valid configurations and some that Keras refuses, on tiny
tensors so that 200 examples a type stay cheap."""

from __future__ import annotations

from hypothesis import strategies as st

OMIT = object()


def pair(hi, lo=1):
    return st.one_of(st.integers(lo, hi), st.lists(st.integers(lo, hi), min_size=2, max_size=2))


def fmap(hw=8, c=4):
    return st.tuples(st.integers(1, hw), st.integers(1, hw), st.integers(1, c))


def any_rank(n=6, max_rank=3):
    return st.lists(st.integers(1, n), min_size=1, max_size=max_rank).map(tuple)


@st.composite
def attrs_of(draw, required: dict, optional: dict):
    """Required attributes always; each optional one present or left to Keras's default."""
    out = {k: draw(v) for k, v in required.items()}
    for k, v in optional.items():
        val = draw(st.one_of(st.just(OMIT), v))
        if val is not OMIT:
            out[k] = val
    return out


SMALL = st.floats(0, 3, allow_nan=False).map(lambda x: round(x, 3))


# ---- activations ----------------------------------------------------------------------------------
@st.composite
def relu_case(draw):
    a = draw(attrs_of({}, {"max_value": st.one_of(st.none(), SMALL), "negative_slope": SMALL,
                           "threshold": SMALL}))
    return a, [draw(any_rank())]


@st.composite
def leaky_relu_case(draw):
    return draw(attrs_of({}, {"negative_slope": SMALL})), [draw(any_rank())]


@st.composite
def prelu_case(draw):
    shape = draw(any_rank())
    axes = st.lists(st.integers(1, len(shape)), min_size=1, max_size=len(shape), unique=True)
    shared = draw(st.one_of(st.just(OMIT), st.none(), st.integers(1, len(shape)), axes))
    return ({} if shared is OMIT else {"shared_axes": shared}), [shape]


@st.composite
def elu_case(draw):
    return draw(attrs_of({}, {"alpha": SMALL})), [draw(any_rank())]


@st.composite
def softmax_case(draw):
    shape = draw(any_rank())
    rank = len(shape)
    a = draw(attrs_of({}, {"axis": st.one_of(st.integers(1, rank), st.integers(-rank, -1))}))
    return a, [shape]


# ---- preprocessing and normalization -------------------------------------------------------------
def axes_for(rank, allow_batch=False):
    """Keras axes (batch counted) of an input of ``rank``: one, or a list of distinct ones."""
    one = st.one_of(st.integers(0 if allow_batch else 1, rank), st.integers(-rank, -1))
    return st.one_of(one, st.lists(st.integers(1, rank), min_size=1, max_size=rank, unique=True))


@st.composite
def rescaling_case(draw):
    a = draw(attrs_of({"scale": st.floats(-2, 2, allow_nan=False)}, {"offset": st.floats(-2, 2)}))
    return a, [draw(any_rank())]


@st.composite
def normalization_case(draw):
    shape = draw(any_rank())
    rank = len(shape)
    axis = draw(st.one_of(st.just(OMIT), st.none(), st.integers(-rank, -1), st.integers(0, rank),
                          st.lists(st.integers(1, rank), min_size=1, max_size=rank, unique=True)))
    a = {} if axis is OMIT else {"axis": axis}
    kind = draw(st.sampled_from(["adapt", "adapt", "scalar", "list", "wrong"]))
    if kind == "scalar":
        a["mean"], a["variance"] = draw(SMALL), draw(st.floats(0.5, 2))
    elif kind in ("list", "wrong"):
        n = shape[-1] if axis is OMIT or isinstance(axis, int) and axis == -1 else draw(st.integers(1, 4))
        if kind == "wrong":
            n = draw(st.integers(1, 5))
        a["mean"] = draw(st.lists(SMALL, min_size=n, max_size=n))
        a["variance"] = draw(st.lists(st.floats(0.5, 2), min_size=n, max_size=n))
    if draw(st.booleans()):
        a["invert"] = draw(st.booleans())
    return a, [shape]


@st.composite
def layer_norm_case(draw):
    shape = draw(any_rank())
    a = draw(attrs_of({}, {"axis": axes_for(len(shape)), "epsilon": st.floats(0, 0.1),
                           "center": st.booleans(), "scale": st.booleans(), "rms_scaling": st.booleans()}))
    return a, [shape]


@st.composite
def unit_norm_case(draw):
    shape = draw(any_rank())
    return draw(attrs_of({}, {"axis": axes_for(len(shape), allow_batch=True)})), [shape]


@st.composite
def layer_scale_case(draw):
    shape = draw(any_rank())
    p = draw(st.one_of(st.just(shape[-1]), st.just(shape[-1]), st.integers(1, 6)))
    return {"init_values": draw(st.floats(0, 1)), "projection_dim": p}, [shape]


CASES = {
    "ReLU": relu_case(),
    "LeakyReLU": leaky_relu_case(),
    "PReLU": prelu_case(),
    "ELU": elu_case(),
    "Softmax": softmax_case(),
    "Rescaling": rescaling_case(),
    "Normalization": normalization_case(),
    "LayerNormalization": layer_norm_case(),
    "UnitNormalization": unit_norm_case(),
    "LayerScale": layer_scale_case(),
}
