"""Edit ▸ Refactor: the refactors of ``core.refactors`` for the selected layers, each previewed."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from archcanvas.core import layers
from archcanvas.core import refactors as R
from archcanvas.gui.refactor.command import ApplyRewrite
from archcanvas.gui.refactor.dialog import PreviewDialog


class RefactorMenu(QMenu):
    """Actions enabled by what is selected. ``ask`` (int, float, item) and ``confirm`` can be
    replaced (tests answer them); by default they are Qt's input dialog and the preview dialog."""

    def __init__(self, document, parent=None, message=lambda text: None):
        super().__init__("&Refactor", parent)
        self.setObjectName("menu.refactor")
        self.document, self.message = document, message
        self.ask_int = lambda title, label, value: QInputDialog.getInt(self.parentWidget(), title, label, value, 1, 1_000_000)
        self.ask_float = lambda title, label, value: QInputDialog.getDouble(self.parentWidget(), title, label, value, 0.01, 100.0, 3)
        self.ask_item = lambda title, label, items: QInputDialog.getItem(self.parentWidget(), title, label, items, 0, False)
        self.confirm = lambda title, preview: PreviewDialog(title, preview, self.parentWidget()).exec() == PreviewDialog.Accepted
        self.actions_by_name = {}
        for name, text, fn in (
                ("separable", "Make depthwise &separable", self.separable),
                ("bottleneck", "Insert 1×1 &bottleneck before…", self.bottleneck),
                ("scale", "Scale &width of selection…", self.scale),
                ("replace", "Replace &with another type…", self.replace),
                ("block", "Make conv-bn-act &block", self.block),
                ("ungroup", "&Ungroup block", self.ungroup)):
            action = self.addAction(text, fn)
            action.setObjectName(f"refactor.{name}")
            self.actions_by_name[name] = action
        self.aboutToShow.connect(self.update_enabled)
        # a bound method, not a lambda: Qt drops the connection when this menu is destroyed
        document.selection_changed.connect(self._on_selection)
        self.update_enabled()

    def _on_selection(self, _ids) -> None:
        self.update_enabled()

    def _one(self):
        sel = self.document.selection
        return self.document.design.node(sel[0]) if len(sel) == 1 else None

    def update_enabled(self) -> None:
        node = self._one()
        kind = node.type if node else None
        a = self.actions_by_name
        a["separable"].setEnabled(kind == "Conv2D")
        a["bottleneck"].setEnabled(kind in R.CONVOLUTIONS)
        # a depthwise layer alone is offered too, and hears why its width follows its input
        a["scale"].setEnabled(any(self.document.design.node(n).type in R.CONVOLUTIONS
                                  or self.document.design.node(n).layer.width_attr
                                  for n in self.document.selection))
        a["replace"].setEnabled(node is not None)
        a["block"].setEnabled(kind in R.CONVOLUTIONS)
        a["ungroup"].setEnabled(bool(node and node.group))

    def run(self, make) -> bool:
        """Build the rewrite, show its preview, and push it if accepted; a refusal is a message."""
        design = self.document.design
        try:
            rewrite = make(design)
            preview = R.preview(design, rewrite)
        except R.RefactorError as err:
            self.message(str(err))
            return False
        if not self.confirm(rewrite.text, preview):
            return False
        self.document.push(ApplyRewrite(self.document, rewrite))
        self.document.set_selection(rewrite.focus)
        return True

    def separable(self):
        node = self._one()
        return node is not None and self.run(lambda d: R.separable(d, node.id))

    def bottleneck(self):
        node = self._one()
        if node is None:
            return False
        filters, ok = self.ask_int("Bottleneck", f"Channels of the 1×1 convolution before {node.label}:",
                                   max(1, self.document.analysis.results[node.id].shape[-1] // 4)
                                   if self.document.analysis.results[node.id].shape else 16)
        return ok and self.run(lambda d: R.bottleneck(d, node.id, filters))

    def scale(self):
        ids = list(self.document.selection)
        alpha, ok = self.ask_float("Scale width", "Width multiplier α for the selected layers:", 0.5)
        return ok and self.run(lambda d: R.scale_width(d, ids, alpha))

    def replace(self):
        node = self._one()
        if node is None:
            return False
        names = [t for t in layers.REGISTRY if t != node.type]
        new_type, ok = self.ask_item("Replace", f"Replace {node.label} ({node.type}) with:", names)
        return ok and self.run(lambda d: R.replace_type(d, node.id, new_type))

    def block(self):
        node = self._one()
        return node is not None and self.run(lambda d: R.group_chain(d, node.id))

    def ungroup(self):
        node = self._one()
        return node is not None and node.group is not None and self.run(lambda d: R.ungroup(d, node.group))
