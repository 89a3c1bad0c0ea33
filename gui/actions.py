"""Every action of the main window, created in one place.

Menus (and later toolbars, the command palette, settings for shortcuts) read the actions from
an ``Actions`` instance instead of creating their own, so a feature adds its action here once.
Actions that act on the canvas (Delete, Fit) are scoped to the canvas and its children, so
typing ``F`` or Delete in a text field or the palette's search does what it does there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


class Actions:
    def __init__(self, window, document, canvas):
        stack = document.undo_stack
        self.undo = stack.createUndoAction(window, "&Undo")
        self.undo.setShortcuts(QKeySequence.Undo)
        self.undo.setObjectName("edit.undo")
        self.redo = stack.createRedoAction(window, "&Redo")
        self.redo.setShortcuts(QKeySequence.Redo)
        self.redo.setObjectName("edit.redo")

        self.delete = self._make(window, "edit.delete", "&Delete", [QKeySequence.Delete, QKeySequence("Backspace")],
                                 "Delete the selected layers and their connections")
        self.delete_reconnect = self._make(
            window, "edit.delete_reconnect", "Delete and &Reconnect", [QKeySequence("Ctrl+Delete"),
                                                                     QKeySequence("Ctrl+Backspace")],
            "Delete the selected layers and wire what came before them to what came after")
        self.select_all = self._make(window, "edit.select_all", "Select &All", [QKeySequence.SelectAll],
                                     "Select every layer")
        self.fit = self._make(window, "view.fit", "&Fit to View", [QKeySequence("F")],
                              "Zoom to show the whole design")
        self.auto_layout = self._make(window, "view.auto_layout", "&Auto-layout", [QKeySequence("Ctrl+L")],
                                      "Arrange the layers left to right by depth (one undo step)")
        for action in (self.delete, self.delete_reconnect, self.select_all, self.fit):
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            canvas.addAction(action)
        window.addAction(self.auto_layout)

    @staticmethod
    def _make(window, name: str, text: str, shortcuts, tip: str) -> QAction:
        action = QAction(text, window)
        action.setObjectName(name)
        action.setShortcuts(shortcuts)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        return action
