"""One function per ONNX op: the op as a channels-last layer (fvcore's handle table, for import).

Each takes the graph being imported and the ONNX node, and returns the id of the node that
computes the op's first output, or raises ``Unsupported`` saying why it cannot be imported.
"""

from __future__ import annotations

from .. import layers
from .keras_layers import Unsupported, constant_op


def _attrs(node) -> dict:
    from onnx import helper
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _spatial(g, node, x_name, kernel):
    a = _attrs(node)
    shape = g.shape(x_name)
    if len(shape) != 4:
        raise Unsupported(f"only 2-D {node.op_type} on [N, C, H, W] is supported, got {shape}")
    strides = list(a.get("strides", [1, 1]))
    dilations = list(a.get("dilations", [1, 1]))
    k_eff = [(k - 1) * d + 1 for k, d in zip(kernel, dilations)]
    auto = a.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    hw = shape[2:]
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        from .onnx_graph import same_pads
        same = [same_pads(n, k, s) for n, k, s in zip(hw, k_eff, strides)]
        if auto == "SAME_LOWER":
            same = [(after, before) for before, after in same]
        pads = [same[0][0], same[1][0], same[0][1], same[1][1]]
    elif auto == "VALID":
        pads = [0, 0, 0, 0]
    else:
        pads = list(a.get("pads", [0, 0, 0, 0]))
    return a, shape, strides, dilations, k_eff, pads


