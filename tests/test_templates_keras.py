"""The MobileNet templates against keras.applications itself (Keras 3 on PyTorch, weights=None).

Node ids are Keras's layer names, so the comparison is layer by layer: same layers, same wiring
in the same port order, same output shape, same params (total and trainable) everywhere.
"""

import math
import re

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.templates import build

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.oracle

_AUTO = re.compile(r"^(input_layer|global_average_pooling2d)(_\d+)?$")  # Keras numbers these per session


def _our_id(name: str) -> str:
    m = _AUTO.match(name)
    if not m:
        return name
    return "input" if m.group(1) == "input_layer" else m.group(1)


def _trainable(layer) -> int:
    return sum(math.prod(w.shape) for w in layer.trainable_weights)


def _compare(model, design):
    a = analyze(design)
    assert a.ok
    assert {_our_id(layer.name) for layer in model.layers} == set(design.node_ids())
    for layer in model.layers:
        node_id = _our_id(layer.name)
        node, r = design.node(node_id), a.results[node_id]
        kind = type(layer).__name__
        assert node.type == {"InputLayer": "Input"}.get(kind, kind), node_id
        if kind == "ReLU":  # Keras's ReLU(6.0): the same layer with the same arguments
            assert (node.attrs["max_value"], layer.max_value) == (6.0, 6.0), node_id
            assert (layer.negative_slope, layer.threshold) == (0.0, 0.0), node_id
        assert r.shape == tuple(layer.output.shape[1:]), node_id
        assert (r.params, r.trainable) == (layer.count_params(), _trainable(layer)), node_id
        if kind != "InputLayer":
            parents = [_our_id(t._keras_history.operation.name) for t in layer._inbound_nodes[0].input_tensors]
            assert design.input_ids(node_id) == parents, node_id
    assert a.totals.params == model.count_params()
    assert a.totals.trainable_params == sum(_trainable(layer) for layer in model.layers)
    # Spelled out for the blocks: the end of every group has Keras's shape there.
    keras_layers = {_our_id(layer.name): layer for layer in model.layers}
    for group, ids in design.groups().items():
        end = ids[-1]
        assert a.results[end].shape == tuple(keras_layers[end].output.shape[1:]), group


@pytest.mark.parametrize("alpha, resolution", [(1.0, 224), (0.5, 200), (0.75, 161)])
def test_mobilenet_v1_equals_keras(alpha, resolution):
    model = keras.applications.MobileNet(input_shape=(resolution, resolution, 3), alpha=alpha, weights=None)
    design = build("mobilenet-v1", alpha=alpha, resolution=resolution)
    _compare(model, design)


def test_mobilenet_v1_keras_options_classes_depth_multiplier_dropout():
    model = keras.applications.MobileNet(input_shape=(128, 128, 3), alpha=0.25, depth_multiplier=2,
                                         dropout=0.2, classes=10, weights=None)
    design = build("mobilenet-v1", alpha=0.25, resolution=128, depth_multiplier=2, dropout=0.2, classes=10)
    _compare(model, design)
    assert design.node("dropout").attrs["rate"] == model.get_layer("dropout").rate


@pytest.mark.parametrize("alpha, resolution", [(1.0, 224), (0.35, 96), (1.3, 165)])
def test_mobilenet_v2_equals_keras(alpha, resolution):
    model = keras.applications.MobileNetV2(input_shape=(resolution, resolution, 3), alpha=alpha, weights=None)
    design = build("mobilenet-v2", alpha=alpha, resolution=resolution)
    _compare(model, design)
    for layer in model.layers:  # Keras's v2 batch norms use momentum 0.999
        if type(layer).__name__ == "BatchNormalization":
            assert design.node(layer.name).attrs["momentum"] == layer.momentum == 0.999
        if type(layer).__name__ == "ZeroPadding2D":
            assert [list(p) for p in layer.padding] == design.node(layer.name).attrs["padding"]
