"""Per-layer bar charts: parameters and MACs (or FLOPs), layers in topological order.

Each chart is one ``BarGraphItem`` updated in place with ``setOpts`` (never rebuilt), plus one
curve for the cumulative share. pyqtgraph's ``BarGraphItem`` ignores the plot's log mode (a
height of 81 would be drawn as 10^81), so log scale is done here: heights become
``log10(1 + value)`` and the left axis puts its ticks at 0, 1, 10, 100, … labelled with the real
values. The cumulative curve shares the bars' view box, drawn as ``share × top`` where ``top``
is the tallest bar; the right axis shows the same coordinate scaled by ``100 / top``, so it reads
0–100 % at any zoom without a second view box (which would steal the mouse).
"""

from __future__ import annotations

from math import ceil, floor, log10

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QToolTip

from core.shapes import fmt_shape
from core.units import exact, human

from .colors import CURVE, HIGHLIGHT, HIGHLIGHT_EDGE, class_color, dimmed

BAR_WIDTH = 0.8
_NO_PEN = QPen(Qt.PenStyle.NoPen)


def log_heights(values: np.ndarray) -> np.ndarray:
    """Bar heights for the log scale: ``log10(1 + v)``, so 0 stays 0 and 10^k sits near k."""
    return np.log10(1.0 + np.asarray(values, dtype=np.float64))


def log_position(value: float) -> float:
    return log10(1.0 + value)


class ValueAxis(pg.AxisItem):
    """Left axis: readable units (25M), and decades at their log positions in log mode."""

    def __init__(self, **kw):
        super().__init__("left", **kw)
        self.log = False

    def tickValues(self, minVal, maxVal, size):
        if not self.log:
            return super().tickValues(minVal, maxVal, size)
        lo, hi = sorted((minVal, maxVal))
        top = max(0, floor(hi + 1e-9))
        # 0, then 10, 100, …: a tick for 1 would sit too close to 0 to read
        decades = [0.0] + [log_position(10.0**k) for k in range(1, top + 1)]
        shown = [p for p in decades if lo - 1e-9 <= p <= hi + 1e-9]
        step = max(1, ceil(len(shown) * 18 / max(size, 1)))  # keep labels ≥ 18 px apart
        return [(1.0, shown[::-1][::step][::-1])]

    def tickStrings(self, values, scale, spacing):
        if self.log:
            return [human(round(10.0**v - 1.0)) for v in values]
        return [human(v * scale) if v * scale >= 1 or v == 0 else f"{v * scale:g}" for v in values]


class LayerAxis(pg.AxisItem):
    """Bottom axis: layer names when each fits, otherwise layer numbers (1 = first in order)."""

    def __init__(self, **kw):
        super().__init__("bottom", **kw)
        self.names: list[str] = []

    def tickValues(self, minVal, maxVal, size):
        n = len(self.names)
        lo, hi = max(0, ceil(minVal)), min(n - 1, floor(maxVal))
        if n == 0 or hi < lo:
            return []
        px_per_layer = size / max(maxVal - minVal, 1e-9)
        if px_per_layer >= 74:
            return [(1.0, list(range(lo, hi + 1)))]
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10**9)
                    if s * px_per_layer >= 34)
        first = (lo + step) // step * step - 1  # numbers 10, 20, … sit on layers 9, 19, …
        return [(float(step), [i for i in range(max(first, 0), hi + 1, step)])]

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            i = int(round(v))
            if spacing <= 1.0 and 0 <= i < len(self.names):
                name = self.names[i]
                out.append(name if len(name) <= 11 else name[:10] + "…")
            else:
                out.append(str(i + 1))
        return out


