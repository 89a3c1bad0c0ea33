"""Chart pieces for the cost panel: the log transform, round axis ranges, the two axes and a
bar item that paints bars of one style together. See ``charts.py`` for how they are used.

pyqtgraph's ``BarGraphItem`` ignores the plot's log mode (a height of 81 would be drawn as
10^81), so log scale is done here: heights become ``log10(1 + value)`` and ``ValueAxis`` puts its
ticks at 0, 10, 100, … labelled with the real values.
"""

from __future__ import annotations

from math import ceil, floor, log10

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from archcanvas.core.units import human


def log_heights(values: np.ndarray) -> np.ndarray:
    """Bar heights for the log scale: ``log10(1 + v)``, so 0 stays 0 and 10^k sits near k."""
    return np.log10(1.0 + np.asarray(values, dtype=np.float64))


def nice_top(m: float, log: bool = False) -> float:
    """A round number a little above ``m`` for the top of the y axis (1 when ``m`` is 0); on the
    log scale the next half decade."""
    if m <= 0:
        return 1.0
    if log:
        return ceil(m * 1.02 * 2) / 2
    m *= 1.04
    exp = floor(log10(m))
    f = m / 10.0**exp
    step = next(s for s in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if f <= s + 1e-12)
    return step * 10.0**exp


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


class GroupedBars(pg.BarGraphItem):
    """A BarGraphItem that paints bars of the same brush and pen with one ``drawRects`` call.

    With a brush per bar, pyqtgraph records every bar into a QPicture with its own pen and brush
    changes and replays it at each paint, about 4 ms per chart for 1,000 bars; the bars here
    share a dozen cached styles, so grouping them makes a repaint a dozen calls. The groups'
    rectangles are computed from the bars' public options (``x``, ``height``, ``width``, as
    pyqtgraph does: centred on ``x``, from ``y0`` or 0) and cut into groups with numpy, not made
    one ``QRectF`` at a time: an edit on a 5,000-layer design changes heights, and regrouping
    must not cost a Python call per bar."""

    def setOpts(self, **opts):
        self._groups = None
        if "brushes" in opts or "pens" in opts or not hasattr(self, "_styles"):
            self._styles = None  # which bar has which style: kept while only heights change
        super().setOpts(**opts)

    def paint(self, p, *args):
        opts = self.opts  # read the public options, not pyqtgraph's private per-bar caches
        brushes, pens = opts.get("brushes"), opts.get("pens")
        if brushes is None and pens is None:
            return super().paint(p, *args)
        if self._groups is None:
            self._groups = self._group(brushes, pens)
        for brush, pen, rects in self._groups:
            p.setPen(pen)
            p.setBrush(brush)
            p.drawRects(*rects.drawargs())

    def _rects(self) -> np.ndarray:
        """Each bar as a row ``x, y, width, height`` (the options the charts set: x, height, width)."""
        o = self.opts
        x = np.asarray(o.get("x"), dtype=float).ravel()
        height = np.broadcast_to(np.asarray(o.get("height"), dtype=float), x.shape)
        width = np.broadcast_to(np.asarray(o.get("width"), dtype=float), x.shape)
        y0 = 0.0 if o.get("y0") is None else o.get("y0")
        return np.column_stack([x - width / 2, np.broadcast_to(np.asarray(y0, dtype=float), x.shape),
                                width, height])

    def _group(self, brushes, pens) -> list:
        rects = self._rects()
        n = len(rects)
        if self._styles is None or len(self._styles[0]) != n:
            brushes = brushes if brushes is not None else [self.opts.get("brush")] * n
            pens = pens if pens is not None else [self.opts.get("pen")] * n
            styles: dict = {}
            codes = np.fromiter((styles.setdefault((id(b), id(q)), (len(styles), b, q))[0]
                                 for b, q in zip(brushes, pens)), dtype=np.intp, count=n)
            self._styles = (codes, list(styles.values()))
        codes, styles = self._styles
        groups = []
        for code, brush, pen in styles:
            chosen = rects[codes == code]
            array = pg.Qt.internals.PrimitiveArray(QRectF, 4)
            array.resize(len(chosen))
            array.ndarray()[:] = chosen
            groups.append((pg.mkBrush(brush), pg.mkPen(pen), array))
        return groups
