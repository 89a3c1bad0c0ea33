"""PyTorch emitters for the second catalogue (activation layers, more merges, resampling,
normalization, noise, arithmetic with a constant), with the helper modules they need.

As in ``torch_layers``: an emitter keeps Keras's semantics or raises ``Refused`` saying what
it cannot keep.
"""

from __future__ import annotations

from .common import Plan, Refused
from .torch_layers import TO_CHANNELS_FIRST, TO_CHANNELS_LAST, TorchLayer, layer_attrs, bias_flag, pair_text, activation, torch_dim


def _helper(name: str, doc: str, init: str, forward: str, args: str = "", keep: str | None = None) -> str:
    """A helper module's source: ``args`` of ``__init__``, of which ``keep`` (default: all) are stored."""
    sig = f", {args}" if args else ""
    kept = args if keep is None else keep
    store = "".join(f"\n        self.{a.strip()} = {a.strip()}" for a in kept.split(",") if a.strip())
    return (f'\nclass {name}(nn.Module):\n    """{doc}"""\n\n    def __init__(self{sig}):\n'
            f"        super().__init__(){store}{init}\n\n    def forward(self, {forward}\n")


HELPERS = {
    "Subtract": _helper("Subtract", "The first input minus the second.", "", "a, b):\n        return a - b"),
    "Maximum": _helper("Maximum", "Elementwise maximum of its inputs.", "",
                       "*xs):\n        out = xs[0]\n        for x in xs[1:]:\n            out = torch.maximum(out, x)\n        return out"),
    "Minimum": _helper("Minimum", "Elementwise minimum of its inputs.", "",
                       "*xs):\n        out = xs[0]\n        for x in xs[1:]:\n            out = torch.minimum(out, x)\n        return out"),
    "Average": _helper("Average", "Elementwise mean of its inputs.", "",
                       "*xs):\n        out = xs[0]\n        for x in xs[1:]:\n            out = out + x\n        return out / len(xs)"),
    "Cropping2D": _helper("Cropping2D", "Removes rows and columns at the edges of an NCHW map.", "",
                          "x):\n        h, w = x.shape[2], x.shape[3]\n"
                          "        return x[:, :, self.top:h - self.bottom, self.left:w - self.right]",
                          "top, bottom, left, right"),
    "RepeatVector": _helper("RepeatVector", "Repeats a vector n times: (N, F) to (N, n, F).", "",
                            "x):\n        return x.unsqueeze(1).repeat(1, self.n, 1)", "n"),
    "GaussianNoise": _helper("GaussianNoise", "Adds N(0, stddev) noise while training; the identity otherwise.", "",
                             "x):\n        return x + torch.randn_like(x) * self.stddev if self.training else x", "stddev"),
    "GaussianDropout": _helper("GaussianDropout", "Multiplies by N(1, rate / (1 - rate)) noise while training.", "",
                               "x):\n        if not self.training:\n            return x\n"
                               "        return x * (1 + torch.randn_like(x) * (self.rate / (1 - self.rate)) ** 0.5)", "rate"),
    "Scale": _helper("Scale", "x * scale + offset (Keras's Rescaling).", "",
                     "x):\n        return x * self.scale + self.offset", "scale, offset"),
    "ConstantOp": _helper("ConstantOp", "x with a constant, as keras.ops does: op(x, c), or op(c, x) when reversed.", "",
                          "x):\n        c = torch.tensor(self.value, dtype=x.dtype)\n"
                          "        return self.op(c, x) if self.reverse else self.op(x, c)", "op, value, reverse"),
    "UnitNormalization": _helper("UnitNormalization", "x divided by its L2 norm along one dim (Keras's epsilon).", "",
                                 "x):\n        square = torch.sum(x * x, dim=self.dim, keepdim=True)\n"
                                 "        return x * torch.rsqrt(torch.clamp(square, min=1e-12))", "dim"),
    "Normalization": _helper(
        "Normalization", "Keras's Normalization with given statistics: (x - mean) / max(sqrt(variance), 1e-7).",
        '\n        self.register_buffer("mean", torch.tensor(mean).reshape(shape), persistent=False)'
        '\n        self.register_buffer("std", torch.tensor(variance).sqrt().clamp(min=1e-7).reshape(shape),'
        ' persistent=False)',
        "x):\n        return self.mean + x * self.std if self.invert else (x - self.mean) / self.std",
        "mean, variance, shape, invert", keep="invert"),
    "LayerScale": _helper("LayerScale", "x times a learned scale per channel.",
                          "\n        self.gamma = nn.Parameter(torch.full(shape, float(init_values)))",
                          "x):\n        return x * self.gamma", "init_values, shape", keep=""),
}


def _batch_norm_helper(dims: int) -> str:
    return f'''
class KerasBatchNorm{dims}d(nn.BatchNorm{dims}d):
    """BatchNorm{dims}d with only the learned part Keras keeps: with center, the shift beta (bias);
    with scale, the factor gamma (weight). The running statistics are nn.BatchNorm{dims}d's."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, center=False, scale=False):
        super().__init__(num_features, eps=eps, momentum=momentum, affine=False)
        if scale:
            self.weight = nn.Parameter(torch.ones(num_features))
        if center:
            self.bias = nn.Parameter(torch.zeros(num_features))
'''


