"""Shared setup for the desktop tests: an isolated user profile and the real main window.

``isolate`` points the settings file and the data folder (recovery files, crash log) at the
test's tmp_path, so no test reads or writes the real user's profile. ``Prompts`` answers every
question of ``gui.prompts`` the way a test scripted it and records what was asked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archcanvas.gui.desktop import prompts


def isolate(monkeypatch, tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    monkeypatch.setenv("ARCHCANVAS_SETTINGS", str(profile / "settings.ini"))
    monkeypatch.setenv("ARCHCANVAS_DATA_DIR", str(profile / "data"))
    return profile


class Prompts:
    """Scripted answers; every call is recorded in ``asked`` as (function, text...)."""

    def __init__(self, monkeypatch):
        self.asked: list[tuple] = []
        self.discard = prompts.CANCEL
        self.restore = True
        self.open_name = ""
        self.save_name = ""
        monkeypatch.setattr(prompts, "ask_discard", self._ask_discard)
        monkeypatch.setattr(prompts, "show_error", lambda parent, title, text: self.asked.append(("error", title, text)))
        monkeypatch.setattr(prompts, "ask_restore", self._ask_restore)
        monkeypatch.setattr(prompts, "show_crash", lambda parent, summary, details, log:
                            self.asked.append(("crash", summary, details, log)))
        monkeypatch.setattr(prompts, "open_file_name", lambda *a: self._file("open", self.open_name))
        monkeypatch.setattr(prompts, "save_file_name", lambda *a: self._file("save", self.save_name))

    def _ask_discard(self, parent, name):
        self.asked.append(("discard", name))
        return self.discard

    def _ask_restore(self, parent, text):
        self.asked.append(("restore", text))
        return self.restore

    def _file(self, kind, answer):
        self.asked.append((kind, str(answer)))
        return str(answer)

    def kinds(self) -> list[str]:
        return [a[0] for a in self.asked]

    def errors(self) -> list[str]:
        return [a[2] for a in self.asked if a[0] == "error"]


@pytest.fixture
def profile(monkeypatch, tmp_path):
    return isolate(monkeypatch, tmp_path)


def make_window(qtbot, document=None, restore: bool = False, own: bool = True):
    """The application's main window with the desktop features installed, as ``gui.app`` does.

    ``own=False`` leaves the window to the test (one that deletes it, as a crash would, must
    not have qtbot close it).
    """
    from archcanvas.gui.app import build_window

    window = build_window(document, restore=restore)
    if own:
        qtbot.addWidget(window)
    features = window.desktop
    # Give sys.excepthook back to pytest-qt, so an exception in a slot fails the test instead of
    # being reported politely; tests/test_crash.py takes it again on purpose.
    features.crash.uninstall()
    return window, features
