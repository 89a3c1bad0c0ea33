"""Autosave and crash recovery: the work of a window that died comes back, exactly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import shiboken6

from archcanvas.core import fileformat
from archcanvas.core.design import Design
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)
from archcanvas.gui.desktop import recovery
from archcanvas.core.atomic import write_atomic as real_write
from archcanvas.gui.document.commands import AddNodes, SetAttr

SEED = Path(__file__).parent / "data" / "valid" / "seed_inception.json"


@pytest.fixture
def answers(monkeypatch, profile):  # noqa: F811
    monkeypatch.setattr(recovery, "DELAY_MS", 30)
    return Prompts(monkeypatch)


def folder(profile) -> Path:  # noqa: F811
    return profile / "data" / "recovery"


def autosaves(profile) -> list[Path]:  # noqa: F811
    return sorted(folder(profile).glob("autosave-*.json"))


def edit(window) -> None:
    doc = window.document
    src = Design()
    src.add_node("Dense", "head", attrs={"units": 7}, name="my head", pos=(900, 40))
    doc.push(AddNodes(doc, src))
    doc.push(SetAttr(doc, [doc.design.node_ids()[1]], "filters", 40))


def test_an_edit_is_autosaved_shortly_after_and_a_save_removes_it(qtbot, answers, profile, tmp_path):  # noqa: F811
    window, f = make_window(qtbot)
    f.files.open_path(SEED)
    assert autosaves(profile) == []  # nothing unsaved, nothing written
    edit(window)
    qtbot.waitUntil(lambda: f.recovery.file.exists(), timeout=3000)
    data = json.loads(f.recovery.file.read_text(encoding="utf-8"))
    assert data["format"] == "archcanvas.recovery"
    assert data["path"] == str(SEED)
    assert data["design"] == fileformat.to_dict(window.document.design)
    assert f.files.save_as(tmp_path / "saved.json")
    assert not f.recovery.file.exists()


def test_the_periodic_autosave_runs_every_minute(qtbot, answers):
    window, f = make_window(qtbot)
    assert f.recovery.periodic.interval() == 60_000 and f.recovery.periodic.isActive()


def test_undo_back_to_the_saved_state_removes_the_recovery_file(qtbot, answers):
    window, f = make_window(qtbot)
    f.files.open_path(SEED)
    edit(window)
    assert f.recovery.autosave() and f.recovery.file.exists()
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert not f.recovery.file.exists()


def test_a_clean_close_leaves_nothing_to_recover(qtbot, answers, profile):  # noqa: F811
    window, f = make_window(qtbot)
    edit_new(window)
    f.recovery.autosave()
    answers.discard = "discard"
    assert window.close()
    assert autosaves(profile) == [] and list(folder(profile).glob("*.lock")) == []


def edit_new(window):
    doc = window.document
    src = Design()
    src.add_node("Input", "in", attrs={"shape": [8, 8, 1]}, pos=(0, 0))
    doc.push(AddNodes(doc, src))


def test_a_window_dropped_without_closing_is_offered_at_the_next_start(qtbot, answers, profile):  # noqa: F811
    lost, f = make_window(qtbot, own=False)
    f.files.open_path(SEED)
    edit(lost)
    assert f.recovery.autosave()
    expected = fileformat.to_dict(lost.document.design)
    # "killed": no close event, no save; the window and its document simply go away
    shiboken6.delete(lost)
    assert len(autosaves(profile)) == 1

    window, g = make_window(qtbot)
    answers.restore = True
    assert g.offer_restore() is True
    assert [a[0] for a in answers.asked] == ["restore"]
    text = answers.asked[0][1]
    assert "Unsaved changes to “seed inception”" in text and f"from {SEED}" in text
    doc = window.document
    assert fileformat.to_dict(doc.design) == expected
    assert doc.path == SEED and doc.modified and window.isWindowModified()
    # the old file is gone; the restored work is protected again under the new window's file
    assert autosaves(profile) == [g.recovery.file]
    assert json.loads(g.recovery.file.read_text(encoding="utf-8"))["design"] == expected
    assert g.offer_restore() is False  # offered once


def test_declining_sets_the_file_aside_and_does_not_ask_again(qtbot, answers, profile):  # noqa: F811
    lost, f = make_window(qtbot, own=False)
    edit_new(lost)
    f.recovery.autosave()
    shiboken6.delete(lost)
    window, g = make_window(qtbot)
    answers.restore = False
    assert g.offer_restore() is False
    assert len(window.document.design) == 0
    assert autosaves(profile) == []
    assert len(list(folder(profile).glob("declined-*.json"))) == 1
    assert g.offer_restore() is False
    assert [a[0] for a in answers.asked] == ["restore"]


def test_a_live_windows_work_is_never_offered_to_another(qtbot, answers):
    alive, f = make_window(qtbot)
    edit_new(alive)
    assert f.recovery.autosave()
    other, g = make_window(qtbot)
    assert g.offer_restore() is False and answers.asked == []
    assert f.recovery.file.exists()


def test_restore_is_offered_when_the_window_first_shows(qtbot, answers, profile):  # noqa: F811
    from archcanvas.gui.desktop.install import install
    from archcanvas.gui.main_window import MainWindow

    lost, f = make_window(qtbot, own=False)
    edit_new(lost)
    f.recovery.autosave()
    shiboken6.delete(lost)
    window = MainWindow()
    qtbot.addWidget(window)
    features = getattr(window, "desktop", None) or install(window)
    assert answers.asked == []  # not before the window is on screen
    window.show()
    qtbot.waitUntil(lambda: answers.kinds() == ["restore"], timeout=3000)
    assert len(features.window.document.design) == 1


KILLED = textwrap.dedent("""
    import json, sys, time
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    from archcanvas.gui.main_window import MainWindow
    from archcanvas.gui.desktop.install import install
    from archcanvas.core import fileformat
    from archcanvas.core.design import Design
    from archcanvas.gui.document.commands import AddNodes
    window = MainWindow()
    features = getattr(window, "desktop", None) or install(window, restore=False)
    assert features.files.open_path(sys.argv[1])
    src = Design()
    src.add_node("Dense", "logits", attrs={"units": 10}, pos=(1200, 0))
    window.document.push(AddNodes(window.document, src))
    assert features.recovery.autosave()
    print(json.dumps(fileformat.to_dict(window.document.design)), flush=True)
    time.sleep(120)