HELPERS |= {f"KerasBatchNorm{d}d": _batch_norm_helper(d) for d in (1, 2)}
HELPERS["AdaptedNormalization"] = '''
class AdaptedNormalization(nn.Module):
    """Keras's Normalization before adapt(): its weights mean (zeros), variance (ones) and count
    (Keras keeps it for old files), as buffers to load adapted statistics into;
    (x - mean) / max(sqrt(variance), 1e-7), Keras's epsilon, or its inverse."""

    def __init__(self, size, shape, invert=False):
        super().__init__()
        self.shape = shape
        self.invert = invert
        self.register_buffer("mean", torch.zeros(size))
        self.register_buffer("variance", torch.ones(size))
        self.register_buffer("count", torch.zeros((), dtype=torch.int32))

    def forward(self, x):
        mean = self.mean.reshape(self.shape)
        std = torch.clamp(torch.sqrt(self.variance), min=1e-7).reshape(self.shape)
        return mean + x * std if self.invert else (x - mean) / std
'''
_CONSTANT_OPS = {"add": "torch.add", "subtract": "torch.sub", "multiply": "torch.mul", "divide": "torch.div",
                 "power": "torch.pow", "maximum": "torch.maximum", "minimum": "torch.minimum"}


def _merge(name: str):
    return lambda plan, nid: TorchLayer((f"{name}()",), (name,))


def _relu(plan: Plan, nid: str) -> TorchLayer:
    a = layer_attrs(plan, nid)
    top, slope, threshold = a["max_value"], a["negative_slope"], a["threshold"]
    if threshold:
        raise Refused("with a threshold")
    if slope and top is not None:
        raise Refused("with both a negative slope and a max_value")
    if slope:
        return TorchLayer((f"nn.LeakyReLU({slope!r})",))
    if top is None:
        return TorchLayer(("nn.ReLU()",))
    return TorchLayer(("nn.ReLU6()",) if top == 6 else (f"nn.Hardtanh(0.0, {float(top)!r})",))


