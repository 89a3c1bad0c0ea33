"""Where each wire of the canvas runs: the plain curve, or along a free lane past what is in its way.

The scene tells the router where every node is drawn (``put``, ``drop``: its rectangle, or its
collapsed group's card) and asks it to ``route`` a wire; the router keeps the grid of node
rectangles (``routing.NodeGrid``) and, for wires back along wrapped rows, the nodes sorted by top.

A wire remembers what its route was decided from: its two ends and the grid's stamp of the region
that was looked at. Routing it again with both unchanged decides nothing again: undoing a delete
of 5,000 layers puts 6,000 wires back, most of them exactly where they ran; a layer moved into a
wire's way changes the stamp, and the wire is routed again as a fresh canvas would route it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np
from PySide6.QtCore import QRectF

from archcanvas.gui.canvas import routing
from archcanvas.gui.canvas.edge_item import LANE_OUT, EdgeItem, free_band, free_lane, wire_path
from archcanvas.gui.canvas.group_item import LABEL_H, MARGIN


class Router:
    def __init__(self, scene):
        self.scene = scene
        self.grid = routing.NodeGrid()
        self._rows = None  # the nodes sorted by top, in arrays; made again after a node changed

    def put(self, node_id: str, rect: QRectF) -> None:
        """``node_id`` is drawn in ``rect`` (new, moved or resized)."""
        self.grid.put(node_id, rect)
        self._rows = None

    def drop(self, node_id: str) -> None:
        self.grid.drop(node_id)
        self._rows = None

    def route(self, item: EdgeItem, source: str, target: str, port: int) -> None:
        """Give the wire ``item`` its path, between its ends as the scene draws them now."""
        scene = self.scene
        p0, p1 = scene.output_anchor(source), scene.input_anchor(target, port)
        grid, ends = self.grid, (source, target)
        given = item.given  # (stamp, region) of the last routing, with the ends in ``item.ends``
        if given is not None and item.ends[:4] == (p0.x(), p0.y(), p1.x(), p1.y()) \
                and grid.stamp(given[1]) == given[0]:
            return
        if p1.x() < p0.x():
            # a wire back to the left (a wrapped row): find a band between p0 and p1 that no node
            # (nor a group frame with its title, hence the margins) occupies over its whole run
            x0, x1 = p1.x() - LANE_OUT, p0.x() + LANE_OUT
            lo, hi = min(p0.y(), p1.y()), max(p0.y(), p1.y())
            cards = scene.collapse.card_rects()
            # (cards and hidden members are not in the stamp: with any about, always decided again)
            region = None if cards or scene.collapse.hidden else QRectF(
                x0 - MARGIN, lo - MARGIN, x1 - x0 + 2 * MARGIN, hi - lo + 2 * MARGIN + LABEL_H)
            blocked = self._blocked_between(x0, x1, lo, hi)
            for r in cards:
                top, bottom = r.top() - MARGIN - LABEL_H, r.bottom() + MARGIN
                if r.left() - MARGIN < x1 and r.right() + MARGIN > x0 and top < hi and bottom > lo:
                    blocked.append((top, bottom))
            lane, path = free_lane(p0.y(), p1.y(), blocked), None
        else:
            path = wire_path(p0, p1)
            region = path.boundingRect()
            if routing.clear(grid, ends, path, region):
                lane = None  # (most wires: between neighbouring columns, nothing in their way)
            else:  # a skip wire that would cut a neighbouring branch's node runs along a lane
                around = routing.strip(p0, p1)
                region = region.united(around)
                lane, path = free_band(p0.y(), p1.y(), routing.lane_blocks(grid, ends, around)), None
        item.set_endpoints(p0, p1, lane, path)
        item.given = None if region is None else (grid.stamp(region), region)

    def _blocked_between(self, x0: float, x1: float, lo: float, hi: float) -> list[tuple[float, float]]:
        """The y-intervals (with the frame margins and title band) of the drawn nodes, hidden ones
        aside, that reach into ``x0``..``x1`` and ``lo``..``hi``: what a wrap wire's lane must avoid.
        One array test over the nodes of the rows it passes (undoing Select All + Delete at 5,000
        layers routes some 300 wires back along wrapped rows, each past a hundred nodes)."""
        if self._rows is None:
            boxes = self.grid.boxes
            order = sorted(boxes, key=lambda n: boxes[n][1])
            table = np.array([boxes[n] for n in order], dtype=float).reshape(-1, 4)  # left, top, right, bottom
            tallest = float((table[:, 3] - table[:, 1]).max()) if order else 0.0
            self._rows = (table[:, 1].tolist(), order, tallest, table)
        tops, order, tallest, table = self._rows
        i0 = bisect_left(tops, lo - MARGIN - tallest - 1.0)
        near = table[i0:bisect_right(tops, hi + MARGIN + LABEL_H + 1.0)]
        left, top, right, bottom = near[:, 0], near[:, 1], near[:, 2], near[:, 3]
        top, bottom = top - MARGIN - LABEL_H, bottom + MARGIN
        hits = np.flatnonzero((left - MARGIN < x1) & (right + MARGIN > x0) & (top < hi) & (bottom > lo))
        hidden = self.scene.collapse.hidden
        return [(float(top[k]), float(bottom[k])) for k in hits.tolist()
                if not hidden or order[i0 + k] not in hidden]