class _BarPlot:
    """One PlotItem: bars, cumulative curve, and the axes that read them."""

    def __init__(self, layout: pg.GraphicsLayoutWidget, row: int, title: str):
        self.value_axis = ValueAxis()
        self.layer_axis = LayerAxis()
        self.plot = layout.addPlot(row=row, col=0, axisItems={"left": self.value_axis,
                                                              "bottom": self.layer_axis})
        p = self.plot
        p.setTitle(title, size="10pt", color="#303030")
        p.showAxis("right")
        self.share_axis = p.getAxis("right")
        self.share_axis.setLabel("cumulative %", color="#606060")
        p.setMenuEnabled(False)
        p.hideButtons()
        p.showGrid(x=False, y=True, alpha=0.15)
        vb = p.getViewBox()
        vb.setMouseEnabled(x=True, y=False)  # zoom and pan along the layers only
        vb.enableAutoRange(axis="y")
        vb.setAutoVisible(y=True)
        for axis in (self.value_axis, self.layer_axis, self.share_axis):
            axis.setTextPen("#404040")
            axis.setPen("#909090")
        self.value_axis.setWidth(46)
        self.share_axis.setWidth(40)
        self.bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=BAR_WIDTH,
                                    pen=None, brush="#4C72B0")
        p.addItem(self.bars)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(CURVE, width=1.5))
        p.addItem(self.curve)
        self.values = np.zeros(0, dtype=np.int64)

    def set_values(self, values: np.ndarray, log: bool, brushes, pens) -> None:
        self.values = values
        n = len(values)
        heights = log_heights(values) if log else values.astype(np.float64)
        x = np.arange(n, dtype=np.float64)
        self.bars.setOpts(x=x, height=heights, width=BAR_WIDTH, brushes=brushes, pens=pens)
        total = float(values.sum())
        top = float(heights.max()) if n else 0.0
        if n and total > 0 and top > 0:
            share = np.cumsum(values, dtype=np.float64) / total
            # a step at each bar's right edge: the share reached once this layer is counted
            self.curve.setData(np.concatenate(([-0.5], x + 0.5)), np.concatenate(([0.0], share * top)))
            self.share_axis.setScale(100.0 / top)
        else:
            self.curve.setData([], [])
            self.share_axis.setScale(1.0)
        self.value_axis.log = log
        self.value_axis.picture = None
        self.value_axis.update()
        vb = self.plot.getViewBox()
        vb.setLimits(xMin=-1.0, xMax=max(n, 1) + 0.0)

    def index_at(self, scene_pos) -> int | None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        x = vb.mapSceneToView(scene_pos).x()
        i = int(round(x))
        return i if 0 <= i < len(self.values) and abs(x - i) <= 0.5 else None


