"""The status bar's design totals and the problems list, both following ``analysis_updated``.

``TotalsLabel`` shows params (total / trainable), MACs, FLOPs, layers and problems in short form;
its tooltip holds the exact numbers. ``ProblemsList`` lists the nodes with an error of their own
(the nodes below them are only "blocked" and follow when it is fixed); activating one focuses
that node on the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

from archcanvas.core import events
from archcanvas.core.quote import escape

from archcanvas.core.report import DTYPE_BYTES
from archcanvas.core.units import exact, human, human_bytes
from archcanvas.gui.text import count


def totals_text(t) -> str:
    return (f"Params {human(t.params)} ({human(t.trainable_params)} trainable)   ·   "
            f"MACs {human(t.macs)}   ·   FLOPs {human(t.flops)}   ·   {count(t.layers, 'layer')}")


def totals_tooltip(t, dtype: str = "float32") -> str:
    rows = (("Parameters", exact(t.params)), ("  trainable", exact(t.trainable_params)),
            ("  non-trainable", exact(t.non_trainable_params)), ("MACs", exact(t.macs)),
            ("FLOPs", exact(t.flops)),
            ("Activations", f"{exact(t.activations)} ({human_bytes(t.activations * DTYPE_BYTES[dtype])} {dtype})"),
            ("Layers", exact(t.layers)))
    body = "".join(f"<tr><td>{k}</td><td align='right'>&nbsp;&nbsp;{v}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


class TotalsLabel(QLabel):
    clicked = Signal()  # the main window shows the problems list

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("totals")
        self.document = document
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        document.analysis_updated.connect(self.update_totals)
        document.design_replaced.connect(self.update_totals)
        document.dtype_changed.connect(self.update_totals)
        self.update_totals()

    def update_totals(self, *_):
        analysis = self.document.analyzer.analysis
        t = analysis.totals
        problems = len(analysis.problems)
        text = totals_text(t)
        if problems:
            text += f"   ·   ⚠ {problems} problem{'s' if problems != 1 else ''}"
        self.setText(text)
        self.setToolTip(totals_tooltip(t, self.document.dtype))
        self.setProperty("problems", bool(problems))
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    @property
    def exact_params(self) -> str:
        return exact(self.document.analyzer.analysis.totals.params)


class ProblemsList(QListWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("problems")
        self.document = document
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.itemActivated.connect(self._focus)
        self.itemClicked.connect(self._focus)
        document.analysis_updated.connect(self.update_problems)
        document.design_replaced.connect(self.update_problems)
        document.design_changed.connect(self._on_design_changed)
        self.update_problems()

    def _on_design_changed(self, batch) -> None:
        if self.count() and events.touches(batch, events.Renamed):
            self.update_problems()

    def update_problems(self, *_):
        analysis, design = self.document.analyzer.analysis, self.document.design
        problems = [r for r in analysis.problems if r.id in design]
        self.clear()
        for r in problems:
            node = design.node(r.id)
            item = QListWidgetItem(f"{escape(node.label)} ({node.type}): {r.error}")
            item.setData(Qt.UserRole, r.id)
            item.setToolTip(r.error)
            self.addItem(item)
        if not problems:
            item = QListWidgetItem("No problems: every layer has a shape and a cost.")
            item.setFlags(Qt.NoItemFlags)
            self.addItem(item)

    def node_ids(self) -> list[str]:
        return [self.item(i).data(Qt.UserRole) for i in range(self.count()) if self.item(i).data(Qt.UserRole)]

    def _focus(self, item) -> None:
        node_id = item.data(Qt.UserRole)
        if node_id and node_id in self.document.design:
            self.document.focus(node_id)
