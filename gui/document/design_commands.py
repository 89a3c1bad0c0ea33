"""Undoable edits of the design as a whole (not of its layers): its name.

Kept apart from ``gui.commands`` (the layer and wire edits); the same rule holds: a command
calls one ``Design`` method each way, and the views follow the design's event.
"""

from __future__ import annotations

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