def conv(g, node):
    dims = g.const_dims(node.input[1])
    if dims is None or len(dims) != 4:
        raise Unsupported("the weights must be a constant [M, C/group, kh, kw] tensor")
    m, per_group, kh, kw = dims
    a, shape, strides, dilations, k_eff, pads = _spatial(g, node, node.input[0], (kh, kw))
    groups, channels = a.get("group", 1), shape[1]
    padding, x = g.padded(node, g.tensors[node.input[0]], shape[2:], k_eff, strides, pads)
    common = {"kernel_size": [kh, kw], "strides": strides, "padding": padding, "dilation_rate": dilations,
              "use_bias": len(node.input) > 2 and bool(node.input[2])}
    weights = g.weights_name(node.input[1])
    if groups > 1 and groups == channels and per_group == 1:
        return g.layer(node, "DepthwiseConv2D", {**common, "depth_multiplier": m // channels}, [x], weights)
    extra = {"groups": groups} if groups > 1 else {}
    return g.layer(node, "Conv2D", {"filters": m, **common, **extra}, [x], weights)


def conv_transpose(g, node):
    if "Conv2DTranspose" not in layers.REGISTRY:
        raise Unsupported("ArchCanvas has no Conv2DTranspose layer")
    dims = g.const_dims(node.input[1])
    if dims is None or len(dims) != 4:
        raise Unsupported("the weights must be a constant [C, M/group, kh, kw] tensor")
    a = _attrs(node)
    if a.get("group", 1) != 1:
        raise Unsupported("grouped transposed convolution is not supported")
    _, m, kh, kw = dims
    strides = list(a.get("strides", [1, 1]))
    n_in, n_out = g.shape(node.input[0])[2:], g.shape(node.output[0])[2:]
    if list(n_out) == [n * s for n, s in zip(n_in, strides)]:
        padding = "same"
    elif list(n_out) == [n * s + max(k - s, 0) for n, k, s in zip(n_in, (kh, kw), strides)]:
        padding = "valid"
    else:
        raise Unsupported(f"output size {n_out} is neither Keras's same nor valid for input {n_in}")
    return g.layer(node, "Conv2DTranspose", {"filters": m, "kernel_size": [kh, kw], "strides": strides,
                                             "padding": padding,
                                             "use_bias": len(node.input) > 2 and bool(node.input[2])},
                   weights=g.weights_name(node.input[1]))


def pool(type_name):
    def handler(g, node):
        a = _attrs(node)
        kernel = list(a["kernel_shape"])
        _, shape, strides, _, k_eff, pads = _spatial(g, node, node.input[0], kernel)
        extra = [0, 0]
        if a.get("ceil_mode"):  # pad the far side so that Keras's floor gives ONNX's ceil size
            out = g.shape(node.output[0])[2:]
            for i, (n, k, s) in enumerate(zip(shape[2:], k_eff, strides)):
                extra[i] = max((out[i] - 1) * s + k - (n + pads[i] + pads[i + 2]), 0)
        padding, x = g.padded(node, g.tensors[node.input[0]], shape[2:], k_eff, strides, pads, extra)
        return g.layer(node, type_name, {"pool_size": kernel, "strides": strides, "padding": padding}, [x])
    return handler


def global_pool(type_name):
    def handler(g, node):
        return g.layer(node, type_name, {"keepdims": True})
    return handler


def reduce_mean(g, node):
    a = _attrs(node)
    axes = a.get("axes")
    if axes is None and len(node.input) > 1:
        value = g.const(node.input[1])
        axes = None if value is None else [int(v) for v in value.reshape(-1)]
    rank = len(g.shape(node.input[0]))
    if rank != 4 or sorted(x % 4 for x in axes or []) != [2, 3]:
        raise Unsupported(f"ReduceMean over axes {axes} (only the spatial axes 2 and 3) is not supported")
    return g.layer(node, "GlobalAveragePooling2D", {"keepdims": bool(a.get("keepdims", 1))})


def gemm(g, node):
    a = _attrs(node)
    dims = g.const_dims(node.input[1])
    if dims is None or a.get("transA", 0) or len(g.shape(node.input[0])) != 2:
        raise Unsupported("only Gemm of a [N, F] tensor with constant weights is supported")
    units = dims[0] if a.get("transB", 0) else dims[1]
    return g.layer(node, "Dense", {"units": units, "use_bias": len(node.input) > 2 and bool(node.input[2])},
                   weights=g.weights_name(node.input[1]))


def matmul(g, node):
    dims = g.const_dims(node.input[1])
    if dims is None or len(dims) != 2:
        raise Unsupported("only MatMul by a constant [in, out] matrix is supported (as Dense)")
    units = dims[1]
    users = g.consumers.get(node.output[0], [])
    bias = None
    if len(users) == 1 and users[0].op_type == "Add":
        other = [i for i in users[0].input if i != node.output[0]]
        value = g.const_dims(other[0]) if len(other) == 1 else None
        if value is not None and value in ([units], [1, units]):
            bias = users[0]
    out = g.layer(node, "Dense", {"units": units, "use_bias": bias is not None}, weights=g.weights_name(node.input[1]))
    if bias is not None:  # the Add is this Dense's bias: its output is the Dense's
        g.fused.add(id(bias))
        g.tensors[bias.output[0]] = out
        g.mapped.append((bias.output[0], out))
    return out


def batch_norm(g, node):
    a = _attrs(node)
    return g.layer(node, "BatchNormalization", {"axis": -1, "epsilon": float(a.get("epsilon", 1e-5)),
                                                "momentum": float(a.get("momentum", 0.9))})


def activation(name):
    def handler(g, node):
        return g.layer(node, "Activation", {"activation": name})
    return handler


def leaky_relu(g, node):
    if "LeakyReLU" not in layers.REGISTRY:
        raise Unsupported("ArchCanvas has no LeakyReLU layer")
    return g.layer(node, "LeakyReLU", {"negative_slope": float(_attrs(node).get("alpha", 0.01))})


def clip(g, node):
    a = _attrs(node)
    lo, hi = a.get("min"), a.get("max")
    for i, which in ((1, "lo"), (2, "hi")):
        if len(node.input) > i and node.input[i]:
            value = g.const(node.input[i])
            if value is None:
                raise Unsupported("Clip's bounds must be constants")
            lo, hi = (float(value), hi) if which == "lo" else (lo, float(value))
    if lo == 0 and hi == 6:
        return activation("relu6")(g, node)
    if lo == 0 and (hi is None or hi == float("inf")):
        return activation("relu")(g, node)
    raise Unsupported(f"Clip to [{lo}, {hi}] has no matching layer (only [0, 6], ReLU6)")


def softmax(g, node):
    axis = _attrs(node).get("axis", -1)
    rank = len(g.shape(node.input[0]))
    if axis % rank != 1:  # the channels, which are last once channels-last
        raise Unsupported(f"Softmax over axis {axis} of a rank-{rank} tensor (only the channels) is not supported")
    return activation("softmax")(g, node)


def elementwise(merge, op):
    def handler(g, node):
        data = [i for i in node.input if i in g.tensors]
        if len(data) == len(node.input):
            if merge not in layers.REGISTRY:
                raise Unsupported(f"ArchCanvas has no {merge} layer")
            return g.layer(node, merge, {}, [g.tensors[i] for i in node.input])
        const = [i for i in node.input if i not in g.tensors]
        value = g.const(const[0]) if len(const) == 1 else None
        if value is None or value.size != 1:
            raise Unsupported(f"{node.op_type} with a constant tensor (only a single number) is not supported")
        type_name, attrs = constant_op(op, float(value.reshape(-1)[0]), reverse=node.input[0] not in g.tensors)
        return g.layer(node, type_name, attrs, [g.tensors[data[0]]])
    return handler


def concat(g, node):
    axis = _attrs(node)["axis"]
    rank = len(g.shape(node.input[0]))
    axis %= rank
    if axis == 0:
        raise Unsupported("Concat along the batch axis is not supported")
    keras = -1 if axis == 1 else axis - 1  # NCHW axis -> channels-last axis counting the batch
    return g.layer(node, "Concatenate", {"axis": keras}, [g.tensors[i] for i in node.input])


def flatten(g, node):
    if _attrs(node).get("axis", 1) != 1:
        raise Unsupported("Flatten must keep only the batch axis (axis=1)")
    return g.layer(node, "Flatten", {})


def reshape(g, node):
    shape_in, shape_out = g.shape(node.input[0]), g.shape(node.output[0])
    if shape_out[0] != shape_in[0]:
        raise Unsupported(f"a Reshape that changes the batch axis ({shape_in} -> {shape_out})")
    from .onnx_graph import to_channels_last
    return g.layer(node, "Reshape", {"target_shape": list(to_channels_last(shape_out))})


def pad(g, node):
    a = _attrs(node)
    mode = a.get("mode", b"constant")
    if (mode.decode() if isinstance(mode, bytes) else mode) != "constant":
        raise Unsupported(f"Pad mode {mode!r} (only constant zeros) is not supported")
    pads = a.get("pads")
    if pads is None and len(node.input) > 1:
        value = g.const(node.input[1])
        pads = None if value is None else [int(v) for v in value.reshape(-1)]
    if len(node.input) > 2 and node.input[2]:
        value = g.const(node.input[2])
        if value is None or float(value.reshape(-1)[0]) != 0:
            raise Unsupported("Pad with a value other than 0 is not supported")
    shape = g.shape(node.input[0])
    if pads is None:  # computed by a sub-graph: the sizes from shape inference, split evenly
        grow = [o - i for i, o in zip(shape, g.shape(node.output[0]))]
        pads = [0, 0, grow[2] // 2, grow[3] // 2, 0, 0, grow[2] - grow[2] // 2, grow[3] - grow[3] // 2]
    if len(shape) != 4 or len(pads) != 8 or any(pads[i] for i in (0, 1, 4, 5)):
        raise Unsupported(f"only padding of height and width is supported, got pads {pads}")
    return g.layer(node, "ZeroPadding2D", {"padding": [[pads[2], pads[6]], [pads[3], pads[7]]]})


def resize(g, node):
    if "UpSampling2D" not in layers.REGISTRY:
        raise Unsupported("ArchCanvas has no UpSampling2D layer")
    n_in, n_out = g.shape(node.input[0])[2:], g.shape(node.output[0])[2:]
    if any(o % i for i, o in zip(n_in, n_out)):
        raise Unsupported(f"resize from {n_in} to {n_out} is not by a whole factor")
    mode = _attrs(node).get("mode", b"nearest")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    attrs = {"size": [o // i for i, o in zip(n_in, n_out)]}
    if "interpolation" in layers.REGISTRY["UpSampling2D"].attr_index:
        attrs["interpolation"] = {"linear": "bilinear", "cubic": "bicubic"}.get(mode, mode)
    return g.layer(node, "UpSampling2D", attrs)


def dropout(g, node):
    rate = _attrs(node).get("ratio", 0.5)
    if len(node.input) > 1 and node.input[1]:
        value = g.const(node.input[1])
        rate = 0.5 if value is None else float(value)
    return g.layer(node, "Dropout", {"rate": float(rate)})


def identity(g, node):
    return g.tensors[node.input[0]]


HANDLERS = {
    "Conv": conv, "ConvTranspose": conv_transpose,
    "MaxPool": pool("MaxPooling2D"), "AveragePool": pool("AveragePooling2D"),
    "GlobalAveragePool": global_pool("GlobalAveragePooling2D"),
    "GlobalMaxPool": global_pool("GlobalMaxPooling2D"), "ReduceMean": reduce_mean,
    "Gemm": gemm, "MatMul": matmul, "BatchNormalization": batch_norm,
    "Relu": activation("relu"), "Sigmoid": activation("sigmoid"), "Tanh": activation("tanh"),
    "HardSigmoid": activation("hard_sigmoid"), "HardSwish": activation("hard_swish"),
    "Elu": activation("elu"), "Selu": activation("selu"), "Softplus": activation("softplus"),
    "Clip": clip, "Softmax": softmax, "LeakyRelu": leaky_relu,
    "Add": elementwise("Add", "add"), "Mul": elementwise("Multiply", "multiply"),
    "Sub": elementwise("Subtract", "subtract"), "Div": elementwise("Divide", "divide"),
    "Max": elementwise("Maximum", "maximum"), "Min": elementwise("Minimum", "minimum"),
    "Concat": concat, "Flatten": flatten, "Reshape": reshape, "Pad": pad,
    "Resize": resize, "Upsample": resize, "Dropout": dropout, "Identity": identity,
}
