"""tf.keras 2 configurations, written by hand in the shapes that format takes (Keras 3 can no longer
write them): a Keras 2.0 Sequential whose config is a bare list, a ``Model`` with
``inbound_nodes: [[["name", 0, 0, {}]]]``, a nested Sequential called at node index 1, a layer shared
by two calls, and ``TFOpLambda`` ops. The expected figures are worked out by hand."""

from __future__ import annotations

import json

import pytest

from archcanvas.core import layers
from archcanvas.core.analysis import analyze
from archcanvas.core.importers import ModelImportError, import_model


def layer(cls, name, inbound=None, **config):
    entry = {"class_name": cls, "config": {"name": name, "trainable": True, **config}, "name": name}
    if inbound is not None:
        entry["inbound_nodes"] = inbound
    return entry


def call(*refs, **kwargs):
    return [[[r, 0, 0, kwargs] if isinstance(r, str) else [*r, kwargs] for r in refs]]


def write(tmp_path, config, name="model.json", version="2.4.0"):
    path = tmp_path / name
    path.write_text(json.dumps({**config, "keras_version": version, "backend": "tensorflow"}), encoding="utf-8")
    return path


def test_keras_2_0_sequential_with_a_bare_layer_list(tmp_path):
    config = {"class_name": "Sequential", "config": [
        layer("Conv2D", "conv2d_1", filters=32, kernel_size=[3, 3], strides=[1, 1], padding="valid",
              data_format="channels_last", activation="linear", use_bias=True, batch_input_shape=[None, 32, 32, 3]),
        layer("Activation", "activation_1", activation="relu"),
        layer("MaxPooling2D", "max_pooling2d_1", pool_size=[2, 2], strides=[2, 2], padding="valid"),
        layer("Flatten", "flatten_1"),
        layer("Dense", "dense_1", units=1, activation="sigmoid"),
    ]}
    design = import_model(write(tmp_path, config, version="2.0.6"))
    a = analyze(design)
    assert [n.label for n in design.nodes()][0] == "conv2d_1_input"  # the shape came from batch_input_shape
    assert a.totals.params == 896 + 15 * 15 * 32 + 1
    assert a.totals.macs == 30 * 30 * 27 * 32 + 15 * 15 * 32
    assert a[a.order[-1]].shape == (1,)


def _functional():
    inner = {"class_name": "Sequential", "config": {"name": "head", "layers": [
        layer("InputLayer", "head_input", batch_input_shape=[None, 4, 4, 8], dtype="float32"),
        layer("Flatten", "flatten"),
        layer("Dense", "logits", units=10, activation="softmax"),
    ]}}
    return {"class_name": "Model", "config": {"name": "net", "layers": [
        layer("InputLayer", "image", [], batch_input_shape=[None, 8, 8, 3], dtype="float32"),
        layer("Conv2D", "conv", call("image"), filters=8, kernel_size=[3, 3], strides=[2, 2], padding="same",
              activation="linear", use_bias=False),
        layer("BatchNormalization", "bn", call("conv"), axis=[3], momentum=0.99, epsilon=0.001,
              center=True, scale=True, trainable=False),
        layer("TFOpLambda", "tf.math.multiply", call("bn", "conv"), function="math.multiply"),
        {**inner, "name": "head", "inbound_nodes": call("tf.math.multiply")},
    ], "input_layers": [["image", 0, 0]], "output_layers": [["head", 1, 0]]}}


def test_model_class_with_nested_lists_and_a_nested_sequential_at_node_1(tmp_path):
    design = import_model(write(tmp_path, _functional()))
    a = analyze(design)
    by_label = {n.label: n for n in design.nodes()}
    assert by_label["tf.math.multiply"].type == "Multiply"
    assert by_label["bn"].trainable is False and by_label["bn"].attrs["axis"] == 3
    assert by_label["logits"].group == "head"
    # conv 216, bn 32 (all frozen), head 128 * 10 + 10
    assert (a.totals.params, a.totals.trainable_params, a.totals.non_trainable_params) == (
        216 + 32 + 1290, 216 + 1290, 32)
    assert a[a.order[-1]].shape == (10,)


def test_tfop_lambda_with_a_constant(tmp_path):
    config = {"class_name": "Functional", "config": {"name": "m", "layers": [
        layer("InputLayer", "x", [], batch_input_shape=[None, 6]),
        layer("TFOpLambda", "tf.__operators__.add", [[["x", 0, 0, {"y": 3.0, "name": None}]]],
              function="__operators__.add"),
    ], "input_layers": [["x", 0, 0]], "output_layers": [["tf.__operators__.add", 0, 0]]}}
    path = write(tmp_path, config)
    constant = [t for t in layers.REGISTRY.values() if {"op", "value"} <= set(t.attr_index)]
    if constant:
        design = import_model(path)
        node = design.nodes()[-1]
        assert (node.type, node.attrs["value"]) == (constant[0].name, 3.0)
    else:
        with pytest.raises(ModelImportError) as err:
            import_model(path)
        assert err.value.lines == [f'{path}: layer "tf.__operators__.add" (TFOpLambda) cannot be imported: '
                                   "x add 3.0: ArchCanvas has no layer type for arithmetic with a constant"]


def test_layer_shared_by_two_calls(tmp_path):
    config = {"class_name": "Functional", "config": {"name": "siamese", "layers": [
        layer("InputLayer", "a", [], batch_input_shape=[None, 5]),
        layer("InputLayer", "b", [], batch_input_shape=[None, 5]),
        layer("Dense", "embed", [[["a", 0, 0, {}]], [["b", 0, 0, {}]]], units=3),
        layer("Subtract" if "Subtract" in layers.REGISTRY else "Add", "diff",
              [[["embed", 0, 0, {}], ["embed", 1, 0, {}]]]),
    ], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["diff", 0, 0]]}}
    design = import_model(write(tmp_path, config))
    embeds = [n for n in design.nodes() if n.type == "Dense"]
    assert [n.label for n in embeds] == ["embed", "embed #2"]
    assert embeds[1].weights_of == embeds[0].id
    a = analyze(design)
    assert (a.totals.params, a.totals.macs) == (18, 30)
    assert design.input_ids(design.nodes()[-1].id) == [embeds[0].id, embeds[1].id]


def test_unsupported_layers_are_all_named(tmp_path):
    config = _functional()
    config["config"]["layers"][2] = layer("Lambda", "bn", call("conv"), function=["4wEAAAAAAAAA", None, None])
    config["config"]["layers"].insert(3, layer("MultiHeadAttention", "mha", [[["bn", 0, 0, {"value": ["bn", 0, 0]}]]],
                                               num_heads=2, key_dim=4))
    config["config"]["layers"][4]["inbound_nodes"] = call("mha", "conv")
    path = write(tmp_path, config)
    with pytest.raises(ModelImportError) as err:
        import_model(path)
    assert err.value.lines == [
        f'{path}: layer "bn" (Lambda) cannot be imported: its function is Python code, which ArchCanvas never runs',
        f'{path}: layer "mha" (MultiHeadAttention) cannot be imported: ArchCanvas has no MultiHeadAttention layer',
    ]
