"""Exports of a design: runnable PyTorch and Keras code, figures, and graph files.

``export(design, fmt)`` returns the file's text (or bytes for png and pdf); it raises
``ExportError`` whose ``lines`` name every node that stops it. Nothing here imports torch,
Keras or Qt: the code is written as text, and png/pdf go through the renderer the desktop
package registers (``figure.set_rasterizer``).
"""

from __future__ import annotations

from ..design import Design
from .common import ExportError, make_plan

TEXT_FORMATS = ("pytorch", "keras", "svg", "dot", "graphml")
FORMATS = ("pytorch", "keras", "svg", "pdf", "png", "dot", "graphml")
SUFFIX = {"pytorch": ".py", "keras": ".py", "svg": ".svg", "pdf": ".pdf", "png": ".png",
          "dot": ".dot", "graphml": ".graphml"}


def export(design: Design, fmt: str):
    plan = make_plan(design)
    if fmt == "pytorch":
        from .torch_code import torch_source
        return torch_source(plan)
    if fmt == "keras":
        from .keras_code import keras_source
        return keras_source(plan)
    if fmt in ("dot", "graphml"):
        from .graph_files import dot, graphml
        return dot(plan) if fmt == "dot" else graphml(plan)
    from .figure import rasterize, svg
    text = svg(plan)
    return text if fmt == "svg" else rasterize(text, fmt)


__all__ = ["export", "ExportError", "FORMATS", "TEXT_FORMATS", "SUFFIX"]
