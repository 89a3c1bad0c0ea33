"""Light and dark themes, all in this package: the application's palette and the manager that
applies it (here), the canvas's colours (``canvas``) and the cost panel's colours (``chart``).

A palette for the Fusion style, which the style sheet follows.

``system`` (the default) follows the desktop's colour scheme through
``QStyleHints.colorScheme()`` (Qt 6.5+) and changes with it while the app runs; where the
platform does not say, the light theme is used. Fusion is the one style that honours a palette
fully on every platform, so the same palette gives the same look everywhere.

The application's style sheet (``resources/style.qss``, loaded by ``gui.app``) names colours
as ``palette(...)``, so one palette restyles it too. Views that paint their own colours (the
canvas, the charts) take their colours from ``canvas`` and ``chart``, start from
``current_scheme()`` and follow ``ThemeManager.changed``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

MODES = ("system", "light", "dark")

_LIGHT = {
    "Window": "#f3f3f3", "WindowText": "#1e1e1e", "Base": "#ffffff", "AlternateBase": "#f0f0f0",
    "ToolTipBase": "#ffffdc", "ToolTipText": "#1e1e1e", "Text": "#1e1e1e", "Button": "#ececec",
    "ButtonText": "#1e1e1e", "BrightText": "#d32f2f", "Highlight": "#2f6fd0",
    "HighlightedText": "#ffffff", "Link": "#1a5fb4", "PlaceholderText": "#8a8a8a",
    "Mid": "#c8c8c8", "Dark": "#a0a0a0", "Light": "#ffffff", "Shadow": "#767676",
}
_DARK = {
    "Window": "#2b2b2e", "WindowText": "#e6e6e6", "Base": "#1f1f22", "AlternateBase": "#2a2a2e",
    "ToolTipBase": "#3a3a3f", "ToolTipText": "#e6e6e6", "Text": "#e6e6e6", "Button": "#37373c",
    "ButtonText": "#e6e6e6", "BrightText": "#ff6b6b", "Highlight": "#3d7be0",
    "HighlightedText": "#ffffff", "Link": "#7fb0ff", "PlaceholderText": "#8c8c93",
    "Mid": "#4a4a50", "Dark": "#18181a", "Light": "#505056", "Shadow": "#000000",
}
_DISABLED = {"light": "#9a9a9a", "dark": "#77777d"}

def system_scheme() -> str:
    """``light`` or ``dark`` as the desktop says (light when it does not say)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return "dark"
    return "light"


def current_scheme() -> str:
    """``dark`` when the application's palette is dark (``ThemeManager`` sets it), else ``light``:
    what a view painting its own colours starts from before ``ThemeManager.changed`` reaches it."""
    app = QApplication.instance()
    if app is None:
        return "light"
    return "dark" if app.palette().window().color().lightness() < 128 else "light"


def resolve(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"theme must be one of {', '.join(MODES)}, got {mode!r}")
    return system_scheme() if mode == "system" else mode


def palette(scheme: str) -> QPalette:
    colors = _DARK if scheme == "dark" else _LIGHT
    pal = QPalette()
    for role, value in colors.items():
        pal.setColor(getattr(QPalette.ColorRole, role), QColor(value))
    grey = QColor(_DISABLED[scheme])
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return pal


class ThemeManager(QObject):
    """Applies a mode to the application and keeps following the system in ``system`` mode."""

    changed = Signal(str)  # the scheme now shown: "light" or "dark"

    def __init__(self, app: QApplication | None = None, mode: str = "system"):
        super().__init__(app or QApplication.instance())
        self.app = app or QApplication.instance()
        self.mode = "system"
        self.scheme = ""
        self._styled = False
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_changed)
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        scheme = resolve(mode)
        self.mode = mode
        self._apply(scheme)

    def _system_changed(self, *_):
        if self.mode == "system":
            self._apply(system_scheme())

    def _apply(self, scheme: str) -> None:
        if not self._styled:  # once: setStyle re-polishes every widget
            if not self.app.property("archcanvasStyled"):  # gui.app has set Fusion already
                self.app.setStyle("Fusion")
            self._styled = True
        self.app.setPalette(palette(scheme))
        sheet = self.app.styleSheet()
        if sheet and scheme != self.scheme:
            # the style sheet (resources/style.qss) takes its colours from palette(...), which
            # Qt resolves when a sheet is set: set it again so it picks up the new palette
            self.app.setStyleSheet(sheet)
        if scheme != self.scheme:
            self.scheme = scheme
            self.changed.emit(scheme)
