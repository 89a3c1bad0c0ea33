"""An ONNX graph (as ``torch.onnx.export`` writes it) as a channels-last design.

Read through the ``onnx`` package, never run. Tensors that come from graph inputs are data; the
rest (initializers, ``Constant`` nodes, the ``Shape``/``Gather``/``Concat`` sub-graphs that compute
a Reshape's or Pad's arguments) are constants, read where an op needs a value and otherwise left
out. Shapes come from ``onnx.shape_inference`` (with data propagation, so a Reshape fed by a shape
sub-graph has a known output); every imported node's shape is checked against it after the
design is built, so an import that would compute other numbers than ONNX is refused, not shown.
Padding that is Keras's ``same`` becomes ``same``; any other becomes a ZeroPadding2D node.
"""

from __future__ import annotations

import math

from .. import layers
from ..analysis import analyze
from ..design import Design
from ..errors import ArchCanvasError
from . import ModelImportError, fail
from .keras_layers import Unsupported, constant_op
from .onnx_ops import HANDLERS


def design_from_onnx(model, source: str) -> Design:
    from .onnx_fold import fold_constants

    inferred = _infer(model, source)
    folded = fold_constants(inferred, _Graph.shapes_of(inferred.graph))
    if folded is not inferred:
        inferred = _infer(folded, source)
    graph = _Graph(inferred.graph, source)
    graph.walk()
    if graph.errors:
        raise ModelImportError(graph.errors)
    graph.check_shapes()
    return graph.design


def _infer(model, source: str):
    from onnx import shape_inference
    try:
        return shape_inference.infer_shapes(model, data_prop=True)
    except Exception as err:  # onnx raises its own InferenceError, or ValueError, or RuntimeError
        fail(source, f"ONNX shape inference refuses the model: {(str(err).splitlines() or [''])[0][:200]}")


