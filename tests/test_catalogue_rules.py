"""The layer types of the second catalogue, by hand: exact shapes, params and MACs worked out from
Keras's rules (the oracle checks the same against Keras itself), and the refusals Keras makes at
construction time, each naming its attribute."""

import pytest

from archcanvas.core.analysis import NodeResult, compute_node
from archcanvas.core.design import Node
from archcanvas.core.errors import AttrError
from archcanvas.core import layers


def run(type_name, attrs, *shapes):
    ins = [NodeResult(f"in{k}", "Input", None, shape=tuple(s)) for k, s in enumerate(shapes)]
    return compute_node(Node("n", type_name, attrs), ins)


@pytest.mark.parametrize("type_name, attrs, shapes, shape, trainable, non_trainable, macs", [
    # Normalization left for adapt(): mean and variance per channel and a count, none trainable
    ("Normalization", {}, [(4, 4, 3)], (4, 4, 3), 0, 7, 0),
    ("Normalization", {"axis": None}, [(4, 4, 3)], (4, 4, 3), 0, 3, 0),
    ("Normalization", {"mean": [0.5, 0.4, 0.3], "variance": [0.1, 0.2, 0.3]}, [(4, 4, 3)], (4, 4, 3), 0, 0, 0),
    ("PReLU", {}, [(4, 4, 3)], (4, 4, 3), 48, 0, 0),
    ("PReLU", {"shared_axes": [1, 2]}, [(4, 4, 3)], (4, 4, 3), 3, 0, 0),
    ("LayerNormalization", {}, [(4, 4, 8)], (4, 4, 8), 16, 0, 0),
    ("LayerNormalization", {"rms_scaling": True}, [(4, 4, 8)], (4, 4, 8), 8, 0, 0),
    ("LayerNormalization", {"axis": [1, 2, 3], "center": False}, [(2, 3, 4)], (2, 3, 4), 24, 0, 0),
    ("LayerScale", {"init_values": 1e-6, "projection_dim": 96}, [(7, 7, 96)], (7, 7, 96), 96, 0, 0),
    # Keras's transposed output: (in − 1)·s + max(k, s) (valid), in·s (same)
    ("Conv2DTranspose", {"filters": 8, "kernel_size": 3, "strides": 2}, [(5, 5, 4)], (11, 11, 8),
     3 * 3 * 4 * 8 + 8, 0, 5 * 5 * 9 * 4 * 8),
    ("Conv2DTranspose", {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}, [(5, 5, 4)],
     (10, 10, 8), 3 * 3 * 4 * 8 + 8, 0, 5 * 5 * 9 * 4 * 8),
    # same with output_padding: (in − 1)·s + k mod 2 + output_padding = 4·2 + 0 + 1
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same", "output_padding": 1},
     [(5, 5, 1)], (9, 9, 2), 4 * 4 * 2 + 2, 0, 5 * 5 * 16 * 2),
    ("UpSampling2D", {"size": [2, 3]}, [(4, 5, 6)], (8, 15, 6), 0, 0, 0),
    ("Cropping2D", {"cropping": [[1, 2], [0, 3]]}, [(8, 8, 3)], (5, 5, 3), 0, 0, 0),
    ("Cropping2D", {"cropping": [1, 2]}, [(8, 8, 3)], (6, 4, 3), 0, 0, 0),
    ("Permute", {"dims": [3, 1, 2]}, [(4, 5, 6)], (6, 4, 5), 0, 0, 0),
    ("RepeatVector", {"n": 3}, [(7,)], (3, 7), 0, 0, 0),
    ("Subtract", {}, [(4, 4, 3), (1, 1, 3)], (4, 4, 3), 0, 0, 0),
    ("ConstantOp", {"op": "add", "value": 3.0}, [(4, 4, 3)], (4, 4, 3), 0, 0, 0),
    # Keras's EfficientNet divides by the ImageNet standard deviations, one per channel
    ("Rescaling", {"scale": [1 / 0.229 ** 0.5, 1 / 0.224 ** 0.5, 1 / 0.225 ** 0.5]}, [(4, 4, 3)], (4, 4, 3), 0, 0, 0),
])
def test_shapes_and_params(type_name, attrs, shapes, shape, trainable, non_trainable, macs):
    r = run(type_name, attrs, *shapes)
    assert r.error is None, r.error
    assert (r.shape, r.trainable, r.non_trainable, r.macs) == (shape, trainable, non_trainable, macs)


