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
    """Node rectangles in square buckets, for "which nodes meet this rectangle"."""

    def __init__(self):
        self._rects: dict[str, QRectF] = {}
        self._cells: dict[tuple[int, int], set[str]] = {}

    @staticmethod
    def _span(rect: QRectF):
        for i in range(int(rect.left() // CELL), int(rect.right() // CELL) + 1):
            for j in range(int(rect.top() // CELL), int(rect.bottom() // CELL) + 1):
                yield i, j

    def put(self, node_id: str, rect: QRectF) -> None:
        self.drop(node_id)
        self._rects[node_id] = QRectF(rect)
        for cell in self._span(rect):
            self._cells.setdefault(cell, set()).add(node_id)

    def drop(self, node_id: str) -> None:
        old = self._rects.pop(node_id, None)
        if old is not None:
            for cell in self._span(old):
                self._cells[cell].discard(node_id)

    def meeting(self, rect: QRectF, ends=()) -> list[QRectF]:
        """The rectangles of the nodes (other than ``ends``) that intersect ``rect``."""
        ids: set[str] = set()
        for cell in self._span(rect):
            ids |= self._cells.get(cell, set())
        ids.difference_update(ends)
        return [r for r in (self._rects[n] for n in ids) if r.intersects(rect)]


def cuts(path, rects: list[QRectF]) -> bool:
    """True when some point along ``path`` lies inside one of ``rects``."""
    for k in range(SAMPLES + 1):
        p = path.pointAtPercent(k / SAMPLES)
        if any(r.contains(p) for r in rects):
            return True
    return False


def forward_lane(grid: NodeGrid, ends, p0: QPointF, p1: QPointF) -> float | None:
    """The y of a lane for the wire ``p0`` -> ``p1`` (between the nodes ``ends``), or None
    when its plain curve is clear."""
    near = grid.meeting(wire_path(p0, p1).boundingRect(), ends)
    if not near or not cuts(wire_path(p0, p1), [r.adjusted(1, 1, -1, -1) for r in near]):
        return None
    x0, x1 = sorted((p0.x() + LANE_OUT, p1.x() - LANE_OUT))
    lo, hi = min(p0.y(), p1.y()), max(p0.y(), p1.y())
    strip = QRectF(x0 - 1, lo - REACH, x1 - x0 + 2, hi - lo + 2 * REACH)
    blocked = [(r.top() - CLEARANCE, r.bottom() + CLEARANCE) for r in grid.meeting(strip, ends)]
    return free_band(p0.y(), p1.y(), blocked)