class LayerCharts(pg.GraphicsLayoutWidget):
    """Two stacked per-layer charts (params above, MACs or FLOPs below) with linked x axes."""

    bar_clicked = Signal(str)  # node id

    METRICS = {"macs": "MACs", "flops": "FLOPs"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground("w")
        self.ci.layout.setSpacing(2)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.params_plot = _BarPlot(self, 0, "Parameters per layer")
        self.cost_plot = _BarPlot(self, 1, "MACs per layer")
        self.cost_plot.plot.setXLink(self.params_plot.plot)
        self.params_plot.layer_axis.setStyle(showValues=False)
        self.params_plot.layer_axis.setHeight(6)
        self.metric = "macs"
        self.log = False
        self.ids: list[str] = []
        self.rows: list = []
        self.classes: list[str] = []
        self.selected: set[str] = set()
        self._index: dict[str, int] = {}
        self._brush_cache: dict[tuple[str, int], tuple[QBrush, QPen]] = {}
        self.scene().sigMouseMoved.connect(self._on_move)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.setMouseTracking(True)

    # data ---------------------------------------------------------------------------------
    def set_rows(self, rows, classes: dict[str, str]) -> None:
        """``rows`` from ``core.report.rows`` (topological order); ``classes``: id → cost class."""
        new_ids = [r.id for r in rows]
        structure_changed = new_ids != self.ids
        self.rows = rows
        self.ids = new_ids
        self._index = {n: i for i, n in enumerate(new_ids)}
        self.classes = [classes.get(n, "Other") for n in new_ids]
        names = [r.name for r in rows]
        self.params_plot.layer_axis.names = names
        self.cost_plot.layer_axis.names = names
        self.selected &= set(new_ids)
        self._redraw()
        if structure_changed:
            self.params_plot.plot.getViewBox().setXRange(-0.6, max(len(new_ids), 1) - 0.4, padding=0)

    def set_metric(self, metric: str) -> None:
        if metric not in self.METRICS:
            raise ValueError(f"unknown metric {metric!r} (known: {', '.join(self.METRICS)})")
        self.metric = metric
        self.cost_plot.plot.setTitle(f"{self.METRICS[metric]} per layer", size="10pt", color="#303030")
        self._redraw()

    def set_log(self, on: bool) -> None:
        self.log = bool(on)
        self._redraw()

    def set_selection(self, ids) -> None:
        self.selected = {n for n in ids if n in self._index}
        brushes, pens = self._colors()
        for bp in (self.params_plot, self.cost_plot):
            bp.bars.setOpts(brushes=brushes, pens=self._pens_for(bp.values, pens))

    def reset_view(self) -> None:
        self.params_plot.plot.getViewBox().setXRange(-0.6, max(len(self.ids), 1) - 0.4, padding=0)

    def _values(self, key: str) -> np.ndarray:
        return np.fromiter((getattr(r, key) for r in self.rows), dtype=np.int64, count=len(self.rows))

    def _redraw(self) -> None:
        brushes, pens = self._colors()
        for bp, values in ((self.params_plot, self._values("params")),
                           (self.cost_plot, self._values(self.metric))):
            bp.set_values(values, self.log, brushes, self._pens_for(values, pens))

    def _style(self, label: str, state: int) -> tuple[QBrush, QPen]:
        """state 0: normal, 1: selected, 2: faded (others are selected)."""
        key = (label, state)
        style = self._brush_cache.get(key)
        if style is None:
            base = class_color(label)
            fill = HIGHLIGHT if state == 1 else dimmed(base) if state == 2 else base
            # a cosmetic 1-px outline keeps bars narrower than a pixel visible on big designs
            pen = QPen(HIGHLIGHT_EDGE if state == 1 else fill)
            pen.setCosmetic(True)
            pen.setWidth(1 if state != 1 else 2)
            style = self._brush_cache[key] = (QBrush(fill), pen)
        return style

    def _colors(self):
        if not self.ids:  # BarGraphItem fails on empty pen lists (pyqtgraph 0.14): use its single pen
            return None, None
        sel = self.selected
        styles = [self._style(c, (1 if n in sel else 2) if sel else 0)
                  for n, c in zip(self.ids, self.classes)]
        return [s[0] for s in styles], [s[1] for s in styles]

    def _pens_for(self, values: np.ndarray, pens):
        # a zero-cost layer gets no outline, so free layers leave no line along the axis
        # (unless selected: then its place is marked)
        if pens is None:
            return None
        return [p if v or p.color() == HIGHLIGHT_EDGE else _NO_PEN for p, v in zip(pens, values)]

    # what the charts show (tests read these) ----------------------------------------------
    def heights(self, which: str) -> np.ndarray:
        """Drawn bar heights of ``"params"`` or ``"cost"`` (log-transformed in log mode)."""
        return np.asarray(self._plot(which).bars.opts["height"])

    def values(self, which: str) -> np.ndarray:
        return self._plot(which).values

    def bar_brush(self, which: str, node_id: str) -> QColor:
        bars = self._plot(which).bars
        return bars.opts["brushes"][self._index[node_id]].color()

    def _plot(self, which: str) -> _BarPlot:
        return {"params": self.params_plot, "cost": self.cost_plot}[which]

    def bar_scene_pos(self, which: str, node_id: str) -> QPointF:
        """The scene point at the middle of a bar (its lower half for tiny bars)."""
        bp = self._plot(which)
        i = self._index[node_id]
        h = float(self.heights(which)[i])
        return bp.plot.getViewBox().mapViewToScene(QPointF(i, h / 2))

    # mouse --------------------------------------------------------------------------------
    def hit(self, scene_pos) -> tuple[str, int] | None:
        """Which bar is under a scene point: the whole column of a layer counts, so the bar of
        a layer with a tiny value can still be hovered and clicked."""
        for which, bp in (("params", self.params_plot), ("cost", self.cost_plot)):
            i = bp.index_at(scene_pos)
            if i is not None:
                return which, i
        return None

    def tooltip(self, which: str, i: int) -> str:
        r = self.rows[i]
        metric = "Params" if which == "params" else self.METRICS[self.metric]
        value = int(self.values(which)[i])
        total = int(self.values(which).sum())
        share = f" · {100.0 * value / total:.2f}% of total" if total else ""
        shape = fmt_shape(r.output_shape) if r.output_shape is not None else "not computed"
        lines = [f"<b>{_esc(r.name)}</b> — {_esc(r.type)} ({_esc(self.classes[i])})",
                 f"output {shape}",
                 f"{metric}: <b>{exact(value)}</b> ({human(value)}){share}"]
        if r.error:
            lines.append(f"<span style='color:#B00020'>{_esc(r.error)}</span>")
        return "<br>".join(lines)

    def _on_move(self, scene_pos) -> None:
        hit = self.hit(scene_pos)
        if hit is None:
            QToolTip.hideText()
            return
        global_pos = self.viewport().mapToGlobal(self.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, self.tooltip(*hit), self)

    def _on_click(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        self.click_at(ev.scenePos())

    def click_at(self, scene_pos) -> str | None:
        """What a left click at ``scene_pos`` does: emits ``bar_clicked`` for the bar there."""
        hit = self.hit(scene_pos)
        if hit is None:
            return None
        node_id = self.ids[hit[1]]
        self.bar_clicked.emit(node_id)
        return node_id


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
