"""The Keras importer against Keras itself: keras.applications models (weights=None) saved as
.keras and as to_json() text, imported and compared layer by layer (output shape, params,
trainable), and MACs against FlopCounterMode on the model's forward pass.

Each reference model is built once per session, at the smallest input size Keras allows."""

from __future__ import annotations

import json
import math
import zipfile

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.importers import import_model

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

pytestmark = pytest.mark.oracle

APPS = {  # name -> (constructor, input size): the catalogue expresses every layer of these
    "MobileNet": (lambda s: keras.applications.MobileNet(input_shape=s, weights=None, classes=10), (64, 64, 3)),
    "MobileNetV2": (lambda s: keras.applications.MobileNetV2(input_shape=s, weights=None, classes=10), (64, 64, 3)),
    "ResNet50": (lambda s: keras.applications.ResNet50(input_shape=s, weights=None, classes=10), (64, 64, 3)),
    "VGG16": (lambda s: keras.applications.VGG16(input_shape=s, weights=None, classes=10), (32, 32, 3)),
    "DenseNet121": (lambda s: keras.applications.DenseNet121(input_shape=s, weights=None, classes=10), (64, 64, 3)),
}


@pytest.fixture(scope="session")
def app_files(tmp_path_factory):
    """Each application built once: its .keras file, its to_json() file, and Keras's own figures."""
    folder = tmp_path_factory.mktemp("apps")
    out = {}
    for name, (build, shape) in APPS.items():
        model = build(shape)
        keras_file = folder / f"{name}.keras"
        model.save(keras_file)
        json_file = folder / f"{name}.json"
        json_file.write_text(model.to_json(), encoding="utf-8")
        with FlopCounterMode(display=False) as counter:
            model(torch.zeros(1, *shape))
        layers = {layer.name: (tuple(layer.output.shape[1:]), layer.count_params(), _size(layer.trainable_weights))
                  for layer in model.layers}
        out[name] = (keras_file, json_file, layers, model.count_params(), counter.get_total_flops() // 2)
        del model
    return out


def _size(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


@pytest.mark.parametrize("name", list(APPS))
@pytest.mark.parametrize("form", ["keras", "json"])
def test_application_imports_layer_by_layer(app_files, name, form):
    keras_file, json_file, keras_layers, params, macs = app_files[name]
    design = import_model(keras_file if form == "keras" else json_file)
    a = analyze(design)
    assert a.ok, [r.message for r in a.problems][:3]
    by_name = {design.node(n).label: a[n] for n in design.node_ids()}
    assert set(by_name) == set(keras_layers)  # one node per Keras layer, InputLayer included
    for layer_name, (shape, layer_params, trainable) in keras_layers.items():
        r = by_name[layer_name]
        assert (r.shape, r.params, r.trainable) == (shape, layer_params, trainable), layer_name
    assert (a.totals.params, a.totals.macs) == (params, macs)
    last = design.node(a.order[-1]).label
    assert by_name[last].shape == (10,)  # the model's output is the report's last row


def test_blocks_become_groups(app_files):
    design = import_model(app_files["ResNet50"][0])
    groups = design.groups()
    assert "conv2_block1" in groups and "conv5_block3" in groups
    assert {design.node(n).label for n in groups["conv3_block2"]} >= {"conv3_block2_1_conv", "conv3_block2_out"}


def test_keras3_ops_on_tensors_become_layers(tmp_path):
    x = keras.Input((8, 8, 4), name="x")
    y = keras.layers.Conv2D(4, 1, name="conv")(x)
    z = keras.ops.relu(x + y)  # keras.src.ops: Add on two tensors, then Relu
    w = 1.0 - keras.ops.multiply(z, y) * 0.5  # ops with a number: x * 0.5, then 1.0 - x
    model = keras.Model(x, keras.layers.GlobalAveragePooling2D(name="gap")(w))
    path = tmp_path / "ops.keras"
    model.save(path)
    design = import_model(path)
    types = {design.node(n).label: design.node(n).type for n in design.node_ids()}
    ops = [label for label in types if label not in ("x", "conv", "gap")]
    assert sorted(types[op] for op in ops) == ["Activation", "Add", "ConstantOp", "ConstantOp", "Multiply"]
    constants = [design.node(n).attrs for n in design.node_ids() if types[design.node(n).label] == "ConstantOp"]
    assert constants == [{"op": "multiply", "value": 0.5}, {"op": "subtract", "value": 1.0, "reverse": True}]
    a = analyze(design)
    assert a.totals.params == model.count_params() == 20
    assert a[a.order[-1]].shape == (4,)


def test_shared_layer_one_node_per_call_weights_counted_once(tmp_path):
    a_in, b_in = keras.Input((16,), name="a"), keras.Input((16,), name="b")
    dense = keras.layers.Dense(8, name="shared")
    merged = keras.layers.Concatenate(name="cat")([dense(a_in), dense(b_in)])
    model = keras.Model([a_in, b_in], keras.layers.Dense(1, name="out")(merged))
    path = tmp_path / "shared.keras"
    model.save(path)
    design = import_model(path)
    shared = [n for n in design.nodes() if n.type == "Dense" and n.label.startswith("shared")]
    assert len(shared) == 2 and shared[1].weights_of == shared[0].id
    a = analyze(design)
    assert (a.totals.params, a.totals.trainable_params) == (model.count_params(), 136 + 17)
    assert [a[n.id].macs for n in shared] == [128, 128]  # each call still computes


def test_nested_model_called_twice_is_two_groups_of_one_weight_set(tmp_path):
    inner = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="c"),
                              keras.layers.BatchNormalization(name="bn")], name="tower")
    inner.trainable = False
    x1, x2 = keras.Input((8, 8, 3), name="left"), keras.Input((8, 8, 3), name="right")
    joined = keras.layers.Add(name="join")([inner(x1), inner(x2)])
    model = keras.Model([x1, x2], keras.layers.Flatten(name="flat")(joined))
    for suffix, save in ((".keras", model.save), (".json", None)):
        path = tmp_path / f"nested{suffix}"
        if save:
            save(path)
        else:
            path.write_text(model.to_json(), encoding="utf-8")
        design = import_model(path)
        a = analyze(design)
        assert (a.totals.params, a.totals.trainable_params, a.totals.non_trainable_params) == (
            model.count_params(), 0, model.count_params())
        convs = [n for n in design.nodes() if n.type == "Conv2D"]
        assert len(convs) == 2 and convs[0].group == convs[1].group == "tower"
        assert a[a.order[-1]].shape == (6 * 6 * 4,)


