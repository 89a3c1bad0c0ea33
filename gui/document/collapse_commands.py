"""The undoable command that collapses or expands groups (view state, saved with the design).

It is an undo step so that the document is modified and the state is saved; a collapse that
needs room (Collapse all, an expand with no space around it) carries the new positions, so
undo puts back the picture as it was in one step."""

from __future__ import annotations

from typing import Iterable, Mapping

from archcanvas.gui.document.commands import _Command


class SetCollapsed(_Command):
    def __init__(self, document, collapsed: Iterable[str], text: str,
                 positions: Mapping[str, tuple] | None = None):
        super().__init__(document, text)
        design = document.design
        self.old, self.new = design.collapsed, frozenset(collapsed)
        self.moves = {n: (design.node(n).pos, p) for n, p in (positions or {}).items()
                      if design.node(n).pos != tuple(p)}

    def redo(self):
        self.design.set_collapsed(self.new)
        for n, (_, new) in self.moves.items():
            self.design.move(n, new)

    def undo(self):
        for n, (old, _) in self.moves.items():
            self.design.move(n, old)
        self.design.set_collapsed(self.old)
