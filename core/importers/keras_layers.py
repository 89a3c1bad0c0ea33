"""One Keras layer (or Keras 3 op, or tf.keras 2 ``TFOpLambda``) as an ArchCanvas layer type and attributes.

The table is the catalogue itself: our layer types carry Keras's class names and attribute names,
so a class found in ``layers.REGISTRY`` converts by copying the configuration keys its type
declares, and a type added to the catalogue imports with no edit here. Below that sit the few
conversions the names alone do not give (InputLayer's batch shape, ``ReLU(max_value=6)`` while
the catalogue has no ReLU, ops on tensors). A configuration key that changes what the layer
computes but that our type cannot express (``data_format="channels_first"``) is refused, never
dropped.
"""

from __future__ import annotations

from .. import layers
from ..layers.spec import ACTIVATIONS


class Unsupported(Exception):
    """This layer cannot be imported; the message says why (without the layer's name)."""


# Keys whose non-default values change the computation but which no layer type declares.
_MUST_BE = {
    "data_format": (None, "channels_last"),
    "depth_multiplier_axis": (None,),
}
# Keys Keras writes that never change shapes or counts (initializers, regularizers, dtypes…) are
# simply not attributes; anything else unknown is ignored only if listed in _MUST_BE's checks.
_ACTIVATION_ALIASES = {"swish": "swish", "silu": "silu", "relu6": "relu6", "hard_silu": "hard_swish",
                       "hard_swish": "hard_swish", "leaky_relu": "leaky_relu", "gelu": "gelu"}


def convert(class_name: str, config: dict, n_inputs: int, constants: list) -> tuple[str, dict]:
    """``(type_name, attrs)`` for a layer of ``class_name`` with ``config``, called on ``n_inputs``
    tensors and the numeric ``constants`` of its call; raises ``Unsupported``."""
    special = _SPECIAL.get(class_name)
    if special is not None and (class_name not in layers.REGISTRY or special[1]):
        return special[0](config, n_inputs, constants)
    layer = layers.REGISTRY.get(class_name)
    if layer is None or class_name == "Input":
        raise Unsupported(f"ArchCanvas has no {class_name} layer")
    if constants:
        raise Unsupported(f"a {class_name} applied to a constant cannot be imported")
    return class_name, copy_attrs(layer, config)


def copy_attrs(layer, config: dict) -> dict:
    for key, allowed in _MUST_BE.items():
        if config.get(key) not in allowed:
            raise Unsupported(f"{key}={config.get(key)!r} is not supported (channels-last only)")
    out = {}
    for name in layer.attr_index:
        if name in config:
            out[name] = _plain(config[name])
    if "activation" in out:
        out["activation"] = activation_name(out["activation"])
    if "axis" in out and isinstance(out["axis"], list):
        if not out["axis"] and layer.attr_index["axis"].kind == "axes_or_none":
            out["axis"] = None  # Keras saves Normalization(axis=None) as axis []
        elif len(out["axis"]) != 1:
            raise Unsupported(f"axis {out['axis']} (several axes) is not supported")
        else:
            out["axis"] = out["axis"][0]
    return out


def activation_name(value):
    """Keras's activation setting as one of our names: a string, or Keras 3's serialized function."""
    if isinstance(value, dict):  # {"module": "keras.activations", "class_name": "function", "config": "relu"}
        inner = value.get("config")
        value = inner if isinstance(inner, str) else value.get("class_name")
    if value is None:
        return None
    name = _ACTIVATION_ALIASES.get(str(value), str(value))
    if name not in ACTIVATIONS:
        raise Unsupported(f"activation {value!r} is not one ArchCanvas knows")
    return name


def _plain(v):
    if isinstance(v, dict) and v.get("class_name") == "__tuple__":  # Keras 3 serializes tuples so
        v = v.get("config", {}).get("value")
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def input_shape(config: dict):
    """The batch-less shape of an InputLayer (or a first layer's ``batch_input_shape``), or None."""
    for key in ("batch_shape", "batch_input_shape"):
        shape = config.get(key)
        if shape is not None:
            return _plain(shape)[1:]
    shape = config.get("input_shape") or config.get("shape")
    return None if shape is None else _plain(shape)


def fixed_shape(shape) -> list:
    if not shape or any(not isinstance(d, int) or isinstance(d, bool) or d < 1 for d in shape):
        raise Unsupported(f"input shape {shape} has unknown sizes; ArchCanvas needs a fixed input size")
    return list(shape)


def _input(config, n, constants):
    shape = input_shape(config)
    if shape is None:
        raise Unsupported("the input layer has no shape")
    return "Input", {"shape": fixed_shape(shape)}


def _relu(config, n, constants):
    if "ReLU" in layers.REGISTRY:
        return "ReLU", copy_attrs(layers.REGISTRY["ReLU"], config)
    slope = config.get("negative_slope", 0.0) or 0.0
    threshold = config.get("threshold", 0.0) or 0.0
    top = config.get("max_value")
    if slope == 0 and threshold == 0 and top in (None, 6, 6.0):
        return "Activation", {"activation": "relu" if top is None else "relu6"}
    raise Unsupported(f"ReLU(max_value={top}, negative_slope={slope}, threshold={threshold}) needs a ReLU layer type")


def _softmax(config, n, constants):
    if "Softmax" in layers.REGISTRY:
        return "Softmax", copy_attrs(layers.REGISTRY["Softmax"], config)
    if config.get("axis", -1) not in (-1, [-1]):
        raise Unsupported(f"Softmax over axis {config.get('axis')} needs a Softmax layer type")
    return "Activation", {"activation": "softmax"}


