"""The node-editor canvas: ``CanvasView(document)`` owns a ``CanvasScene`` that draws the design.

    view = CanvasView(document)
    view.scene().message.connect(status_bar.showMessage)     # refused wires and the like
    view.drop_requested.connect(place_from_palette)          # (mime text, scene position)
    view.fit(); view.center_on("conv2d"); view.scene_center()

Palette drags carry ``MIME`` with text such as ``layer:Conv2D``, ``block:inception``,
``template:googlenet``.
"""

from archcanvas.gui.canvas.scene import CanvasScene
from archcanvas.gui.canvas.view import MIME, CanvasView

__all__ = ["CanvasScene", "CanvasView", "MIME"]
