"""The window title: ``name[*] — ArchCanvas``, where Qt shows the ``*`` while there are unsaved
changes. One ``WindowTitle`` per main window owns it; everything that changes the name, the path
or the clean state reaches it through the document's signals.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject

from archcanvas.core import events

APP_TITLE = "ArchCanvas"


def display_name(document) -> str:
    """The file name once saved, else the design's own name, else "Untitled"."""
    if document.path:
        return document.path.name
    name = document.design.name
    return name if name and name != "untitled" else "Untitled"


class WindowTitle(QObject):
    def __init__(self, window, document):
        super().__init__(window)  # dies with the window, so its slots are disconnected with it
        self.window, self.document = window, document
        document.path_changed.connect(self.update)
        document.design_replaced.connect(self.update)
        document.design_changed.connect(self._on_design_changed)
        document.undo_stack.cleanChanged.connect(self.update)
        self.update()

    def _on_design_changed(self, batch) -> None:
        if events.touches(batch, events.DesignRenamed):
            self.update()

    def update(self, *_) -> None:
        if not (shiboken6.isValid(self.window) and shiboken6.isValid(self.document.undo_stack)):
            return  # shutting down: the window or the stack is already gone
        w = self.window
        w.setWindowTitle(f"{display_name(self.document)}[*] — {APP_TITLE}")
        w.setWindowModified(self.document.modified)
        w.setWindowFilePath(str(self.document.path) if self.document.path else "")
