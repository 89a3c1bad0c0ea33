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

from types import MappingProxyType
from typing import Mapping

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

from archcanvas.gui.canvas.edge_item import LANE_OUT

CLEARANCE = 10.0  # a lane keeps this far from the nodes above and below it
SAMPLES = 32
REACH = 3000.0  # how far above or below the ends a lane is looked for
CELL = 512.0


class NodeGrid:
    """Node rectangles in square buckets, for "which nodes meet this point or rectangle"."""

    def __init__(self):
        self._boxes: dict[str, tuple[float, float, float, float]] = {}  # left, top, right, bottom
        self._cells: dict[tuple[int, int], set[str]] = {}
        # per cell, the XOR of hash((id, box)) of the nodes in it: the same nodes, the same number,
        # in whatever order they came (an undo puts back what a delete took)
        self._sums: dict[tuple[int, int], int] = {}

    @staticmethod
    def _span(box):
        for i in range(int(box[0] // CELL), int(box[2] // CELL) + 1):
            for j in range(int(box[1] // CELL), int(box[3] // CELL) + 1):
                yield i, j

    @property
    def boxes(self) -> Mapping[str, tuple[float, float, float, float]]:
        """Each node's box, ``(left, top, right, bottom)``, read-only."""
        return MappingProxyType(self._boxes)

    def put(self, node_id: str, rect: QRectF) -> None:
        self.drop(node_id)
        box = self._boxes[node_id] = (rect.left(), rect.top(), rect.right(), rect.bottom())
        h, cells, sums = hash((node_id, box)), self._cells, self._sums
        for cell in self._span(box):
            cells.setdefault(cell, set()).add(node_id)
            sums[cell] = sums.get(cell, 0) ^ h

    def drop(self, node_id: str) -> None:
        old = self._boxes.pop(node_id, None)
        if old is not None:
            h, cells, sums = hash((node_id, old)), self._cells, self._sums
            for cell in self._span(old):
                cells[cell].discard(node_id)
                sums[cell] ^= h

    def stamp(self, rect: QRectF) -> tuple[int, ...]:
        """One number per cell that ``rect`` covers, telling which nodes are in it and where: the
        same stamp, the same nodes in ``rect`` (what a wire's lane was found from)."""
        sums = self._sums
        return tuple([sums.get(c, 0) for c in self._span((rect.left(), rect.top(), rect.right(), rect.bottom()))])

    def inside(self, x: float, y: float, ends=(), inset: float = 1.0) -> bool:
        """True when ``(x, y)`` lies inside a node other than ``ends`` (by more than ``inset``)."""
        for n in self._cells.get((int(x // CELL), int(y // CELL)), ()):
            l, t, r, b = self._boxes[n]
            if l + inset < x < r - inset and t + inset < y < b - inset and n not in ends:
                return True
        return False

    def meeting(self, rect: QRectF, ends=()) -> list[tuple[float, float, float, float]]:
        """The boxes of the nodes (other than ``ends``) that intersect ``rect``."""
        l0, t0, r0, b0 = rect.left(), rect.top(), rect.right(), rect.bottom()
        cells, boxes = self._cells, self._boxes
        out, seen = [], set(ends)
        for i in range(int(l0 // CELL), int(r0 // CELL) + 1):
            for j in range(int(t0 // CELL), int(b0 // CELL) + 1):
                for n in cells.get((i, j), ()):
                    if n not in seen:
                        seen.add(n)
                        b = boxes[n]
                        if b[0] < r0 and l0 < b[2] and b[1] < b0 and t0 < b[3]:
                            out.append(b)
        return out


# The sample points of a wire, middle first: a wire that cuts a node mostly does so away from its
# ends (which sit in the column gaps), so the first few points tell; a clear wire tests them all.
_ORDER = sorted(range(SAMPLES + 1), key=lambda k: (-(k & -k) if 0 < k < SAMPLES else 1, k))
_AT = [k / SAMPLES for k in _ORDER]


def cuts(path, grid: NodeGrid, ends=()) -> bool:
    """True when some point along ``path`` lies inside a node other than ``ends``."""
    for t in _AT:
        p = path.pointAtPercent(t)
        if grid.inside(p.x(), p.y(), ends):
            return True
    return False


def _cuts_any(path, boxes, inset: float = 1.0) -> bool:
    """``cuts`` against a few known boxes (every box the path could enter) instead of the grid."""
    boxes = [(l + inset, t + inset, r - inset, b - inset) for l, t, r, b in boxes]
    for at in _AT:
        p = path.pointAtPercent(at)
        x, y = p.x(), p.y()
        for l, t, r, b in boxes:
            if l < x < r and t < y < b:
                return True
    return False


def clear(grid: NodeGrid, ends, path: QPainterPath, bounds: QRectF) -> bool:
    """True when the plain curve ``path`` (its bounding rectangle ``bounds``) enters no node
    other than ``ends``: it needs no lane."""
    if bounds.width() * bounds.height() <= 16 * CELL * CELL:
        near = grid.meeting(bounds, ends)  # every node a point of the curve could lie in
        return not near or not _cuts_any(path, near)
    return not cuts(path, grid, ends)


def strip(p0: QPointF, p1: QPointF) -> QRectF:
    """Where the lane of the forward wire ``p0`` -> ``p1`` is looked for."""
    x0, x1 = sorted((p0.x() + LANE_OUT, p1.x() - LANE_OUT))
    lo, hi = min(p0.y(), p1.y()), max(p0.y(), p1.y())
    return QRectF(x0 - 1, lo - REACH, x1 - x0 + 2, hi - lo + 2 * REACH)


def lane_blocks(grid: NodeGrid, ends, around: QRectF) -> list[tuple[float, float]]:
    """The y-intervals (sorted) that the lane of a forward wire between the nodes ``ends`` must
    avoid in ``around`` (its ``strip``)."""
    return sorted((b[1] - CLEARANCE, b[3] + CLEARANCE) for b in grid.meeting(around, ends))
