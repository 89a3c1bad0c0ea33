"""The cost panel's Memory tab: live activation memory over the execution order, with the peak
marked and a budget line, and the roofline latency of every layer on a chosen device.

The figures come from ``core.estimates.compute`` (the same numbers as ``archcanvas report``).
Bars follow the run order; a bar over the budget is drawn in the warning colour. Clicking a bar
emits ``bar_clicked`` (the panel focuses that layer); ``set_selection`` highlights the selected
layers' bars, as the other charts do. The options (fusing, depthwise in place, budget, device)
are the tab's own view settings; the dtype is the document's.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QSpinBox, QToolTip, QVBoxLayout, QWidget)

from archcanvas.core import estimates, latency, memory
from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.units import exact, human_bytes

from archcanvas.gui.cost_panel.chart_items import GroupedBars, LayerAxis, ValueAxis
from archcanvas.gui.theme import current_scheme
from archcanvas.gui.theme.chart import HIGHLIGHT, scheme_colors

NO_DEVICE = "no device"
BAR = {"ok": "#4C72B0", "over": "#C44E52", "compute": "#DD8452", "memory": "#55A868", "faded": "#B8C2D6"}


class _Chart:
    def __init__(self, layout: pg.GraphicsLayoutWidget, row: int, title: str):
        self.axis = LayerAxis()
        self.value_axis = ValueAxis()
        self.value_axis.enableAutoSIPrefix(False)  # its labels carry their units (2M), as the other charts'
        self.value_axis.setWidth(62)
        self.plot = layout.addPlot(row=row, col=0, axisItems={"bottom": self.axis, "left": self.value_axis})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().setMouseEnabled(x=True, y=False)
        self.title = title
        self.plot.setLabel("left", title)
        self.bars = GroupedBars(x=np.zeros(0), height=np.zeros(0), width=0.8, pen=None, brush=BAR["ok"])
        self.plot.addItem(self.bars)
        self.colors: list[str] = []

    def set_scheme_colors(self, colors: dict[str, str]) -> None:
        for axis in (self.axis, self.value_axis):
            axis.setTextPen(colors["text"])
            axis.setPen(colors["axis"])
        self.set_title(self.title, colors["title"])

    def set_title(self, title: str, color=None) -> None:
        self.title = title
        self.plot.setLabel("left", title, **({"color": color} if color else {}))

    def set(self, values: np.ndarray, colors: list[str], names: list[str], floor: float = 0.0) -> None:
        self.axis.names = names
        self.colors = colors
        brushes = [pg.mkBrush(c) for c in colors] if colors else None
        pens = [pg.mkPen(c) for c in colors] if colors else None
        self.bars.setOpts(x=np.arange(len(values), dtype=float), height=values.astype(float), width=0.8,
                          brushes=brushes, pens=pens)
        top = max(float(values.max()) if len(values) else 0.0, floor)
        self.plot.setYRange(0, top * 1.08 or 1.0, padding=0)
        self.plot.setXRange(-0.6, max(len(values), 1) - 0.4, padding=0)

    def index_at(self, scene_pos) -> int | None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        x = vb.mapSceneToView(scene_pos).x()
        i = int(round(x))
        return i if 0 <= i < len(self.colors) and abs(x - i) <= 0.5 else None


class MemoryView(QWidget):
    bar_clicked = Signal(str)  # node id
    options_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fuse_box = QCheckBox("Fuse")
        self.fuse_box.setChecked(True)
        self.fuse_box.setToolTip("Batch norm and activations run in place after a single producer, "
                                 "ZeroPadding2D is folded into the next convolution or pooling")
        self.depthwise_box = QCheckBox("Depthwise in place")
        self.depthwise_box.setToolTip("A depthwise convolution writes its output over its input")
        self.budget_spin = QSpinBox()
        self.budget_spin.setRange(0, 2**31 - 1)
        self.budget_spin.setSuffix(" KiB")
        self.budget_spin.setSpecialValueText("no budget")
        self.budget_spin.setToolTip("A memory budget (e.g. the SRAM of a microcontroller): layers over it turn red")
        self.device_box = QComboBox()
        self.device_box.addItem(NO_DEVICE)
        self.devices = latency.builtin_devices()
        self.device_box.addItems(list(self.devices))
        self.device_box.setToolTip("Estimate latency by a roofline on this device (an estimate, not a measurement)")
        self.profile_button = QPushButton("Profile…")
        self.profile_button.setToolTip("Add a device profile from a JSON file (name, peak_flops, memory_bandwidth), "
                                       "e.g. one written by 'archcanvas calibrate'")
        self.profile_button.clicked.connect(self._choose_profile)
        self.measured_spin = QDoubleSpinBox()
        self.measured_spin.setRange(0.0, 1e7)
        self.measured_spin.setDecimals(3)
        self.measured_spin.setSuffix(" ms")
        self.measured_spin.setSpecialValueText("not measured")
        self.measured_spin.setToolTip("The latency you measured for this design on the device: the profile is "
                                      "scaled so that the estimate matches it")
        self.measured_spin.valueChanged.connect(self.options_changed)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        for w in (self.fuse_box, self.depthwise_box):
            w.toggled.connect(self.options_changed)
        self.budget_spin.valueChanged.connect(self._recolor)
        self.device_box.currentTextChanged.connect(self.options_changed)
        # Two short rows that may be clipped rather than widen the panel: it is often a narrow dock,
        # and a tab's minimum width is the whole tab widget's.
        options = QWidget()
        options.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        rows = QVBoxLayout(options)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        for widgets in ((self.fuse_box, self.depthwise_box, QLabel("Budget"), self.budget_spin),
                        (QLabel("Device"), self.device_box, self.profile_button, QLabel("Measured"),
                         self.measured_spin)):
            row = QHBoxLayout()
            for w in widgets:
                row.addWidget(w)
            row.addStretch(1)
            rows.addLayout(row)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.charts = pg.GraphicsLayoutWidget()
        self.memory_chart = _Chart(self.charts, 0, "Live bytes")
        self.latency_chart = _Chart(self.charts, 1, "Latency ms")
        self.latency_chart.plot.setXLink(self.memory_chart.plot)
        self.set_scheme(current_scheme())
        self.budget_line = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#C44E52", width=1.5,
                                                                              style=Qt.PenStyle.DashLine))
        self.memory_chart.plot.addItem(self.budget_line)
        self.peak_marker = pg.ScatterPlotItem(symbol="t", size=12, brush=pg.mkBrush("#C44E52"), pen=None)
        self.memory_chart.plot.addItem(self.peak_marker)
        self.charts.scene().sigMouseClicked.connect(self._on_click)
        self.charts.scene().sigMouseMoved.connect(self._on_move)
        self.message = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(options)
        lay.addWidget(self.summary)
        lay.addWidget(self.charts, 1)
        self.ids: list[str] = []
        self.live = np.zeros(0)
        self.seconds = np.zeros(0)
        self.bounds: list[str] = []
        self.selected: set[str] = set()
        self.estimates: estimates.Estimates | None = None

    def set_scheme(self, scheme: str) -> None:
        colors = scheme_colors(scheme)
        self.charts.setBackground(colors["page"])
        for chart in (self.memory_chart, self.latency_chart):
            chart.set_scheme_colors(colors)

    # options ------------------------------------------------------------------------------
    def options(self, dtype: str) -> memory.Options:
        return memory.Options(dtype, self.fuse_box.isChecked(), self.depthwise_box.isChecked())

    def device(self) -> latency.Device | None:
        """The chosen profile; scaled to the measured latency when one is entered."""
        return self.devices.get(self.device_box.currentText())

    def add_profile(self, path: str) -> str:
        """Add the profile in ``path`` to the device list and choose it; its name, or raises
        ``ArchCanvasError`` with the file's one-line problem."""
        device = latency.load_device(path)
        self.devices[device.name] = device
        if self.device_box.findText(device.name) < 0:
            self.device_box.addItem(device.name)
        self.device_box.setCurrentText(device.name)
        self.options_changed.emit()
        return device.name

    def _choose_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Device profile", "", "Device profile (*.json)")
        if path:
            try:
                self.add_profile(path)
            except (ArchCanvasError, OSError) as err:
                self.message = str(err)
                self.summary.setText(f"<span style='color:#C44E52'>{_esc(self.message)}</span>")

    def measured_seconds(self) -> float:
        return self.measured_spin.value() / 1e3

    @property
    def budget_bytes(self) -> int:
        return self.budget_spin.value() * 1024

    def set_budget_kib(self, kib: int) -> None:
        self.budget_spin.setValue(kib)

    # data ---------------------------------------------------------------------------------
    def set_data(self, design, analysis, dtype: str, names: dict[str, str]) -> None:
        if not analysis.ok:
            self.estimates, self.ids = None, []
            self.live, self.seconds, self.bounds = np.zeros(0), np.zeros(0), []
            self.summary.setText("Some layers cannot be computed: no memory or latency estimate.")
            self._draw(names)
            return
        device = self.device()
        if device and self.measured_seconds() > 0:
            first = latency.estimate(design, analysis, device, dtype).seconds
            if first > 0:
                device = latency.scaled(device, first, self.measured_seconds())
        e = self.estimates = estimates.compute(design, analysis, self.options(dtype), device)
        self.ids = list(e.memory.order)
        self.live = np.array([e.memory.during[n] for n in self.ids], dtype=float)
        lat = e.latency
        self.seconds = np.array([lat.layers[n].seconds if lat and n in lat.layers else 0.0 for n in self.ids])
        self.bounds = [lat.layers[n].bound if lat and n in lat.layers else "" for n in self.ids]
        m = e.memory
        peak_name = names.get(m.peak_layer, m.peak_layer or "-")
        text = (f"Peak <b>{human_bytes(m.peak_bytes)}</b> at {peak_name} · largest tensor "
                f"{human_bytes(m.largest_tensor_bytes)} · ")
        text += (f"best order peaks at {human_bytes(e.best_peak_bytes)} (saves {human_bytes(e.saving_bytes)})"
                 if e.saving_bytes > 0 else "the design's order is the best")
        if not self.device():
            text += " · pick a device for a latency estimate"
        elif lat:
            scaled = " scaled to the measured latency" if self.measured_seconds() > 0 else ""
            text += f" · latency ≈ <b>{lat.seconds * 1e3:.2f} ms</b> on {_esc(lat.device.name)} (roofline estimate{scaled})"
        self.summary.setText(text)
        self._draw(names)

    def _draw(self, names: dict[str, str]) -> None:
        labels = [names.get(n, n) for n in self.ids]
        self.memory_chart.set(self.live, self._memory_colors(), labels, self.budget_bytes)
        self.latency_chart.set(self.seconds * 1e3, self._latency_colors(), labels)
        # no device, no latency: the memory chart takes the whole height (the hint is in the summary)
        self.latency_chart.set_title("Latency ms")  # short: the chart may be 90 px tall
        self.latency_chart.plot.setVisible(bool(self.device()))
        if self.estimates and self.ids:
            i = self.ids.index(self.estimates.memory.peak_layer)
            self.peak_marker.setData([i], [self.live[i] * 1.04])
        else:
            self.peak_marker.setData([], [])
        self._place_budget()

    def _place_budget(self) -> None:
        self.budget_line.setVisible(self.budget_bytes > 0)
        self.budget_line.setValue(self.budget_bytes)

    def _memory_colors(self) -> list[str]:
        budget, sel = self.budget_bytes, self.selected
        out = []
        for n, v in zip(self.ids, self.live):
            c = BAR["over"] if budget and v > budget else BAR["ok"]
            out.append(HIGHLIGHT.name() if n in sel else (BAR["faded"] if sel and c == BAR["ok"] else c))
        return out

    def _latency_colors(self) -> list[str]:
        sel = self.selected
        return [HIGHLIGHT.name() if n in sel else BAR["faded"] if sel else BAR.get(b, BAR["ok"])
                for n, b in zip(self.ids, self.bounds)]

    def _recolor(self, *_) -> None:
        self.memory_chart.set(self.live, self._memory_colors(), self.memory_chart.axis.names, self.budget_bytes)
        self._place_budget()

    def over_budget(self) -> list[str]:
        budget = self.budget_bytes
        return [n for n, v in zip(self.ids, self.live) if budget and v > budget]

    # selection ----------------------------------------------------------------------------
    def set_selection(self, ids) -> None:
        selected = set(ids) & set(self.ids)
        if selected != self.selected:
            self.selected = selected
            self.memory_chart.set(self.live, self._memory_colors(), self.memory_chart.axis.names, self.budget_bytes)
            self.latency_chart.set(self.seconds * 1e3, self._latency_colors(), self.latency_chart.axis.names)

    def bar_color(self, which: str, node_id: str) -> QColor:
        chart = self.memory_chart if which == "memory" else self.latency_chart
        return QColor(chart.colors[self.ids.index(node_id)])

    def bar_scene_pos(self, which: str, node_id: str):
        from PySide6.QtCore import QPointF

        chart = self.memory_chart if which == "memory" else self.latency_chart
        i = self.ids.index(node_id)
        h = (self.live if which == "memory" else self.seconds * 1e3)[i]
        return chart.plot.getViewBox().mapViewToScene(QPointF(i, h / 2))

    def tooltip(self, i: int) -> str:
        n = self.ids[i]
        e = self.estimates
        lines = [f"<b>{_esc(self.memory_chart.axis.names[i])}</b>",
                 f"live while it runs: <b>{exact(int(self.live[i]))} B</b> ({human_bytes(int(self.live[i]))})"]
        if e:
            if n == e.memory.peak_layer:
                lines.append("the peak")
            f = e.fields.get(n)
            if f:
                lines.append(f"receptive field {f.size[0]}×{f.size[1]}, output stride {f.stride[0]}×{f.stride[1]}"
                             + (" (the whole input)" if f.whole_input else ""))
            if e.latency and n in e.latency.layers:
                t = e.latency.layers[n]
                lines.append(f"latency {t.seconds * 1e3:.4f} ms, {t.bound}-bound "
                             f"({t.intensity:.1f} FLOP/byte), an estimate")
        return "<br>".join(lines)

    def _on_move(self, scene_pos) -> None:
        for chart in (self.memory_chart, self.latency_chart):
            i = chart.index_at(scene_pos)
            if i is not None:
                pos = self.charts.viewport().mapToGlobal(self.charts.mapFromScene(scene_pos))
                QToolTip.showText(pos, self.tooltip(i), self.charts)
                return
        QToolTip.hideText()

    def _on_click(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and not ev.double():
            self.click_at(ev.scenePos())

    def click_at(self, scene_pos) -> str | None:
        for chart in (self.memory_chart, self.latency_chart):
            i = chart.index_at(scene_pos)
            if i is not None:
                self.bar_clicked.emit(self.ids[i])
                return self.ids[i]
        return None


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
