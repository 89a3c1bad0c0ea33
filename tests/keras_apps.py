"""Comparing a template with the keras.applications model it reproduces, layer by layer.

``compare(model, design)``: the same layers under the same names (Keras's automatic names are
those of a fresh session, so models are built right after ``keras.utils.clear_session()``), the
same type, wiring in port order, output shape, params and trainable params, and the attributes
both spell. ``compare_macs(model, design)``: every layer run on its own under FlopCounterMode
counts 2 FLOPs per multiply-accumulate, which must be twice our MACs for that node.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager

import keras
import torch
from torch.utils.flop_counter import FlopCounterMode

from archcanvas.core.analysis import analyze
from archcanvas.core.templates.net import keras_auto_name

_AUTO = re.compile(r"^(input_layer|global_average_pooling2d)(_\d+)?$")
TYPES = {"InputLayer": "Input"}


def our_id(name: str) -> str:
    m = _AUTO.match(name)
    if not m:
        return name
    return "input" if m.group(1) == "input_layer" else m.group(1)


def trainable(layer) -> int:
    return sum(math.prod(w.shape) for w in layer.trainable_weights)


def _norm(v):
    if isinstance(v, (list, tuple)):
        return [_norm(x) for x in v]
    return v.lower() if isinstance(v, str) else v


def _same_attr(ours, theirs) -> bool:
    ours, theirs = _norm(ours), _norm(theirs)
    if ours is None and theirs == "linear":  # our "no activation"
        return True
    if isinstance(theirs, list) and len(theirs) == 1 and not isinstance(ours, list):
        theirs = theirs[0]  # Keras keeps Normalization's axis 3 as (3,)
    if isinstance(ours, float) or isinstance(theirs, float):
        return math.isclose(ours, theirs, rel_tol=1e-6)
    return ours == theirs


def _last(op):
    """A nested Sequential's output is its last layer's (ConvNeXt's stem and downsampling)."""
    return _last(op.layers[-1]) if isinstance(op, keras.Sequential) else op


def parents(layer) -> list[str]:
    return [our_id(_last(t._keras_history.operation).name) for t in layer._inbound_nodes[0].input_tensors]


def flat_ops(model) -> list[tuple[object, list[str]]]:
    """(operation, its parents' ids) for every operation of ``model``, with nested Sequential
    models opened up into their layers."""
    out = []
    for op in model.operations:
        if isinstance(op, keras.Sequential):
            before = parents(op)
            for layer in op.layers:
                out.append((layer, before))
                before = [our_id(layer.name)]
        else:
            out.append((op, [] if type(op).__name__ == "InputLayer" else parents(op)))
    return out


def constant_op(op):
    """A Keras operation on a tensor and a constant (``x + 3.0``), as our ConstantOp attributes;
    None for a layer."""
    if isinstance(op, keras.layers.Layer):
        return None
    args = op._inbound_nodes[0].arguments.args
    consts = [a for a in args if not isinstance(a, keras.KerasTensor)]
    if not consts:  # an op on two tensors (ConvNeXt's `inputs + y`): a merge layer here
        return None
    assert len(args) == 2 and len(consts) == 1, op.name
    return {"op": keras_auto_name(type(op).__name__), "value": float(consts[0]),
            "reverse": isinstance(args[1], keras.KerasTensor)}


def compare(model, design, analysis=None):
    """Every operation of ``model`` (its layers and the ops it records on tensors, such as
    MobileNetV3's ``x + 3.0``) against the node of the same name."""
    a = analysis or analyze(design)
    assert a.ok
    ops = flat_ops(model)
    assert {our_id(op.name) for op, _ in ops} == set(design.node_ids())
    for op, op_parents in ops:
        node_id = our_id(op.name)
        node, r = design.node(node_id), a.results[node_id]
        kind = type(op).__name__
        assert r.shape == tuple(op.output.shape[1:]), node_id
        const = constant_op(op)
        if const is not None:
            assert (node.type, r.params) == ("ConstantOp", 0), node_id
            assert {k: node.resolved()[k] for k in const} == const, node_id
            assert design.input_ids(node_id) == op_parents, node_id
            continue
        assert node.type == TYPES.get(kind, kind), node_id
        if kind == "InputLayer":
            continue
        assert design.input_ids(node_id) == op_parents, node_id
        if not isinstance(op, keras.layers.Layer):  # an op on tensors: no weights, no config
            assert r.params == 0, node_id
            continue
        assert (r.params, r.trainable) == (op.count_params(), trainable(op)), node_id
        config = op.get_config()
        for name, value in node.resolved().items():
            if name in config:
                assert _same_attr(value, config[name]), (node_id, name, value, config[name])
    assert a.totals.params == model.count_params()
    assert a.totals.trainable_params == sum(trainable(layer) for layer in model.layers)
    return a


def compare_macs(model, design, analysis=None) -> int:
    """Per layer: 2 × our MACs == the FLOPs FlopCounterMode counts when that Keras layer runs on
    its own. ``design`` may be the template at another resolution than ``model`` (a layer's
    weights do not depend on it): each layer gets random inputs of the shapes ``design`` gives
    its inputs. Returns the total MACs."""
    a = analysis or analyze(design)
    total = 0
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        for layer, _ in flat_ops(model):
            node_id = our_id(layer.name)
            if type(layer).__name__ == "InputLayer":
                continue
            ins = [torch.rand(1, *a.results[p].shape) for p in design.input_ids(node_id)]
            before = counter.get_total_flops()
            const = constant_op(layer)
            if const is not None:  # the op on the tensor and the constant, in Keras's order
                args = [const["value"], ins[0]] if const["reverse"] else [ins[0], const["value"]]
                out = layer(*args)
            elif not isinstance(layer, keras.layers.Layer):
                out = layer(*ins)
            else:
                out = layer(ins if len(ins) > 1 else ins[0])
            assert tuple(out.shape[1:]) == a.results[node_id].shape, node_id
            assert counter.get_total_flops() - before == 2 * a.results[node_id].macs, node_id
            total += a.results[node_id].macs
    assert total == a.totals.macs
    return total


@contextmanager
def _quick_truncated_normal():
    """Keras on torch draws each truncated-normal weight from four normals and a gather (about a
    minute for EfficientNet-B7's 66M weights on a busy machine). Only the weights' shapes matter
    here: a clamped normal fills them in a fraction of the time."""
    from keras.src import backend

    original = backend.random.truncated_normal

    def quick(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        from keras.src.backend.torch.core import to_torch_dtype
        x = torch.empty(tuple(shape), dtype=to_torch_dtype(dtype)).normal_(mean, stddev)
        return x.clamp_(mean - 2 * stddev, mean + 2 * stddev)

    backend.random.truncated_normal = quick
    try:
        yield
    finally:
        backend.random.truncated_normal = original


def fresh(factory, **kwargs):
    """A keras.applications model built with weights=None right after clear_session, so its
    automatic layer names are a fresh session's (conv2d, conv2d_1…)."""
    keras.utils.clear_session()
    with _quick_truncated_normal():
        return factory(weights=None, **kwargs)
