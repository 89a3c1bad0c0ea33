"""MobileNetV3 Small and Large layer for layer as ``keras.applications.MobileNetV3Small`` /
``MobileNetV3Large`` build them (Howard et al. 2019)."""

from __future__ import annotations

from ..design import Design
from .blocks import correct_pad
from .mobilenet import make_divisible
from .net import Net, bn, conv

# Tables 1 and 2 as Keras's stack_fn writes them: (expansion, filters, kernel ("k": 5, or 3 when
# minimalistic), stride, squeeze-and-excite, activation ("act": hard-swish, or ReLU when
# minimalistic)) per block.
SMALL = ((1, 16, 3, 2, True, "relu"), (72 / 16, 24, 3, 2, False, "relu"), (88 / 24, 24, 3, 1, False, "relu"),
         (4, 40, "k", 2, True, "act"), (6, 40, "k", 1, True, "act"), (6, 40, "k", 1, True, "act"),
         (3, 48, "k", 1, True, "act"), (3, 48, "k", 1, True, "act"), (6, 96, "k", 2, True, "act"),
         (6, 96, "k", 1, True, "act"), (6, 96, "k", 1, True, "act"))
LARGE = ((1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"), (3, 24, 3, 1, False, "relu"),
         (3, 40, "k", 2, True, "relu"), (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
         (6, 80, 3, 2, False, "act"), (2.5, 80, 3, 1, False, "act"), (2.3, 80, 3, 1, False, "act"),
         (2.3, 80, 3, 1, False, "act"), (6, 112, 3, 1, True, "act"), (6, 112, 3, 1, True, "act"),
         (6, 160, "k", 2, True, "act"), (6, 160, "k", 1, True, "act"), (6, 160, "k", 1, True, "act"))
LAST_POINT = {"small": 1024, "large": 1280}
_BN = bn(momentum=0.999)


class _V3:
    def __init__(self, net: Net, minimalistic: bool):
        self.net, self.minimalistic = net, minimalistic

    def act(self, x: str, kind: str = "act") -> str:
        if kind == "relu" or self.minimalistic:
            return self.net.add("ReLU", {}, x)
        return self.net.add("Activation", {"activation": "hard_silu"}, x)  # as Keras stores "hard_swish"

    def hard_sigmoid(self, x: str) -> str:
        """Keras's ``ReLU(6.0)(x + 3.0) * (1.0 / 6.0)``: two recorded ops around a ReLU layer."""
        net = self.net
        x = net.add("ConstantOp", {"op": "add", "value": 3.0}, x, net.auto("ConstantOp", "add"))
        x = net.add("ReLU", {"max_value": 6.0}, x)
        return net.add("ConstantOp", {"op": "multiply", "value": 1.0 / 6.0}, x,
                       net.auto("ConstantOp", "multiply"))

    def block(self, x: str, expansion, filters: int, kernel: int, stride: int, se: bool, kind: str,
              block_id: int) -> str:
        net = self.net
        shortcut, cin = x, net.shape(x)[-1]
        prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
        channels = make_divisible(cin * expansion)
        if block_id:
            x = net.add("Conv2D", conv(channels, 1, padding="same", use_bias=False), x, f"{prefix}expand")
            x = net.add("BatchNormalization", _BN, x, f"{prefix}expand_bn")
            x = self.act(x, kind)
        dw = {"kernel_size": kernel, "use_bias": False}
        if stride == 2:
            pad = correct_pad(net.shape(x)[:2], kernel)
            x = net.add("ZeroPadding2D", {"padding": pad}, x, f"{prefix}depthwise_pad")
            dw["strides"] = 2
        else:
            dw["padding"] = "same"
        x = net.add("DepthwiseConv2D", dw, x, f"{prefix}depthwise")
        x = net.add("BatchNormalization", _BN, x, f"{prefix}depthwise_bn")
        x = self.act(x, kind)
        if se and not self.minimalistic:
            p = f"{prefix}squeeze_excite_"
            s = net.add("GlobalAveragePooling2D", {"keepdims": True}, x, f"{p}avg_pool")
            s = net.add("Conv2D", conv(make_divisible(channels * 0.25), 1, padding="same"), s, f"{p}conv")
            s = net.add("ReLU", {}, s, f"{p}relu")
            s = net.add("Conv2D", conv(channels, 1, padding="same"), s, f"{p}conv_1")
            x = net.add("Multiply", {}, [x, self.hard_sigmoid(s)], f"{p}mul")
        x = net.add("Conv2D", conv(filters, 1, padding="same", use_bias=False), x, f"{prefix}project")
        x = net.add("BatchNormalization", _BN, x, f"{prefix}project_bn")
        if stride == 1 and cin == filters:
            x = net.add("Add", {}, [shortcut, x], f"{prefix}add")
        return x


def build_mobilenet_v3(size="large", alpha=1.0, minimalistic="false", resolution=224, classes=1000,
                       dropout=0.2) -> Design:
    minimalistic = minimalistic in (True, "true")
    net = Net(f"MobileNetV3 {size}{' minimalistic' if minimalistic else ''} {alpha:g} {resolution}",
              resolution)
    v3 = _V3(net, minimalistic)
    k = 3 if minimalistic else 5
    with net.group("stem"):  # Keras's preprocessing, inside the model: [0, 255] → [-1, 1]
        x = net.add("Rescaling", {"scale": 1.0 / 127.5, "offset": -1.0}, net.input)
        x = net.add("Conv2D", conv(16, 3, strides=2, padding="same", use_bias=False), x, "conv")
        x = net.add("BatchNormalization", _BN, x, "conv_bn")
        x = v3.act(x)
    for block_id, (t, f, kernel, s, se, kind) in enumerate(SMALL if size == "small" else LARGE):
        with net.group(f"expanded_conv_{block_id}" if block_id else "expanded_conv"):
            x = v3.block(x, t, make_divisible(f * alpha), k if kernel == "k" else kernel, s, se, kind, block_id)
    last_point = LAST_POINT[size] if alpha <= 1.0 else make_divisible(LAST_POINT[size] * alpha)
    with net.group("top"):
        x = net.add("Conv2D", conv(make_divisible(net.shape(x)[-1] * 6), 1, padding="same", use_bias=False),
                    x, "conv_1")
        x = net.add("BatchNormalization", _BN, x, "conv_1_bn")
        x = v3.act(x)
        x = net.add("GlobalAveragePooling2D", {"keepdims": True}, x)
        x = net.add("Conv2D", conv(last_point, 1, padding="same"), x, "conv_2")
        x = v3.act(x)
        if dropout > 0:
            x = net.add("Dropout", {"rate": dropout}, x)
        x = net.add("Conv2D", conv(classes, 1, padding="same"), x, "logits")
        x = net.add("Flatten", {}, x)
        net.add("Activation", {"activation": "softmax"}, x, "predictions")
    return net.design


V3_DOC = """\
MobileNetV3-{Size} (Howard et al. 2019, Table {table}) layer for layer as
keras.applications.MobileNetV3{Size} builds it.
Structure (weights=None, input 224×224 by default): `stem` (Keras's preprocessing inside the
model, Rescaling x/127.5 − 1; 3×3/2 conv 16, BN, hard-swish); the bottlenecks `expanded_conv`,
`expanded_conv_1`… (1×1 expand, [ZeroPadding2D], depthwise, BN, activation, squeeze-and-excite,
linear 1×1 project, BN, residual Add where the shape allows); `top` (1×1 conv to 6× the last
channels, BN, activation, global pool, 1×1 conv `conv_2` to {last}, activation, Dropout, 1×1
`logits`, Flatten, softmax). Squeeze-and-excite gates with Keras's hard sigmoid, ReLU6(x + 3) ×
1/6, which Keras records as two operations on the tensor (`add`, `multiply`: ConstantOp nodes)
around an unnamed `ReLU(6.0)`. Hard-swish is Activation("hard_silu"), the name Keras stores for "hard_swish"; Keras's unnamed
activations keep its fresh-session names (`re_lu_3`, `activation_2`). Channels are
_depth(c·α) (a multiple of 8, never more than 10% down). `minimalistic`: 3×3 kernels, ReLU
everywhere, no squeeze-and-excite. At 224, α=1: {figures}"""

SMALL_DOC = V3_DOC.format(Size="Small", table=2, last=1024, figures="2,554,968 params (the paper: 2.5M), "
                          "56.5M mult-adds (the paper: 56M).")
LARGE_DOC = V3_DOC.format(Size="Large", table=1, last=1280, figures="5,507,432 params (the paper: 5.4M), "
                          "216.6M mult-adds (the paper: 219M).")
