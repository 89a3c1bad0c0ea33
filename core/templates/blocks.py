"""Blocks: small recurring structures added to a design under one group.

Each block is one function ``f(design, source, group, *, names=None, **values) -> BlockResult``.
Node ids come from ``names`` (role -> id, so a template can use Keras's exact layer names) or
else from the group (``inception_3a`` + ``1x1`` -> ``inception_3a_1x1``); an id already taken
gets Keras's ``_1``, ``_2`` suffix. ``BLOCKS`` in ``__init__`` wraps these with declared
parameters, validation, rollback on failure and positions.
"""

from __future__ import annotations

from typing import Callable

from ..analysis import analyze
from ..design import Design
from .params import BlockResult

KERAS, SAME = "keras", "same"
# Keras's MobileNets write ReLU6 as the layer ``ReLU(6.0)``, not ``Activation("relu6")``: a
# template passing this as ``activation`` gets that layer (the same function and figures), so its
# layers are Keras's one for one. The blocks' declared choices stay Activation names.
RELU6_LAYER = "ReLU(6.0)"


def fresh_id(design: Design, base: str) -> str:
    """``base`` if free, else ``base_1``, ``base_2``… (case kept, unlike ``Design.unique_id``)."""
    if base not in design:
        return base
    i = 1
    while f"{base}_{i}" in design:
        i += 1
    return f"{base}_{i}"


def fresh_group(design: Design, base: str) -> str:
    """A group name not yet used in ``design`` (``inception``, ``inception_1``…)."""
    used = set(design.groups())
    if base not in used:
        return base
    i = 1
    while f"{base}_{i}" in used:
        i += 1
    return f"{base}_{i}"


class Builder:
    """Adds one block's nodes under one group and remembers them (for rollback and layout)."""

    def __init__(self, design: Design, group: str, name_of: Callable[[str], str]):
        self.design, self.group, self.name_of = design, group, name_of
        self.nodes: list[str] = []

    def add(self, role: str, type_name: str, attrs: dict | None = None, inputs=()) -> str:
        node_id = fresh_id(self.design, self.name_of(role))
        self.design.add_node(type_name, node_id, attrs=attrs or {}, group=self.group)
        self.nodes.append(node_id)
        for port, src in enumerate(inputs):
            if src is not None:
                self.design.connect(src, node_id, port)
        return node_id


def _activation(b: Builder, role: str, activation: str, source: str) -> str:
    if activation == RELU6_LAYER:
        return b.add(role, "ReLU", {"max_value": 6.0}, [source])
    return b.add(role, "Activation", {"activation": activation}, [source])


def naming(group: str, names: dict | None, main_role: str | None = None) -> Callable[[str], str]:
    """Role -> id: ``names`` first; ``main_role`` is the group name itself; else ``group_role``."""
    names = names or {}

    def name_of(role: str) -> str:
        if role in names:
            return names[role]
        return group if role == main_role else f"{group}_{role}"
    return name_of


def source_shape(design: Design, source: str | None):
    """The output shape of ``source`` if it can be computed now, else None."""
    if source is None:
        return None
    return analyze(design).results[source].shape


def conv_attrs(filters, kernel, strides=1, padding=SAME, activation=None, use_bias=True) -> dict:
    """Conv2D attributes as Keras code would spell them: only what differs from Keras's defaults."""
    attrs = {"filters": filters, "kernel_size": kernel}
    if strides != 1:
        attrs["strides"] = strides
    if padding != "valid":
        attrs["padding"] = padding
    if activation is not None:
        attrs["activation"] = activation
    if not use_bias:
        attrs["use_bias"] = False
    return attrs


def _bn(momentum=None) -> dict:
    return {} if momentum is None else {"momentum": momentum}


# --- Inception and bottleneck (GoogLeNet; seeds 000, 002, 003) ------------------------------

