"""A collapsed group on the canvas: one node-sized card with the block's name, its totals and
its output shape; the wires of its members end on it.

Like ``NodeItem`` it only draws: the scene hands it its texts (``set_texts``) and places it; the
members stay where the design has them, hidden. The ▸ in the header (``toggle_rect``) and a
double-click expand it again (the scene handles both).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle

from archcanvas.gui.canvas.node_item import HEADER, PORT_R, RADIUS, node_size, output_port_pos
from archcanvas.gui.theme.canvas import theme

SIZE = node_size(0)  # a collapsed block takes a node's place in the layout
STACK = 4.0  # the cards drawn behind, offset, say "more than one layer"
TOGGLE = 22.0
LOD_FAR = 0.6  # below this zoom the lines would be unreadable: the name alone, sized for the screen
NAME_SCREEN_PX = 11.0


class CollapsedItem(QGraphicsItem):
    Type = QGraphicsItem.UserType + 11

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.lines: tuple[str, ...] = ()
        self.count = ""
        self.failed = False
        self._fonts: tuple[QFont, QFont, QFont] | None = None

    def type(self) -> int:
        return self.Type

    def set_texts(self, count: str, lines, failed: bool = False) -> None:
        """``count``: "7 layers"; ``lines``: output shape, params, MACs (or the problem)."""
        lines = tuple(lines)
        if (count, lines, failed) != (self.count, self.lines, self.failed):
            self.count, self.lines, self.failed = count, lines, failed
            self.update()

    def restyle(self) -> None:
        self.update()

    # geometry (item coordinates; the scene places the item's top-left) ---------------------------
    # at the height of a one-input node's ports, so a chain of cards and layers wires straight
    @staticmethod
    def input_anchor() -> QPointF:
        return QPointF(0.0, output_port_pos(0).y())

    @staticmethod
    def output_anchor() -> QPointF:
        return QPointF(SIZE[0], output_port_pos(0).y())

    @staticmethod
    def body_rect() -> QRectF:
        return QRectF(0.0, 0.0, *SIZE)

    @staticmethod
    def toggle_rect() -> QRectF:
        return QRectF(0.0, 0.0, TOGGLE, HEADER)

    def boundingRect(self) -> QRectF:
        return self.body_rect().adjusted(-PORT_R - 2, -3, 2 * STACK + PORT_R + 2, 2 * STACK + 3)

    # painting ----------------------------------------------------------------------------------
    def _font_set(self):
        if self._fonts is None:
            title = QFont()
            title.setPixelSize(13)
            title.setWeight(QFont.Weight.DemiBold)
            body = QFont()
            body.setPixelSize(12)
            small = QFont()
            small.setPixelSize(11)
            self._fonts = (title, body, small)
        return self._fonts

    def _paint_far(self, painter: QPainter, rect: QRectF, lod: float) -> None:
        """Zoomed out: a tinted card with the block's name as large as fits (it may break after
        an underscore), so a design viewed collapsed by stage reads at fit zoom."""
        t = theme()
        tint = QColor(t.group_border)
        tint.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), RADIUS, RADIUS)
        box = rect.adjusted(6, 4, -6, -4)
        text = self.name.replace("_", "_\u200b").replace("/", "/\u200b")  # may break after these
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        font = QFont(self._font_set()[0])
        px = max(8, round(NAME_SCREEN_PX / max(lod, 0.05)))
        while True:
            font.setPixelSize(px)
            used = QFontMetricsF(font).boundingRect(box, flags, text)
            if px <= 8 or (used.width() <= box.width() and used.height() <= box.height()):
                break
            px -= 1
        if used.width() > box.width():  # one unbreakable word still too wide: elide its middle
            text = QFontMetricsF(font).elidedText(self.name, Qt.TextElideMode.ElideMiddle, box.width())
        painter.setFont(font)
        painter.setPen(QColor(t.error if self.failed else t.text))
        painter.drawText(box, flags, text)

    def paint(self, painter: QPainter, option, widget=None):
        t = theme()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = self.body_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        back = QColor(t.node_fill)
        for k in (2, 1):  # a stack of cards: this is a block, not one layer
            painter.setPen(QPen(QColor(t.group_border), 1.0))
            painter.setBrush(back)
            painter.drawRoundedRect(rect.translated(k * STACK, k * STACK), RADIUS, RADIUS)
        painter.setBrush(back)
        pen = QPen(QColor(t.selection), 2.2) if selected else QPen(
            QColor(t.error if self.failed else t.group_border), 2.0 if self.failed else 1.4)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < LOD_FAR:
            pen.setWidthF(pen.widthF() / max(lod, 0.1) * 0.6)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
        if lod < LOD_FAR:
            self._paint_far(painter, rect, lod)
            return
        band = QColor(t.group_border)
        band.setAlpha(60)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(band)
        painter.drawRoundedRect(QRectF(1, 1, rect.width() - 2, HEADER - 1), RADIUS - 1, RADIUS - 1)
        title, body, small = self._font_set()
        painter.setPen(QColor(t.group_text))
        painter.setFont(title)
        painter.drawText(self.toggle_rect(), Qt.AlignmentFlag.AlignCenter, "▸")
        count_w = QFontMetricsF(small).horizontalAdvance(self.count) + 8
        room = QRectF(TOGGLE - 2, 0, rect.width() - TOGGLE - count_w - 4, HEADER)
        name = QFontMetricsF(title).elidedText(self.name, Qt.TextElideMode.ElideMiddle, room.width())
        painter.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        painter.setFont(small)
        painter.setPen(QColor(t.subtext))
        painter.drawText(QRectF(rect.width() - count_w - 4, 0, count_w, HEADER),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.count)
        y = HEADER + 6
        for i, line in enumerate(self.lines[:3]):
            font = body if i == 0 else small
            painter.setFont(font)
            painter.setPen(QColor(t.error if self.failed else (t.shape_text if i == 0 else t.subtext)))
            metrics = QFontMetricsF(font)
            text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width() - 20)
            painter.drawText(QRectF(10, y, rect.width() - 20, 17),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            y += 19
        painter.setPen(QPen(QColor(t.port_border), 1.6))  # where the block's wires end
        painter.setBrush(QColor(t.port_border))
        for p in (self.input_anchor(), self.output_anchor()):
            painter.drawEllipse(p, PORT_R, PORT_R)