""")


def test_a_killed_process_is_recovered(qtbot, answers, profile, tmp_path):  # noqa: F811
    script = tmp_path / "killed.py"
    script.write_text(KILLED, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(SEED)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        expected = json.loads(line)
        window, g = make_window(qtbot)
        assert g.offer_restore() is False  # still running: its lock is live
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert g.offer_restore() is True
    assert fileformat.to_dict(window.document.design) == expected
    assert "logits" in window.document.design
    assert window.document.modified and window.document.path == SEED


@pytest.mark.parametrize("body, says", [
    (b"{not json", "recovery file autosave-broken.json: line 1 column 2: not valid JSON"),
    (b'{"format": "something else"}', "not an ArchCanvas recovery file"),
    (b'{"format": "archcanvas.recovery", "design": "\\ud800"}', "lone UTF-16 surrogate"),
    (b"\xff\xfe{", "UTF-16 text"),
])
def test_an_unreadable_recovery_file_is_set_aside_with_a_message(qtbot, answers, profile, body, says):  # noqa: F811
    folder(profile).mkdir(parents=True, exist_ok=True)
    (folder(profile) / "autosave-broken.json").write_bytes(body)
    window, g = make_window(qtbot)
    assert g.offer_restore() is False
    assert answers.kinds() == ["error"] and says in answers.errors()[0]
    assert autosaves(profile) == []
    aside = list(folder(profile).glob("unreadable-*-autosave-broken.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == body and aside[0].name in answers.errors()[0]
    window2, g2 = make_window(qtbot)  # the next start neither offers nor mentions it
    assert g2.offer_restore() is False and answers.kinds() == ["error"]


def test_a_recovery_file_that_does_not_load_says_why_and_is_set_aside(qtbot, answers, profile):  # noqa: F811
    folder(profile).mkdir(parents=True, exist_ok=True)
    bad = {"format": "archcanvas.recovery", "version": 1, "path": None,
           "design": {"format": "archcanvas.design", "version": 1, "nodes": [{"id": "x", "type": "Nope"}],
                      "edges": []}}
    (folder(profile) / "autosave-bad.json").write_text(json.dumps(bad), encoding="utf-8")
    window, g = make_window(qtbot)
    assert g.offer_restore() is False
    assert answers.kinds() == ["restore", "error"]
    assert "Nope" in answers.errors()[0] and "set aside as unreadable-" in answers.errors()[0]
    assert len(window.document.design) == 0
    assert autosaves(profile) == [] and len(list(folder(profile).glob("unreadable-*-autosave-bad.json"))) == 1
    window2, g2 = make_window(qtbot)
    assert g2.offer_restore() is False and answers.kinds() == ["restore", "error"]


def test_an_unwritable_data_folder_turns_autosave_off_but_the_app_runs(qtbot, answers, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("ARCHCANVAS_DATA_DIR", str(blocker))
    window, f = make_window(qtbot)
    assert f.recovery.error.startswith("autosave is off: cannot create the recovery folder")
    edit_new(window)
    assert f.recovery.autosave() is False
    assert window.statusBar().currentMessage().startswith("Autosave failed: cannot save recovery file")
    assert window.document.design.node_ids() == ["in"]


def test_a_large_design_is_autosaved_on_a_worker_thread_as_it_was_when_asked(qtbot, answers, monkeypatch):
    monkeypatch.setattr(recovery, "THREAD_FROM", 1)  # every design counts as large here
    window, f = make_window(qtbot)
    edit_new(window)
    expected = fileformat.to_dict(window.document.design)
    written = []
    monkeypatch.setattr(recovery, "write_atomic", lambda *a, **kw: (written.append(threading.get_ident()),
                                                                     real_write(*a, **kw)))
    assert f.recovery.autosave() is True
    doc = window.document
    doc.push(SetAttr(doc, ["in"], "shape", [9, 9, 1]))  # edited while the file is being written
    f.recovery.wait()
    assert written and written[0] != threading.get_ident()
    data = json.loads(f.recovery.file.read_text(encoding="utf-8"))
    assert data["design"] == expected and data["format"] == "archcanvas.recovery"
    qtbot.waitUntil(lambda: f.recovery.error is None and f.recovery._written is not None)
    assert f.recovery.autosave() is True  # the edit made meanwhile is written next time
    f.recovery.wait()
    again = json.loads(f.recovery.file.read_text(encoding="utf-8"))["design"]
    assert again == fileformat.to_dict(doc.design) and again != expected


def test_a_failed_write_on_the_worker_is_reported_on_the_status_bar(qtbot, answers, monkeypatch):
    monkeypatch.setattr(recovery, "THREAD_FROM", 1)
    window, f = make_window(qtbot)
    edit_new(window)

    def fail(*_a, **_kw):
        raise recovery.ArchCanvasError("cannot save recovery file x: no space left on device")

    monkeypatch.setattr(recovery, "write_atomic", fail)
    assert f.recovery.autosave() is True
    f.recovery.wait()
    qtbot.waitUntil(lambda: f.recovery.error is not None)
    assert window.statusBar().currentMessage() == "Autosave failed: cannot save recovery file x: no space left on device"
    assert not f.recovery.file.exists()