def inception(design, source, group, *, filters=(64, 96, 128, 16, 32, 32), activation="relu",
              names=None) -> BlockResult:
    """Four branches (1×1; 1×1→3×3; 1×1→5×5; 3×3 max-pool→1×1) joined along channels.

    ``filters`` is the 6-number configuration of GoogLeNet's Table 1:
    (#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj). Every convolution is ``same``,
    has a bias and the activation, as in GoogLeNet."""
    f1, r3, f3, r5, f5, fp = filters
    b = Builder(design, group, naming(group, names))
    p1 = b.add("1x1", "Conv2D", conv_attrs(f1, 1, activation=activation), [source])
    red3 = b.add("3x3_reduce", "Conv2D", conv_attrs(r3, 1, activation=activation), [source])
    p2 = b.add("3x3", "Conv2D", conv_attrs(f3, 3, activation=activation), [red3])
    red5 = b.add("5x5_reduce", "Conv2D", conv_attrs(r5, 1, activation=activation), [source])
    p3 = b.add("5x5", "Conv2D", conv_attrs(f5, 5, activation=activation), [red5])
    pool = b.add("pool", "MaxPooling2D", {"pool_size": 3, "strides": 1, "padding": SAME}, [source])
    p4 = b.add("pool_proj", "Conv2D", conv_attrs(fp, 1, activation=activation), [pool])
    out = b.add("output", "Concatenate", {"axis": -1}, [p1, p2, p3, p4])
    return BlockResult(b.nodes, [(p1, 0), (red3, 0), (red5, 0), (pool, 0)], out)


def bottleneck(design, source, group, *, reduce_filters=16, filters=32, kernel_size=5,
               activation="relu", names=None) -> BlockResult:
    """A 1×1 convolution to ``reduce_filters`` channels before the k×k convolution, as GoogLeNet
    reduces before its 3×3 and 5×5 convolutions: on 28×28×192, 16 channels before a 5×5
    convolution to 32 cut its 120,422,400 MACs to 12,443,648."""
    b = Builder(design, group, naming(group, names))
    red = b.add("reduce", "Conv2D", conv_attrs(reduce_filters, 1, activation=activation), [source])
    out = b.add("conv", "Conv2D", conv_attrs(filters, kernel_size, activation=activation), [red])
    return BlockResult(b.nodes, [(red, 0)], out)


# --- MobileNet ------------------------------------------------------------------------------

def conv_bn_relu(design, source, group, *, filters=32, kernel_size=3, strides=1, activation="relu",
                 bn_momentum=None, names=None) -> BlockResult:
    """Conv2D (``same``, no bias) → BatchNormalization → activation. Ids: ``group``,
    ``group_bn``, ``group_relu`` (Keras's MobileNet stem is ``conv1``, ``conv1_bn``, ``conv1_relu``)."""
    b = Builder(design, group, naming(group, names, main_role="conv"))
    conv = b.add("conv", "Conv2D", conv_attrs(filters, kernel_size, strides, use_bias=False), [source])
    bn = b.add("bn", "BatchNormalization", _bn(bn_momentum), [conv])
    out = _activation(b, "relu", activation, bn)
    return BlockResult(b.nodes, [(conv, 0)], out)


def separable(design, source, group, *, filters=64, strides=1, stride_on="depthwise", kernel_size=3,
              activation="relu", depth_multiplier=1, downsample_padding=KERAS, bn_momentum=None,
              names=None) -> BlockResult:
    """Depthwise k×k → BN → act → pointwise 1×1 → BN → act (MobileNet v1, Fig. 3 right).

    ``stride_on="depthwise"`` is the paper (and Keras): the depthwise convolution strides, and
    with ``downsample_padding="keras"`` a ZeroPadding2D ((0, 1), (0, 1)) precedes it and it is
    ``valid``, exactly as ``keras.applications.MobileNet`` does. ``stride_on="pointwise"`` puts the
    stride on the 1×1 pointwise convolution instead, as some MobileNet implementations do: the
    depthwise convolution runs at the input resolution (stride 1, ``same``) and the 1×1 convolution strides. Same params, same output shape; the depthwise layer (and its BN
    and activation) then does stride² times the work, and three quarters of it (at stride 2) is
    thrown away by the strided 1×1."""
    b = Builder(design, group, naming(group, names))
    x = source
    dw_stride, pw_stride = (strides, 1) if stride_on == "depthwise" else (1, strides)
    x, dw = _depthwise_input(b, x, kernel_size, dw_stride, downsample_padding, [[0, 1], [0, 1]])
    if depth_multiplier != 1:
        dw["depth_multiplier"] = depth_multiplier
    dw["use_bias"] = False
    first = b.add("dw", "DepthwiseConv2D", dw, [x])
    bn = b.add("dw_bn", "BatchNormalization", _bn(bn_momentum), [first])
    act = _activation(b, "dw_relu", activation, bn)
    pw = b.add("pw", "Conv2D", conv_attrs(filters, 1, pw_stride, use_bias=False), [act])
    bn = b.add("pw_bn", "BatchNormalization", _bn(bn_momentum), [pw])
    out = _activation(b, "pw_relu", activation, bn)
    return BlockResult(b.nodes, [(b.nodes[0], 0)], out)


