"""An unexpected exception shows a dialog, is logged, and the window keeps working."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from archcanvas.core.design import Design
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)
from archcanvas.gui.document.commands import AddNodes


@pytest.fixture
def ui(qtbot, profile, monkeypatch):  # noqa: F811
    answers = Prompts(monkeypatch)
    window, features = make_window(qtbot)
    # pytest-qt takes sys.excepthook for each test phase; take it back as the app would have it
    features.crash.install()
    yield window, features, answers
    features.crash.uninstall()


def crashes(answers):
    return [a for a in answers.asked if a[0] == "crash"]


def test_an_exception_in_a_slot_shows_the_dialog_logs_it_and_the_window_survives(ui, qtbot, profile):  # noqa: F811
    window, f, answers = ui
    button = QPushButton("boom", window)

    def broken_slot():
        raise ValueError("slot failed on purpose 1")
    button.clicked.connect(broken_slot)
    button.click()  # Qt calls the slot; the exception must not escape into Qt or end the app

    [(_, summary, details, log)] = crashes(answers)
    assert summary == "An unexpected error occurred: ValueError: slot failed on purpose 1"
    assert "Traceback (most recent call last)" in details and "broken_slot" in details
    assert log == str(profile / "data" / "crash.log")
    text = (profile / "data" / "crash.log").read_text(encoding="utf-8")
    assert "ValueError: slot failed on purpose 1" in text and "PySide6" in text
    # still alive and editable
    src = Design()
    src.add_node("Input", "in", attrs={"shape": [4, 4, 1]})
    window.document.push(AddNodes(window.document, src))
    assert window.document.design.node_ids() == ["in"]
    assert window.isWindowModified()


def test_an_exception_in_a_timer_callback_is_caught(ui, qtbot):
    window, f, answers = ui

    def tick():
        raise KeyError("timer failed on purpose 2")
    QTimer.singleShot(0, tick)
    qtbot.waitUntil(lambda: len(crashes(answers)) == 1, timeout=2000)
    assert "KeyError" in crashes(answers)[0][1]


def test_a_repeating_error_shows_one_dialog_but_is_logged_each_time(ui, profile):  # noqa: F811
    window, f, answers = ui
    button = QPushButton(window)

    def again():
        raise RuntimeError("repeats on purpose 3")
    button.clicked.connect(again)
    for _ in range(3):
        button.click()
    assert len(crashes(answers)) == 1
    assert (profile / "data" / "crash.log").read_text(encoding="utf-8").count("RuntimeError: repeats on purpose 3") == 3


def test_an_exception_in_a_thread_reaches_the_dialog(ui, qtbot):
    window, f, answers = ui

    def work():
        raise OSError("thread failed on purpose 4")
    t = threading.Thread(target=work)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(crashes(answers)) == 1, timeout=2000)
    assert "OSError: thread failed on purpose 4" in crashes(answers)[0][1]


def test_an_exception_while_opening_keeps_the_design(ui, monkeypatch):
    window, f, answers = ui
    from archcanvas.core import fileformat
    def broken_load(path):
        raise ZeroDivisionError("loader bug on purpose 5")
    monkeypatch.setattr(fileformat, "load", broken_load)
    button = QPushButton(window)
    button.clicked.connect(lambda: f.files.open_path("whatever.json"))
    button.click()
    assert "ZeroDivisionError" in crashes(answers)[0][1]
    assert len(window.document.design) == 0 and window.document.path is None


def test_install_is_idempotent_and_uninstall_restores(ui):
    import sys

    window, f, _ = ui
    hook = sys.excepthook
    f.crash.install()
    assert sys.excepthook == hook
    f.crash.uninstall()
    assert sys.excepthook != hook
    f.crash.install()
    assert sys.excepthook == hook


def test_with_no_screen_the_prompts_answer_safely_instead_of_waiting_forever(qapp, capsys):
    from archcanvas.gui.desktop import prompts

    assert prompts.headless()  # the tests run offscreen, as --screenshot and CI do
    assert prompts.ask_discard(None, "net.json") == prompts.CANCEL
    assert prompts.ask_restore(None, "Restore?") is False
    assert prompts.open_file_name(None, "Open", "", "*.json") == ""
    assert prompts.save_file_name(None, "Save", "", "*.json") == ""
    prompts.show_error(None, "Cannot open design", "x.json: not valid JSON")
    prompts.show_crash(None, "An unexpected error occurred: KeyError: 'q'", "Traceback…", "/tmp/crash.log")
    assert capsys.readouterr().err.splitlines() == [
        "archcanvas: unsaved changes to net.json kept (no one to ask)",
        "archcanvas: Cannot open design: x.json: not valid JSON",
        "archcanvas: An unexpected error occurred: KeyError: 'q' (logged to /tmp/crash.log)",
    ]
