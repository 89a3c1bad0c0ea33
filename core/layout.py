"""Automatic layout, in one place: layers of the DAG left to right, branches side by side
(``layered_positions``), and whole designs as blocks wrapped into rows (``place_design``); the
templates, the canvas's auto-layout, opening files and importing models all use these.

Layering is by longest path from the inputs. Inside a layer, nodes are ordered by the mean
position of their inputs (one barycentric sweep) and placed at that mean, pushed apart only where
two would overlap; this keeps Inception's four branches apart, uncrossed and each on one row.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from .collapse import hidden
from .design import Design

SPACING = (260.0, 150.0)


def layered_positions(design: Design, node_ids: Iterable[str] | None = None,
                      spacing: tuple[float, float] = SPACING,
                      origin: tuple[float, float] = (0.0, 0.0)) -> dict[str, tuple[float, float]]:
    """Positions for ``node_ids`` (default: every node), laid out among themselves."""
    graph = design.graph if node_ids is None else design.graph.subgraph(list(node_ids))
    index = design.topological_index()
    order = sorted(graph.nodes, key=index.__getitem__)
    depth: dict[str, int] = {}
    for n in order:
        depth[n] = max((depth[p] + 1 for p in graph.predecessors(n)), default=0)
    columns: dict[int, list[str]] = {}
    for n in order:
        columns.setdefault(depth[n], []).append(n)
    rank: dict[str, float] = {}
    for d in sorted(columns):
        column = columns[d]
        if not d:
            for i, n in enumerate(column):
                rank[n] = i - (len(column) - 1) / 2
            continue
        wanted = {n: _barycenter(graph, n, rank) for n in column}
        column.sort(key=lambda n: (wanted[n], index[n]))
        # Each node as level as its inputs, pushed apart only where two would collide, so a
        # branch stays on one row (Inception's four branches, left to right, never zig-zag).
        placed: list[float] = []
        for n in column:
            placed.append(wanted[n] if not placed else max(wanted[n], placed[-1] + 1))
        shift = sum(wanted[n] - y for n, y in zip(column, placed)) / len(column)
        for n, y in zip(column, placed):
            rank[n] = y + shift
    dx, dy = spacing
    ox, oy = origin
    return {n: (ox + depth[n] * dx, oy + rank[n] * dy) for n in order}


def _barycenter(graph: nx.MultiDiGraph, node: str, rank: dict[str, float]) -> float:
    ins = [rank[p] for p in graph.predecessors(node) if p in rank]
    return sum(ins) / len(ins) if ins else 0.0


def place_unpositioned(design: Design) -> None:
    """Give the nodes of a file saved without positions a place, right of the positioned ones.

    Meant for a design that is not open yet: nobody observes it, so in the app this is neither
    an undo step nor a modification."""
    missing = [n.id for n in design.nodes() if n.pos is None]
    if not missing:
        return
    placed = [n.pos for n in design.nodes() if n.pos is not None]
    if not placed and design.groups():
        # a whole design of blocks without positions: wrapped into rows as Auto-layout does
        # (collapsed blocks as cards); without blocks, the layered layout keeps branches side by side
        for node_id, pos in wrapped_positions(design).items():
            design.move(node_id, pos)
        return
    origin = (max(x for x, _ in placed) + 300.0, min(y for _, y in placed)) if placed else (0.0, 0.0)
    for node_id, pos in layered_positions(design, missing, origin=origin).items():
        design.move(node_id, pos)


# whole designs: blocks wrapped into rows -------------------------------------------------------
# Positions for a whole template: blocks laid out left to right, wrapped into rows like text.
# 
# A network of 150 layers in one left-to-right line is 40,000 px wide and unreadable. Each unit
# (a group, or an ungrouped layer) is laid out on its own by ``core.layout.layered_positions``
# (branches side by side); units then follow each other left to right and wrap to a new row when
# the row would grow past ``max_width`` or at an explicit break (GoogLeNet starts a row per stage).
# A residual block is not wrapped away from the block before it, so MobileNet v2's rows are
# roughly its stages.
# A unit is never split, so a group's frame on the canvas never overlaps another.
MAX_WIDTH = 24 * SPACING[0]


def units(design: Design, shut: dict[str, str] | None = None) -> list[tuple[str, list[str]]]:
    """(group or node id, nodes) in topological order of first appearance; ``shut`` maps the
    nodes of collapsed groups to their group (``core.collapse.hidden``): each is one unit."""
    shut = shut or {}
    out: dict[str, list[str]] = {}
    for node_id in design.topological_order():
        node = design.node(node_id)
        out.setdefault(shut.get(node_id) or node.group or node_id, []).append(node_id)
    return list(out.items())


def collapsed_local(plain: dict) -> dict:
    """A collapsed block's layout, moved so its node's place is (0, 0): the members' left edge,
    halfway between their top and bottom (where the canvas draws the collapsed node)."""
    x0 = min(x for x, _ in plain.values())
    ys = [y for _, y in plain.values()]
    mid = (min(ys) + max(ys)) / 2
    return {n: (x - x0, y - mid) for n, (x, y) in plain.items()}


def lift_bypassed(design: Design, nodes: list[str], local: dict, dy: float) -> dict:
    """Raise a block's body one row above an input that skips it (a residual Add fed from before
    the block), so the skip wire runs straight and clear below the chain instead of through it."""
    inside = set(nodes)
    first = min(x for x, _ in local.values())
    cuts = [local[n][0] for n in nodes if local[n][0] > first
            and any(s not in inside for s in design.input_ids(n))]
    if not cuts:
        return local
    cut = min(cuts)
    return {n: (x, y - dy) if x < cut else (x, y) for n, (x, y) in local.items()}


def place_design(design: Design, max_width: float = MAX_WIDTH, breaks=(), spacing=SPACING) -> None:
    """Give every node of ``design`` a position; ``breaks``: unit keys that start a new row."""
    for node_id, pos in wrapped_positions(design, max_width, breaks, spacing).items():
        design.move(node_id, pos)


def wrapped_positions(design: Design, max_width: float = MAX_WIDTH, breaks=(),
                      spacing=SPACING, collapsed=None) -> dict[str, tuple[float, float]]:
    """Every node's position: units left to right, wrapped into rows between units. A collapsed
    group (``collapsed``, default the design's own) is laid out as the one node the canvas draws."""
    dx, dy = spacing
    rows: list[list[tuple[dict, float, float, float]]] = [[]]  # (local positions, x0, top, bottom)
    cursor = 0.0
    shut = hidden(design, collapsed)
    for key, nodes in units(design, shut):
        plain = layered_positions(design, nodes, spacing=spacing)
        if shut.get(nodes[0]) == key:
            plain = local = collapsed_local(plain)  # never lifted: its skip wires meet one node
            xs, ys = [0.0], [0.0]
        else:
            local = lift_bypassed(design, nodes, plain, dy)
            xs = [p[0] for p in local.values()]
            ys = [p[1] for p in local.values()]
        width = max(xs) - min(xs)
        end = cursor + width
        # A block fed by a skip wire from the block before stays on that block's row (up to twice
        # the width): wrapped, its skip wire would sweep back across the whole picture.
        full = end > max_width and (local is plain or end > 2 * max_width)
        if rows[-1] and (key in breaks or full):
            rows.append([])
            cursor = 0.0
        rows[-1].append((local, cursor - min(xs), min(ys), max(ys)))
        cursor += width + dx
    out: dict[str, tuple[float, float]] = {}
    y = 0.0
    for i, row in enumerate(rows):
        top = min(u[2] for u in row)
        bottom = max(u[3] for u in row)
        if i:
            y += -top + 1.5 * dy  # clear the previous row (and the frames of its groups)
        for local, x0, _, _ in row:
            for node_id, (x, yy) in local.items():
                out[node_id] = (x + x0, yy + y)
        y += bottom
    return out


# new layers, blocks and pastes: free space next to what they are wired to ----------------------
Rect = tuple[float, float, float, float]  # x, y, width, height (top-left origin)
GAP = 24.0  # the least room left between a new node (or frame) and an old one
RINGS = 12  # how far around the wanted spot free room is looked for, in steps
EACH = 200  # up to this many new rectangles, each is tried on its own when their extent is not free


class _Buckets:
    """Rectangles in square buckets, for "does anything meet this rectangle"."""

    def __init__(self, rects: Iterable[Rect], cell: float = 512.0):
        self.cell, self.cells = cell, {}
        for r in rects:
            for key in self._keys(r):
                self.cells.setdefault(key, []).append(r)

    def _keys(self, r: Rect):
        c = self.cell
        for i in range(int(r[0] // c), int((r[0] + r[2]) // c) + 1):
            for j in range(int(r[1] // c), int((r[1] + r[3]) // c) + 1):
                yield i, j

    def hits(self, r: Rect, gap: float) -> bool:
        x, y, w, h = r[0] - gap, r[1] - gap, r[2] + 2 * gap, r[3] + 2 * gap
        for key in self._keys((x, y, w, h)):
            for ox, oy, ow, oh in self.cells.get(key, ()):
                if ox < x + w and x < ox + ow and oy < y + h and y < oy + oh:
                    return True
        return False


def _bbox(rects: list[Rect]) -> Rect:
    left, top = min(r[0] for r in rects), min(r[1] for r in rects)
    right, bottom = max(r[0] + r[2] for r in rects), max(r[1] + r[3] for r in rects)
    return left, top, right - left, bottom - top


def _steps(rings: int):
    """(i, j) grid steps around (0, 0), nearest first; at equal distance to the right before
    the left and below before above (new work reads left to right, then down)."""
    cells = [(i, j) for i in range(-rings, rings + 1) for j in range(-rings, rings + 1)]
    return sorted(cells, key=lambda c: (max(abs(c[0]), abs(c[1])), c[0] < 0, abs(c[0]) + abs(c[1]), c[1] < 0))


def collides(new: list[Rect], taken: list[Rect], offset: tuple[float, float], gap: float = 0.0) -> bool:
    """True when a rectangle of ``new``, shifted by ``offset``, comes within ``gap`` of one of ``taken``."""
    index = _Buckets(taken)
    dx, dy = offset
    return any(index.hits((x + dx, y + dy, w, h), gap) for x, y, w, h in new)


def free_offset(new: list[Rect], taken: list[Rect], offset: tuple[float, float],
                step: tuple[float, float] = (SPACING[0] / 2, SPACING[1] / 2),
                gap: float = GAP, rings: int = RINGS) -> tuple[float, float]:
    """The shift nearest ``offset`` that puts no rectangle of ``new`` within ``gap`` of one of
    ``taken``: ``offset`` itself when that is free, else the first free spot of a grid of
    ``step`` around it (right and below first), else just below everything ``taken``.

    ``new`` are the footprints of what is being added (nodes and their block's frame), in its
    own coordinates; ``taken`` those already in the design."""
    if not new or not taken:
        return offset
    index = _Buckets(taken)
    box = _bbox(new)
    dx, dy = offset
    for i, j in _steps(rings):
        sx, sy = dx + i * step[0], dy + j * step[1]
        if not index.hits((box[0] + sx, box[1] + sy, box[2], box[3]), gap):
            return sx, sy  # the whole extent is free
        if 1 < len(new) <= EACH and not any(index.hits((x + sx, y + sy, w, h), gap) for x, y, w, h in new):
            return sx, sy  # free between its nodes (a paste beside a block, for one)
    bottom = max(r[1] + r[3] for r in taken)
    return dx, bottom + 2 * gap - box[1]
