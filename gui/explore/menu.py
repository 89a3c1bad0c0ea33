"""The Explore menu: Scaling sweep…, Compare with a design file…, Compare with the saved version."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu

from archcanvas.core.errors import ArchCanvasError
from archcanvas.gui.explore.compare_dialog import CompareDialog
from archcanvas.gui.explore.sweep_dialog import SweepDialog


class ExploreMenu(QMenu):
    """``open_design(design)`` shows a variant (the window asks before discarding unsaved work);
    ``read(path)`` reads a design or model file; ``ask_path`` can be replaced by tests."""

    def __init__(self, window, document, open_design, read, message=lambda text: None):
        super().__init__("E&xplore", window)
        self.setObjectName("menu.explore")
        self.window, self.document, self.open_design, self.read, self.message = window, document, open_design, read, message
        self.ask_path = lambda: QFileDialog.getOpenFileName(window, "Compare with", "", "Designs (*.json);;All files (*)")[0]
        self.dialogs: list = []
        self.sweep_action = self.addAction("Scaling &sweep…", self.show_sweep)
        self.sweep_action.setObjectName("explore.sweep")
        self.file_action = self.addAction("&Compare with a design file…", self.compare_file)
        self.file_action.setObjectName("explore.compare_file")
        self.saved_action = self.addAction("Compare with the &saved version", self.compare_saved)
        self.saved_action.setObjectName("explore.compare_saved")
        self.pinned_action = self.addAction("Compare with the &pinned design", self.compare_pinned)
        self.pinned_action.setObjectName("explore.compare_pinned")
        self.aboutToShow.connect(self.update_enabled)

    def _pinned(self):
        panel = getattr(self.window, "cost_panel", None)
        return getattr(panel, "pinned_design", None)

    def update_enabled(self) -> None:
        self.saved_action.setEnabled(self.document.path is not None)
        self.pinned_action.setEnabled(self._pinned() is not None)

    def show_sweep(self) -> SweepDialog:
        dialog = SweepDialog(self.document, self.window)
        dialog.open_variant.connect(self.open_design)
        self._keep(dialog)
        return dialog

    def compare_with(self, path) -> CompareDialog | None:
        try:
            other = self.read(path)
        except (ArchCanvasError, OSError) as err:
            self.message(f"Cannot compare: {err}")
            return None
        dialog = CompareDialog(other, self.document.design, self.window, a_label=Path(path).name,
                               b_label=f"{self.document.design.name} (open)")
        self._keep(dialog)
        return dialog

    def compare_file(self):
        path = self.ask_path()
        return self.compare_with(path) if path else None

    def compare_pinned(self) -> CompareDialog | None:
        pinned = self._pinned()
        if pinned is None:
            self.message("Nothing is pinned: Pin in the cost panel keeps the design to compare with")
            return None
        dialog = CompareDialog(pinned, self.document.design, self.window, a_label=f"{pinned.name} (pinned)",
                               b_label=f"{self.document.design.name} (now)")
        self._keep(dialog)
        return dialog

    def compare_saved(self):
        return self.compare_with(self.document.path) if self.document.path else None

    def _keep(self, dialog) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        dialog.show()
