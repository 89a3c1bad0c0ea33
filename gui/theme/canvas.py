"""Every colour and size the canvas paints with, in one place, for a light and a dark scheme.

Items never pick colours themselves: they read ``theme()``. ``set_scheme("dark")`` swaps the
palette; the view then repaints (``CanvasView.set_scheme`` does both). The main window connects
``gui.theme.ThemeManager.changed`` to ``CanvasView.set_scheme``. The application palette and the
cost panel's colours are beside this module, in ``gui.theme``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor

# one hue per layer category, chosen to stay apart for the common ones (conv, pool, merge)
_CATEGORY_HUES = {
    "Core": "#5b6b7f",
    "Convolution": "#2f6fd0",
    "Pooling": "#1b998b",
    "Merge": "#8e5bd0",
    "Normalization": "#d08a2f",
    "Activation": "#c94f7c",
    "Regularization": "#7a8b3a",
    "Reshaping": "#6b7f95",
}


@dataclass(frozen=True)
class CanvasTheme:
    name: str
    background: str
    grid_minor: str
    grid_major: str
    node_fill: str
    node_border: str
    node_shadow: str          # drawn under each node, with alpha
    header_tint: int          # alpha (0-255) of the category colour behind the header
    text: str
    subtext: str
    shape_text: str
    selection: str
    port_fill: str
    port_border: str
    port_hover: str
    edge: str
    edge_selected: str
    edge_blocked: str
    wire_ok: str              # the rubber wire over a valid target
    error: str
    blocked_text: str
    heat_track: str
    heat_low: str             # colour of a node with a small share of the MACs
    heat_high: str            # colour of the node with the largest share
    group_fill: str           # with alpha
    group_border: str
    group_text: str
    rubber_band: str
    categories: dict = field(default_factory=lambda: dict(_CATEGORY_HUES))

    def category(self, name: str) -> QColor:
        return QColor(self.categories.get(name, "#6b7f95"))

    def heat(self, share: float) -> QColor:
        """Interpolated between ``heat_low`` and ``heat_high`` (share in 0..1)."""
        lo, hi = QColor(self.heat_low), QColor(self.heat_high)
        t = min(max(share, 0.0), 1.0)
        return QColor.fromRgbF(lo.redF() + (hi.redF() - lo.redF()) * t,
                               lo.greenF() + (hi.greenF() - lo.greenF()) * t,
                               lo.blueF() + (hi.blueF() - lo.blueF()) * t)


LIGHT = CanvasTheme(
    name="light",
    background="#f6f7f9", grid_minor="#eceef2", grid_major="#dfe2e8",
    node_fill="#ffffff", node_border="#c9ced8", node_shadow="#1a2333", header_tint=38,
    text="#1d2430", subtext="#5d6675", shape_text="#1d2430",
    selection="#2f6fd0",
    port_fill="#ffffff", port_border="#7d8695", port_hover="#2f6fd0",
    edge="#8a93a3", edge_selected="#2f6fd0", edge_blocked="#c3c8d0", wire_ok="#1b998b",
    error="#d64541", blocked_text="#9aa1ad",
    heat_track="#edf0f4", heat_low="#f4c95d", heat_high="#e0452b",
    group_fill="#2f6fd014", group_border="#9fb3d6", group_text="#4c6185",
    rubber_band="#2f6fd0",
)

DARK = CanvasTheme(
    name="dark",
    background="#1e1f23", grid_minor="#25272c", grid_major="#2e3137",
    node_fill="#2b2d33", node_border="#444852", node_shadow="#000000", header_tint=70,
    text="#e6e8ec", subtext="#a2a8b4", shape_text="#f2f3f5",
    selection="#5a9bff",
    port_fill="#2b2d33", port_border="#8b93a1", port_hover="#5a9bff",
    edge="#7d8593", edge_selected="#5a9bff", edge_blocked="#4a4e57", wire_ok="#3cc7b5",
    error="#ff6b61", blocked_text="#6d737e",
    heat_track="#3a3d45", heat_low="#c9a23f", heat_high="#ff5a3c",
    group_fill="#5a9bff14", group_border="#4d6491", group_text="#9db5e0",
    rubber_band="#5a9bff",
)

_SCHEMES = {"light": LIGHT, "dark": DARK}
_current = LIGHT


def theme() -> CanvasTheme:
    return _current


def set_scheme(name: str) -> CanvasTheme:
    global _current
    if name not in _SCHEMES:
        raise ValueError(f"canvas scheme must be one of {', '.join(_SCHEMES)}, got {name!r}")
    _current = _SCHEMES[name]
    return _current


def color(value: str) -> QColor:
    """``#rrggbb`` or ``#rrggbbaa`` (CSS order, unlike Qt's ``#aarrggbb``)."""
    if len(value) == 9:
        c = QColor(value[:7])
        c.setAlpha(int(value[7:], 16))
        return c
    return QColor(value)
