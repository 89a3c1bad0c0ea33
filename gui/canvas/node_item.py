"""A layer on the canvas. It only draws: the scene hands it texts, status and ports through
setters, and hit-tests its ports with ``port_at``; it never sees the design.

Geometry is a pure function of the number of input ports (``node_size``, ``input_port_pos``,
``output_port_pos``) so the scene can route wires without asking the items.

Zoomed in (``LOD_SIMPLE`` and closer, where its smallest text is still ~7.5 px on screen) a node
draws everything; further out it draws a plain box with the texts ``lod.fit_lines`` picks for
that zoom: the name, then the output shape, then the cost, as many as fit, never none.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem

from archcanvas.gui.canvas import lod as lod_text
from archcanvas.gui.text import short_name
from archcanvas.gui.theme.canvas import theme

WIDTH = 184.0
HEADER = 26.0
ROW = 17.0
PAD = 6.0
STRIP = 6.0
RADIUS = 8.0
PORT_R = 5.5
PORT_GAP = 18.0
PORT_HIT = 10.0      # how close the pointer must be to a port to grab it
LOD_SIMPLE = 0.68    # below this scale the 11 px texts would be under 7.5 px: plain boxes, fewer texts
BASE_BODY = 3 * ROW + 2 * PAD

OK, ERROR, BLOCKED, PENDING = "ok", "error", "blocked", "pending"


def node_size(n_inputs: int) -> tuple[float, float]:
    body = max(BASE_BODY, n_inputs * PORT_GAP + 2 * PAD)
    return WIDTH, HEADER + body + STRIP


def input_port_pos(n_inputs: int, port: int) -> QPointF:
    _, h = node_size(n_inputs)
    body = h - HEADER - STRIP
    top = HEADER + (body - n_inputs * PORT_GAP) / 2
    return QPointF(0.0, top + PORT_GAP * (port + 0.5))


def output_port_pos(n_inputs: int) -> QPointF:
    _, h = node_size(n_inputs)
    return QPointF(WIDTH, HEADER + (h - HEADER - STRIP) / 2)


class _Fonts:
    """Created on first paint: QFont needs a running QGuiApplication."""

    ready = False

    @classmethod
    def load(cls):
        if cls.ready:
            return cls
        base = QFont()
        base.setPixelSize(12)
        cls.title = QFont(base)
        cls.title.setPixelSize(13)
        cls.title.setWeight(QFont.Weight.DemiBold)
        cls.type = QFont(base)
        cls.type.setPixelSize(11)
        cls.body = base
        cls.shape = QFont(base)
        cls.shape.setPixelSize(12)
        cls.shape.setWeight(QFont.Weight.DemiBold)
        cls.small = QFont(base)
        cls.small.setPixelSize(11)
        cls.port = QFont(base)
        cls.port.setPixelSize(9)
        cls.icon = QFont(base)
        cls.icon.setPixelSize(11)
        cls.icon.setWeight(QFont.Weight.Bold)
        cls.ready = True
        return cls


def _share(room: float, title: float, type_: float) -> tuple[float, float]:
    """Split the header between the name and the type; the name keeps at least 55 %."""
    if title + type_ <= room:
        return room - type_, type_
    type_w = min(type_, max(room * 0.45, room - title))
    return room - type_w, type_w


def _wrap(text: str, metrics: QFontMetricsF, width: float, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines; the last one is elided if text is left."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return out


@lru_cache(maxsize=None)
def _pen(colour: str, width: float) -> QPen:
    """A frame pen, made once per colour and width (shared: never changed by a caller); the first
    paint of 5,000 layers, after a load or an undo, made 5,000 of them."""
    return QPen(QColor(colour), width)


def _bounds(size: tuple[float, float]) -> QRectF:
    w, h = size
    return QRectF(-PORT_R - 2, -2, w + 2 * PORT_R + 4, h + 7)


class NodeItem(QGraphicsItem):
    Type = QGraphicsItem.UserType + 1

    def __init__(self, node_id: str):
        super().__init__()
        self.node_id = node_id
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(1)
        self.title = node_id
        self.short_title = node_id  # the title without its group's prefix (the frame shows it)
        self.type_name = ""
        self.category = ""
        self.summary = ""
        self.shape_text = ""
        self.cost_text = ""
        self.status = PENDING
        self.message = ""
        self.heat = 0.0
        self.n_inputs = 0
        self.connected: frozenset[int] = frozenset()
        self.numbered = False
        self._hover: tuple[str, int] | None = None
        self._size = node_size(0)
        self._bounds = _bounds(self._size)

    def type(self) -> int:
        return self.Type

    # setters (the only way data comes in) -----------------------------------------------------
    def set_header(self, title: str, type_name: str, category: str, group: str | None = None) -> None:
        short = short_name(title, group)
        if (title, type_name, category, short) != (self.title, self.type_name, self.category, self.short_title):
            self.title, self.type_name, self.category, self.short_title = title, type_name, category, short
            self.update()

    def set_summary(self, text: str) -> None:
        if text != self.summary:
            self.summary = text
            self.update()

    def set_result(self, status: str, shape_text: str, cost_text: str, message: str = "") -> None:
        new = (status, shape_text, cost_text, message)
        if new != (self.status, self.shape_text, self.cost_text, self.message):
            self.status, self.shape_text, self.cost_text, self.message = new
            self.update()

    def set_heat(self, heat: float) -> None:
        heat = round(heat * 40) / 40  # coarse steps: a tiny change in the total repaints nothing
        if heat != self.heat:
            self.heat = heat
            self.update()

    def set_ports(self, n_inputs: int, connected, numbered: bool) -> bool:
        """Returns True when the node's size changed (the wires at it must be re-routed)."""
        connected = frozenset(connected)
        if (n_inputs, connected, numbered) == (self.n_inputs, self.connected, self.numbered):
            return False
        size = node_size(n_inputs)
        resized = size != self._size
        if resized:
            self.prepareGeometryChange()
            self._size = size
            self._bounds = _bounds(size)
        self.n_inputs, self.connected, self.numbered = n_inputs, connected, numbered
        self.update()
        return resized

    def restyle(self) -> None:
        self.update()

    def revive(self) -> None:
        """Back from the scene's keeping (an undo put the node back): as a new item starts."""
        self.setSelected(False)
        self.setVisible(True)
        if self._hover is not None:
            self._hover = None
            self.unsetCursor()

    # geometry and hit-testing ---------------------------------------------------------------
    def body_rect(self) -> QRectF:
        w, h = self._size
        return QRectF(0, 0, w, h)

    def boundingRect(self) -> QRectF:
        return self._bounds  # Qt asks for it again and again (index, paint, hit tests): made once per size

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.body_rect(), RADIUS, RADIUS)
        return path

    def port_at(self, local: QPointF) -> tuple[str, int] | None:
        """("in", port) or ("out", 0) for a point near a port, in item coordinates."""
        out = output_port_pos(self.n_inputs)
        if (local - out).manhattanLength() <= PORT_HIT * 1.4:
            return ("out", 0)
        for i in range(self.n_inputs):
            if (local - input_port_pos(self.n_inputs, i)).manhattanLength() <= PORT_HIT * 1.4:
                return ("in", i)
        return None

    def hoverMoveEvent(self, event):
        hover = self.port_at(event.pos())
        if hover != self._hover:
            self._hover = hover
            self.setCursor(Qt.CursorShape.CrossCursor if hover else Qt.CursorShape.ArrowCursor)
            self.update()

    def hoverLeaveEvent(self, event):
        if self._hover is not None:
            self._hover = None
            self.unsetCursor()
            self.update()

    # painting -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None):
        t = theme()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        rect = self.body_rect()
        accent = t.category(self.category)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.status == BLOCKED:
            painter.setOpacity(0.55)
        if lod < LOD_SIMPLE:
            self._paint_simple(painter, rect, accent, selected, 2 * STRIP)
            self._paint_lines(painter, rect, lod)
            return
        self._paint_frame(painter, rect, accent, selected)
        self._paint_texts(painter, rect)
        self._paint_heat(painter, rect)
        self._paint_ports(painter)

    def _border(self, selected: bool, scale: float = 1.0) -> QPen:
        """The frame's pen (shared: never changed by the caller), its width times ``scale``."""
        t = theme()
        if selected:
            return _pen(t.selection, 2.2 * scale)
        if self.status == ERROR:
            return _pen(t.error, 2.0 * scale)
        return _pen(t.node_border, 1.0 * scale)

    def _paint_simple(self, painter, rect, accent, selected, bar: float):
        t = theme()
        fill = QColor(accent)
        fill.setAlpha(110)
        painter.setBrush(fill)
        pen = self._border(selected, 2.5)
        painter.setPen(pen if selected or self.status == ERROR else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
        if self.heat > 0:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(t.heat(self.heat))
            painter.drawRect(QRectF(rect.left(), rect.bottom() - bar, rect.width() * self.heat, bar))

    def text_box(self) -> QRectF:
        """Where the zoomed-out texts go: the box, clear of its edge and of the cost bar."""
        return self.body_rect().adjusted(3, 2, -3, -2 * STRIP - 1)

    def texts_at(self, lod: float) -> tuple[tuple[str, int, bool], ...]:
        """The lines drawn zoomed out at ``lod``: ``(text, font px, bold)``, name first."""
        detail = {OK: (self.shape_text, self.cost_text), ERROR: ("⚠ has a problem", ""),
                  BLOCKED: ("not computed", "")}.get(self.status, ("", ""))
        box = self.text_box()
        return lod_text.fit_lines(self.short_title, *detail, box.width(), box.height(), lod_text.quantize(lod))

    def _paint_lines(self, painter, rect, lod: float) -> None:
        t = theme()
        lines = self.texts_at(lod)
        box = self.text_box()
        heights = [lod_text.line_height(px, bold) for _, px, bold in lines]
        y = box.top() + (box.height() - sum(heights)) / 2
        centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
        for (text, px, bold), h in zip(lines, heights):
            painter.setFont(lod_text.font(px, bold))
            painter.setPen(QColor(t.text if bold else t.subtext if self.status == OK else t.error
                                  if self.status == ERROR else t.blocked_text))
            painter.drawText(QRectF(box.left(), y, box.width(), h), centre, text)
            y += h

    def _paint_frame(self, painter, rect, accent, selected):
        t = theme()
        shadow = QColor(t.node_shadow)
        painter.setPen(Qt.PenStyle.NoPen)
        for grow, dy, alpha in ((0.0, 3.0, 16), (1.2, 1.5, 14)):
            shadow.setAlpha(alpha)
            painter.setBrush(shadow)
            painter.drawRoundedRect(rect.adjusted(-grow, dy - grow, grow, dy + grow), RADIUS + grow, RADIUS + grow)
        painter.setBrush(QColor(t.node_fill))
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
        outline = QPainterPath()
        outline.addRoundedRect(rect, RADIUS, RADIUS)
        band = QPainterPath()
        band.addRect(QRectF(rect.left(), rect.top(), rect.width(), HEADER))
        tint = QColor(accent)
        tint.setAlpha(t.header_tint)
        painter.setBrush(tint)
        painter.drawPath(outline.intersected(band))
        painter.setBrush(accent)
        painter.drawRoundedRect(QRectF(8, 9, 8, 8), 2.5, 2.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._border(selected))
        painter.drawRoundedRect(rect, RADIUS, RADIUS)

    def _paint_texts(self, painter, rect):
        t = theme()
        f = _Fonts.load()
        w = rect.width()
        right = w - 10
        icon_w = 20.0 if self.status == ERROR else 0.0
        title_m, type_m = QFontMetricsF(f.title), QFontMetricsF(f.type)
        room = right - 22 - 8 - icon_w
        type_adv = type_m.horizontalAdvance(self.type_name) + 1
        title = self.title
        if title_m.horizontalAdvance(title) + 1 + type_adv > room:
            # "inception_3…" on every node of a block says nothing; the frame names the block
            title = self.short_title
        title_w, type_w = _share(room, title_m.horizontalAdvance(title) + 1, type_adv)
        if self.status == ERROR:
            icon = QRectF(right - type_w - icon_w, (HEADER - 14) / 2, 14, 14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.error))
            painter.drawEllipse(icon)
            painter.setPen(QColor("#ffffff"))
            painter.setFont(f.icon)
            painter.drawText(icon, Qt.AlignmentFlag.AlignCenter, "!")
        painter.setFont(f.type)
        painter.setPen(QColor(t.subtext))
        painter.drawText(QRectF(right - type_w, 0, type_w, HEADER),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         type_m.elidedText(self.type_name, Qt.TextElideMode.ElideRight, type_w))
        painter.setFont(f.title)
        painter.setPen(QColor(t.text))
        painter.drawText(QRectF(22, 0, title_w, HEADER), Qt.AlignmentFlag.AlignVCenter,
                         title_m.elidedText(title, Qt.TextElideMode.ElideMiddle, title_w))

        x = 22.0 if self.numbered else 10.0
        text_w = w - x - 10
        body_top = HEADER + (rect.height() - HEADER - STRIP - BASE_BODY) / 2 + PAD
        rows = [QRectF(x, body_top + i * ROW, text_w, ROW) for i in range(3)]
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

        def line(r, font, colour, text):
            painter.setFont(font)
            painter.setPen(QColor(colour))
            painter.drawText(r, left, QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, r.width()))

        line(rows[0], f.body, t.text, self.summary or "—")
        if self.status == ERROR:
            for r, text in zip(rows[1:], _wrap(self.message, QFontMetricsF(f.small), text_w, 2)):
                line(r, f.small, t.error, text)
        elif self.status == BLOCKED:
            line(rows[1], f.shape, t.blocked_text, "not computed")
            line(rows[2], f.small, t.blocked_text, "an input has a problem")
        elif self.status == PENDING:
            line(rows[1], f.shape, t.blocked_text, "…")
        else:
            line(rows[1], f.shape, t.shape_text, self.shape_text)
            line(rows[2], f.small, t.subtext, self.cost_text)

    def _paint_heat(self, painter, rect):
        if self.status != OK:
            return
        t = theme()
        clip = QPainterPath()
        clip.addRoundedRect(rect, RADIUS, RADIUS)
        strip = QRectF(rect.left(), rect.bottom() - STRIP, rect.width(), STRIP)
        painter.save()
        painter.setClipPath(clip)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(t.heat_track))
        painter.drawRect(strip)
        if self.heat > 0:
            painter.setBrush(t.heat(self.heat))
            painter.drawRect(QRectF(strip.left(), strip.top(), max(3.0, strip.width() * self.heat), STRIP))
        painter.restore()

    def _paint_ports(self, painter):
        t = theme()
        f = _Fonts.load()
        ports = [(("in", i), input_port_pos(self.n_inputs, i), i in self.connected) for i in range(self.n_inputs)]
        ports.append((("out", 0), output_port_pos(self.n_inputs), True))
        for key, p, filled in ports:
            hover = key == self._hover
            painter.setPen(QPen(QColor(t.port_hover if hover else t.port_border), 1.6))
            painter.setBrush(QColor(t.port_hover if hover else t.port_border) if filled else QColor(t.port_fill))
            r = PORT_R + (1.5 if hover else 0)
            painter.drawEllipse(p, r, r)
            if self.numbered and key[0] == "in":
                painter.setFont(f.port)
                painter.setPen(QColor(t.subtext))
                painter.drawText(QRectF(p.x() + 7, p.y() - 7, 12, 14), Qt.AlignmentFlag.AlignCenter, str(key[1]))
