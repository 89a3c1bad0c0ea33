"""Everything that makes the main window a desktop application, added by one call.

    from gui.desktop import install
    self.desktop = install(self)        # at the end of MainWindow.__init__

``install`` adds the File menu (``file_actions``), the clipboard commands and the rest of the
Edit menu (``clipboard``), zoom and theme entries in the View menu, the crash handler
(``crash``), autosave and crash recovery (``recovery``) and the remembered window layout, recent
files and view options (``settings``, ``theme``). It reuses what the window already has (its
Undo/Redo, Delete, Select All, Fit and Auto-layout actions, its Edit and View menus) instead of
making second copies with clashing shortcuts.

The window is expected to have ``document`` (``gui.document.Document``) and ``view`` (the
canvas, a ``QGraphicsView``); ``open_design(design, path)``, ``docks`` and the ``menu.edit`` /
``menu.view`` menus are used when present.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu

from . import recovery as _recovery
from .clipboard import ClipboardActions
from .crash import CrashHandler, install_handler
from .file_actions import FileActions
from .settings import Settings, bind_view_options, ensure_app_names
from .theme import MODES, ThemeManager

ZOOM_STEP = 1.25
_theme: ThemeManager | None = None


@dataclass
class DesktopFeatures:
    window: object
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


def install(window, restore: bool = True) -> DesktopFeatures:
    """Add the desktop features to ``window``; ``restore=False`` never offers recovered work
    (for non-interactive runs such as ``--screenshot``)."""
    ensure_app_names()
    document, view = window.document, getattr(window, "view", None)
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
    if view is not None and hasattr(view, "set_scheme"):
        theme.changed.connect(view.set_scheme)
        view.set_scheme(theme.scheme)
    panel = getattr(window, "cost_panel", None)
    if panel is not None and hasattr(panel, "set_scheme"):
        theme.changed.connect(panel.set_scheme)
        panel.set_scheme(theme.scheme)

    settings.restore_window(window)
    bind_view_options(settings, window)
    files.on_closed.append(lambda: settings.save_window(window))
    files.on_closed.append(recovery.close)
    if restore:
        _OfferOnShow(features)
    return features


# menus ---------------------------------------------------------------------------------------
def _menu(window, name: str, title: str, before: QMenu | None = None) -> QMenu:
    menu = window.findChild(QMenu, f"menu.{name}")
    if menu is not None:
        return menu
    wanted = title.replace("&", "").lower()
    bar = window.menuBar()
    for action in bar.actions():
        if action.menu() is not None and action.text().replace("&", "").lower() == wanted:
            return action.menu()
    menu = QMenu(title, window)
    menu.setObjectName(f"menu.{name}")
    if before is not None:
        bar.insertMenu(before.menuAction(), menu)
    else:
        first = next((a for a in bar.actions() if a.menu() is not None), None)
        bar.insertMenu(first, menu) if first is not None and name == "file" else bar.addMenu(menu)
    return menu


def _existing(window, name: str) -> QAction | None:
    return window.findChild(QAction, name)


def _build_file_menu(f: DesktopFeatures) -> None:
    menu = _menu(f.window, "file", "&File")
    f.files.fill_menu(menu)
    f.menus["file"] = menu
    for a in (f.files.new_action, f.files.open_action, f.files.save_action, f.files.save_as_action,
              f.files.export_csv_action, f.files.export_png_action, f.files.export_svg_action,
              f.files.quit_action):
        f.actions[a.objectName()] = a


def _build_edit_menu(f: DesktopFeatures) -> None:
    window, stack = f.window, f.window.document.undo_stack
    menu = _menu(window, "edit", "&Edit")
    f.menus["edit"] = menu
    present = set(menu.actions())
    undo = _existing(window, "edit.undo")
    if undo is None:
        undo = stack.createUndoAction(window, "&Undo")
        undo.setObjectName("edit.undo")
        menu.addAction(undo)
    redo = _existing(window, "edit.redo")
    if redo is None:
        redo = stack.createRedoAction(window, "&Redo")
        redo.setObjectName("edit.redo")
        menu.addAction(redo)
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    # Ctrl+Shift+Z everywhere, and the platform's own Redo key (Ctrl+Y on Windows) too
    keys = [QKeySequence("Ctrl+Shift+Z")] + [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                                             if k != QKeySequence("Ctrl+Shift+Z")]
    redo.setShortcuts(keys)
    f.actions.update({"edit.undo": undo, "edit.redo": redo})

    clip = f.clipboard
    canvas = getattr(window, "view", None)
    ours = []
    for action in clip.actions():
        f.actions[action.objectName()] = action
        if action in present:  # the window's own Delete / Select All, already in its menu
            continue
        if canvas is not None:
            # like the window's own edit actions: Ctrl+C in a text field copies text, not layers
            window.removeAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            canvas.addAction(action)
        ours.append(action)
    # Cut/Copy/Paste/Duplicate go right after Undo/Redo, before whatever the window listed next
    anchor = next((a for a in menu.actions() if a not in (undo, redo) and a in present), None)
    if anchor is None:
        menu.addSeparator()
    else:
        menu.insertSeparator(anchor)
    for action in ours:
        if anchor is None or action.objectName() in ("edit.delete", "edit.select_all"):
            menu.addAction(action)
        else:
            menu.insertAction(anchor, action)


def _build_view_menu(f: DesktopFeatures) -> None:
    window, view = f.window, getattr(f.window, "view", None)
    menu = _menu(window, "view", "&View")
    f.menus["view"] = menu
    first = menu.actions()[0] if menu.actions() else None
    if view is not None:
        zoom_in = QAction("Zoom &In", window, objectName="view.zoom_in")
        zoom_in.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn) + [QKeySequence("Ctrl+=")])
        zoom_in.triggered.connect(lambda: _zoom(view, ZOOM_STEP))
        zoom_out = QAction("Zoom &Out", window, objectName="view.zoom_out")
        zoom_out.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomOut))
        zoom_out.triggered.connect(lambda: _zoom(view, 1 / ZOOM_STEP))
        reset = QAction("&Actual Size", window, objectName="view.zoom_reset")
        reset.setShortcut(QKeySequence("Ctrl+0"))
        reset.triggered.connect(lambda: _zoom(view, None))
        for a in (zoom_in, zoom_out, reset):
            window.addAction(a)
            f.actions[a.objectName()] = a
        menu.insertActions(first, [zoom_in, zoom_out, reset])
        fit = _existing(window, "view.fit")
        if fit is None:
            fit = QAction("&Fit to View", window, objectName="view.fit")
            fit.setShortcut(QKeySequence("F"))
            fit.triggered.connect(lambda: _fit(view))
            window.addAction(fit)
            menu.insertAction(first, fit)
        f.actions["view.fit"] = fit
        if first is not None:
            menu.insertSeparator(first)
    layout = _existing(window, "view.auto_layout")
    if layout is not None:
        f.actions["view.auto_layout"] = layout
    else:
        layout = QAction("&Auto-layout", window, objectName="view.auto_layout")
        layout.setShortcut(QKeySequence("Ctrl+L"))
        layout.triggered.connect(lambda: _auto_layout(window))
        window.addAction(layout)
        menu.addAction(layout)
        f.actions["view.auto_layout"] = layout
    # dock toggles the window did not list itself
    listed = set(menu.actions())
    docks = [d for d in window.findChildren(QDockWidget) if d.toggleViewAction() not in listed]
    if docks:
        menu.addSeparator()
        for dock in docks:
            menu.addAction(dock.toggleViewAction())
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


def _zoom(view, factor: float | None) -> None:
    """Zoom about the view's centre; the canvas's own ``set_zoom`` keeps it within its limits."""
    if hasattr(view, "set_zoom") and hasattr(view, "zoom"):
        view.set_zoom(1.0 if factor is None else view.zoom() * factor)
    elif factor is None:
        view.resetTransform()
    else:
        view.scale(factor, factor)


def _fit(view) -> None:
    if hasattr(view, "fit"):
        view.fit()
        return
    rect = view.scene().itemsBoundingRect()
    if not rect.isEmpty():
        view.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)


def _auto_layout(window) -> None:
    from core.layout import layered_positions

    from .commands import SetPositions

    design = window.document.design
    if len(design):
        window.document.push(SetPositions(window.document, layered_positions(design)))
        _fit(window.view)


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