def test_frozen_layers_keep_keras_trainable_split(tmp_path):
    x = keras.Input((16, 16, 3))
    y = keras.layers.Conv2D(8, 3, name="c1")(x)
    y = keras.layers.BatchNormalization(name="bn1")(y)
    y = keras.layers.DepthwiseConv2D(3, name="dw")(y)
    y = keras.layers.BatchNormalization(name="bn2")(y)
    model = keras.Model(x, keras.layers.Dense(4, name="d")(keras.layers.GlobalAveragePooling2D()(y)))
    for name in ("c1", "bn2"):
        model.get_layer(name).trainable = False
    path = tmp_path / "frozen.keras"
    model.save(path)
    design = import_model(path)
    assert [n.label for n in design.nodes() if not n.trainable] == ["c1", "bn2"]
    a = analyze(design)
    assert (a.totals.trainable_params, a.totals.non_trainable_params) == (
        _size(model.trainable_weights), _size(model.non_trainable_weights)) == (16 + 80 + 36, 224 + 16 + 32)


def test_h5_model_config(tmp_path):
    pytest.importorskip("h5py")
    model = keras.Sequential([keras.Input((12, 12, 1)), keras.layers.Conv2D(3, 3, name="c"),
                              keras.layers.Flatten(name="f"), keras.layers.Dense(2, name="d")])
    path = tmp_path / "model.h5"
    model.save(path)  # Keras calls .h5 legacy, and still writes model_config
    a = analyze(import_model(path))
    assert (a.totals.params, a[a.order[-1]].shape) == (model.count_params(), (2,))


def test_tfjs_model_json(tmp_path):
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(4, name="d1"),
                              keras.layers.Dense(3, activation="softmax", name="d2")])
    tfjs = {"format": "layers-model", "generatedBy": "keras v3.8.0", "convertedBy": "TensorFlow.js Converter",
            "modelTopology": {"keras_version": "3.8.0", "backend": "tensorflow",
                              "model_config": json.loads(model.to_json())},
            "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": []}]}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(tfjs), encoding="utf-8")
    a = analyze(import_model(path))
    assert (a.totals.params, a.totals.macs) == (model.count_params(), 40 + 12)


def test_keras_archive_with_extra_members_reads_only_config(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")])
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        assert {"config.json", "metadata.json"} <= set(zf.namelist())
    assert analyze(import_model(path)).totals.params == 10
