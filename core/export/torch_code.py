"""A design as a PyTorch file: plain Python that needs only torch.

The file defines the helper modules it uses, a ``Model(nn.Module)`` with one attribute per
layer, named after the node, ``forward`` in topological order (an NCHW batch in, one tensor
out, or a tuple for several outputs), and ``build_model()``. Each attribute's comment gives the
layer's output shape in Keras's order and in torch's.
"""

from __future__ import annotations

from .common import ExportError, Plan, emit_all, frozen, owner_of, shape_text
from .torch_layers import EMITTERS as FIRST
from .torch_more import HELPERS as MORE_HELPERS, MORE

EMITTERS = FIRST | MORE  # one emitter per layer type; a type with none is refused by name

HELPERS = {
    "Permute": '''
class Permute(nn.Module):
    """Reorders the axes, batch included (Keras's channels-last order from NCHW and back)."""

    def __init__(self, *dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)
''',
    "Reshape": '''
class Reshape(nn.Module):
    """Keras's Reshape: a new shape for each sample, the batch axis kept."""

    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)
''',
    "Concatenate": '''
class Concatenate(nn.Module):
    """Joins its inputs along one dim, in the order given."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, *xs):
        return torch.cat(xs, dim=self.dim)
''',
    "Add": '''
class Add(nn.Module):
    """Elementwise sum of its inputs."""

    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out
''',
    "Multiply": '''
class Multiply(nn.Module):
    """Elementwise product of its inputs."""

    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out
''',
}


HELPERS |= MORE_HELPERS


def torch_shape(shape) -> tuple[int, ...]:
    """A batch-less Keras shape as torch holds it: feature maps channels-first."""
    return (shape[2], shape[0], shape[1]) if len(shape) == 3 else tuple(shape)


def _module(parts: tuple[str, ...]) -> str:
    if len(parts) == 1:
        return parts[0]
    inner = "".join(f"            {p},\n" for p in parts)
    return f"nn.Sequential(\n{inner}        )"


def torch_source(plan: Plan) -> str:
    emitted = emit_all(plan, EMITTERS, "PyTorch")
    shared = [f"{plan.ref(n)}: {plan.design.node(n).type} shares the weights of {plan.ref(owner_of(plan.design.node(n)))} "
              "on an input of another shape, which one PyTorch module cannot pad both ways"
              for n in plan.order if owner_of(plan.design.node(n))
              and plan.in_shapes(n) != plan.in_shapes(owner_of(plan.design.node(n)))]
    if shared:
        raise ExportError(shared)
    design, ident = plan.design, plan.ident
    helpers = sorted({h for layer in emitted.values() for h in layer.helpers})
    init, forward = [], []
    for nid in plan.order:
        node, name, shape = design.node(nid), ident[nid], plan.shape(nid)
        if node.type == "Input":
            continue
        summary = f"{node.type}, output {shape_text(shape)} (torch: N x {' x '.join(map(str, torch_shape(shape)))})"
        owner = owner_of(node)
        module = ident[owner] if owner else name
        if owner:  # a layer called twice: the second call reuses the module
            init.append(f"        # {name}: {summary}, with the weights of self.{module}")
        else:
            init.append(f"        # {name}: {summary}")
            init.append(f"        self.{name} = {_module(emitted[nid].parts)}")
            if frozen(node) and plan.analysis[nid].params:
                init.append(f"        self.{name}.requires_grad_(False)  # trainable=False")
        args = ", ".join(ident[s] for s in plan.inputs[nid])
        forward.append(f"        {name} = self.{module}({args})")
    in_ids = [nid for nid in plan.order if design.node(nid).type == "Input"]
    in_doc = ", ".join(f"{ident[i]} (N, {', '.join(map(str, torch_shape(plan.shape(i))))})" for i in in_ids)
    outs = ", ".join(ident[o] for o in plan.outputs)
    out_text = outs if len(plan.outputs) == 1 else f"({outs})"
    head = (f'"""{_doc_name(design.name)}: a PyTorch model written by ArchCanvas.\n\n'
            f"Inputs: {in_doc}. Keras semantics are kept: 'same' padding pads bottom/right like\n"
            "Keras, feature maps are flattened in channels-last order, BatchNormalization keeps\n"
            'its epsilon and momentum.\n"""\n\nimport torch\nfrom torch import nn\n')
    body = "".join("\n" + HELPERS[h] for h in helpers)
    model = ("\n\nclass Model(nn.Module):\n"
             "    def __init__(self):\n        super().__init__()\n" + "\n".join(init) + "\n\n"
             f"    def forward(self, {', '.join(ident[i] for i in in_ids)}):\n" + "\n".join(forward)
             + f"\n        return {out_text}\n\n\n"
             "def build_model():\n"
             '    """The model in inference mode (as Keras calls it); call .train() to train it."""\n'
             "    return Model().eval()\n")
    return head + body + model


def _doc_name(name: str) -> str:
    return " ".join(str(name).replace('"""', "'''").replace("\\", "/").split()) or "design"
