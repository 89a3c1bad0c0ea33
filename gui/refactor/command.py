"""``ApplyRewrite``: a ``core.refactors.Rewrite`` as one undo step.

Its steps are the existing commands (Disconnect, RemoveNodes, AddNodes, Connect, SetAttr, SetGroup)
as children, made one after the other on the first redo: a replacement keeps its old id only if
the old node is gone when the new one is added. Undo runs the children's undos in reverse, so it
gives back exactly the design that was there."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from archcanvas.core.design import Design
from archcanvas.core.refactors import Rewrite
from archcanvas.gui.document.commands import AddNodes, Connect, Disconnect, RemoveNodes, SetAttr, SetGroup


class ApplyRewrite(QUndoCommand):
    def __init__(self, document, rewrite: Rewrite):
        super().__init__(rewrite.text)
        self.document, self.rewrite = document, rewrite
        self._steps: list[QUndoCommand] | None = None

    def _make_steps(self):
        doc, rw = self.document, self.rewrite
        yield from (Disconnect(doc, s, t, p) for s, t, p in rw.unwire)
        if rw.remove:
            yield RemoveNodes(doc, rw.remove)
        if rw.add:
            fragment = Design("refactor")
            for n in rw.add:
                fragment.add_node(n.type, n.id, attrs=n.attrs, name=n.name, group=n.group, pos=n.pos or (0, 0))
            yield AddNodes(doc, fragment, text=rw.text)
        yield from (Connect(doc, s, t, p) for s, t, p in rw.wires)
        for node_id, attrs in rw.attrs.items():
            for key, value in attrs.items():
                yield SetAttr(doc, [node_id], key, value)
        groups: dict = {}
        for node_id, group in rw.groups.items():
            groups.setdefault(group, []).append(node_id)
        yield from (SetGroup(doc, ids, group) for group, ids in groups.items())

    def redo(self):
        if self._steps is None:  # each step is built against the design the previous one left
            self._steps = []
            for step in self._make_steps():
                step.redo()
                self._steps.append(step)
        else:
            for step in self._steps:
                step.redo()

    def undo(self):
        for step in reversed(self._steps or []):
            step.undo()
