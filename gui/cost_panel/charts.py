"""Per-layer bar charts: parameters and MACs (or FLOPs), layers in topological order.

Each chart is one ``BarGraphItem`` updated in place with ``setOpts`` (never rebuilt), plus one
curve for the cumulative share. Log scale transforms the heights (``chart_items.log_heights``),
since pyqtgraph's bar item ignores the plot's log mode. The cumulative curve shares the bars'
view box, drawn as ``share × top`` where ``top`` is the top of the y range; the right axis shows
the same coordinate scaled by ``100 / top``, so it reads 0–100 % at any zoom without a second
view box (which would steal the mouse).
"""

from __future__ import annotations

from math import ceil, floor

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QToolTip

from archcanvas.core.shapes import fmt_shape
from archcanvas.core.units import exact, human

from archcanvas.gui.cost_panel.chart_items import GroupedBars, LayerAxis, ValueAxis, log_heights, nice_top
from archcanvas.gui.theme import current_scheme
from archcanvas.gui.theme.chart import HIGHLIGHT, class_color, dimmed, scheme_colors

BAR_WIDTH = 0.8
Y_MARGIN = 0.015
_NO_PEN = QPen(Qt.PenStyle.NoPen)


class _BarPlot:
    """One PlotItem: bars, cumulative curve, and the axes that read them."""

    def __init__(self, layout: pg.GraphicsLayoutWidget, row: int, title: str):
        # the title goes on the left axis: the panel is often a short dock, and a title row
        # over each chart would take a fifth of its height
        self.value_axis = ValueAxis()
        self.value_axis.enableAutoSIPrefix(False)  # its labels carry their units (6G), not "(x1e+09)"
        self.layer_axis = LayerAxis()
        self.plot = layout.addPlot(row=row, col=0, axisItems={"left": self.value_axis,
                                                              "bottom": self.layer_axis})
        p = self.plot
        p.showAxis("right")
        self.share_axis = p.getAxis("right")
        # always 0–100 %; pyqtgraph would pick an SI prefix from the range it saw before the
        # scale changed (an edit that leaves every layer at 0 showed "80000 (x1e-03)")
        self.share_axis.enableAutoSIPrefix(False)
        p.setMenuEnabled(False)
        p.hideButtons()
        vb = p.getViewBox()
        vb.setMouseEnabled(x=True, y=False)  # zoom and pan along the layers only
        vb.disableAutoRange()
        vb.sigXRangeChanged.connect(self.fit_y)
        for axis in (self.value_axis, self.layer_axis, self.share_axis):
            # Replaying an axis's text costs ~2 ms per paint; a cached pixmap is a blit. The
            # y range moves in round steps (fit_y), so an edit rarely redraws an axis.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.title = title
        self.colors = scheme_colors("light")
        for axis in (self.value_axis, self.share_axis):
            # the range ends exactly at 0 and at a round top: let those two labels show
            axis.setStyle(hideOverlappingLabels=False)
        self.value_axis.setWidth(62)
        self.share_axis.setWidth(44)
        self.bars = GroupedBars(x=np.zeros(0), height=np.zeros(0), width=BAR_WIDTH,
                                    pen=None, brush="#4C72B0")
        p.addItem(self.bars)
        # a staircase: across each bar, the share reached once that layer is counted
        self.curve = pg.PlotDataItem(stepMode="center")
        p.addItem(self.curve)
        self.set_scheme_colors(self.colors)
        self.values = np.zeros(0, dtype=np.int64)
        self.heights = np.zeros(0)
        self.top = 0.0
        self._curve_x = self._share = None
        self._color_key = None

    def set_title(self, title: str) -> None:
        self.title = title
        self.value_axis.setLabel(title, color=self.colors["title"], **{"font-weight": "600"})

    def set_scheme_colors(self, colors: dict[str, str]) -> None:
        self.colors = colors
        for axis in (self.value_axis, self.layer_axis, self.share_axis):
            axis.setTextPen(colors["text"])
            axis.setPen(colors["axis"])
            axis.picture = None  # the cached text was drawn in the old colour
            axis.update()
        self.set_title(self.title)  # after setTextPen, which would reset the label's colour
        self.share_axis.setLabel("cumulative %", color=colors["muted"])
        self.curve.setPen(pg.mkPen(colors["curve"], width=1.5))

    def set_values(self, values: np.ndarray, log: bool, brushes, pens) -> None:
        self.values = values
        n = len(values)
        self.heights = log_heights(values) if log else values.astype(np.float64)
        x = np.arange(n, dtype=np.float64)
        self.bars.setOpts(x=x, height=self.heights, width=BAR_WIDTH)
        self.set_colors(brushes, pens)
        total = float(values.sum())
        if n and total > 0:
            self._curve_x = np.arange(n + 1, dtype=np.float64) - 0.5  # the bars' edges
            self._share = np.cumsum(values, dtype=np.float64) / total
        else:
            self._curve_x = self._share = None
        sticky = log == self.value_axis.log
        if not sticky:
            self.value_axis.log = log
            self.value_axis.picture = None
            self.value_axis.update()
        self.plot.getViewBox().setLimits(xMin=-1.0, xMax=max(n, 1) + 0.0)
        self.fit_y(force_curve=True, sticky=sticky)

    def fit_y(self, *_, force_curve: bool = False, sticky: bool = False) -> None:
        """Fit the y range to the bars in view, rounded up to a round number. ``sticky`` (after
        an edit) keeps the range while the tallest bar still fills at least half of it (a
        decade and a half on the log scale): the axes stay still, and a repaint need not
        redraw their text, which costs more than the bars."""
        vb = self.plot.getViewBox()
        lo, hi = vb.viewRange()[0]
        visible = self.heights[max(0, ceil(lo - 0.4)):max(0, floor(hi + 0.4) + 1)]
        tallest = float(visible.max()) if len(visible) else 0.0
        log = self.value_axis.log
        top = nice_top(tallest, log)
        if sticky and self.top and tallest <= self.top and (
                tallest > self.top - 1.5 if log else tallest > 0.5 * self.top):
            top = self.top
        changed = top != self.top
        if changed:
            self.top = top
            # a sliver beyond 0 and the top, or pyqtgraph drops the labels sitting on the ends
            vb.setYRange(-Y_MARGIN * top, (1 + Y_MARGIN) * top, padding=0)
            self.share_axis.setScale(100.0 / top)
        if changed or force_curve:
            if self._share is None:
                self.curve.setData([0.0], [])
            else:
                self.curve.setData(self._curve_x, self._share * top)

    def set_colors(self, brushes, pens) -> None:
        # The styles are shared cached objects, so comparing identities is cheap; handing
        # BarGraphItem the same 1,000 brushes again would cost more than the rest of a redraw.
        key = None if brushes is None else (tuple(map(id, brushes)), tuple(map(id, pens)))
        if key != self._color_key or key is None:
            self._color_key = key
            self.bars.setOpts(brushes=brushes, pens=pens)

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
        self.scheme = ""
        self.edge = QColor(scheme_colors("light")["edge"])
        self.ci.layout.setSpacing(2)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.params_plot = _BarPlot(self, 0, "Params")
        self.cost_plot = _BarPlot(self, 1, "MACs")
        self.cost_plot.plot.setXLink(self.params_plot.plot)
        self.params_plot.layer_axis.setStyle(showValues=False)
        self.params_plot.layer_axis.setHeight(6)
        self.metric = "macs"
        self.log = False
        self.ids: list[str] = []
        self.names: list[str] = []
        self.classes: list[str] = []
        self._data: dict[str, np.ndarray] = {}
        self.describe = lambda node_id: (node_id, "", None, "")  # name, type, shape, error
        self.selected: set[str] = set()
        self._index: dict[str, int] = {}
        self._brush_cache: dict[tuple[str, int], tuple[QBrush, QPen]] = {}
        self._styles_of = None  # (classes, selection, the lists _colors made for them)
        self._pens_of: dict[str, tuple] = {}  # per plot: (pens, which values are 0, the pens drawn)
        self.scene().sigMouseMoved.connect(self._on_move)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.setMouseTracking(True)
        self.set_scheme(current_scheme())

    # data ---------------------------------------------------------------------------------
    def set_data(self, ids: list[str], names: list[str], data: dict[str, np.ndarray],
                 classes: dict[str, str], selection=()) -> None:
        """One bar per layer in ``ids`` (topological order); ``data`` holds the "params", "macs"
        and "flops" arrays in that order; ``classes``: id → cost class; ``selection``: ids
        whose bars are highlighted."""
        new_ids = list(ids)
        structure_changed = new_ids != self.ids
        self.ids = new_ids
        self.names = list(names)
        self._data = data
        if structure_changed:
            self._index = {n: i for i, n in enumerate(new_ids)}
        self.classes = [classes.get(n, "Other") for n in new_ids]
        for bp in (self.params_plot, self.cost_plot):
            axis = bp.layer_axis
            if axis.names != self.names:
                # the axis keeps its text in a cached picture (and a pixmap): a wire that
                # reorders the layers without moving the range must still redraw the names
                axis.names = self.names
                axis.picture = None
                axis.update()
        self.selected = {n for n in selection if n in self._index}
        self._redraw()
        if structure_changed:
            self.params_plot.plot.getViewBox().setXRange(-0.6, max(len(new_ids), 1) - 0.4, padding=0)

    def set_scheme(self, scheme: str) -> None:
        """Recolour the page, axes, curve and selection edge for the ``light`` or ``dark`` theme."""
        if scheme == self.scheme:
            return
        self.scheme = scheme
        colors = scheme_colors(scheme)
        self.setBackground(colors["page"])
        self.edge = QColor(colors["edge"])
        self._brush_cache.clear()
        self._styles_of, self._pens_of = None, {}
        self._color_key_reset()
        for bp in (self.params_plot, self.cost_plot):
            bp.set_scheme_colors(colors)
        if self.ids:
            self._redraw()

    def _color_key_reset(self) -> None:
        for bp in (self.params_plot, self.cost_plot):
            bp._color_key = None

    def background(self) -> QColor:
        return self.backgroundBrush().color()

    def set_metric(self, metric: str) -> None:
        if metric not in self.METRICS:
            raise ValueError(f"unknown metric {metric!r} (known: {', '.join(self.METRICS)})")
        self.metric = metric
        self.cost_plot.set_title(self.METRICS[metric])
        self._redraw()

    def set_log(self, on: bool) -> None:
        self.log = bool(on)
        self._redraw()

    def set_selection(self, ids) -> None:
        selected = {n for n in ids if n in self._index}
        if selected != self.selected:
            self.selected = selected
            brushes, pens = self._colors()
            for bp in (self.params_plot, self.cost_plot):
                bp.set_colors(brushes, self._pens_for(bp, bp.values, pens))

    def reset_view(self) -> None:
        self.params_plot.plot.getViewBox().setXRange(-0.6, max(len(self.ids), 1) - 0.4, padding=0)

    def _values(self, key: str) -> np.ndarray:
        return self._data.get(key, np.zeros(len(self.ids), dtype=np.int64))

    def _redraw(self) -> None:
        brushes, pens = self._colors()
        for bp, values in ((self.params_plot, self._values("params")),
                           (self.cost_plot, self._values(self.metric))):
            bp.set_values(values, self.log, brushes, self._pens_for(bp, values, pens))

    def _style(self, label: str, state: int) -> tuple[QBrush, QPen]:
        """state 0: normal, 1: selected, 2: faded (others are selected)."""
        key = (label, state)
        style = self._brush_cache.get(key)
        if style is None:
            base = class_color(label)
            fill = HIGHLIGHT if state == 1 else dimmed(base) if state == 2 else base
            # a cosmetic 1-px outline keeps bars narrower than a pixel visible on big designs
            pen = QPen(self.edge if state == 1 else fill)
            pen.setCosmetic(True)
            pen.setWidth(1 if state != 1 else 2)
            style = self._brush_cache[key] = (QBrush(fill), pen)
        return style

    def _colors(self):
        if not self.ids:  # BarGraphItem fails on empty pen lists (pyqtgraph 0.14): use its single pen
            return None, None
        sel = self.selected
        cached = self._styles_of
        # an edit that changes no layer's class or the selection keeps every bar's style: the
        # same lists again (compared in C), not a Python call per bar
        if cached is not None and cached[1] == sel and cached[0] == self.classes and len(cached[0]) == len(self.ids):
            return cached[2]
        styles = [self._style(c, (1 if n in sel else 2) if sel else 0)
                  for n, c in zip(self.ids, self.classes)]
        out = [s[0] for s in styles], [s[1] for s in styles]
        self._styles_of = (list(self.classes), set(sel), out)
        return out

    def _pens_for(self, bp: _BarPlot, values: np.ndarray, pens):
        # a zero-cost layer gets no outline, so free layers leave no line along the axis
        # (unless selected: then its place is marked)
        if pens is None:
            return None
        zero = np.asarray(values == 0, dtype=bool)
        cached = self._pens_of.get(bp.title)
        if cached is not None and cached[0] is pens and np.array_equal(cached[1], zero):
            return cached[2]
        out = [p if not z or p.color() == self.edge else _NO_PEN for p, z in zip(pens, zero)]
        self._pens_of[bp.title] = (pens, zero, out)
        return out

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
        name, type_name, out_shape, error = self.describe(self.ids[i])
        metric = "Params" if which == "params" else self.METRICS[self.metric]
        value = int(self.values(which)[i])
        total = int(self.values(which).sum())
        share = f" · {100.0 * value / total:.2f}% of total" if total else ""
        shape = fmt_shape(out_shape) if out_shape is not None else "not computed"
        lines = [f"<b>{_esc(name)}</b> — {_esc(type_name)} ({_esc(self.classes[i])})",
                 f"output {shape}",
                 f"{metric}: <b>{exact(value)}</b> ({human(value)}){share}"]
        if error:
            color = scheme_colors(self.scheme)["error"]
            lines.append(f"<span style='color:{color}'>{_esc(error)}</span>")
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