@pytest.mark.parametrize("type_name, attrs, shapes, flops", [
    ("ReLU", {"max_value": 6.0}, [(4, 4, 3)], 48),
    ("Softmax", {}, [(10,)], 30),
    ("Average", {}, [(4, 3), (4, 3), (4, 3)], 36),  # two adds and a multiply per element
    ("Maximum", {}, [(4, 3), (4, 3)], 12),
    ("ConstantOp", {"op": "multiply", "value": 1 / 6}, [(4, 4, 3)], 48),
    ("UpSampling2D", {"interpolation": "bilinear"}, [(2, 2, 1)], 16 * 7),
    ("Rescaling", {"scale": 1 / 255}, [(2, 2, 3)], 24),
    ("GaussianNoise", {"stddev": 0.1}, [(2, 2, 3)], 0),
])
def test_elementwise_flops(type_name, attrs, shapes, flops):
    assert run(type_name, attrs, *shapes).flops == flops


@pytest.mark.parametrize("type_name, attrs, message", [
    ("ReLU", {"max_value": -1}, "max_value: must be a number of at least 0.0"),
    ("LeakyReLU", {"negative_slope": -0.1}, "negative_slope: must be a number of at least 0.0"),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2},
     "output_padding: must be less than strides [2, 2], got [2, 2]"),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
     "strides: strides > 1 cannot be combined with dilation_rate > 1"),
    ("Permute", {"dims": [1, 3]}, "dims: must be a permutation of 1 … 2"),
    ("Normalization", {"mean": 0.5}, "mean: mean and variance must both be given"),
    ("Normalization", {"mean": [1, 2], "variance": [1]}, "variance: must have the same shape as mean"),
    ("GaussianNoise", {"stddev": 2}, "stddev: must be a number of at least 0.0 and at most 1.0"),
    ("ConstantOp", {"op": "mod", "value": 2}, "op: must be one of"),
])
def test_refusals_name_the_attribute(type_name, attrs, message):
    with pytest.raises(AttrError) as err:
        layers.get(type_name).resolve(attrs)
    assert str(err.value).startswith(message)


def test_shape_refusals_say_why():
    assert "leaves nothing" in run("Cropping2D", {"cropping": 2}, (4, 4, 3)).error
    assert "needs a vector" in run("RepeatVector", {"n": 2}, (4, 3)).error
    assert "projection_dim (5)" in run("LayerScale", {"init_values": 0.1, "projection_dim": 5}, (4, 4, 3)).error
    assert "takes 2 input(s), has 3" in run("Subtract", {}, (3,), (3,), (3,)).error
    assert "shared_axes" in run("PReLU", {"shared_axes": 4}, (4, 4, 3)).error
    assert run("Rescaling", {"scale": [1, 2]}, (4, 4, 3)).error == \
        "scale: 2 values do not fit the last axis of size 3"


def test_summaries():
    s = {t: layers.get(t).summary(layers.get(t).resolve(a)) for t, a in [
        ("ReLU", {"max_value": 6}), ("ConstantOp", {"op": "add", "value": 3}),
        ("Conv2DTranspose", {"filters": 16, "kernel_size": 2, "strides": 2}),
    ]}
    assert s == {"ReLU": "max 6", "ConstantOp": "x + 3", "Conv2DTranspose": "16 · T 2×2 /2 valid"}
    assert layers.get("ConstantOp").summary(layers.get("ConstantOp").resolve(
        {"op": "subtract", "value": 1, "reverse": True})) == "1 − x"
