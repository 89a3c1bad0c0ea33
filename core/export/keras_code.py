"""A design as a Keras file: plain Python that needs only keras (any backend).

``build_model()`` builds the functional graph in topological order, each layer named after its
node, with the attributes the design sets (ours are Keras's constructor arguments, by name and
meaning) and a comment with its output shape. Types are looked up in ``EMITTERS``, so a type
without an entry is refused by name rather than guessed.
"""

from __future__ import annotations

import json

from ..layers import REQUIRED
from .common import Plan, emit_all, frozen, owner_of, shape_text

MERGES = {"Concatenate", "Add", "Multiply", "Subtract", "Maximum", "Minimum", "Average"}  # called on a list of tensors


def _value(v) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(_value(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a valid Python literal for any name
    return repr(v)


# Arguments Keras 3's constructors require although ours have a default (Keras 2's pooling had one).
KERAS_REQUIRED = {"pool_size"}


def layer_call(plan: Plan, nid: str, everything: bool = False) -> str:
    """``layers.Type(arguments, name="…")``: the arguments that differ from Keras's defaults."""
    node = plan.design.node(nid)
    a, spec = node.resolved(), node.layer
    args = [f"{attr.name}={_value(a[attr.name])}" for attr in spec.attrs if everything
            or attr.required or attr.name in KERAS_REQUIRED or a[attr.name] != spec.default(attr.name)]
    if frozen(node):
        args.append("trainable=False")
    args.append(f"name={_value(plan.layer_name[nid])}")
    return f"layers.{node.type}({', '.join(args)})({{inputs}})"


def input_call(plan: Plan, nid: str) -> str:
    return f"keras.Input(shape={_value(plan.shape(nid))}, name={_value(plan.layer_name[nid])})"


def constant_call(plan: Plan, nid: str) -> str:
    """Keras 3 records ``x + 3.0`` as ``keras.ops.add(x, 3.0)``: an operation, not a named layer."""
    a = plan.design.node(nid).resolved()
    args = f"{a['value']!r}, {{inputs}}" if a["reverse"] else f"{{inputs}}, {a['value']!r}"
    return f"keras.ops.{a['op']}({args})"


# keras.layers does not export LayerScale (only Keras's ConvNeXt defines one), so the file defines
# it, as ConvNeXt does, and registers it: model.save() records its class name, LayerScale, and
# keras.saving.load_model finds the class again once this file has been imported.
LAYER_SCALE = '''

@keras.saving.register_keras_serializable(package="ArchCanvas")
class LayerScale(layers.Layer):
    """ConvNeXt's LayerScale, as Keras's ConvNeXt defines it: x times a learned gamma per channel."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,), name="gamma",
                                     initializer=keras.initializers.Constant(self.init_values))

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        return super().get_config() | {"init_values": self.init_values, "projection_dim": self.projection_dim}
'''


def layer_scale_call(plan: Plan, nid: str) -> str:
    """The file's own LayerScale (not ``layers.``), with both of its arguments."""
    return layer_call(plan, nid, everything=True).removeprefix("layers.")


# One entry per layer type: the expression, with ``{inputs}`` where its input goes. The catalogue's
# attributes are Keras's arguments, so most types share ``layer_call``; a type whose Keras form
# differs gets its own small function here.
EMITTERS = {"Input": input_call} | {name: layer_call for name in (
    "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "MaxPooling2D", "AveragePooling2D",
    "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Dense", "BatchNormalization", "Activation",
    "Dropout", "Flatten", "Reshape", "ZeroPadding2D", "Concatenate", "Add", "Multiply",
    # the second catalogue
    "Conv2DTranspose", "Subtract", "Maximum", "Minimum", "Average", "SpatialDropout2D", "GaussianNoise",
    "GaussianDropout", "Cropping2D", "UpSampling2D", "Permute", "RepeatVector", "Identity", "ReLU",
    "LeakyReLU", "PReLU", "ELU", "Softmax", "Rescaling", "Normalization", "LayerNormalization",
    "UnitNormalization")} | {"ConstantOp": constant_call, "LayerScale": layer_scale_call}


def keras_source(plan: Plan) -> str:
    calls = emit_all(plan, EMITTERS, "Keras")
    design, ident = plan.design, plan.ident
    lines, ins = [], []
    owners = list(dict.fromkeys(o for o in (owner_of(design.node(n)) for n in plan.order) if o))
    for owner in owners:  # a layer called more than once is made first, then called
        lines.append(f"    # {ident[owner]}_layer: called more than once (shared weights)")
        lines.append(f"    {ident[owner]}_layer = {calls[owner].removesuffix('({inputs})')}")
    for nid in plan.order:
        node, name = design.node(nid), ident[nid]
        lines.append(f"    # {name}: {node.type}, output {shape_text(plan.shape(nid))}")
        if node.type == "Input":
            ins.append(name)
            lines.append(f"    {name} = {calls[nid]}")
            continue
        srcs = [ident[s] for s in plan.inputs[nid]]
        arg = f"[{', '.join(srcs)}]" if node.type in MERGES else srcs[0]
        owner = owner_of(node) or (nid if nid in owners else None)
        call = f"{ident[owner]}_layer({{inputs}})" if owner else calls[nid]
        lines.append(f"    {name} = {call.replace('{inputs}', arg)}")
    one = lambda names: names[0] if len(names) == 1 else f"[{', '.join(names)}]"  # noqa: E731
    outs = [ident[o] for o in plan.outputs]
    title = " ".join(str(design.name).replace('"""', "'''").replace("\\", "/").split()) or "design"
    return (f'"""{title}: a Keras model written by ArchCanvas (inputs are channels-last, NHWC)."""\n\n'
            "import keras\nfrom keras import layers\n"
            + (LAYER_SCALE if any(design.node(n).type == "LayerScale" for n in plan.order) else "") + "\n\n"
            "def build_model():\n" + "\n".join(lines) + "\n"
            f"    return keras.Model(inputs={one(ins)}, outputs={one(outs)}, name={_value(ident_name(title))})\n")


def ident_name(title: str) -> str:
    from .common import identifier
    return identifier(title)
