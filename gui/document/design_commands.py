"""Undoable edits of the design as a whole (not of its layers): its name, its collapsed groups.

Kept apart from ``gui.commands`` (the layer and wire edits); the same rule holds: a command
calls one ``Design`` method each way, and the views follow the design's event.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from PySide6.QtGui import QUndoCommand

UNTITLED = "untitled"  # what a new design is called; the window title shows it as "Untitled"


class SetDesignName(QUndoCommand):
    """Rename the design (an empty name means "untitled"); the title follows ``design_renamed``."""

    def __init__(self, document, name: str):
        self.document = document
        self.old = document.design.name
        self.name = name.strip() or UNTITLED
        super().__init__(f"Rename design to “{self.name}”")

    def redo(self):
        self.document.design.set_name(self.name)

    def undo(self):
        self.document.design.set_name(self.old)


class SetCollapsed(QUndoCommand):
    """Collapse or expand groups (view state, saved with the design): an undo step, so the
    document is modified and the state gets saved. A change that needs room (Collapse all, an
    expand with no space around it) carries the new positions, so one undo puts the whole
    picture back."""

    def __init__(self, document, collapsed: Iterable[str], text: str,
                 positions: Mapping[str, tuple] | None = None):
        super().__init__(text)
        self.document = document
        design = document.design
        self.old, self.new = design.collapsed, frozenset(collapsed)
        self.moves = {n: (design.node(n).pos, tuple(p)) for n, p in (positions or {}).items()
                      if design.node(n).pos != tuple(p)}

    def redo(self):
        design = self.document.design
        with self.document.batch():  # one batch for the views, however many layers move
            design.set_collapsed(self.new)
            for n, (_, new) in self.moves.items():
                design.move(n, new)

    def undo(self):
        design = self.document.design
        with self.document.batch():
            for n, (old, _) in self.moves.items():
                design.move(n, old)
            design.set_collapsed(self.old)
