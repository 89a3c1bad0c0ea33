"""The Help menu: the keyboard shortcuts (read from the window's own actions, so the list is never
out of date), the documentation, and About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout

DOCS = Path(__file__).resolve().parent.parent / "docs"
# What the canvas does with the mouse and keys that are not menu actions.
CANVAS_KEYS = (
    ("Drag from an output port to an input port", "Wire two layers"),
    ("Drag on empty canvas", "Select with a rubber band"),
    ("Middle button drag, or Space + drag", "Pan"),
    ("Ctrl + wheel", "Zoom"),
    ("Arrow keys", "Nudge the selected layers"),
    ("Double-click a palette entry", "Add it (wired to the selected layer)"),
    ("Double-click a block's title, or its collapsed card", "Collapse or expand the block"),
)


def shortcuts(window) -> list[tuple[str, str]]:
    """(keys, what) for every action of the window and its menus that has a shortcut, by menu order."""
    seen, rows = set(), []
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        text = action.text().replace("&", "").rstrip("…").strip()
        if keys and text and (text, tuple(keys)) not in seen:
            seen.add((text, tuple(keys)))
            rows.append((", ".join(keys), text))
    return sorted(rows, key=lambda r: r[1].casefold()) + list(CANVAS_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("help.shortcuts")
        rows = shortcuts(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        for i, (keys, what) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(keys))
            self.table.setItem(i, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        QVBoxLayout(self).addWidget(self.table)
        self.resize(560, 520)


class HelpMenu(QMenu):
    def __init__(self, window, message=lambda text: None):
        super().__init__("&Help", window)
        self.setObjectName("menu.help")
        self.window, self.message = window, message
        keys = self.addAction("&Keyboard Shortcuts", self.show_shortcuts)
        keys.setObjectName("help.shortcuts")
        keys.setShortcuts([QKeySequence("Ctrl+/")])
        docs = self.addAction("&Documentation", self.open_docs)
        docs.setObjectName("help.docs")
        docs.setShortcuts([QKeySequence.HelpContents])
        self.addSeparator()
        about = self.addAction("&About ArchCanvas", self.about)
        about.setObjectName("help.about")
        self.dialog: ShortcutsDialog | None = None

    def show_shortcuts(self) -> ShortcutsDialog:
        self.dialog = ShortcutsDialog(self.window)
        self.dialog.show()
        return self.dialog

    def open_docs(self) -> bool:
        if DOCS.is_dir():
            return QDesktopServices.openUrl(QUrl.fromLocalFile(str(DOCS / "gui.md")))
        self.message("The documentation is in the docs/ folder of ArchCanvas's source")
        return False

    def about(self) -> None:
        from archcanvas.core.cli import version
        QMessageBox.about(self.window, "About ArchCanvas",
                          f"ArchCanvas {version()}\n\nDesign convolutional networks and see, at every edit, each "
                          "layer's output shape, parameters, MACs and FLOPs.")
