"""What ArchCanvas remembers between runs (QSettings) and where it keeps its own files.

Two environment variables isolate a run, which the tests and the screenshot script use:
``ARCHCANVAS_SETTINGS`` (an .ini file used instead of the platform's settings store) and
``ARCHCANVAS_DATA_DIR`` (instead of the user's data folder, ``QStandardPaths.AppDataLocation``,
which holds the recovery files and the crash log).

View options are generic: every checkable action named ``view.<something>`` (object name) is
stored under ``view/<something>``, so a panel that adds an option gets it remembered for free.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QStandardPaths

APP = "ArchCanvas"
MAX_RECENT = 10


def ensure_app_names() -> None:
    """Name the application so QSettings and the data folder are ArchCanvas's, not python's."""
    app = QCoreApplication.instance()
    if app is None:
        return
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(APP)
    if QCoreApplication.applicationName() in ("", Path(sys.executable).name, "python", "python3"):
        QCoreApplication.setApplicationName(APP)


def data_dir() -> Path:
    """The user's data folder for ArchCanvas (created on demand)."""
    override = os.environ.get("ARCHCANVAS_DATA_DIR")
    if override:
        folder = Path(override)
    else:
        ensure_app_names()
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        folder = Path(location) if location else Path.home() / ".archcanvas"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def qsettings() -> QSettings:
    path = os.environ.get("ARCHCANVAS_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, APP, APP)


class Settings:
    """Typed access to the stored values; every write is synced at once (a crash loses nothing)."""

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else qsettings()

    # recent files ----------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.store.value("files/recent", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path) -> list[str]:
        path = str(Path(path).resolve())
        files = [path] + [p for p in self.recent_files() if p != path]
        return self._set_recent(files[:MAX_RECENT])

    def remove_recent(self, path) -> list[str]:
        return self._set_recent([p for p in self.recent_files() if p != str(path)])

    def clear_recent(self) -> None:
        self._set_recent([])

    def _set_recent(self, files: list[str]) -> list[str]:
        self.store.setValue("files/recent", files)
        self.store.sync()
        return files

    def last_folder(self) -> str:
        return str(self.store.value("files/last_folder", "") or "")

    def set_last_folder(self, folder) -> None:
        self.store.setValue("files/last_folder", str(folder))

    # window ----------------------------------------------------------------------------------
    def save_window(self, window) -> None:
        self.store.setValue("window/geometry", window.saveGeometry())
        self.store.setValue("window/state", window.saveState())
        self.store.sync()

    def restore_window(self, window) -> bool:
        """Put back size, position, toolbars and the dock layout; False when nothing was stored."""
        geometry = self.store.value("window/geometry")
        state = self.store.value("window/state")
        done = False
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            done = window.restoreGeometry(geometry) or done
        if isinstance(state, QByteArray) and not state.isEmpty():
            done = window.restoreState(state) or done
        return done

    # view options ----------------------------------------------------------------------------
    def theme(self) -> str:
        value = str(self.store.value("view/theme", "system") or "system")
        return value if value in ("system", "light", "dark") else "system"

    def set_theme(self, mode: str) -> None:
        self.store.setValue("view/theme", mode)
        self.store.sync()

    def view_option(self, key: str, default: bool) -> bool:
        value = self.store.value(f"view/{key}", default)
        if isinstance(value, str):  # the .ini backend reads booleans back as text
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def set_view_option(self, key: str, value: bool) -> None:
        self.store.setValue(f"view/{key}", bool(value))
        self.store.sync()


def bind_view_options(settings: Settings, window) -> list:
    """Restore and then remember every checkable ``view.*`` action of ``window``."""
    from PySide6.QtGui import QAction

    bound = []
    for action in window.findChildren(QAction):
        name = action.objectName()
        if not (name.startswith("view.") and action.isCheckable()):
            continue
        key = name[len("view."):]
        stored = settings.view_option(key, action.isChecked())
        if stored != action.isChecked():
            action.setChecked(stored)  # emits toggled, so the option takes effect
        action.toggled.connect(lambda on, key=key: settings.set_view_option(key, on))
        bound.append(action)
    return bound
