"""The preview of a refactor: what the design costs now, after, and the change, before it is applied."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout

from archcanvas.core.units import exact

ROWS = (("params", "Params"), ("trainable_params", "Trainable"), ("macs", "MACs"), ("flops", "FLOPs"),
        ("activations", "Activations"), ("layers", "Layers"))


def _pct(delta: int, before: int) -> str:
    return "" if not before else f" ({100 * delta / before:+.1f}%)"


class PreviewDialog(QDialog):
    """``preview`` is ``core.refactors.preview``'s result; Apply accepts the dialog."""

    def __init__(self, title: str, preview: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("refactor.preview")
        grid = QGridLayout()
        for col, text in enumerate(("", "Now", "After", "Change")):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.cells: dict[str, tuple[str, str, str]] = {}
        for row, (key, text) in enumerate(ROWS, start=1):
            b, a, d = preview["before"][key], preview["after"][key], preview["delta"][key]
            cells = (exact(b), exact(a), f"{d:+,}{_pct(d, b)}")
            self.cells[key] = cells
            grid.addWidget(QLabel(text), row, 0)
            for col, value in enumerate(cells, start=1):
                label = QLabel(value)
                label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
                grid.addWidget(label, row, col)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(title))
        box.addLayout(grid)
        if not preview["ok"]:
            warn = QLabel("After this change some layers cannot be computed:\n" + "\n".join(preview["problems"][:5]))
            warn.setObjectName("refactor.problems")
            warn.setWordWrap(True)
            box.addWidget(warn)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
