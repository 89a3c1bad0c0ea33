"""The labelled frame drawn behind the nodes of one group (a block such as ``inception_3a``).

The scene sets its rectangle from the member nodes' positions; dragging the frame moves the
whole group, and the ▾ before the title (``toggle_rect``) collapses it (the scene handles both).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from archcanvas.gui.theme.canvas import color, theme

MARGIN = 18.0
LABEL_H = 24.0
# the tallest title (px in the scene): zoomed out it grows up from the frame's label band into
# the gap the layout leaves between rows, short of the row above
TITLE_MAX = 64
TOGGLE_W = 18.0  # the ▾ before the title


class GroupItem(QGraphicsItem):
    Type = QGraphicsItem.UserType + 3

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.setZValue(-1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._rect = QRectF()
        self._font = None

    def type(self) -> int:
        return self.Type

    def set_members_rect(self, rect: QRectF) -> None:
        """The union of the member nodes' rectangles, in scene coordinates."""
        frame = rect.adjusted(-MARGIN, -MARGIN - LABEL_H, MARGIN, MARGIN)
        if frame != self._rect:
            self.prepareGeometryChange()
            self._rect = frame
            self.update()

    def frame_rect(self) -> QRectF:
        return QRectF(self._rect)

    def toggle_rect(self) -> QRectF:
        """The ▾ at the left of the label band, in scene coordinates: a click collapses the group."""
        return QRectF(self._rect.left() + 8, self._rect.top() + 2, TOGGLE_W, LABEL_H - 2)

    def restyle(self) -> None:
        self.update()

    def boundingRect(self) -> QRectF:
        # room above the frame for the title grown when zoomed out
        return self._rect.adjusted(-5, -1.3 * TITLE_MAX, 5, 1)

    def shape(self) -> QPainterPath:
        # only the label band grabs the mouse: clicks between member nodes still start a rubber band
        path = QPainterPath()
        path.addRect(QRectF(self._rect.left(), self._rect.top(), self._rect.width(), LABEL_H + 4))
        return path

    def title_font(self, lod: float) -> QFont:
        """The title's font at zoom ``lod``: zoomed out it grows to stay readable on screen, but
        never taller than the gap between two rows of the layout, so it never prints over a node."""
        if self._font is None:
            self._font = QFont()
            self._font.setPixelSize(13)
            self._font.setWeight(QFont.Weight.DemiBold)
        if lod >= 0.9:
            return self._font
        font = QFont(self._font)
        font.setPixelSize(max(13, min(TITLE_MAX, round(12 / max(lod, 0.02)))))
        return font

    def title_rect(self, lod: float) -> QRectF:
        """Where the title's text lands, in scene coordinates, at zoom ``lod``."""
        band = self._rect.adjusted(10 + TOGGLE_W, 4, -14, 0)
        font = self.title_font(lod)
        metrics = QFontMetricsF(font)
        text = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, band.width())
        top = band.top()
        if font is not self._font:  # grown: its foot stays just above the member nodes
            top = min(top, self._rect.top() + MARGIN + LABEL_H - 4 - metrics.height())
        return QRectF(band.left(), top, min(band.width(), metrics.horizontalAdvance(text)), metrics.height())

    def paint(self, painter, option, widget=None):
        t = theme()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        pen = QPen(QColor(t.group_border), 1.2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(color(t.group_fill))
        painter.drawRoundedRect(self._rect, 12, 12)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        font = self.title_font(lod)
        band = self.title_rect(lod)
        text = QFontMetricsF(font).elidedText(self.name, Qt.TextElideMode.ElideRight, band.width() + 1)
        painter.setFont(font)
        if font is not self._font:
            back = QColor(t.background)
            back.setAlpha(210)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(back)
            painter.drawRoundedRect(band.adjusted(-4, 0, 4, 0), 4, 4)
        painter.setPen(QColor(t.group_text))
        painter.drawText(band.adjusted(0, 0, 1, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
        painter.setFont(self.title_font(1.0))
        painter.drawText(self.toggle_rect(), Qt.AlignmentFlag.AlignCenter, "▾")
