"""The cost panel: totals on top, then Charts | Breakdown | Table | Memory, following the open document.

Updates are coalesced: ``analysis_updated`` only starts a short single-shot timer, and the
panel rebuilds its figures once when it fires, however many edits arrived meanwhile. The
interval grows with the time the last update took (as long as it, at most 250 ms), so on a
large design a burst of edits leaves the window at least half of its time to respond. ``flush()``
runs a pending update at once (tests).

The panel reads ``document.analysis``, the analysis as of the document's last refresh. The "Memory as"
choice is the document's (``document.dtype``), shared with the inspector, the status bar and the
CSV export. The Table tab's Export button only asks (``export_requested``): the File menu's
export (``FileActions.export_csv``) writes the file, so there is one way a report is written.

A pin compares a design with itself over time, or with another design opened after it (pin A,
open B); the cards then name the pinned design instead of "pin", and the label says it is
another design's. File ▸ New clears it: an empty design has nothing to compare. Totals of a design with layers not computed are partial (``partial_text``),
and no change against the pin is shown unless both the pin and the totals are complete.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QRadioButton, QSizePolicy, QTabWidget, QVBoxLayout, QWidget,
)

from archcanvas.core import breakdown, report
from archcanvas.core import events
from archcanvas.core.units import human
from archcanvas.gui.text import count, short_name

from archcanvas.core.refactors import copy as copy_design
from archcanvas.gui.cost_panel.baseline import Baseline
from archcanvas.gui.cost_panel.breakdown_view import BreakdownView
from archcanvas.gui.cost_panel.charts import LayerCharts
from archcanvas.gui.theme import current_scheme
from archcanvas.gui.theme.chart import class_color, scheme_colors
from archcanvas.gui.cost_panel.memory_view import MemoryView
from archcanvas.gui.cost_panel.report_table import ReportTable
from archcanvas.gui.cost_panel.totals import TotalsView, partial_text

COALESCE_MS = 5
MAX_COALESCE_MS = 250
NO_PIN_HINT = "Pin the current figures: as you keep editing, the cards show the change against them."


class CostPanel(QWidget):
    summary_changed = Signal(str)  # one line of totals for the status bar
    export_requested = Signal()    # the Export button: FileActions.export_csv answers it

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("costPanel")
        self.document = document
        self.baseline: Baseline | None = None
        self.pinned_design = None  # a copy of the design when it was pinned
        self.totals: dict = report.totals(document.analyzer.analysis, document.dtype)
        self.partial = ""
        self.last_update_ms = 0.0
        self.updates = 0
        self._pending = False
        self._dirty: set | None = None  # ids to reclassify; None: all of them
        self._classes: dict[str, str] = {}
        self._reset_view = {"charts", "table"}
        self._stale: set[str] = set()
        self._chart_changed: set | None = None  # ids whose bars are behind; None: all of them
        self._chart_rows = None  # (analysis.order, ids, {id: position}) the bars were laid out for
        self._syncing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._update)

        self.totals_view = TotalsView()
        self.charts = LayerCharts()
        self.breakdown = BreakdownView()
        self.report_table = ReportTable()
        self.memory_view = MemoryView()
        # the pieces tests and the main window reach for
        self.model, self.proxy = self.report_table.model, self.report_table.proxy
        self.table = self.report_table.view
        self.filter_edit, self.export_button = self.report_table.filter_edit, self.report_table.export_button
        self._build_layout()

        document.analysis_updated.connect(self._schedule)
        document.design_replaced.connect(self._on_replaced)
        document.selection_changed.connect(self._on_selection)
        document.design_changed.connect(self._on_design_event)
        document.dtype_changed.connect(self._on_dtype_changed)
        self.charts.describe = self._describe
        self.tabs.currentChanged.connect(self._refresh_visible)
        self.charts.bar_clicked.connect(self._focus)
        self.breakdown.rows_activated.connect(document.set_selection)
        self.breakdown.options_changed.connect(self._breakdown_options_changed)
        self.report_table.ids_selected.connect(self._on_table_selection)
        self.report_table.id_activated.connect(self._focus)
        self.report_table.export_requested.connect(self.export_requested)
        self.memory_view.bar_clicked.connect(self._focus)
        self.memory_view.options_changed.connect(self._memory_options_changed)
        self.scheme = ""
        self.set_scheme(current_scheme())
        self._schedule()
        self.flush()

    def set_scheme(self, scheme: str) -> None:
        """Follow the ``light`` or ``dark`` theme (``gui.theme.ThemeManager.changed``)."""
        self.scheme = scheme
        colors = scheme_colors(scheme)
        self.charts.set_scheme(scheme)
        self.memory_view.set_scheme(scheme)
        self.totals_view.set_scheme(scheme)
        self.pin_label.setStyleSheet(f"color: {colors['card_title']};")
        self.model.set_error_color(QColor(colors["error"]))

    # layout --------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.dtype_box = QComboBox()
        self.dtype_box.addItems(list(report.DTYPE_BYTES))
        self.dtype_box.setCurrentText(self.document.dtype)
        self.dtype_box.setToolTip("Bytes per number for the weight and activation memory "
                                  "(also in the inspector, the status bar and the CSV export)")
        self.dtype_box.currentTextChanged.connect(self.set_dtype)
        self.pin_button = QPushButton("Pin")
        self.pin_button.setToolTip(NO_PIN_HINT)
        self.pin_button.clicked.connect(self.pin)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Forget the pinned figures")
        self.clear_button.clicked.connect(self.clear_pin)
        self.clear_button.setEnabled(False)
        self.pin_label = QLabel("")
        self.pin_label.setToolTip(NO_PIN_HINT)
        # The options sit in the tab bar's corner: the panel is usually a short bottom dock,
        # and every row above the charts is taken from them.
        corner = QWidget()
        bar = QHBoxLayout(corner)
        bar.setContentsMargins(0, 0, 2, 2)
        bar.setSpacing(6)
        bar.addWidget(self.pin_label)
        bar.addSpacing(6)
        bar.addWidget(self.pin_button)
        bar.addWidget(self.clear_button)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Memory as"))
        bar.addWidget(self.dtype_box)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._charts_tab(), "Charts")
        self.tabs.addTab(self.breakdown, "Breakdown")
        self.tabs.addTab(self.report_table, "Table")
        self.tabs.addTab(self.memory_view, "Memory")
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self._tab_names = ("charts", "breakdown", "table", "memory")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(6)
        lay.addWidget(self.totals_view)
        lay.addWidget(self.tabs, 1)

    def _charts_tab(self) -> QWidget:
        self.macs_radio = QRadioButton("MACs")
        self.flops_radio = QRadioButton("FLOPs")
        self.macs_radio.setChecked(True)
        self.macs_radio.setToolTip("Multiply-accumulates: the papers' mult-adds")
        self.flops_radio.setToolTip("2 × MACs plus elementwise work (bias, activation, norm, pooling)")
        group = QButtonGroup(self)
        group.addButton(self.macs_radio)
        group.addButton(self.flops_radio)
        self.macs_radio.toggled.connect(lambda on: self.set_metric("macs" if on else "flops"))
        self.log_box = QCheckBox("Log scale")
        self.log_box.setToolTip("Bar heights on a log scale (axis labelled with real values)")
        self.log_box.toggled.connect(self.charts.set_log)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.addWidget(self.macs_radio)
        row.addWidget(self.flops_radio)
        row.addSpacing(12)
        row.addWidget(self.log_box)
        row.addSpacing(18)
        row.addWidget(self.legend, 1)
        tab = QWidget()
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.charts, 1)
        return tab

    # following the document ----------------------------------------------------------------
    def _schedule(self, changed=None) -> None:
        if changed is None:
            self._dirty = None
            self._chart_changed = None
        else:
            if self._dirty is not None:
                self._dirty |= set(changed)
            if self._chart_changed is not None:
                self._chart_changed |= set(changed)
        self._pending = True
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Run a pending update now."""
        if self._pending:
            self._timer.stop()
            self._update()

    def _on_design_event(self, batch) -> None:
        if events.touches(batch, events.Renamed):  # names are not part of the analysis: no analysis_updated
            self._schedule(set())
            self._chart_changed = None  # the names under the bars

    def _on_replaced(self) -> None:
        self._reset_view = {"charts", "table"}
        if self.baseline is not None:
            if len(self.document.design) == 0:
                self.clear_pin()  # File ▸ New: nothing to compare with the pin
            else:
                self.baseline = replace(self.baseline, other_design=True)
                self._show_pin()
        self._schedule(None)

    def _update(self) -> None:
        start = time.perf_counter()
        self._pending = False
        doc = self.document
        design, analysis = doc.design, doc.analyzer.analysis
        self.totals = report.totals(analysis, self.dtype)
        self.partial = partial_text(design, analysis)
        self._classify(design, analysis)
        # Only what is on screen is rebuilt now; a hidden tab (or a hidden panel) catches up
        # when it is shown. On a 1,000-layer design the report rows alone take several ms.
        self._stale = {"charts", "breakdown", "table", "memory"}
        self._refresh_visible()
        self.totals_view.set_totals(self.totals, self.dtype, self.baseline, self.partial)
        self.updates += 1
        self.last_update_ms = (time.perf_counter() - start) * 1000
        self._timer.setInterval(int(min(MAX_COALESCE_MS, max(COALESCE_MS, self.last_update_ms))))
        self.summary_changed.emit(self.summary_text())

    def _refresh_visible(self, *_) -> None:
        if self.isVisible():
            self.refresh_view(self._tab_names[self.tabs.currentIndex()])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._refresh_visible()

    def show_tab(self, name: str) -> None:
        """Bring "charts", "breakdown", "table" or "memory" to the front (it updates if it is behind)."""
        self.tabs.setCurrentIndex(self._tab_names.index(name))

    def refresh_view(self, name: str) -> None:
        """Bring one tab ("charts", "breakdown" or "table") up to date if it is behind."""
        if name in self._stale:
            self._stale.discard(name)
            getattr(self, f"_refresh_{name}")()

    def _refresh_charts(self) -> None:
        design, analysis = self.document.design, self.document.analyzer.analysis
        changed, self._chart_changed = self._chart_changed, set()
        rows = self._chart_rows
        if (changed is None or rows is None or rows[0] is not analysis.order
                or not self._patch_chart_data(changed, rows[2])):
            # the layers or their order changed: every bar anew
            ids = [n for n in analysis.order if n in design and n in analysis.results]
            results = [analysis.results[n] for n in ids]
            self._chart_data = {key: _counts([getattr(r, key) for r in results])
                                for key in ("params", "macs", "flops")}
            # under the bars, the name without its block's prefix (the tooltip gives it whole)
            self._chart_names = [short_name(design.node(n).label, design.node(n).group) for n in ids]
            self._chart_rows = (analysis.order, ids, {n: i for i, n in enumerate(ids)})
        self.charts.set_data(self._chart_rows[1], self._chart_names, self._chart_data, self._classes,
                             self.document.selection)
        if "charts" in self._reset_view:
            self._reset_view.discard("charts")
            self.charts.reset_view()
        self._set_legend(self._classes)

    def _patch_chart_data(self, changed: set, position: dict) -> bool:
        """Bring the bars' numbers and names up to date for the ``changed`` layers only (the
        order being the same): an edit on a 5,000-layer design touches a few bars, not every
        one. False when that cannot be done (a layer gone or new, or a count past int64)."""
        design, results = self.document.design, self.document.analyzer.analysis.results
        if not all(n in position and n in design and n in results for n in changed):
            return False
        data, names = self._chart_data, self._chart_names
        try:
            for n in changed:
                i, r = position[n], results[n]
                for key in ("params", "macs", "flops"):
                    data[key][i] = getattr(r, key)
                node = design.node(n)
                names[i] = short_name(node.label, node.group)
        except OverflowError:
            return False
        return True

    def _refresh_table(self) -> None:
        design, analysis = self.document.design, self.document.analyzer.analysis
        fit = "table" in self._reset_view
        self._reset_view.discard("table")
        self.report_table.set_rows(report.rows(design, analysis, self.dtype), fit_columns=fit)
        self.report_table.select_ids(self.document.selection)

    def _refresh_breakdown(self) -> None:
        design, analysis = self.document.design, self.document.analyzer.analysis
        exclude = self.breakdown.exclude
        self.breakdown.set_shares(
            breakdown.by_class(design, analysis, exclude=exclude, classes=self._classes),
            breakdown.by_group(design, analysis, exclude=exclude, classes=self._classes))

    def _refresh_memory(self) -> None:
        design, analysis = self.document.design, self.document.analyzer.analysis
        names = {n: design.node(n).label for n in analysis.order if n in design}
        self.memory_view.set_data(design, analysis, self.dtype, names)
        self.memory_view.set_selection(self.document.selection)

    def _memory_options_changed(self) -> None:
        self._stale.add("memory")
        self._refresh_visible()

    def _breakdown_options_changed(self) -> None:
        self._stale.add("breakdown")
        self._refresh_visible()

    def _describe(self, node_id: str):
        """What a bar's tooltip says about its layer: name, type, output shape, error."""
        doc = self.document
        r = doc.analyzer.analysis.results.get(node_id)
        if node_id not in doc.design or r is None:  # removed; the charts have not caught up yet
            return node_id, "", None, "removed"
        node = doc.design.node(node_id)
        return node.label, node.type, r.shape, r.message

    def _focus(self, node_id: str) -> None:
        if node_id in self.document.design:
            self.document.focus(node_id)

    def _classify(self, design, analysis) -> dict[str, str]:
        """Cost classes, recomputed only for the nodes the analysis recomputed: a class depends
        on the node's attributes and its input's shape, and either change marks the node."""
        dirty, self._dirty = self._dirty, set()
        if dirty is None:
            self._classes = breakdown.classify(design, analysis)
        else:
            for n in dirty:
                if n in design:
                    self._classes[n] = breakdown.node_class(design, analysis, n)
                else:
                    self._classes.pop(n, None)
        return self._classes

    def _set_legend(self, classes: dict[str, str]) -> None:
        present = sorted(set(classes.values()), key=breakdown.class_rank)
        # non-breaking inside an entry, so a narrow panel wraps between entries only
        self.legend.setText("&nbsp; ".join(
            f"<span style='color:{class_color(c).name()}'>■</span>&nbsp;{c.replace(' ', '&nbsp;')}"
            for c in present))

    def summary_text(self) -> str:
        t = self.totals
        return (f"{human(t['params'])} params · {human(t['macs'])} MACs · {human(t['flops'])} FLOPs"
                f" · {count(t['layers'], 'layer')}")

    # selection -----------------------------------------------------------------------------
    def _on_selection(self, ids: list) -> None:
        self.charts.set_selection(ids)
        self.memory_view.set_selection(ids)
        if "table" not in self._stale and not self._syncing:
            self.report_table.select_ids(ids)

    def _on_table_selection(self, ids: list) -> None:
        self._syncing = True  # the document echoes the selection back; the table has it already
        try:
            self.document.set_selection(ids)
        finally:
            self._syncing = False

    # options ------------------------------------------------------------------------------
    @property
    def dtype(self) -> str:
        return self.document.dtype

    def set_dtype(self, dtype: str) -> None:
        """The combo's choice goes to the document; the panel follows ``dtype_changed``."""
        self.document.set_dtype(dtype)

    def _on_dtype_changed(self, dtype: str) -> None:
        if self.dtype_box.currentText() != dtype:
            with QSignalBlocker(self.dtype_box):
                self.dtype_box.setCurrentText(dtype)
        self._schedule()
        self.flush()

    def set_metric(self, metric: str) -> None:
        self.charts.set_metric(metric)
        (self.macs_radio if metric == "macs" else self.flops_radio).setChecked(True)

    def set_log(self, on: bool) -> None:
        self.log_box.setChecked(on)

    # baseline -----------------------------------------------------------------------------
    def pin(self) -> None:
        self.flush()
        self.baseline = Baseline.pin(self.totals, self.document.design.name, complete=not self.partial)
        # the design itself, as pinned, so Explore ▸ Compare can set it beside the current one
        self.pinned_design = copy_design(self.document.design)
        self._show_pin()
        self.totals_view.set_totals(self.totals, self.dtype, self.baseline, self.partial)

    def _show_pin(self) -> None:
        b = self.baseline
        self.clear_button.setEnabled(True)
        self.pin_label.setText(f"vs {_short(b.design_name)} {b.stamp()}" + ("" if b.complete else " (partial)")
                               + (" · another design" if b.other_design else ""))
        self.pin_label.setToolTip(
            f"Pinned: {b.describe()}"
            + ("\nAnother design is open now: the cards compare it with the pinned one" if b.other_design else "")
            + ("" if b.complete else "\nSome layers were not computed then: no change is shown against it"))

    def clear_pin(self) -> None:
        self.baseline = None
        self.pinned_design = None
        self.clear_button.setEnabled(False)
        self.pin_label.setText("")
        self.pin_label.setToolTip(NO_PIN_HINT)
        self.totals_view.set_totals(self.totals, self.dtype, None, self.partial)

    def delta_text(self, key: str) -> str:
        """The change against the pin as the totals show it, e.g. "MACs −89.7%"; "" when unpinned
        or when the pin or the totals are partial."""
        if self.baseline is None or not self.baseline.comparable(not self.partial):
            return ""
        title = {"params": "Params", "macs": "MACs", "flops": "FLOPs", "activations": "Activations"}[key]
        return f"{title} {self.baseline.delta(key, self.totals[key])}"


def _counts(values: list[int]) -> np.ndarray:
    """Bar values: int64 while they fit, else the exact Python ints (a layer can pass 2**63
    MACs); the charts draw float64 heights from either and keep the exact value for tooltips."""
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        return np.array(values, dtype=object)


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
