"""Folding an ONNX graph's constant arithmetic before shape inference.

``torch.onnx.export`` without constant folding (the ``TrainingMode.PRESERVE`` export) computes a
Pad's pads or a Reshape's shape with small sub-graphs (Shape, Gather, Concat, ConstantOfShape…),
which ``onnx.shape_inference`` cannot always see through. Those nodes take only constants and the
(known) shapes of data tensors, so their outputs are worked out here, node by node, with ONNX's
reference implementation of the standard ops (numpy on the constants: nothing in the file is code
that could run), and the model's shapes are inferred again with them as initializers.
"""

from __future__ import annotations

MAX_FOLD_ELEMENTS = 1 << 16  # argument tensors are tiny; a big one is a weight, left alone
_NEVER = ("Identity",)  # a weight behind an Identity stays an alias, not a copy


def fold_constants(model, shapes: dict):
    """A copy of ``model`` in which every node computable from constants and known shapes is
    replaced by an initializer; ``model`` itself if nothing folds."""
    import numpy as np
    from onnx import helper, numpy_helper
    from onnx.reference import ReferenceEvaluator

    graph = model.graph
    small = {t.name: t for t in graph.initializer if _elements(t.dims) <= MAX_FOLD_ELEMENTS}
    values = {}
    data = {i.name for i in graph.input if i.name not in {t.name for t in graph.initializer}}
    opsets = {o.domain or "": o.version for o in model.opset_import}
    folded = []
    for node in graph.node:
        if any(i in data for i in node.input if i) and node.op_type != "Shape":
            data.update(node.output)
            continue
        if node.op_type in _NEVER or node.domain not in ("", "ai.onnx"):
            continue
        try:
            if node.op_type == "Shape":
                shape = shapes.get(node.input[0])
                if shape is None or any(d is None for d in shape):
                    data.update(node.output)
                    continue
                out = [_shape_slice(np.array(shape, dtype=np.int64), node)]
            else:
                ins = {}
                for name in node.input:
                    if not name:
                        continue
                    if name not in values:
                        if name not in small:
                            raise KeyError(name)
                        values[name] = numpy_helper.to_array(small[name])
                    ins[name] = values[name]
                evaluator = ReferenceEvaluator(_single(helper, node, ins), opsets=opsets)
                out = evaluator.run(None, ins)
        except Exception:  # not foldable (an unknown input, an op the reference lacks): keep it
            continue
        if any(np.asarray(v).size > MAX_FOLD_ELEMENTS for v in out):
            continue
        for name, value in zip(node.output, out):
            values[name] = np.asarray(value)
        folded.append(node)
    if not folded:
        return model
    done = {id(n) for n in folded}
    keep = [n for n in graph.node if id(n) not in done]
    needed = {i for n in keep for i in n.input} | {o.name for o in graph.output}
    new = helper.make_model(
        helper.make_graph(keep, graph.name, list(graph.input), list(graph.output),
                          list(graph.initializer) + [numpy_helper.from_array(values[name], name)
                                                     for n in folded for name in n.output if name in needed]),
        opset_imports=list(model.opset_import), ir_version=model.ir_version)
    return new


def _elements(dims) -> int:
    n = 1
    for d in dims:
        n *= d
    return n


def _shape_slice(shape, node):
    attrs = {a.name: a.i for a in node.attribute}
    start, end = attrs.get("start", 0), attrs.get("end", len(shape))
    return shape[start:end]


def _single(helper, node, ins: dict):
    """A one-node graph around ``node``, for the reference evaluator."""
    from onnx import TensorProto
    inputs = [helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(value.dtype), value.shape)
              for name, value in ins.items()]
    outputs = [helper.make_tensor_value_info(name, TensorProto.UNDEFINED, None) for name in node.output if name]
    return helper.make_graph([node], "fold", inputs, outputs)
