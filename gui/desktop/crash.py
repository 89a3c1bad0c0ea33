"""Unexpected exceptions: log them, tell the user, keep running.

PySide6 hands an exception raised inside a slot, an event handler or a timer callback to
``sys.excepthook`` and carries on with the event loop, so one hook catches both the Python and
the Qt side; ``threading.excepthook`` is forwarded to the GUI thread through a queued signal.
The hook writes the traceback to ``crash.log`` in the user's data folder, prints it to stderr and
shows ``prompts.show_crash`` (replaceable by tests). The design is never touched, so the user can
save and carry on.

An error that repeats (a paint handler fails on every repaint) would otherwise open dialog after
dialog; each distinct error (type, message, place) is shown once, and repeats are only logged.
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
import threading
import traceback
from pathlib import Path

from PySide6 import __version__ as _pyside_version
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from archcanvas.gui.desktop import prompts
from archcanvas.gui.desktop.settings import data_dir

LOG_NAME = "crash.log"
LOG_LIMIT = 1_000_000  # bytes; the log is rotated to crash.log.1 beyond this


class CrashHandler(QObject):
    crashed = Signal(str, str)  # summary, details (after logging, before the dialog)
    _from_thread = Signal(object, object, object)

    def __init__(self, log_dir: Path | None = None):
        super().__init__(QApplication.instance())
        self._log_dir = log_dir
        self._shown: set[tuple] = set()
        self._showing = False
        self.count = 0
        self._previous = None
        self._previous_thread = None
        self._from_thread.connect(self.handle, Qt.ConnectionType.QueuedConnection)

    # hooks -----------------------------------------------------------------------------------
    def install(self) -> None:
        """(Re)take ``sys.excepthook``; idempotent, and safe after someone else replaced it."""
        if sys.excepthook != self._hook:
            self._previous = sys.excepthook
            sys.excepthook = self._hook
        if threading.excepthook != self._thread_hook:
            self._previous_thread = threading.excepthook
            threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if sys.excepthook == self._hook:
            sys.excepthook = self._previous or sys.__excepthook__
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous_thread or threading.__excepthook__

    def _hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal still stops the app
            (self._previous or sys.__excepthook__)(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb)

    def _thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self._from_thread.emit(args.exc_type, args.exc_value, args.exc_traceback)

    # handling --------------------------------------------------------------------------------
    @property
    def log_path(self) -> Path:
        return (self._log_dir or data_dir()) / LOG_NAME

    def handle(self, exc_type, exc, tb) -> None:
        """Log, report and return; never raises (a failing handler must not loop)."""
        self.count += 1
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        summary = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
        try:
            sys.stderr.write(details)
        except Exception:
            pass
        log = self._log(details)
        self.crashed.emit(summary, details)
        frames = traceback.extract_tb(tb) if tb is not None else []
        where = (frames[-1].filename, frames[-1].lineno) if frames else None
        key = (exc_type, str(exc), where)
        if self._showing or key in self._shown:
            return
        self._shown.add(key)
        self._showing = True
        try:
            prompts.show_crash(QApplication.activeWindow(), f"An unexpected error occurred: {summary}",
                               details, str(log) if log else None)
        except Exception:
            pass
        finally:
            self._showing = False

    def _log(self, details: str) -> Path | None:
        try:
            path = self.log_path
            if path.exists() and path.stat().st_size > LOG_LIMIT:
                path.replace(path.with_name(LOG_NAME + ".1"))
            stamp = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
            head = (f"=== {stamp}  ArchCanvas, Python {platform.python_version()}, "
                    f"PySide6 {_pyside_version}, {platform.platform()}\n")
            with open(path, "a", encoding="utf-8") as f:
                f.write(head + details + "\n")
            return path
        except Exception:  # no writable data folder: the dialog still shows the details
            return None


_handler: CrashHandler | None = None


def install_handler(log_dir: Path | None = None) -> CrashHandler:
    """The one handler of the application, installed (again if someone replaced the hook)."""
    global _handler
    if _handler is None:
        _handler = CrashHandler(log_dir)
        _handler.destroyed.connect(_forget)
    elif log_dir is not None:
        _handler._log_dir = log_dir
    _handler.install()
    return _handler


def _forget(*_):
    global _handler
    _handler = None
