"""The layer catalogue: the types of DESIGN.md with Keras's names and defaults, attribute
validation and normalization, summaries, and the output-size rules of core/shapes.py."""

import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archcanvas.core import layers
from archcanvas.core.errors import AttrError, DesignError, ShapeError
from archcanvas.core.layers.spec import ACTIVATIONS, REQUIRED, Attr
from archcanvas.core.shapes import conv2d_output_hw, conv_output_length, fmt_shape

DESIGN_TYPES = {
    "Input", "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "MaxPooling2D", "AveragePooling2D",
    "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Flatten", "Dense", "Concatenate", "Add",
    "Multiply", "BatchNormalization", "Activation", "Dropout", "ZeroPadding2D", "Reshape",
}


def test_registry_holds_every_type_of_the_design():
    assert DESIGN_TYPES <= set(layers.REGISTRY)
    assert layers.CATEGORIES[:8] == ("Core", "Convolution", "Pooling", "Merge", "Normalization",
                                     "Activation", "Regularization", "Reshaping")
    assert "Preprocessing" in layers.CATEGORIES
    for name, layer in layers.REGISTRY.items():
        assert layer.name == name and layer.doc and layer.category in layers.CATEGORIES


def test_registry_refuses_duplicates_and_unknown_names():
    with pytest.raises(DesignError, match="layer type Conv2D is already registered"):
        layers.register(layers.get("Conv2D"))
    with pytest.raises(DesignError, match="unknown layer type 'Conv3D'"):
        layers.get("Conv3D")
    with pytest.raises(DesignError, match="unknown layer type"):
        layers.get(["Conv2D"])


@pytest.mark.parametrize("name", sorted(DESIGN_TYPES))
def test_a_new_node_of_every_type_resolves(name):
    layer = layers.get(name)
    attrs = layer.resolve(layer.initial_attrs())
    assert set(attrs) == {a.name for a in layer.attrs}
    assert set(layer.initial_attrs()) == {a.name for a in layer.attrs if a.required}
    assert isinstance(layer.summary(attrs), str)


def test_the_width_attribute_is_declared_where_a_layer_chooses_its_channel_count():
    declared = {name: layer.width_attr for name, layer in layers.REGISTRY.items() if layer.width_attr}
    assert declared == {"Conv2D": "filters", "SeparableConv2D": "filters", "Conv2DTranspose": "filters",
                        "Dense": "units"}
    for name, attr in declared.items():
        assert layers.get(name).attr_index[attr].kind == "int"


def test_inputs_per_type():
    counts = {n: (l.min_inputs, l.max_inputs) for n, l in layers.REGISTRY.items()}
    assert counts["Input"] == (0, 0)
    for merge in ("Concatenate", "Add", "Multiply"):
        assert counts[merge] == (2, None) and layers.get(merge).variadic
    assert all(counts[n] == (1, 1) for n in DESIGN_TYPES - {"Input", "Concatenate", "Add", "Multiply"})


@pytest.mark.parametrize("attrs, text", [
    ({"filters": 64, "kernel_size": 3, "strides": 2, "padding": "same"}, "64 · 3×3 /2 same"),
    ({"filters": 64, "kernel_size": [1, 7], "strides": [1, 2], "groups": 2, "activation": "relu"},
     "64 · 1×7 /1×2 valid g2 relu"),
    ({"filters": 8, "kernel_size": 3, "dilation_rate": 2, "activation": "linear"}, "8 · 3×3 d2 valid"),
])
def test_conv_summary(attrs, text):
    conv = layers.get("Conv2D")
    assert conv.summary(conv.resolve(attrs)) == text