def _function_activation(name):
    def convert_op(config, n, constants, reverse=False):
        if constants or n != 1:
            raise Unsupported(f"{name} with extra arguments cannot be imported")
        return "Activation", {"activation": name}
    return convert_op


# Keras 3 ops on tensors (keras.src.ops.numpy / .nn) and tf.keras 2 TFOpLambda functions.
_OPS = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply", "maximum": "Maximum",
        "minimum": "Minimum", "divide": "Divide", "true_divide": "Divide", "truediv": "Divide"}


def _op(op: str):
    def convert_op(config, n, constants, reverse=False):
        if not constants:
            merge = _OPS[op]
            if merge not in layers.REGISTRY or n < 2:
                raise Unsupported(f"the op {op} on {n} tensors has no matching layer type")
            return merge, {}
        if n != 1 or len(constants) != 1:
            raise Unsupported(f"the op {op} on {n} tensors and {len(constants)} constants cannot be imported")
        return constant_op(op, constants[0], reverse)
    return convert_op


def constant_op(op: str, value, reverse: bool = False) -> tuple[str, dict]:
    """``x <op> value`` as the catalogue's arithmetic-with-a-constant type (a type declaring
    ``op`` and ``value`` attributes), found by its declaration rather than by name."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unsupported(f"the op {op} with the constant {value!r} (only a number) cannot be imported")
    for layer in layers.REGISTRY.values():
        index = layer.attr_index
        if "op" in index and "value" in index:
            choices = index["op"].choices
            for wanted in (op, {"divide": "truediv", "true_divide": "truediv"}.get(op, op)):
                if wanted in choices:
                    attrs = {"op": wanted, "value": value}
                    if reverse and op not in ("add", "multiply", "maximum", "minimum"):
                        if "reverse" not in index:
                            raise Unsupported(f"{value} {op} x (the constant first) cannot be imported")
                        attrs["reverse"] = True
                    return layer.name, attrs
            raise Unsupported(f"{layer.name} has no op {op!r} (it has {', '.join(map(str, choices))})")
    raise Unsupported(f"x {op} {value}: ArchCanvas has no layer type for arithmetic with a constant")


_TFOP_FUNCTIONS = {
    "__operators__.add": "add", "math.add": "add", "math.add_n": "add", "__operators__.sub": "subtract",
    "math.subtract": "subtract", "math.multiply": "multiply", "__operators__.mul": "multiply",
    "math.truediv": "truediv", "__operators__.truediv": "truediv", "math.maximum": "maximum",
    "math.minimum": "minimum",
}
_TFOP_ACTIVATIONS = {"nn.relu": "relu", "nn.relu6": "relu6", "math.sigmoid": "sigmoid", "nn.silu": "silu",
                     "nn.swish": "swish", "math.tanh": "tanh", "nn.softmax": "softmax", "nn.gelu": "gelu",
                     "nn.elu": "elu", "nn.selu": "selu", "math.softplus": "softplus"}


def _tfop(config, n, constants):
    function = config.get("function")
    if function in _TFOP_FUNCTIONS:
        return _op(_TFOP_FUNCTIONS[function])(config, n, constants)
    if function in _TFOP_ACTIVATIONS:
        return _function_activation(_TFOP_ACTIVATIONS[function])(config, n, constants)
    raise Unsupported(f"the TensorFlow op {function} has no matching layer type")


def _refuse(why: str):
    raise Unsupported(why)


# class name -> (converter, overrides the catalogue's own conversion)
_SPECIAL = {
    "InputLayer": (_input, True),
    "ReLU": (_relu, False),
    "Softmax": (_softmax, False),
    "TFOpLambda": (_tfop, True),
    "Lambda": (lambda c, n, k: _refuse("its function is Python code, which ArchCanvas never runs"), True),
    "SlicingOpLambda": (lambda c, n, k: _refuse("tensor slicing has no matching layer type"), True),
}
KERAS3_OPS = {"Add": _op("add"), "Subtract": _op("subtract"), "Multiply": _op("multiply"),
              "Divide": _op("divide"), "TrueDivide": _op("true_divide"), "Maximum": _op("maximum"),
              "Minimum": _op("minimum")}
for _name in ("Relu", "Relu6", "Sigmoid", "Tanh", "Silu", "Swish", "Gelu", "Elu", "Selu", "Softplus",
              "Softsign", "HardSigmoid", "HardSilu", "HardSwish", "LeakyRelu", "Softmax", "Exp"):
    _act = {"Relu": "relu", "Relu6": "relu6", "HardSigmoid": "hard_sigmoid", "HardSilu": "hard_swish",
            "HardSwish": "hard_swish", "LeakyRelu": "leaky_relu", "Exp": "exponential"}.get(_name, _name.lower())
    KERAS3_OPS[_name] = _function_activation(_act)


def convert_op(class_name: str, config: dict, n_inputs: int, constants: list,
               reverse: bool = False) -> tuple[str, dict]:
    """A Keras 3 op (module ``keras.src.ops.*``) recorded in a functional graph; ``reverse``: the
    constant is its first argument (``3.0 - x``)."""
    fn = KERAS3_OPS.get(class_name)
    if fn is None:
        raise Unsupported(f"the Keras op {class_name} has no matching layer type")
    return fn(config, n_inputs, constants, reverse=reverse)