def _prelu(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    shared = a["shared_axes"]
    shared = set() if shared is None else {shared} if isinstance(shared, int) else set(shared)
    rank = len(x)
    if shared == set(range(1, rank + 1)):
        return TorchLayer(("nn.PReLU(1)",))
    # torch's PReLU has one slope per channel (dim 1): Keras's alpha shared over all but channels
    if (rank == 3 and shared == {1, 2}) or (rank == 1 and not shared):
        return TorchLayer((f"nn.PReLU({x[-1]})",))
    raise Refused(f"with shared_axes {a['shared_axes']} on a {rank}-d input")


def _softmax(plan: Plan, nid: str) -> TorchLayer:
    axis = layer_attrs(plan, nid)["axis"]
    if not isinstance(axis, int):
        raise Refused(f"over axes {axis}")
    return TorchLayer((f"nn.Softmax(dim={torch_dim(axis, len(plan.shape(nid)))})",))


def _cropping(plan: Plan, nid: str) -> TorchLayer:
    (t, b), (l, r) = layer_attrs(plan, nid)["cropping"]
    return TorchLayer((f"Cropping2D({t}, {b}, {l}, {r})",), ("Cropping2D",))


def _upsampling(plan: Plan, nid: str) -> TorchLayer:
    a = layer_attrs(plan, nid)
    mode = a["interpolation"]
    if mode not in ("nearest", "bilinear"):
        raise Refused(f"with interpolation '{mode}'")
    extra = ', align_corners=False' if mode == "bilinear" else ""
    return TorchLayer((f'nn.Upsample(scale_factor={pair_text(a["size"])}, mode="{mode}"{extra})',))


def _layout(rank: int) -> list[int]:
    """Which Keras axis (1-based) each torch dim after the batch holds."""
    return [3, 1, 2] if rank == 3 else list(range(1, rank + 1))


def _permute(plan: Plan, nid: str) -> TorchLayer:
    dims = layer_attrs(plan, nid)["dims"]
    (x,), out = plan.in_shapes(nid), plan.shape(nid)
    before, after = _layout(len(x)), _layout(len(out))
    order = [1 + before.index(dims[k - 1]) for k in after]
    return TorchLayer((f"Permute(0, {', '.join(map(str, order))})",), ("Permute",))


def _repeat(plan: Plan, nid: str) -> TorchLayer:
    return TorchLayer((f"RepeatVector({layer_attrs(plan, nid)['n']})",), ("RepeatVector",))


def _noise(name: str, key: str):
    return lambda plan, nid: TorchLayer((f"{name}({layer_attrs(plan, nid)[key]!r})",), (name,))


def _rescaling(plan: Plan, nid: str) -> TorchLayer:
    a = layer_attrs(plan, nid)
    return TorchLayer((f"Scale({a['scale']!r}, {a['offset']!r})",), ("Scale",))


def _constant(plan: Plan, nid: str) -> TorchLayer:
    a = layer_attrs(plan, nid)
    return TorchLayer((f"ConstantOp({_CONSTANT_OPS[a['op']]}, {a['value']!r}, reverse={a['reverse']})",),
                      ("ConstantOp",))


def _channel_axis(plan: Plan, nid: str, axis) -> int:
    rank = len(plan.in_shapes(nid)[0])
    if not isinstance(axis, int):
        if len(axis) != 1:
            raise Refused(f"over axes {axis}")
        (axis,) = axis
    return torch_dim(axis, rank)


def _layer_norm(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    axis = a["axis"] if isinstance(a["axis"], int) else (a["axis"][0] if len(a["axis"]) == 1 else None)
    if axis is None or axis % (len(x) + 1) != len(x):
        raise Refused(f"over axis {a['axis']}")
    if a["rms_scaling"] or (a["center"] and not a["scale"]):
        raise Refused("with rms_scaling" if a["rms_scaling"] else "with center but no scale")
    kw = f", eps={a['epsilon']!r}" + ("" if a["scale"] else ", elementwise_affine=False") \
        + ("" if a["center"] or not a["scale"] else ", bias=False")
    norm = f"nn.LayerNorm({x[-1]}{kw})"
    return TorchLayer((TO_CHANNELS_LAST, norm, TO_CHANNELS_FIRST), ("Permute",)) if len(x) == 3 \
        else TorchLayer((norm,))


def _normalization(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    dim = _channel_axis(plan, nid, a["axis"]) if a["axis"] is not None else None
    adapt = a["mean"] is None
    if dim != (1 if len(x) == 3 else len(x)) and not (adapt and dim is None):
        raise Refused(f"over axis {a['axis']}")
    if adapt:  # statistics left for adapt(): Keras's initial weights, which count as non-trainable
        size, shape = ("()", "()") if dim is None else \
            (f"({x[-1]},)", "(-1, 1, 1)" if len(x) == 3 else "(-1,)")
        invert = ", invert=True" if a["invert"] else ""
        return TorchLayer((f"AdaptedNormalization({size}, {shape}{invert})",), ("AdaptedNormalization",))
    mean, var = list(a["mean"]), list(a["variance"])
    shape = "(-1, 1, 1)" if len(x) == 3 else "(-1,)"
    return TorchLayer((f"Normalization({mean!r}, {var!r}, {shape}, invert={a['invert']})",), ("Normalization",))


def _unit_norm(plan: Plan, nid: str) -> TorchLayer:
    dim = _channel_axis(plan, nid, layer_attrs(plan, nid)["axis"])
    return TorchLayer((f"UnitNormalization({dim})",), ("UnitNormalization",))


def _layer_scale(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    shape = f"({a['projection_dim']}, 1, 1)" if len(x) == 3 else f"({a['projection_dim']},)"
    return TorchLayer((f"LayerScale({a['init_values']!r}, {shape})",), ("LayerScale",))


def _conv_transpose(plan: Plan, nid: str) -> TorchLayer:
    a, (x,) = layer_attrs(plan, nid), plan.in_shapes(nid)
    if a["padding"] != "valid" or a["output_padding"] is not None or a["dilation_rate"] != (1, 1):
        raise Refused("other than 'valid' without output_padding or dilation")
    stride = "" if a["strides"] == (1, 1) else f", stride={pair_text(a['strides'])}"
    bias = "" if bias_flag(a) is None else ", bias=False"
    conv = f"nn.ConvTranspose2d({x[2]}, {a['filters']}, {pair_text(a['kernel_size'])}{stride}{bias})"
    return TorchLayer((conv, *activation(a["activation"], plan.shape(nid))))


MORE = {
    "Subtract": _merge("Subtract"), "Maximum": _merge("Maximum"), "Minimum": _merge("Minimum"),
    "Average": _merge("Average"),
    "ReLU": _relu,
    "LeakyReLU": lambda plan, nid: TorchLayer((f"nn.LeakyReLU({layer_attrs(plan, nid)['negative_slope']!r})",)),
    "PReLU": _prelu,
    "ELU": lambda plan, nid: TorchLayer((f"nn.ELU({layer_attrs(plan, nid)['alpha']!r})",)),
    "Softmax": _softmax,
    "Identity": lambda plan, nid: TorchLayer(("nn.Identity()",)),
    "SpatialDropout2D": lambda plan, nid: TorchLayer((f"nn.Dropout2d({layer_attrs(plan, nid)['rate']!r})",)),
    "GaussianNoise": _noise("GaussianNoise", "stddev"),
    "GaussianDropout": _noise("GaussianDropout", "rate"),
    "Cropping2D": _cropping,
    "UpSampling2D": _upsampling,
    "Permute": _permute,
    "RepeatVector": _repeat,
    "Rescaling": _rescaling,
    "ConstantOp": _constant,
    "LayerNormalization": _layer_norm,
    "UnitNormalization": _unit_norm,
    "Normalization": _normalization,
    "LayerScale": _layer_scale,
    "Conv2DTranspose": _conv_transpose,
}
