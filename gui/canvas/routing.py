"""Where a forward wire runs when its S-curve would cut through a node it does not connect.

A skip wire (a residual Add fed from before the block, Inception's 1×1 branch into the concat,
a squeeze-and-excite multiply) spans several columns; drawn as one S-curve it crosses the
nodes of a neighbouring branch. Such a wire is given a lane: a horizontal run in a free band
over the columns it passes (``edge_item.free_band``), entered and left in the column gaps
next to its two ports. Wires that cut nothing keep their curve.

A ``NodeGrid`` (buckets of node rectangles the scene keeps up to date) answers "which nodes
are near this wire", so the cost per wire is a few rectangle tests, not one per node of the
design. (Qt's own item index is no help here: while a design is being built it is rebuilt on
every query, asking each item for its bounding rectangle.)
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from archcanvas.gui.canvas.edge_item import LANE_OUT, free_band, wire_path

CLEARANCE = 10.0  # a lane keeps this far from the nodes above and below it
SAMPLES = 32
REACH = 3000.0  # how far above or below the ends a lane is looked for
CELL = 512.0


class NodeGrid:
    """Node rectangles in square buckets, for "which nodes meet this point or rectangle"."""

    def __init__(self):
        self._boxes: dict[str, tuple[float, float, float, float]] = {}  # left, top, right, bottom
        self._cells: dict[tuple[int, int], set[str]] = {}

    @staticmethod
    def _span(box):
        for i in range(int(box[0] // CELL), int(box[2] // CELL) + 1):
            for j in range(int(box[1] // CELL), int(box[3] // CELL) + 1):
                yield i, j

    def put(self, node_id: str, rect: QRectF) -> None:
        self.drop(node_id)
        box = self._boxes[node_id] = (rect.left(), rect.top(), rect.right(), rect.bottom())
        for cell in self._span(box):
            self._cells.setdefault(cell, set()).add(node_id)

    def drop(self, node_id: str) -> None:
        old = self._boxes.pop(node_id, None)
        if old is not None:
            for cell in self._span(old):
                self._cells[cell].discard(node_id)

    def inside(self, x: float, y: float, ends=(), inset: float = 1.0) -> bool:
        """True when ``(x, y)`` lies inside a node other than ``ends`` (by more than ``inset``)."""
        for n in self._cells.get((int(x // CELL), int(y // CELL)), ()):
            l, t, r, b = self._boxes[n]
            if l + inset < x < r - inset and t + inset < y < b - inset and n not in ends:
                return True
        return False

    def meeting(self, rect: QRectF, ends=()) -> list[tuple[float, float, float, float]]:
        """The boxes of the nodes (other than ``ends``) that intersect ``rect``."""
        box = (rect.left(), rect.top(), rect.right(), rect.bottom())
        ids: set[str] = set()
        for cell in self._span(box):
            ids |= self._cells.get(cell, set())
        ids.difference_update(ends)
        return [b for b in (self._boxes[n] for n in ids)
                if b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3]]


def cuts(path, grid: NodeGrid, ends=()) -> bool:
    """True when some point along ``path`` lies inside a node other than ``ends``."""
    for k in range(SAMPLES + 1):
        p = path.pointAtPercent(k / SAMPLES)
        if grid.inside(p.x(), p.y(), ends):
            return True
    return False


def forward_lane(grid: NodeGrid, ends, p0: QPointF, p1: QPointF) -> float | None:
    """The y of a lane for the wire ``p0`` -> ``p1`` (between the nodes ``ends``), or None
    when its plain curve is clear."""
    path = wire_path(p0, p1)
    bounds = path.boundingRect()
    small = bounds.width() * bounds.height() <= 16 * CELL * CELL
    if small and not grid.meeting(bounds, ends) or not cuts(path, grid, ends):
        return None  # (most wires: between neighbouring columns, with nothing in their way)
    x0, x1 = sorted((p0.x() + LANE_OUT, p1.x() - LANE_OUT))
    lo, hi = min(p0.y(), p1.y()), max(p0.y(), p1.y())
    strip = QRectF(x0 - 1, lo - REACH, x1 - x0 + 2, hi - lo + 2 * REACH)
    blocked = [(b[1] - CLEARANCE, b[3] + CLEARANCE) for b in grid.meeting(strip, ends)]
    return free_band(p0.y(), p1.y(), blocked)
