"""Scaling explorer: sweep a template or the open design over α and ρ, plot MACs against params
(log axes), and open any variant with a double-click.

The variants are computed one per event-loop tick, so the window stays responsive and a progress
bar shows how far the sweep is; Close stops it."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout)

from archcanvas.core import sweep
from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.templates import TEMPLATES
from archcanvas.core.units import exact, human
from archcanvas.gui.explore.paper_points import PAPER_POINTS

CURRENT = "the open design"


def parse_list(text: str, kind) -> list:
    """``"0.5, 1"`` → ``[0.5, 1.0]``; raises ValueError with the part that is not a number."""
    parts = [t.strip() for t in text.split(",") if t.strip()]
    out = []
    for t in parts:
        try:
            x = kind(t)
        except ValueError:
            raise ValueError(f"{t!r} is not {'an integer' if kind is int else 'a number'}") from None
        if not math.isfinite(x) or x <= 0:
            raise ValueError(f"{t!r} must be above 0")
        out.append(x)
    return out


class SweepDialog(QDialog):
    open_variant = Signal(object)  # a Design

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Scaling sweep")
        self.setObjectName("explore.sweep")
        self.document = document
        self.source_box = QComboBox()
        self.source_box.addItems([CURRENT] + list(TEMPLATES))
        self.alphas = QLineEdit("0.25, 0.5, 0.75, 1.0")
        self.resolutions = QLineEdit("128, 160, 192, 224")
        self.run_button = QPushButton("Run")
        self.run_button.clicked.connect(self.start)
        self.progress = QProgressBar()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Sweep", self.source_box)
        form.addRow("Width α", self.alphas)
        form.addRow("Resolution ρ", self.resolutions)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLogMode(x=True, y=True)
        self.plot.setLabel("bottom", "params")
        self.plot.setLabel("left", "MACs")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.points = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(40, 110, 200, 200), hoverable=True)
        self.points.sigClicked.connect(self._clicked)
        self.paper = pg.ScatterPlotItem(size=12, symbol="x", pen=pg.mkPen(200, 60, 40, width=2), brush=None)
        self.plot.addItem(self.points)
        self.plot.addItem(self.paper)
        self.plot.addLegend(offset=(10, 10))
        self.open_button = QPushButton("Open variant")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.run_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.plot, 1)
        box.addWidget(self.progress)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.open_button)
        box.addLayout(bottom)
        self.rows: list[dict] = []
        self.selected: dict | None = None
        self._pending: list = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)
        self.resize(760, 560)

    # running --------------------------------------------------------------------------------
    def _source(self) -> sweep.Source:
        name = self.source_box.currentText()
        return sweep.from_design(self.document.design) if name == CURRENT else sweep.Source(template=name)

    def start(self) -> bool:
        try:
            alphas, res = parse_list(self.alphas.text(), float), parse_list(self.resolutions.text(), int)
        except ValueError as err:
            self.status.setText(f"Cannot sweep: {err}")
            return False
        if not alphas and not res:
            self.status.setText("Cannot sweep: give at least one width or resolution")
            return False
        self.source = self._source()
        self._pending = sweep.variants(alphas or None, res or None)
        self.rows, self.selected = [], None
        self.progress.setRange(0, len(self._pending))
        self.progress.setValue(0)
        self.open_button.setEnabled(False)
        self._show_paper()
        self._timer.start(0)
        return True

    def _step(self) -> None:
        if not self._pending:
            self._timer.stop()
            failed = [r for r in self.rows if "error" in r]
            self.status.setText(f"{len(self.rows) - len(failed)} variants" +
                                (f"; {len(failed)} cannot be computed (first: {failed[0]['error']})" if failed else "")
                                + ". Click a point for its figures, double-click to open it.")
            return
        self.rows.append(sweep.evaluate(self.source, self._pending.pop(0)))
        self.progress.setValue(len(self.rows))
        self._redraw()

    def run_to_end(self) -> None:
        """Finish the sweep now (tests and scripts)."""
        while self._pending:
            self._step()
        self._step()

    def _redraw(self) -> None:
        good = [r for r in self.rows if "error" not in r and r["params"] > 0 and r["macs"] > 0]
        self.points.setData([{"pos": (math.log10(r["params"]), math.log10(r["macs"])), "data": r} for r in good])

    def _show_paper(self) -> None:
        pts = PAPER_POINTS.get(self.source_box.currentText(), [])
        self.paper.setData([{"pos": (math.log10(p), math.log10(m)), "data": label} for label, m, p in pts])
        legend = self.plot.plotItem.legend
        legend.clear()
        legend.addItem(self.points, "variants")
        if pts:
            legend.addItem(self.paper, "paper")

    # choosing -------------------------------------------------------------------------------
    def _clicked(self, _item, spots, *_) -> None:
        if spots:
            self.select(spots[0].data())

    def select(self, row: dict) -> None:
        self.selected = row
        self.open_button.setEnabled(True)
        what = ", ".join(f"{k} {row[k]}" for k in ("alpha", "resolution") if row.get(k) is not None)
        self.status.setText(f"{what}: {exact(row['params'])} params ({human(row['params'])}), "
                            f"{exact(row['macs'])} MACs ({human(row['macs'])})")

    def open_selected(self) -> bool:
        if self.selected is None:
            return False
        v = sweep.Variant(self.selected["alpha"], self.selected["resolution"], self.selected.get("phi"))
        try:
            design = self.source.build(v)
        except ArchCanvasError as err:
            self.status.setText(str(err))
            return False
        self.open_variant.emit(design)
        return True

    def mouseDoubleClickEvent(self, event):  # a double-click anywhere opens the chosen variant
        if self.selected is not None:
            self.open_selected()
        super().mouseDoubleClickEvent(event)

    def done(self, result):
        self._timer.stop()
        super().done(result)
