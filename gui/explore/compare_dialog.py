"""Two designs side by side: per-group and per-layer tables of A, B and B − A (core.diff), and a
chart of both designs' MACs per block."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QLabel, QTableView, QTabWidget, QVBoxLayout

from archcanvas.core import diff
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.units import exact

FIGURES = (("params", "params"), ("macs", "MACs"), ("activations", "activations"))


def _item(value, number=False) -> QStandardItem:
    item = QStandardItem("" if value is None else (f"{value:+,}" if number == "delta" else
                                                  exact(value) if number else str(value)))
    if number:
        item.setData(0 if value is None else value, Qt.UserRole + 1)
        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    item.setEditable(False)
    return item


def table_model(entries: list[dict]) -> QStandardItemModel:
    model = QStandardItemModel()
    headers = ["name"]
    for _, text in FIGURES:
        headers += [f"{text} A", f"{text} B", f"Δ {text}"]
    model.setHorizontalHeaderLabels(headers)
    for e in entries:
        row = [_item(e["name"])]
        for key, _ in FIGURES:
            row += [_item(None if e["a"] is None else e["a"][key], True),
                    _item(None if e["b"] is None else e["b"][key], True), _item(e["delta"][key], "delta")]
        model.appendRow(row)
    model.setSortRole(Qt.UserRole + 1)
    return model


class CompareDialog(QDialog):
    def __init__(self, a: Design, b: Design, parent=None, a_label: str = "A", b_label: str = "B"):
        super().__init__(parent)
        self.setWindowTitle(f"Compare: {a_label} → {b_label}")
        self.setObjectName("explore.compare")
        ana, anb = analyze(a), analyze(b)
        box = QVBoxLayout(self)
        if not (ana.ok and anb.ok):
            box.addWidget(QLabel("One of the designs has layers that cannot be computed; its figures are partial."))
        self.result = diff.diff(a, ana, b, anb)
        t = self.result["totals"]
        summary = "   ".join(f"{text}: {exact(t['a'][k])} → {exact(t['b'][k])} ({t['delta'][k]:+,})"
                               for k, text in FIGURES)
        head = QLabel(f"A: {a_label}\nB: {b_label}\n{summary}")
        head.setObjectName("explore.compare.totals")
        head.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(head)
        self.tabs = QTabWidget()
        self.models = {}
        for name, entries in (("Blocks", self.result["groups"]), ("Layers", self.result["layers"])):
            view = QTableView()
            self.models[name] = model = table_model(entries)
            view.setModel(model)
            view.setSortingEnabled(True)
            view.resizeColumnsToContents()
            self.tabs.addTab(view, name)
        self.chart = pg.PlotWidget(background="w")
        self._chart(self.result["groups"] or self.result["layers"])
        self.tabs.addTab(self.chart, "Chart")
        box.addWidget(self.tabs, 1)
        self.resize(900, 560)

    def _chart(self, entries: list[dict]) -> None:
        x = np.arange(len(entries))
        a = np.array([0 if e["a"] is None else e["a"]["macs"] for e in entries], dtype=float)
        b = np.array([0 if e["b"] is None else e["b"]["macs"] for e in entries], dtype=float)
        self.chart.addLegend()
        self.chart.addItem(pg.BarGraphItem(x=x - 0.2, height=a, width=0.4, brush=(120, 120, 200), name="A"))
        self.chart.addItem(pg.BarGraphItem(x=x + 0.2, height=b, width=0.4, brush=(230, 140, 60), name="B"))
        self.chart.getAxis("bottom").setTicks([[(i, e["name"]) for i, e in enumerate(entries)]])
        self.chart.setLabel("left", "MACs")
