"""Automatic layout: layers of the DAG left to right, branches side by side.

Layering is by longest path from the inputs. Inside a layer, nodes are ordered by the mean
position of their inputs (one barycentric sweep) and placed at that mean, pushed apart only where
two would overlap; this keeps Inception's four branches apart, uncrossed and each on one row.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

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
    origin = (max(x for x, _ in placed) + 300.0, min(y for _, y in placed)) if placed else (0.0, 0.0)
    for node_id, pos in layered_positions(design, missing, origin=origin).items():
        design.move(node_id, pos)