def _depthwise_input(b, x, kernel_size, strides, downsample_padding, pad):
    """The depthwise convolution's input and first attributes: a strided one Keras's way is an
    explicit ZeroPadding2D (``pad``) then ``valid``; otherwise ``same`` padding."""
    dw = {"kernel_size": kernel_size}
    if strides != 1 and downsample_padding == KERAS:
        x = b.add("pad", "ZeroPadding2D", {"padding": pad}, [x])
        dw.update(strides=strides, padding="valid")
    else:
        dw["padding"] = SAME
        if strides != 1:
            dw["strides"] = strides
    return x, dw


def correct_pad(hw, kernel: int = 3):
    """Keras's ``imagenet_utils.correct_pad``: ((k//2 - even_h, k//2), (k//2 - even_w, k//2));
    an unknown size counts as even, as in Keras."""
    c = kernel // 2
    if hw is None:
        return [[c - 1, c], [c - 1, c]]
    return [[c - (1 - hw[0] % 2), c], [c - (1 - hw[1] % 2), c]]


def inverted_residual(design, source, group, *, filters=24, expansion=6, strides=1, in_channels=0,
                      activation="relu6", downsample_padding=KERAS, bn_momentum=0.999,
                      names=None) -> BlockResult:
    """MobileNet v2's bottleneck: 1×1 expand (×t) → BN → ReLU6 → 3×3 depthwise → BN → ReLU6 →
    linear 1×1 projection → BN, plus a residual Add when the stride is 1 and the channels match.

    Ids follow Keras (``block_3_expand``, ``block_3_expand_BN``…, ``block_3_add``). With
    ``expansion`` 1 there is no expand convolution (the paper's first bottleneck, Keras's
    ``expanded_conv``). ``in_channels`` 0 takes the source's channels (or ``filters`` when the
    block is added unconnected). At stride 2 with ``downsample_padding="keras"`` the depthwise
    convolution is ``valid`` after Keras's ``correct_pad`` ZeroPadding2D; its output size equals
    ``same`` padding's, only the pixels' alignment differs."""
    shape = source_shape(design, source)
    cin = in_channels or (shape[-1] if shape and len(shape) == 3 else filters)
    b = Builder(design, group, naming(group, names))
    x = source
    if expansion != 1:
        x = b.add("expand", "Conv2D", conv_attrs(expansion * cin, 1, use_bias=False), [x])
        x = b.add("expand_BN", "BatchNormalization", _bn(bn_momentum), [x])
        x = _activation(b, "expand_relu", activation, x)
    hw = shape[:2] if shape and len(shape) == 3 else None
    x, dw = _depthwise_input(b, x, 3, strides, downsample_padding, correct_pad(hw))
    dw["use_bias"] = False
    x = b.add("depthwise", "DepthwiseConv2D", dw, [x])
    x = b.add("depthwise_BN", "BatchNormalization", _bn(bn_momentum), [x])
    x = _activation(b, "depthwise_relu", activation, x)
    x = b.add("project", "Conv2D", conv_attrs(filters, 1, use_bias=False), [x])
    out = b.add("project_BN", "BatchNormalization", _bn(bn_momentum), [x])
    entries = [(b.nodes[0], 0)]
    if strides == 1 and cin == filters:
        add = b.add("add", "Add", {}, [source, out])
        entries.append((add, 0))
        out = add
    return BlockResult(b.nodes, entries, out)