def test_other_summaries():
    def summary(name, attrs):
        layer = layers.get(name)
        return layer.summary(layer.resolve(attrs))

    assert summary("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2, "depth_multiplier": 2}) == "dw 3×3 d2 valid ×2"
    assert summary("SeparableConv2D", {"filters": 32, "kernel_size": 3, "activation": "relu"}) == "32 · sep 3×3 valid relu"
    assert summary("MaxPooling2D", {"pool_size": 3, "strides": [1, 2]}) == "3×3 /1×2 valid"
    assert summary("AveragePooling2D", {}) == "2×2 /2 valid"
    assert summary("ZeroPadding2D", {"padding": [[1, 2], [3, 4]]}) == "1,2 / 3,4"
    assert summary("ZeroPadding2D", {"padding": [1, 3]}) == "1×3"
    assert summary("Dense", {"units": 10, "activation": "softmax"}) == "10 units softmax"
    assert summary("Input", {"shape": [28, 28, 3]}) == "28×28×3"
    assert summary("Reshape", {"target_shape": [7, 7, -1]}) == "7×7×-1"
    assert summary("Dropout", {"rate": 0.25}) == "0.25"
    assert summary("Concatenate", {"axis": 1}) == "axis 1" and summary("Concatenate", {}) == ""


@pytest.mark.parametrize("kind, value, normalized", [
    ("pair", 3, (3, 3)),
    ("pair", [3, 5], (3, 5)),
    ("pair_or_none", None, None),
    ("pair_or_none", 2, (2, 2)),
    ("padding2d", 2, ((2, 2), (2, 2))),
    ("padding2d", [1, 2], ((1, 1), (2, 2))),
    ("padding2d", [[1, 2], [3, 4]], ((1, 2), (3, 4))),
    ("shape", [28, 28, 3], (28, 28, 3)),
    ("bool", False, False),
    ("float", 1, 1.0),
    ("float_or_none", None, None),
    ("float_or_none", 6, 6.0),
    ("axes", -1, -1),
    ("axes", [1, 2], (1, 2)),
    ("axes_or_none", None, None),
    ("floats_or_none", [1, 2.5], (1.0, 2.5)),
    ("floats_or_none", 3, 3.0),
    ("floats", [0.5, 2], (0.5, 2.0)),
])
def test_attribute_kinds_normalize(kind, value, normalized):
    assert Attr("x", kind).validate(value) == normalized


@pytest.mark.parametrize("attr, value, message", [
    (Attr("x", "int", min=1), 0, "must be a positive integer, got 0"),
    (Attr("x", "int", min=0), -1, "must be a non-negative integer, got -1"),
    (Attr("x", "int", min=2, max=5), 6, "must be an integer from 2 to 5, got 6"),
    (Attr("x", "int"), 1.5, "must be an integer, got 1.5"),
    (Attr("x", "pair"), [1, 2, 3], "must be a positive integer or a list of two, got [1, 2, 3]"),
    (Attr("x", "pair"), False, "must be a positive integer or a list of two, got false"),
    (Attr("x", "choice", choices=("a", None)), "b", 'must be one of "a", null, got "b"'),
    (Attr("x", "choice", choices=(1, 2)), True, "must be one of"),
    (Attr("x", "bool"), "true", 'must be true or false, got "true"'),
    (Attr("x", "float", min=0.0, max=1.0), 2, "must be a number of at least 0.0 and at most 1.0, got 2"),
    (Attr("x", "float"), float("inf"), "must be a number, got inf"),
    (Attr("x", "float_or_none", min=0.0), -1, "must be a number of at least 0.0, got -1"),
    (Attr("x", "float_or_none"), "6", 'must be a number, got "6"'),
    (Attr("x", "axes"), [1, 1], "must be an axis (an integer, batch counted) or a list of distinct axes, got [1, 1]"),
    (Attr("x", "axes_or_none"), True, "must be an axis"),
    (Attr("x", "floats"), None, "must be a number or a list of numbers, got null"),
    (Attr("x", "floats_or_none", min=0.0), [1, -1], "must be a number, a list of numbers or null, got [1, -1]"),
    (Attr("x", "shape"), [], "must be a list of positive integers, got []"),
    (Attr("x", "shape"), [2, -1], "must be a list of positive integers, got [2, -1]"),
    (Attr("x", "shape", allow_unknown=True), [2, -2], "must be a list of positive integers (one may be -1)"),
    (Attr("x", "padding2d"), -1, "must be a non-negative integer, a list of two, or [[top, bottom], [left, right]], got -1"),
    (Attr("x", "int"), {"a": 1}, "must be an integer, got an object"),
])
def test_attribute_kinds_refuse_with_a_message(attr, value, message):
    with pytest.raises(AttrError) as err:
        attr.validate(value)
    assert str(err.value).startswith(message)


def test_activation_choices_cover_the_flop_table():
    act = layers.get("Conv2D").attr_index["activation"]
    assert act.choices == ACTIVATIONS and act.default is None and None in ACTIVATIONS


@pytest.mark.parametrize("size, k, s, padding, d, out", [
    (28, 3, 2, "same", 1, 14), (28, 3, 1, "same", 1, 28), (7, 1, 2, "same", 1, 4),
    (6, 3, 1, "valid", 1, 4), (224, 7, 2, "valid", 1, 109), (5, 5, 1, "valid", 1, 1),
    (10, 3, 3, "valid", 1, 3), (9, 3, 1, "valid", 2, 5), (9, 3, 1, "valid", 4, 1), (1, 5, 3, "same", 1, 1),
])
def test_conv_output_length(size, k, s, padding, d, out):
    assert conv_output_length(size, k, s, padding, d) == out
    # the rule written out as DESIGN.md states it
    expected = -(-size // s) if padding == "same" else (size - ((k - 1) * d + 1)) // s + 1
    assert out == expected


def test_output_size_errors_quote_their_values():
    with pytest.raises(ShapeError, match="^input size 4 is smaller than the kernel 5 with 'valid' padding$"):
        conv_output_length(4, 5, 1, "valid")
    with pytest.raises(ShapeError, match=r"^input 6×9: input size 6 is smaller than the dilated kernel 7 "
                                         r"\(kernel 3, dilation 3\) with 'valid' padding$"):
        conv2d_output_hw((6, 9), (3, 3), (1, 1), "valid", (3, 1))
    assert fmt_shape((28, 28, 256)) == "28×28×256" and fmt_shape([10]) == "10"


# tf.keras (the API of the seed documents) gives AveragePooling2D pool_size=(2, 2), like
# MaxPooling2D; Keras 3 dropped that default. We keep tf.keras's, so old designs still load.
TF_KERAS_DEFAULTS = {("AveragePooling2D", "pool_size"): (2, 2)}
# Arguments Keras takes through **kwargs (LayerNormalization pops rms_scaling, deprecated).
KWARGS_DEFAULTS = {("LayerNormalization", "rms_scaling"): False}
# Not a Keras layer: what Keras 3 records for ``x + 3.0`` (an op of keras.ops with a constant).
NOT_A_LAYER = {"Input", "ConstantOp"}


@pytest.mark.oracle
def test_names_and_defaults_are_keras_s():
    pytest.importorskip("keras")
    from oracle_keras import keras_class

    for name, layer in layers.REGISTRY.items():
        if name in NOT_A_LAYER:
            continue
        params = inspect.signature(keras_class(name).__init__).parameters
        for a in layer.attrs:
            if (name, a.name) in KWARGS_DEFAULTS:
                assert a.default == KWARGS_DEFAULTS[name, a.name]
                continue
            assert a.name in params, f"{name}.{a.name} is not a Keras argument"
            keras_default = TF_KERAS_DEFAULTS.get((name, a.name), params[a.name].default)
            if a.default is REQUIRED:
                assert keras_default is inspect.Parameter.empty, f"{name}.{a.name}: Keras has a default"
            else:
                ours = a.validate(a.default) if a.default is not None else None
                theirs = a.validate(list(keras_default) if isinstance(keras_default, tuple) else keras_default) \
                    if keras_default is not None else None
                assert ours == theirs, f"{name}.{a.name}: ours {a.default!r}, Keras {keras_default!r}"


_VALUES = st.one_of(
    st.integers(-3, 70), st.sampled_from([0, 1, 2**31 - 1, 2**31, True, False, None, 1.0, 0.5, -0.0, float("nan")]),
    st.sampled_from(["same", "valid", "relu", "softmax", "linear", "Same", ""]),
    st.lists(st.integers(-1, 9), max_size=4), st.lists(st.lists(st.integers(0, 3), max_size=3), max_size=3),
    st.lists(st.booleans(), max_size=2))


@settings(max_examples=400)
@given(st.sampled_from(sorted(DESIGN_TYPES)).flatmap(lambda name: st.tuples(st.just(name), st.dictionaries(
    st.sampled_from([a.name for a in layers.get(name).attrs] + ["bogus"]), _VALUES, max_size=5))))
def test_resolve_fast_path_answers_as_the_strict_pass(case):
    """resolve() validates only the attributes given; on any fault it defers to the pass in
    declaration order, so the result, its key order and every message are the strict pass's."""
    name, raw = case
    layer = layers.get(name)

    def outcome(fn):
        try:
            out = fn(dict(raw))
        except AttrError as err:
            return "error", str(err)
        return list(out.items()), [type(v) for v in out.values()]

    assert outcome(layer.resolve) == outcome(layer._resolve_strict)


def test_every_family_module_is_registered_without_being_listed():
    import importlib
    import pkgutil

    modules = [importlib.import_module(f"archcanvas.core.layers.{m.name}") for m in pkgutil.iter_modules(layers.__path__)]
    declared = {layer.name for m in modules for layer in getattr(m, "LAYERS", ())}
    assert declared == set(layers.REGISTRY)
    assert {m.__name__ for m in layers._families()} == {m.__name__ for m in modules if hasattr(m, "LAYERS")}
