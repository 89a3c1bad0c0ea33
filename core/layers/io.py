"""Input: where a design starts."""

from __future__ import annotations

from ..shapes import fmt_shape
from .spec import Attr, LayerType

INPUT = LayerType(
    name="Input",
    category="Core",
    doc="The network's input tensor, batch excluded: [H, W, C] for images or [N] for vectors.",
    attrs=(Attr("shape", "shape", doc="input shape without the batch axis, e.g. [224, 224, 3]",
                initial=[224, 224, 3]),),
    shape=lambda ins, a: a["shape"],
    summary=lambda a: fmt_shape(a["shape"]),
    min_inputs=0,
    max_inputs=0,
)

LAYERS = (INPUT,)
