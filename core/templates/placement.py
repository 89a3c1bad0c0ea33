"""Positions for a whole template: blocks laid out left to right, wrapped into rows like text.

A network of 150 layers in one left-to-right line is 40,000 px wide and unreadable. Each unit
(a group, or an ungrouped layer) is laid out on its own by ``core.layout.layered_positions``
(branches side by side); units then follow each other left to right and wrap to a new row when
the row would grow past ``max_width`` or at an explicit break (GoogLeNet starts a row per stage).
A residual block is not wrapped away from the block before it, so MobileNet v2's rows are
roughly its stages.
A unit is never split, so a group's frame on the canvas never overlaps another.
"""

from __future__ import annotations

from ..design import Design
from ..layout import SPACING, layered_positions

MAX_WIDTH = 24 * SPACING[0]


def units(design: Design) -> list[tuple[str, list[str]]]:
    """(group or node id, nodes) in topological order of first appearance."""
    out: dict[str, list[str]] = {}
    for node_id in design.topological_order():
        node = design.node(node_id)
        out.setdefault(node.group or node_id, []).append(node_id)
    return list(out.items())


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
                      spacing=SPACING) -> dict[str, tuple[float, float]]:
    """Every node's position: units left to right, wrapped into rows between units."""
    dx, dy = spacing
    rows: list[list[tuple[dict, float, float, float]]] = [[]]  # (local positions, x0, top, bottom)
    cursor = 0.0
    for key, nodes in units(design):
        plain = layered_positions(design, nodes, spacing=spacing)
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
