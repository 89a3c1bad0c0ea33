"""Everything that makes the main window a desktop application, added by one call.

    window = MainWindow()
    window.desktop = install(window)    # gui.app.run does this right after building the window

``install`` adds the File menu (``file_actions``), the clipboard commands to the Edit menu
(``clipboard``), zoom and theme entries in the View menu, the crash handler (``crash``),
autosave and crash recovery (``recovery``) and the remembered window layout, recent files and
view options (``settings``, ``theme``). It takes a ``gui.main_window.MainWindow`` and reuses
what that window made in ``gui.actions`` (Undo/Redo, Delete, Select All, Fit, Auto-layout) and
its Edit and View menus, by direct reference (``window.window_actions``, ``window.edit_menu``,
``window.view_menu``), so there is one action per command and no clashing shortcuts, and a
renamed object name cannot make a menu go missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from archcanvas.gui.desktop import recovery as _recovery
from archcanvas.gui.desktop.clipboard import ClipboardActions
from archcanvas.gui.desktop.crash import CrashHandler, install_handler
from archcanvas.gui.desktop.file_actions import FileActions
from archcanvas.gui.main_window import MainWindow
from archcanvas.gui.desktop.settings import Settings, bind_view_options, ensure_app_names
from archcanvas.gui.theme import MODES, ThemeManager

ZOOM_STEP = 1.25
_theme: ThemeManager | None = None


@dataclass
class DesktopFeatures:
    window: MainWindow
    settings: Settings
    theme: ThemeManager
    crash: CrashHandler
    recovery: _recovery.Recovery
    files: FileActions
    clipboard: ClipboardActions
    actions: dict[str, QAction] = field(default_factory=dict)
    menus: dict[str, QMenu] = field(default_factory=dict)

    def offer_restore(self) -> bool:
        """Offer abandoned work from an earlier run (install schedules this on first show)."""
        return _recovery.offer_restore(self.window, self.window.document, self.recovery,
                                       self.files.maybe_save)


def theme_manager() -> ThemeManager:
    global _theme
    if _theme is None:
        _theme = ThemeManager(QApplication.instance(), Settings().theme())
        _theme.destroyed.connect(_forget_theme)
    return _theme


def _forget_theme(*_):
    global _theme
    _theme = None


def install(window: MainWindow, restore: bool = True) -> DesktopFeatures:
    """Add the desktop features to ``window``; ``restore=False`` never offers recovered work
    (for non-interactive runs such as ``--screenshot``)."""
    ensure_app_names()
    document, view = window.document, window.view
    settings = Settings()
    theme = theme_manager()
    if theme.mode != settings.theme():
        theme.set_mode(settings.theme())
    crash = install_handler()
    recovery = _recovery.Recovery(document, parent=window)
    files = FileActions(window, document, settings, view)
    clip = ClipboardActions(window, document)
    features = DesktopFeatures(window, settings, theme, crash, recovery, files, clip)

    _build_file_menu(features)
    _build_edit_menu(features)
    _build_view_menu(features)
    for themed in (view, window.cost_panel):
        if themed is not None:  # the cost panel is None only where its module is missing
            theme.changed.connect(themed.set_scheme)
            themed.set_scheme(theme.scheme)

    settings.restore_window(window)
    bind_view_options(settings, window)
    files.on_closed.append(lambda: settings.save_window(window))
    files.on_closed.append(recovery.close)
    if restore:
        _OfferOnShow(features)
    return features


# menus ---------------------------------------------------------------------------------------
def _build_file_menu(f: DesktopFeatures) -> None:
    menu = QMenu("&File", f.window)
    menu.setObjectName("menu.file")
    f.window.menuBar().insertMenu(f.window.edit_menu.menuAction(), menu)
    f.files.fill_menu(menu)
    f.menus["file"] = menu
    for a in (f.files.new_action, f.files.open_action, f.files.save_action, f.files.save_as_action,
              f.files.export_csv_action, f.files.csv_exact_action, f.files.export_png_action, f.files.export_svg_action,
              f.files.quit_action):
        f.actions[a.objectName()] = a


def _build_edit_menu(f: DesktopFeatures) -> None:
    window, made = f.window, f.window.window_actions
    menu = window.edit_menu
    f.menus["edit"] = menu
    redo = made.redo
    # Ctrl+Shift+Z everywhere, and the platform's own Redo key (Ctrl+Y on Windows) too
    keys = [QKeySequence("Ctrl+Shift+Z")] + [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                                             if k != QKeySequence("Ctrl+Shift+Z")]
    redo.setShortcuts(keys)
    for action in (made.undo, made.redo, made.delete, made.delete_reconnect, made.select_all):
        f.actions[action.objectName()] = action

    # Cut, Copy, Paste, Duplicate: between Undo/Redo and Delete, scoped to the canvas like the
    # window's own edit actions, so Ctrl+C in a text field copies text, not layers
    delete = f.actions["edit.delete"]
    ours = f.clipboard.actions()
    for action in ours:
        f.actions[action.objectName()] = action
        window.removeAction(action)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.view.addAction(action)
    menu.insertActions(delete, ours)
    menu.insertSeparator(delete)


def _build_view_menu(f: DesktopFeatures) -> None:
    window, view, made = f.window, f.window.view, f.window.window_actions
    menu = window.view_menu
    f.menus["view"] = menu
    fit = made.fit  # the window lists Fit first; zooming goes above it
    zoom_in = QAction("Zoom &In", window, objectName="view.zoom_in")
    zoom_in.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn) + [QKeySequence("Ctrl+=")])
    zoom_in.triggered.connect(lambda: view.set_zoom(view.zoom() * ZOOM_STEP))
    zoom_out = QAction("Zoom &Out", window, objectName="view.zoom_out")
    zoom_out.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomOut))
    zoom_out.triggered.connect(lambda: view.set_zoom(view.zoom() / ZOOM_STEP))
    reset = QAction("&Actual Size", window, objectName="view.zoom_reset")
    reset.setShortcut(QKeySequence("Ctrl+0"))
    reset.triggered.connect(lambda: view.set_zoom(1.0))
    for a in (zoom_in, zoom_out, reset):
        window.addAction(a)
        f.actions[a.objectName()] = a
    menu.insertActions(fit, [zoom_in, zoom_out, reset])
    menu.insertSeparator(fit)
    f.actions["view.fit"] = fit
    f.actions["view.auto_layout"] = made.auto_layout
    menu.addSeparator()
    theme_menu = menu.addMenu("&Theme")
    theme_menu.setObjectName("menu.theme")
    group = QActionGroup(theme_menu)
    for mode in MODES:
        a = QAction(mode.capitalize(), theme_menu, checkable=True, objectName=f"theme.{mode}")
        a.setChecked(f.theme.mode == mode)
        a.triggered.connect(lambda _=False, m=mode: _set_theme(f, m))
        group.addAction(a)
        theme_menu.addAction(a)
        f.actions[a.objectName()] = a
    f.menus["theme"] = theme_menu


def _set_theme(f: DesktopFeatures, mode: str) -> None:
    f.theme.set_mode(mode)
    f.settings.set_theme(mode)
    action = f.actions.get(f"theme.{mode}")
    if action is not None and not action.isChecked():
        action.setChecked(True)


class _OfferOnShow(QObject):
    """Offer recovered work once the window is on screen and the event loop runs, so the
    question appears over the window and after a file named on the command line is open."""

    def __init__(self, features: DesktopFeatures):
        super().__init__(features.window)
        self.features = features
        if features.window.isVisible():
            QTimer.singleShot(0, self._offer)
        else:
            features.window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._offer)
        return False

    def _offer(self) -> None:
        self.features.offer_restore()
