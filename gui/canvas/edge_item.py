"""A wire between an output port and an input port, drawn as a horizontal bezier.

Like the nodes it only draws: the scene gives it its two end points and its state.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem

from archcanvas.gui.theme.canvas import theme

HIT_WIDTH = 10.0


def wire_path(p0: QPointF, p1: QPointF, lane: float | None = None) -> QPainterPath:
    """An S-curve leaving ``p0`` to the right and entering ``p1`` from the left.

    A wire running backwards (to a node further left, e.g. the next row of a wrapped layout)
    runs along ``lane``, a free horizontal band the scene found between the rows, so it never
    crosses a row of nodes; without a lane it keeps its handles short (a gentle diagonal).
    A forward wire whose S-curve would cut through a node (a skip wire past a neighbouring
    branch) is given a lane too, and runs along it the same way."""
    span = p1.x() - p0.x()
    if lane is not None:
        return _lane_path(p0, p1, lane)
    dx = max(40.0, span * 0.5) if span >= 0 else min(120.0, 40.0 + abs(p1.y() - p0.y()) * 0.25)
    path = QPainterPath(p0)
    path.cubicTo(QPointF(p0.x() + dx, p0.y()), QPointF(p1.x() - dx, p1.y()), p1)
    return path


LANE_OUT = 24.0  # how far a lane wire runs out of its port before it turns


def _lane_path(p0: QPointF, p1: QPointF, lane: float) -> QPainterPath:
    right, left = p0.x() + LANE_OUT, p1.x() - LANE_OUT
    corners = [QPointF(right, p0.y()), QPointF(right, lane), QPointF(left, lane), QPointF(left, p1.y())]
    points = [p0, *corners, p1]
    path = QPainterPath(p0)
    for i in range(1, len(points) - 1):
        a, b, c = points[i - 1], points[i], points[i + 1]
        r = min(12.0, _dist(a, b) / 2, _dist(b, c) / 2)
        path.lineTo(_toward(b, a, r))
        path.quadTo(b, _toward(b, c, r))
    path.lineTo(p1)
    return path


def _dist(a: QPointF, b: QPointF) -> float:
    return abs(a.x() - b.x()) + abs(a.y() - b.y())  # the segments are axis-parallel


def _toward(b: QPointF, a: QPointF, r: float) -> QPointF:
    d = _dist(a, b) or 1.0
    return QPointF(b.x() + (a.x() - b.x()) * r / d, b.y() + (a.y() - b.y()) * r / d)


def free_lane(y0: float, y1: float, blocked: list[tuple[float, float]]) -> float | None:
    """The middle of the free band between ``y0`` and ``y1`` (not inside any ``blocked``
    interval) nearest their midpoint, or None when every y in between is blocked."""
    lo, hi = min(y0, y1), max(y0, y1)
    gaps, cursor = [], lo
    for a, b in sorted(blocked):
        if a > cursor:
            gaps.append((cursor, min(a, hi)))
        cursor = max(cursor, b)
        if cursor >= hi:
            break
    if cursor < hi:
        gaps.append((cursor, hi))
    gaps = [(a, b) for a, b in gaps if b - a >= 8.0 and a > lo and b < hi]
    if not gaps:
        return None
    mid = (lo + hi) / 2
    a, b = min(gaps, key=lambda g: (abs((g[0] + g[1]) / 2 - mid), -(g[1] - g[0])))
    return (a + b) / 2


def free_band(y0: float, y1: float, blocked: list[tuple[float, float]], clear: float = 16.0) -> float:
    """A y for a horizontal run that no ``blocked`` interval contains, nearest the middle of
    ``y0``..``y1``: the middle of a gap between intervals, or ``clear`` above or below them all.

    Unlike ``free_lane`` the run may leave the band between the two ends (a skip wire between
    two nodes on one row has no band between them: it goes over or under what it skips)."""
    merged: list[list[float]] = []
    for a, b in sorted(blocked):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    mid = (y0 + y1) / 2
    if not merged:
        return mid
    candidates = [merged[0][0] - clear, merged[-1][1] + clear]
    candidates += [(a[1] + b[0]) / 2 for a, b in zip(merged, merged[1:]) if b[0] - a[1] >= 8.0]
    inside = [y for y in candidates if min(y0, y1) <= y <= max(y0, y1)]
    return min(inside or candidates, key=lambda y: abs(y - mid))


class EdgeItem(QGraphicsItem):
    Type = QGraphicsItem.UserType + 2

    def __init__(self, key: tuple[str, str, int] | None = None):
        super().__init__()
        # not Qt-selectable: a rubber band over a region must not pick up the wires crossing it;
        # the scene picks a wire on click and tells it with set_picked
        self.key = key  # (source, target, port); None for the rubber wire being dragged
        self.picked = False
        self.emphasis = False  # a wire of a selected node
        self.setZValue(0)
        self.state = "ok"  # ok | blocked | dragging | valid | invalid
        self._path = QPainterPath()
        self._hit: QPainterPath | None = QPainterPath()  # made on the first hit test, not per route
        self._bounds = QRectF()
        self.ends: tuple[float, float, float, float, float | None] | None = None  # p0, p1 and lane
        self.given = None  # what the router decided its route from besides its ends (see router.py)

    def type(self) -> int:
        return self.Type

    def set_endpoints(self, p0: QPointF, p1: QPointF, lane: float | None = None,
                      path: QPainterPath | None = None) -> None:
        """``path``: ``wire_path(p0, p1, lane)`` when the caller already made it (routing does)."""
        self.prepareGeometryChange()
        self._path = wire_path(p0, p1, lane) if path is None else path
        self.ends = (p0.x(), p0.y(), p1.x(), p1.y(), lane)
        self._hit = None  # undoing a delete of 5,000 layers routes 6,000 wires; few are ever hit-tested
        self._bounds = self._path.boundingRect().adjusted(-4, -4, 4, 4)
        self.update()

    def path(self) -> QPainterPath:
        return QPainterPath(self._path)

    def revive(self) -> None:
        """Back from the scene's keeping (an undo put the wire back): neither picked nor emphasized."""
        self.set_picked(False)
        self.set_emphasis(False)

    def set_picked(self, picked: bool) -> None:
        if picked != self.picked:
            self.picked = picked
            self.setZValue(0.5 if picked else 0)
            self.update()

    def set_emphasis(self, on: bool) -> None:
        if on != self.emphasis:
            self.emphasis = on
            self.update()

    def midpoint(self) -> QPointF:
        return self._path.pointAtPercent(0.5)

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def restyle(self) -> None:
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._hit is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(HIT_WIDTH)
            self._hit = stroker.createStroke(self._path)
        return self._hit

    def paint(self, painter, option, widget=None):
        t = theme()
        selected = self.picked
        state = self.state
        colour = getattr(t, _COLOUR_OF[state])
        if selected or (self.emphasis and state == "ok"):
            colour = t.edge_selected
        # zoomed out: a cosmetic pen, which stays a visible hairline instead of fading away
        far = option.levelOfDetailFromTransform(painter.worldTransform()) < 0.5
        painter.setRenderHint(_ANTIALIASING)
        painter.setPen(_pen(colour, selected, far, state in _DASHED))
        painter.setBrush(_NO_BRUSH)
        painter.drawPath(self._path)


# Every repaint draws every wire in view (5,000 at a big design's fit zoom): its pen is made once
# per look, and PySide's enum members are looked up once, not per wire.
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_NO_BRUSH = Qt.BrushStyle.NoBrush
_DASHED = frozenset(("blocked", "dragging", "invalid"))
_COLOUR_OF = {"ok": "edge", "blocked": "edge_blocked", "dragging": "edge", "valid": "wire_ok", "invalid": "error"}


@lru_cache(maxsize=None)  # a handful of looks in all (shared pens: never changed by a caller)
def _pen(colour: str, selected: bool, far: bool, dashed: bool) -> QPen:
    pen = QPen(QColor(colour), 3.0 if selected else 2.0)
    if far:
        pen.setCosmetic(True)
        pen.setWidthF(1.5 if selected else 1.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen
