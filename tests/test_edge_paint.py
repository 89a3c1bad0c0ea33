"""A wire's pen: its state's colour, dashed where it is not a plain connection, a hairline when
zoomed out, wider when picked; and it follows the colour scheme (pens are made once per look)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from archcanvas.gui.canvas.edge_item import EdgeItem
from archcanvas.gui.theme.canvas import set_scheme, theme


def _pen(item: EdgeItem, scale: float):
    image = QImage(200, 100, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.scale(scale, scale)
    item.paint(painter, QStyleOptionGraphicsItem())
    pen = painter.pen()
    painter.end()
    return pen.color().name(), pen.widthF(), pen.isCosmetic(), pen.style()


@pytest.fixture
def wire(qapp):
    item = EdgeItem(("a", "b", 0))
    item.set_endpoints(QPointF(0, 0), QPointF(150, 60))
    yield item
    set_scheme("light")


def test_a_wires_pen_shows_its_state_zoom_and_pick(wire):
    t = theme()
    solid, dash = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine
    assert _pen(wire, 1.0) == (QColor(t.edge).name(), 2.0, False, solid)
    assert _pen(wire, 0.25) == (QColor(t.edge).name(), 1.0, True, solid)  # a hairline, zoomed out
    wire.set_state("blocked")
    assert _pen(wire, 1.0) == (QColor(t.edge_blocked).name(), 2.0, False, dash)
    wire.set_state("invalid")
    assert _pen(wire, 0.25) == (QColor(t.error).name(), 1.0, True, dash)
    wire.set_state("ok")
    wire.set_picked(True)
    assert _pen(wire, 1.0) == (QColor(t.edge_selected).name(), 3.0, False, solid)
    assert _pen(wire, 0.25) == (QColor(t.edge_selected).name(), 1.5, True, solid)
    wire.set_picked(False)
    wire.set_emphasis(True)  # a wire of a selected node
    assert _pen(wire, 1.0)[0] == QColor(t.edge_selected).name()


def test_a_wires_pen_follows_the_colour_scheme(wire):
    light = _pen(wire, 1.0)
    dark = set_scheme("dark")
    assert QColor(dark.edge).name() != light[0]
    assert _pen(wire, 1.0) == (QColor(dark.edge).name(), 2.0, False, Qt.PenStyle.SolidLine)
    set_scheme("light")
    assert _pen(wire, 1.0) == light
