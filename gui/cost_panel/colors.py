"""One colour per cost class, shared by the bars, the legend and the breakdown table."""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

from core import breakdown as bd

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
HIGHLIGHT_EDGE = QColor("#202020")
CURVE = QColor("#303030")

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
