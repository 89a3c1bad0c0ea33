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
    shape = draw(any_rank())
    # a list acts per channel; one whose length is not the last axis's (nor 1) is refused by us,
    # while Keras broadcasts it only at run time (its symbolic shape stays the input's), so the
    # strategy never draws one
    value = st.floats(-2, 2).map(lambda x: round(x, 3))
    per_channel = st.sampled_from([1, shape[-1]]).flatmap(lambda n: st.lists(value, min_size=n, max_size=n))
    a = draw(attrs_of({"scale": st.one_of(value, per_channel)}, {"offset": st.one_of(value, per_channel)}))
    return a, [shape]


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


# ---- spatial ------------------------------------------------------------------------------------
ACT = st.sampled_from([None, "relu", "sigmoid", "hard_silu"])


@st.composite
def conv_transpose_case(draw):
    a = draw(attrs_of({"filters": st.integers(1, 4), "kernel_size": pair(4)},
                      {"strides": pair(3), "padding": st.sampled_from(["same", "valid"]),
                       "output_padding": st.one_of(st.none(), pair(2, lo=0)), "dilation_rate": pair(2),
                       "activation": ACT, "use_bias": st.booleans()}))
    if "strides" in a and "dilation_rate" in a and draw(st.integers(0, 4)):
        del a["dilation_rate"]  # keep most cases computable; Keras refuses strides × dilation
    return a, [draw(fmap(6, 3))]


@st.composite
def upsampling_case(draw):
    a = draw(attrs_of({}, {"size": pair(3), "interpolation": st.sampled_from(
        ["nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"])}))
    return a, [draw(st.one_of(fmap(5, 3), fmap(5, 3), any_rank()))]


@st.composite
def cropping_case(draw):
    c = draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=2, max_size=2),
                       st.lists(st.lists(st.integers(0, 3), min_size=2, max_size=2), min_size=2, max_size=2)))
    return draw(attrs_of({}, {"cropping": st.just(c)})), [draw(st.one_of(fmap(), fmap(), any_rank()))]


@st.composite
def spatial_dropout_case(draw):
    return {"rate": draw(st.floats(0, 1))}, [draw(st.one_of(fmap(), any_rank()))]


@st.composite
def gaussian_noise_case(draw):
    return {"stddev": draw(st.floats(0, 1))}, [draw(any_rank())]


@st.composite
def gaussian_dropout_case(draw):
    return {"rate": draw(st.floats(0, 1))}, [draw(any_rank())]


@st.composite
def permute_case(draw):
    shape = draw(any_rank(5, 4))
    dims = draw(st.permutations(range(1, len(shape) + 1)))
    if draw(st.integers(0, 9)) == 0:  # a wrong rank: both must refuse
        dims = [*dims, len(dims) + 1]
    return {"dims": list(dims)}, [shape]


@st.composite
def repeat_vector_case(draw):
    return {"n": draw(st.integers(1, 5))}, [draw(st.one_of(any_rank(8, 1), any_rank(8, 1), any_rank()))]


@st.composite
def identity_case(draw):
    return {}, [draw(any_rank())]


# ---- merges and arithmetic with a constant --------------------------------------------------------
def merge_case(min_n=2, max_n=3):
    @st.composite
    def case(draw):
        rank = draw(st.integers(1, 3))
        base = draw(st.lists(st.integers(1, 5), min_size=rank, max_size=rank))
        shapes = []
        for _ in range(draw(st.integers(min_n, max_n))):
            s = [1 if draw(st.integers(0, 4)) == 0 else d for d in base]  # broadcasting dims of 1
            if draw(st.integers(0, 9)) == 0:  # a mismatch: both must refuse
                s[draw(st.integers(0, rank - 1))] = draw(st.integers(1, 5))
            shapes.append(tuple(s))
        return {}, shapes
    return case()


@st.composite
def constant_op_case(draw):
    op = draw(st.sampled_from(["add", "subtract", "multiply", "divide", "power", "maximum", "minimum"]))
    a = draw(attrs_of({"op": st.just(op), "value": st.floats(-4, 4).map(lambda x: round(x, 2))},
                      {"reverse": st.booleans()}))
    return a, [draw(any_rank())]


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
    "Conv2DTranspose": conv_transpose_case(),
    "UpSampling2D": upsampling_case(),
    "Cropping2D": cropping_case(),
    "SpatialDropout2D": spatial_dropout_case(),
    "GaussianNoise": gaussian_noise_case(),
    "GaussianDropout": gaussian_dropout_case(),
    "Permute": permute_case(),
    "RepeatVector": repeat_vector_case(),
    "Identity": identity_case(),
    "Subtract": merge_case(2, 3),
    "Maximum": merge_case(),
    "Minimum": merge_case(),
    "Average": merge_case(),
    "ConstantOp": constant_op_case(),
}
