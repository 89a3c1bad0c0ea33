"""What a node shows when zoomed out: the most important texts that fit, at a size read on screen.

``fit_lines(name, shape, cost, width, height, lod)`` is the whole rule, a pure function of the
texts, the box (scene units) and the zoom (``lod``: screen pixels per scene unit):

- Sizes are chosen in screen pixels: the name at ``NAME_PX`` if it fits whole, shrinking to
  ``MIN_PX`` (the smallest size still read without effort) before it is elided; the shape and
  the cost a little smaller, never under ``MIN_PX``.
- Lines go in order of importance, name > shape > cost, while they fit the box's height; the
  shape and the cost are shown whole or not at all (a cut number misleads).
- A name too long for one line may break after an underscore onto two (``3x3_`` / ``reduce``)
  when both fit whole at a legible size; otherwise it is elided in the middle (``block6…_conv``),
  so both the block and the layer kind stay readable. It is always there: if even ``MIN_PX`` is too tall for the box (far out), it is
  drawn as large as the box allows.

Results are cached per text and zoom step (``quantize``), so painting thousands of nodes at one
zoom measures each text once.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

NAME_PX = 10.5   # the name's size on screen, when it fits
MIN_PX = 7.5     # legible minimum on screen
DETAIL = 0.9     # shape and cost, relative to the name
STEPS = 24       # zoom steps per doubling for the cache (a text is at most 3 % larger than chosen)


def quantize(lod: float) -> float:
    """``lod`` rounded down to one of ``STEPS`` steps per doubling (what the cache is keyed on;
    down, so a text is never smaller on screen than the size chosen for it)."""
    return 2.0 ** (math.floor(math.log2(max(lod, 1e-4)) * STEPS + 1e-9) / STEPS)


@lru_cache(maxsize=64)
def font(px: int, bold: bool) -> QFont:
    f = QFont()
    f.setPixelSize(max(1, px))
    if bold:
        f.setWeight(QFont.Weight.DemiBold)
    return f


@lru_cache(maxsize=64)
def metrics(px: int, bold: bool) -> QFontMetricsF:
    return QFontMetricsF(font(px, bold))


def _px(screen_px: float, lod: float) -> int:
    """A font size in scene pixels that shows as ``screen_px`` on screen at ``lod``."""
    return max(1, round(screen_px / lod))


def _fits(text: str, px: int, bold: bool, width: float) -> bool:
    return metrics(px, bold).horizontalAdvance(text) <= width


REF = 100  # px at which a text is measured once; other sizes are estimated from it, then checked


@lru_cache(maxsize=16384)
def _advance(text: str, bold: bool) -> float:
    return metrics(REF, bold).horizontalAdvance(text)


def _largest(text: str, bold: bool, width: float, top: int) -> int:
    """The largest px up to ``top`` at which ``text`` fits ``width`` (1 if none)."""
    px = max(1, min(top, int(width * REF / max(_advance(text, bold), 1e-6))))
    while px > 1 and not _fits(text, px, bold, width):  # hinting: the estimate may be a px off
        px -= 1
    return px


def _name_line(name: str, width: float, height: float, lod: float) -> tuple[str, int]:
    top, low = _px(NAME_PX, lod), _px(MIN_PX, lod)
    # far out: as large as the box allows (line height is near enough linear in px; then checked)
    top = max(1, min(top, int(height * REF / metrics(REF, True).height())))
    while top > 1 and metrics(top, True).height() > height:
        top -= 1
    px = _largest(name, True, width, top)
    if px >= low or px == top:
        return name, px
    px = max(1, min(top, low))
    text = metrics(px, True).elidedText(name, Qt.TextElideMode.ElideMiddle, width)
    while px > 1 and len(text.replace("…", "")) < min(2, len(name)):  # never a bare ellipsis
        px -= max(1, px // 8)
        text = metrics(px, True).elidedText(name, Qt.TextElideMode.ElideMiddle, width)
    return (text or name[:1]), px


def _split(name: str, width: float, height: float, lod: float):
    """``((head, tail), px)``: a name too long for one line at ``MIN_PX``, broken after an
    underscore onto two lines that fit whole at ``MIN_PX`` or more; None when none does. Of the
    breaks that allow the largest size, the most even one (``pool1_`` / ``3x3_s2``, not
    ``pool1_3x3_`` / ``s2``)."""
    low, top = _px(MIN_PX, lod), _px(NAME_PX, lod)
    while top > low and 2 * metrics(top, True).height() > height:  # two lines must fit the box
        top -= 1
    if 2 * metrics(low, True).height() > height:
        return None
    best, best_key = None, None
    for i in (k + 1 for k, c in enumerate(name[:-1]) if c == "_"):
        head, tail = name[:i], name[i:]
        px = min(_largest(head, True, width, top), _largest(tail, True, width, top))
        key = (px, -max(len(head), len(tail)))
        if px >= low and (best_key is None or key > best_key):
            best, best_key = ((head, tail), px), key
    return best


@lru_cache(maxsize=8192)
def fit_lines(name: str, shape: str, cost: str, width: float, height: float,
              lod: float) -> tuple[tuple[str, int, bool], ...]:
    """``(text, font px in scene units, bold)`` for each line to draw, top to bottom; the name's
    lines are the bold ones."""
    text, px = _name_line(name, width, height, lod)
    halves = _split(name, width, height, lod) if text != name else None
    lines = [(half, halves[1], True) for half in halves[0]] if halves else [(text, px, True)]
    px = lines[0][1]
    used = len(lines) * metrics(px, True).height()
    detail = _px(max(MIN_PX, NAME_PX * DETAIL if px >= _px(NAME_PX, lod) else MIN_PX), lod)
    spacing = metrics(detail, False).height()
    for extra in (shape, cost):
        if not extra or used + spacing > height or not _fits(extra, detail, False, width):
            break
        lines.append((extra, detail, False))
        used += spacing
    return tuple(lines)


def line_height(px: int, bold: bool) -> float:
    return metrics(px, bold).height()
