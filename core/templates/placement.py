"""Positions for a whole template: the layered layout of ``core.layout``."""

from __future__ import annotations

from ..design import Design
from ..layout import layered_positions


def place_design(design: Design) -> None:
    for node_id, pos in layered_positions(design).items():
        design.move(node_id, pos)
