"""The cost panel's colours: one per cost class, shared by the bars, the legend and the breakdown
table, and the panel's own page, axis, card and delta colours for each scheme."""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

from archcanvas.core import breakdown as bd

_FIXED = {
    bd.CONV_1X1: "#4C72B0",
    "Conv2D 3×3": "#DD8452",
    "Conv2D 5×5": "#C44E52",
    "Conv2D 7×7": "#A0522D",
    bd.DEPTHWISE: "#55A868",
    bd.SEPARABLE: "#17A2B8",
    bd.DENSE: "#8172B3",
    bd.POOLING: "#937860",
    bd.NORMALIZATION: "#8C8C8C",
    bd.ACTIVATION: "#B5B5B5",
    bd.MERGE: "#DA8BC3",
    bd.OTHER: "#C8C8C8",
}
# Other kernels (1×7, 7×1, 11×11 …): a stable pick from warm colours, the same in every session.
_MORE_KERNELS = ("#E377C2", "#BCBD22", "#7F3C8D", "#D4A017", "#B22222", "#CD853F")

HIGHLIGHT = QColor("#FF9F1C")

# The panel's own colours (chart page, axes, cards, deltas) in each theme; the class colours
# above read well on both pages.
SCHEMES = {
    "light": {"page": "#ffffff", "text": "#404040", "title": "#303030", "muted": "#606060",
              "axis": "#909090", "curve": "#303030", "edge": "#202020", "card": "#F6F7F9",
              "card_border": "#E1E4E8", "card_title": "#5F6368", "card_value": "#202124",
              "good": "#1B7F3B", "bad": "#B3261E", "same": "#707070", "error": "#B00020"},
    "dark": {"page": "#1f1f22", "text": "#c8c8cc", "title": "#e2e2e6", "muted": "#a0a0a8",
             "axis": "#66666e", "curve": "#e6e6e6", "edge": "#ffffff", "card": "#2a2a2e",
             "card_border": "#3e3e45", "card_title": "#a0a0a8", "card_value": "#ededf0",
             "good": "#5cc47c", "bad": "#ff7b72", "same": "#9a9aa2", "error": "#ff8a80"},
}


def scheme_colors(scheme: str) -> dict[str, str]:
    return SCHEMES["dark" if scheme == "dark" else "light"]


_cache: dict[str, QColor] = {}


def class_color(label: str) -> QColor:
    color = _cache.get(label)
    if color is None:
        hex_ = _FIXED.get(label) or _MORE_KERNELS[zlib.crc32(label.encode()) % len(_MORE_KERNELS)]
        color = _cache[label] = QColor(hex_)
    return color


def dimmed(color: QColor) -> QColor:
    """The colour of a bar that is not selected while others are: same hue, faded."""
    c = QColor(color)
    c.setAlpha(70)
    return c