class _Graph:
    def __init__(self, g, source: str):
        self.g, self.source = g, source
        self.design = Design(g.name or "onnx model")
        self.errors: list[str] = []
        self.consts = {t.name: t for t in g.initializer}
        self.shapes = self.shapes_of(g)
        self.tensors: dict[str, str | None] = {}  # data tensor name -> node id (None: refused)
        self.weights_user: dict[str, str] = {}  # initializer name -> the first node using it
        self.consumers: dict[str, list] = {}
        for node in g.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
        self.fused: set[str] = set()  # nodes folded into an earlier one (MatMul's bias Add)
        self._names: set[str] = set()
        self.mapped: list[tuple[str, str]] = []  # (onnx tensor, node id) to check shapes
        # torch names a node by its module path (/layer1/layer1.0/conv1/Conv): a module that
        # holds other modules is a block, and its nodes are grouped under its name
        self.containers = {path[:i] for node in g.node for path in [_module_path(node.name)]
                           for i in range(1, len(path))}

    @staticmethod
    def shapes_of(g) -> dict:
        """Every tensor's inferred shape (None for an unknown dimension)."""
        shapes = {}
        for vi in list(g.input) + list(g.value_info) + list(g.output):
            if vi.type.tensor_type.HasField("shape"):
                shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None
                                   for d in vi.type.tensor_type.shape.dim]
        return shapes

    # constants ---------------------------------------------------------------------------------
    def const(self, name: str):
        """The value of a constant tensor as a numpy array, or None when it is data or unknown."""
        t = self.consts.get(name)
        if t is None:
            return None
        from onnx import numpy_helper
        return numpy_helper.to_array(t)

    def const_dims(self, name: str):
        t = self.consts.get(name)
        return None if t is None else list(t.dims)

    # walking -----------------------------------------------------------------------------------
    def walk(self) -> None:
        for vi in self.g.input:
            if vi.name in self.consts:
                continue
            try:
                shape = self.ours(vi.name)
                self.tensors[vi.name] = self.add(vi.name, "Input", {"shape": list(shape)}, [], None, vi.name)
            except Unsupported as why:
                self.errors.append(f'{self.source}: input "{vi.name}" cannot be imported: {why}')
                self.tensors[vi.name] = None
        for node in self.g.node:
            self.visit(node)

    def visit(self, node) -> None:
        data = [i for i in node.input if i in self.tensors]
        if not data or node.op_type in ("Shape", "Size"):
            self._fold_constant(node)
            return
        if node.name in self.fused or id(node) in self.fused:
            return
        handler = HANDLERS.get(node.op_type)
        label = node.name or node.output[0]
        if handler is None:
            self._refuse(label, node.op_type, f"ArchCanvas has no layer for the ONNX op {node.op_type}")
            out = None
        elif any(self.tensors[i] is None for i in data):
            out = None
        else:
            try:
                out = handler(self, node)
            except Unsupported as why:
                self._refuse(label, node.op_type, str(why))
                out = None
            except ArchCanvasError as why:
                self._refuse(label, node.op_type, str(why))
                out = None
        for name in node.output[:1]:
            self.tensors[name] = out

    def _fold_constant(self, node) -> None:
        # Constant and Identity-of-constant give a value others may read; the rest (Shape, Gather…)
        # only compute arguments, which shape inference has already propagated.
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    self.consts[node.output[0]] = a.t
        elif node.op_type == "Identity" and node.input[0] in self.consts:
            self.consts[node.output[0]] = self.consts[node.input[0]]

    def _refuse(self, label, op, why) -> None:
        self.errors.append(f'{self.source}: node "{label}" ({op}) cannot be imported: {why}')

    # building ----------------------------------------------------------------------------------
    def add(self, label: str, type_name: str, attrs: dict, ins: list[str], node, tensor: str | None,
            weights: str | None = None) -> str:
        layer = layers.get(type_name)
        for key, value in attrs.items():
            try:
                layer.attr_index[key].validate(value)
            except ArchCanvasError as err:
                raise Unsupported(f"{key}: {err}") from None
        shown = label
        n = 2
        while shown in self._names:
            shown, n = f"{label} #{n}", n + 1
        self._names.add(shown)
        first = self.weights_user.get(weights) if weights else None
        node_id = self.design.unique_id(shown)
        self.design.add_node(type_name, node_id, attrs=attrs, name=shown, group=self.group(node),
                             weights_of=first)
        if weights and first is None:
            self.weights_user[weights] = node_id
        for port, source in enumerate(ins):
            self.design.connect(source, node_id, port)
        if tensor is not None:
            self.mapped.append((tensor, node_id))
        return node_id

    def group(self, node):
        path = _module_path(node.name) if node is not None else ()
        if path in self.containers:
            return path[-1]
        return path[-2] if len(path) >= 2 else None

    def layer(self, node, type_name: str, attrs: dict, ins=None, weights=None) -> str:
        """The node for ``node``'s first output, fed by ``ins`` (our ids; default: its data input)."""
        ins = [self.tensors[node.input[0]]] if ins is None else ins
        return self.add(node.name or node.output[0], type_name, attrs, ins, node, node.output[0], weights)

    def shape(self, name: str):
        shape = self.shapes.get(name)
        if shape is None or any(d is None for d in shape[1:]):
            raise Unsupported(f"the shape of {name} is not known (ONNX shape inference gives {shape})")
        return shape

    def ours(self, name: str) -> tuple:
        """A tensor's shape as ArchCanvas writes it: channels last, batch left out."""
        return to_channels_last(self.shape(name))

    def weights_name(self, name: str) -> str:
        return self.consts[name].name if name in self.consts else name

    def padded(self, node, x: str, hw, k_eff, strides, pads, extra=(0, 0)) -> tuple[str, str]:
        """``(padding, input id)``: ``same`` when the pads are Keras's own, ``valid`` when there are
        none, else ``valid`` behind a ZeroPadding2D node with the pads."""
        t, l, b, r = pads
        b, r = b + extra[0], r + extra[1]
        if (t, l, b, r) == (0, 0, 0, 0):
            return "valid", x
        same = [same_pads(n, k, s) for n, k, s in zip(hw, k_eff, strides)]
        if [(t, b), (l, r)] == same:
            return "same", x
        if min(t, l, b, r) < 0:
            raise Unsupported(f"negative pads {list(pads)}")
        label = f"{node.name or node.output[0]}/pad"
        pad = self.add(label, "ZeroPadding2D", {"padding": [[t, b], [l, r]]}, [x], node, None)
        return "valid", pad

    def check_shapes(self) -> None:
        analysis = analyze(self.design)
        lines = []
        for tensor, node_id in self.mapped:
            r = analysis[node_id]
            if r.error:
                lines.append(f'{self.source}: node "{self.design.node(node_id).label}": {r.error}')
                continue
            if r.shape is None:
                continue
            want = to_channels_last(self.shapes.get(tensor) or [])
            if want and tuple(r.shape) != tuple(want):
                lines.append(f'{self.source}: node "{self.design.node(node_id).label}": ArchCanvas computes '
                             f"{list(r.shape)} but ONNX shape inference gives {list(want)} (channels last)")
        if lines:
            raise ModelImportError(lines)


def to_channels_last(shape) -> tuple:
    """``[N, C, H, W]`` -> ``(H, W, C)``; ``[N, F]`` -> ``(F,)``; ``[N, C, L]`` -> ``(L, C)``."""
    dims = list(shape)[1:]
    if not dims:
        return ()
    return tuple(dims) if len(dims) == 1 else (*dims[1:], dims[0])


def same_pads(n: int, k: int, s: int) -> tuple[int, int]:
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def _module_path(name: str) -> tuple:
    """``/layer1/layer1.0/conv1/Conv`` -> ``("layer1", "layer1.0", "conv1")``."""
    parts = name.split("/")
    return tuple(p for p in parts[1:-1] if p) if name.startswith("/") else ()


__all__ = ["design_from_onnx", "to_channels_last", "constant_op"]
