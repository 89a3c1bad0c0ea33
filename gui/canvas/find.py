"""Find (Ctrl+F): a bar over the canvas that searches layers by name, type or group and steps
through the matches (Enter / F3 next, Shift+Enter / Shift+F3 previous, Esc closes), selecting and
centring each one. Matches are in the design's run order, so stepping follows the network."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


def matches(design, text: str) -> list[str]:
    """Ids of the layers whose name, id, type or group contains ``text`` (any case), in run order."""
    needle = text.strip().casefold()
    if not needle:
        return []
    out = []
    for node_id in design.topological_order():
        n = design.node(node_id)
        if any(needle in (field or "").casefold() for field in (n.label, n.id, n.type, n.group)):
            out.append(node_id)
    return out


class FindBar(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("canvas.find")
        self.document = document
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find layers by name, type or block")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("")
        self.count.setMinimumWidth(90)
        prev_button, next_button, close = QToolButton(), QToolButton(), QToolButton()
        prev_button.setText("↑"), next_button.setText("↓"), close.setText("✕")
        prev_button.setToolTip("Previous match (Shift+Enter)")
        next_button.setToolTip("Next match (Enter)")
        close.setToolTip("Close (Esc)")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        for w in (QLabel("Find:"), self.edit, self.count, prev_button, next_button, close):
            row.addWidget(w)
        self.hits: list[str] = []
        self.index = -1
        self.edit.textChanged.connect(self._search)
        self.edit.returnPressed.connect(self.next)
        next_button.clicked.connect(self.next)
        prev_button.clicked.connect(self.previous)
        close.clicked.connect(self.close_bar)
        QShortcut(QKeySequence("Shift+Return"), self.edit, self.previous)
        QShortcut(QKeySequence("Escape"), self, self.close_bar, context=Qt.WidgetWithChildrenShortcut)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._search(self.edit.text())

    def close_bar(self) -> None:
        self.hide()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def _search(self, text: str) -> None:
        self.hits = matches(self.document.design, text)
        self.index = -1
        if self.hits:
            self.next()
        else:
            self.count.setText("no match" if text.strip() else "")

    def _go(self, step: int) -> None:
        if not self.isVisible():
            self.open_bar()
            return
        self.hits = [h for h in self.hits if h in self.document.design] or matches(self.document.design, self.edit.text())
        if not self.hits:
            self.count.setText("no match" if self.edit.text().strip() else "")
            return
        self.index = (self.index + step) % len(self.hits)
        self.count.setText(f"{self.index + 1} of {len(self.hits)}")
        self.document.focus(self.hits[self.index])

    def next(self) -> None:
        self._go(1)

    def previous(self) -> None:
        self._go(-1)
