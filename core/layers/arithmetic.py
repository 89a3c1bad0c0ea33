"""Arithmetic with a constant, as Keras 3 records ``x + 3.0`` or ``x * (1/6)`` on a tensor.

Keras stores such an expression as a call of an operation of ``keras.ops`` (class ``Add``,
``Multiply``… of ``keras.src.ops.numpy``) whose arguments are the tensor and the constant, in
the order written: ``3.0 - x`` is Subtract(3.0, x). ``ConstantOp`` keeps exactly that: the op,
the constant, and whether the constant came first. MobileNetV3's hard sigmoid is
``ReLU(max_value=6)(x + 3) * (1/6)``.
"""

from __future__ import annotations

from math import prod

from .spec import Attr, Cost, LayerType

# keras.ops function names; each is one FLOP per element
OPS = ("add", "subtract", "multiply", "divide", "power", "maximum", "minimum")
_SYMBOL = {"add": "+", "subtract": "−", "multiply": "×", "divide": "÷", "power": "^"}


def _summary(a) -> str:
    c = f"{a['value']:g}"
    sym = _SYMBOL.get(a["op"])
    if sym is None:
        return f"{a['op']}({c}, x)" if a["reverse"] else f"{a['op']}(x, {c})"
    return f"{c} {sym} x" if a["reverse"] else f"x {sym} {c}"


CONSTANT_OP = LayerType(
    name="ConstantOp",
    category="Arithmetic",
    doc="x with a constant: x + c, x · c, c − x … (Keras 3 records `x + 3.0` as keras.ops.add(x, 3.0)).",
    attrs=(Attr("op", "choice", doc="the keras.ops function", choices=OPS, initial="add"),
           Attr("value", "float", doc="the constant", initial=1.0),
           Attr("reverse", "bool", False, "the constant comes first: c − x, c ÷ x")),
    shape=lambda ins, a: ins[0],
    cost=lambda ins, out, a: Cost(extra_flops=prod(out)),
    summary=_summary,
)

LAYERS = (CONSTANT_OP,)
