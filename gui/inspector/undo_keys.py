"""Ctrl+Z / Ctrl+Shift+Z in an inspector field undo and redo the design, as everywhere else.

A QLineEdit (and a spin box's line edit) claims the undo keys for its own text history through a
ShortcutOverride event, so the window's Undo never fires while a field has focus. The inspector's
fields apply each value as an undoable command, so their private text history is not what a user
means by undo: this filter declines the override for inspector fields, and the window's actions
run instead."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

_KEYS = (QKeySequence.Undo, QKeySequence.Redo)


class InspectorUndoKeys(QObject):
    def __init__(self, inspector):
        super().__init__(inspector)
        self.inspector = inspector
        QApplication.instance().installEventFilter(self)
        inspector.destroyed.connect(self._remove)

    def _remove(self, *_):
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.ShortcutOverride:
            return False
        try:
            inside = obj is not self.inspector and self.inspector.isAncestorOf(obj)
        except (RuntimeError, TypeError):  # a widget being destroyed, or not a widget
            return False
        if inside and any(event.matches(k) for k in _KEYS):
            event.ignore()
            return True  # the field never sees the override: the window's shortcut fires
        return False
