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


CASES = {
    "ReLU": relu_case(),
    "LeakyReLU": leaky_relu_case(),
    "PReLU": prelu_case(),
    "ELU": elu_case(),
    "Softmax": softmax_case(),
}
