"""The File menu on the real main window: dirty state, discard prompts, save, open, exports."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QImage, QKeySequence
from PySide6.QtWidgets import QApplication

from archcanvas.core import fileformat
from archcanvas.core.design import Design
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)
from archcanvas.gui.desktop import prompts as P
from archcanvas.gui.document.commands import AddNodes, Connect, SetAttr

from bad_corpus import expected_messages

DATA = Path(__file__).parent / "data"
SEED = DATA / "valid" / "seed_inception.json"
BAD = DATA / "bad"
EXPECTED = expected_messages()
ARCHCANVAS = Path(sys.executable).parent / "archcanvas"


def small_design() -> Design:
    d = Design("small")
    d.add_node("Input", "in", attrs={"shape": [32, 32, 3]}, pos=(0, 0))
    d.add_node("Conv2D", "c1", attrs={"filters": 8, "kernel_size": 3, "padding": "same"}, pos=(200, 0))
    d.connect("in", "c1")
    return d


@pytest.fixture
def ui(qtbot, profile, monkeypatch):  # noqa: F811
    answers = Prompts(monkeypatch)
    window, features = make_window(qtbot)
    return window, features, answers


def add_conv(window, filters=4):
    src = Design()
    src.add_node("Conv2D", "conv2d", attrs={"filters": filters})
    cmd = AddNodes(window.document, src)
    window.document.push(cmd)
    return cmd.ids[0]


def snapshot(window) -> dict:
    return fileformat.to_dict(window.document.design)


# dirty state and the title --------------------------------------------------------------------
def test_title_and_modified_mark_follow_edits_save_and_undo(ui, tmp_path):
    window, f, _ = ui
    assert window.windowTitle() == "Untitled[*] — ArchCanvas"
    assert not window.isWindowModified() and not window.document.modified
    add_conv(window)
    assert window.isWindowModified() and window.document.modified
    target = tmp_path / "net.json"
    assert f.files.save_as(target)
    assert window.windowTitle() == "net.json[*] — ArchCanvas"
    assert not window.isWindowModified()
    assert target.read_text(encoding="utf-8") == fileformat.dumps(window.document.design)
    window.document.undo_stack.undo()  # back past the save point: unsaved again
    assert window.isWindowModified()
    window.document.undo_stack.redo()
    assert not window.isWindowModified()


def test_new_asks_before_discarding_and_honours_each_answer(ui, tmp_path):
    window, f, answers = ui
    f.files.save_as(tmp_path / "a.json")
    node = add_conv(window)
    before = snapshot(window)

    answers.discard = P.CANCEL
    assert f.files.new() is False
    assert answers.asked == [("discard", "a.json")]
    assert snapshot(window) == before and window.document.modified

    answers.discard = P.SAVE  # saves to a.json, then starts a new design
    assert f.files.new() is True
    assert node in fileformat.load(tmp_path / "a.json")
    assert len(window.document.design) == 0 and window.document.path is None
    assert not window.document.modified

    add_conv(window)
    answers.discard = P.DISCARD
    answers.asked.clear()
    assert f.files.new() is True
    assert answers.kinds() == ["discard"] and len(window.document.design) == 0


def test_a_clean_document_is_replaced_without_a_question(ui):
    window, f, answers = ui
    assert f.files.open_path(SEED)
    assert f.files.new()
    assert answers.asked == []


def test_open_asks_first_and_cancel_keeps_the_design(ui):
    window, f, answers = ui
    add_conv(window)
    before = snapshot(window)
    answers.open_name = SEED
    answers.discard = P.CANCEL
    assert f.files.open() is False
    assert answers.kinds() == ["open", "discard"]
    assert snapshot(window) == before
    answers.discard = P.DISCARD
    assert f.files.open() is True
    assert snapshot(window) == fileformat.to_dict(fileformat.load(SEED))
    assert window.document.path == SEED and not window.document.modified
    assert window.windowTitle() == "seed_inception.json[*] — ArchCanvas"


def test_closing_asks_and_cancel_keeps_the_window_open(ui, qtbot):
    window, f, answers = ui
    with qtbot.waitExposed(window):
        window.show()
    add_conv(window)
    answers.discard = P.CANCEL
    assert window.close() is False
    assert window.isVisible() and answers.kinds() == ["discard"]
    answers.discard = P.DISCARD
    assert window.close() is True
    assert not window.isVisible()


def test_save_when_asked_on_close_and_the_save_fails_keeps_the_window(ui, qtbot, tmp_path, monkeypatch):
    window, f, answers = ui
    with qtbot.waitExposed(window):
        window.show()
    f.files.save_as(tmp_path / "keep.json")
    add_conv(window)

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "replace", no_space)
    answers.discard = P.SAVE
    assert window.close() is False
    assert window.isVisible() and window.document.modified
    assert answers.kinds() == ["discard", "error"]


# saving ----------------------------------------------------------------------------------------
def test_a_failed_save_leaves_the_old_file_whole_and_the_document_dirty(ui, tmp_path, monkeypatch):
    window, f, answers = ui
    target = tmp_path / "net.json"
    assert f.files.open_path(SEED)
    assert f.files.save_as(target)
    old = target.read_bytes()
    add_conv(window)

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "replace", no_space)
    assert f.files.save() is False
    assert target.read_bytes() == old
    assert window.document.modified and window.isWindowModified()
    assert answers.errors() == [f"cannot save design {target}: no space left on device; "
                                "the existing file is unchanged"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "profile") == ["net.json"]  # no temp file
    monkeypatch.undo()
    assert f.files.save() is True
    assert fileformat.to_dict(fileformat.load(target)) == snapshot(window)
    assert not window.document.modified


def test_save_as_cancelled_changes_nothing(ui):
    window, f, answers = ui
    add_conv(window)
    answers.save_name = ""
    assert f.files.save() is False
    assert answers.kinds() == ["save"] and window.document.modified and window.document.path is None


def test_save_as_adds_the_json_suffix(ui, tmp_path):
    window, f, answers = ui
    add_conv(window)
    answers.save_name = tmp_path / "plain"
    assert f.files.save() is True
    assert window.document.path == tmp_path / "plain.json" and (tmp_path / "plain.json").exists()


def test_an_untitled_design_takes_the_name_of_the_file_it_is_saved_as(ui, tmp_path):
    window, f, answers = ui
    add_conv(window)
    answers.save_name = tmp_path / "edge net"
    window.findChild(QAction, "file.save_as").trigger()
    doc = window.document
    assert doc.design.name == "edge net" and fileformat.load(tmp_path / "edge net.json").name == "edge net"
    assert window.windowTitle() == "edge net.json[*] — ArchCanvas" and not window.isWindowModified()
    window.document.set_selection([])
    assert window.inspector.design_name_edit.text() == "edge net"
    doc.undo_stack.undo()  # the rename is one undo step, past the save point
    assert doc.design.name == "untitled" and window.isWindowModified()
    doc.undo_stack.redo()
    assert doc.design.name == "edge net" and not window.isWindowModified()


def test_a_named_design_keeps_its_name_under_save_as(ui, tmp_path):
    window, f, answers = ui
    assert f.files.open_path(SEED)
    answers.save_name = tmp_path / "copy.json"
    depth = window.document.undo_stack.count()
    window.findChild(QAction, "file.save_as").trigger()
    assert window.document.design.name == "seed inception" == fileformat.load(tmp_path / "copy.json").name
    assert window.document.undo_stack.count() == depth and window.windowTitle() == "copy.json[*] — ArchCanvas"


def test_a_failed_save_as_leaves_the_untitled_design_untitled(ui, tmp_path):
    window, f, answers = ui
    add_conv(window)
    answers.save_name = tmp_path / "missing" / "net.json"
    assert f.files.save() is False
    assert window.document.design.name == "untitled" and window.windowTitle() == "Untitled[*] — ArchCanvas"
    assert window.document.modified and answers.kinds() == ["save", "error"]


# opening bad files -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_bad_file_opens_to_its_error_message(ui, name):
    window, f, answers = ui
    assert f.files.open_path(SEED)
    before, path = snapshot(window), window.document.path
    case = EXPECTED[name]
    opened = f.files.open_path(BAD / name)
    if case["stage"] == "load":
        assert opened is False
        assert answers.errors() == [f"{BAD / name}: {case['error']}"]
        assert snapshot(window) == before and window.document.path == path
        assert not window.document.modified
    else:  # loads (the GUI must reopen what it can produce); the fault shows on its node
        assert opened is True and answers.errors() == []
        d, a = window.document.design, window.document.analysis
        assert [f"{d.node(r.id).label}: {r.message}" for r in a.problems] == case["errors"]


def test_opening_a_missing_file_says_so(ui, tmp_path):
    window, f, answers = ui
    assert f.files.open_path(tmp_path / "gone.json") is False
    assert answers.errors() == [f"cannot open {tmp_path / 'gone.json'}: no such file or directory"]


# recent files and drops ------------------------------------------------------------------------
def test_open_recent_lists_files_newest_first_and_drops_missing_ones(ui, tmp_path):
    window, f, answers = ui
    other = tmp_path / "other.json"
    fileformat.save(small_design(), other)
    f.files.open_path(SEED)
    f.files.open_path(other)
    assert f.settings.recent_files() == [str(other.resolve()), str(SEED.resolve())]
    f.files.recent_menu.aboutToShow.emit()
    labels = [a.text() for a in f.files.recent_menu.actions() if not a.isSeparator()]
    assert labels == ["&1 other.json", "&2 seed_inception.json", "Clear Menu"]
    other.unlink()
    assert f.files.open_recent(str(other.resolve())) is False
    assert "no longer exists" in answers.errors()[0]
    assert f.settings.recent_files() == [str(SEED.resolve())]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dropping_a_json_file_on_the_window_opens_it(ui):
    window, f, _ = ui
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEED))])
    target = window.view.viewport() if hasattr(window, "view") else window
    enter = QDragEnterEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, drop)
    assert window.document.path == SEED
    assert snapshot(window) == fileformat.to_dict(fileformat.load(SEED))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dragging_other_files_is_not_taken(ui, tmp_path):
    window, f, _ = ui
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "picture.png"))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    assert f.files.eventFilter(window, enter) is False


# exports ---------------------------------------------------------------------------------------
def test_export_csv_equals_the_command_line_report_byte_for_byte(ui, tmp_path):
    window, f, _ = ui
    assert f.files.open_path(SEED)
    doc = window.document
    # an edit made in the window is in both: the CLI reads the saved file
    doc.push(SetAttr(doc, [doc.design.node_ids()[1]], "filters", 48))
    saved, ours, theirs = tmp_path / "edited.json", tmp_path / "archcanvas.gui.csv", tmp_path / "cli.csv"
    assert f.files.save_as(saved)
    assert f.files.export_csv(ours)
    run = subprocess.run([str(ARCHCANVAS), "report", str(saved), "--csv", str(theirs)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert ours.read_bytes() == theirs.read_bytes()
    assert ours.read_bytes().startswith(b"name,type,group,output_shape,params,")
    assert b"\nTOTAL," in ours.read_bytes()


def test_export_csv_neutralizes_formulas_unless_exact_names_is_on(ui, tmp_path, qtbot, profile):  # noqa: F811
    window, f, _ = ui
    d = Design("evil")
    d.add_node("Input", "in", attrs={"shape": [4]}, pos=(0, 0))
    d.add_node("Dense", "d", attrs={"units": 2}, name="=cmd|' /C calc'!A0", pos=(200, 0))
    d.connect("in", "d")
    path = tmp_path / "evil.json"
    fileformat.save(d, path)
    assert f.files.open_path(path)
    action = f.actions["file.csv_exact_names"]
    assert not action.isChecked()
    for exact, name in ((False, "safe"), (True, "exact")):
        action.setChecked(exact)
        assert f.files.export_csv(tmp_path / f"{name}.csv")
        run = subprocess.run([str(ARCHCANVAS), "report", str(path), "--csv", str(tmp_path / f"cli-{name}.csv"),
                              *(["--csv-exact-names"] if exact else [])], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert (tmp_path / f"{name}.csv").read_bytes() == (tmp_path / f"cli-{name}.csv").read_bytes()
    assert b"\nd,'=cmd|' /C calc'!A0," not in (tmp_path / "safe.csv").read_bytes()
    assert "'=cmd|' /C calc'!A0,Dense" in (tmp_path / "safe.csv").read_text(encoding="utf-8")
    assert "\n=cmd|' /C calc'!A0,Dense" in (tmp_path / "exact.csv").read_text(encoding="utf-8")
    _, g = make_window(qtbot)  # the choice is remembered
    assert g.actions["file.csv_exact_names"].isChecked()


def test_export_csv_refuses_a_design_with_errors(ui, tmp_path):
    window, f, answers = ui
    assert f.files.open_path(BAD / "compute_kernel_too_large.json")
    assert f.files.export_csv(tmp_path / "r.csv") is False
    assert not (tmp_path / "r.csv").exists()
    assert answers.errors()[0].startswith("Some layers cannot be computed")


@pytest.mark.parametrize("dtype", ["float32", "float16", "int8"])
def test_the_cost_panels_export_button_writes_the_cli_report_in_the_chosen_dtype(ui, tmp_path, dtype):
    from archcanvas.core.cli import main
    window, f, answers = ui
    design_path = tmp_path / "seed.json"
    design_path.write_bytes(SEED.read_bytes())
    assert f.files.open_path(design_path)
    window.cost_panel.dtype_box.setCurrentText(dtype)  # "Memory as" in the panel
    assert window.document.dtype == dtype
    answers.save_name = str(tmp_path / "ours.csv")
    window.cost_panel.export_button.click()
    theirs = tmp_path / "cli.csv"
    assert main(["report", str(design_path), "--csv", str(theirs), "--dtype", dtype]) == 0
    assert (tmp_path / "ours.csv").read_bytes() == theirs.read_bytes()


def test_export_starts_in_the_designs_folder(ui, tmp_path, monkeypatch):
    window, f, _ = ui
    folder = tmp_path / "designs"
    folder.mkdir()
    assert f.files.save_as(folder / "net.json")
    asked = []
    monkeypatch.setattr(P, "save_file_name", lambda parent, caption, start, filters: asked.append(start) or "")
    window.cost_panel.export_button.click()
    assert asked == [str(folder / "net.csv")]


def test_both_exports_refuse_a_design_with_errors_as_the_command_line_does(ui, tmp_path, capsys):
    from archcanvas.core.cli import main
    window, f, answers = ui
    assert main(["report", str(BAD / "compute_kernel_too_large.json"), "--csv", str(tmp_path / "c.csv")]) == 1
    cli_lines = capsys.readouterr().err.splitlines()
    assert f.files.open_path(BAD / "compute_kernel_too_large.json")
    answers.save_name = str(tmp_path / "r.csv")
    window.cost_panel.export_button.click()
    assert not (tmp_path / "r.csv").exists()
    (kind, title, text), = [a for a in answers.asked if a[0] == "error"]
    assert title == "Cannot export the report"
    assert ["error: " + line for line in text.splitlines()[1:]] == cli_lines


def test_export_csv_failure_names_the_folder(ui, tmp_path):
    window, f, answers = ui
    assert f.files.open_path(SEED)
    assert f.files.export_csv(tmp_path / "missing-folder" / "r.csv") is False
    text, = answers.errors()
    assert "missing-folder" in text


def test_export_png_and_svg_of_the_canvas(ui, tmp_path):
    window, f, answers = ui
    assert f.files.open_path(SEED)
    png, svg = tmp_path / "canvas.png", tmp_path / "canvas.svg"
    assert f.files.export_image(png)
    assert f.files.export_image(svg)
    image = QImage(str(png))
    rect = window.view.scene().itemsBoundingRect()
    assert image.width() == round((rect.width() + 48) * 2)
    assert image.height() == round((rect.height() + 48) * 2)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "</svg>" in text
    assert "<title>ArchCanvas design</title>" in text
    assert answers.errors() == []


def test_export_image_of_an_empty_canvas_says_so(ui, tmp_path):
    window, f, answers = ui
    assert f.files.export_image(tmp_path / "x.png") is False
    assert answers.errors() == ["The canvas is empty."]


# menus and shortcuts ---------------------------------------------------------------------------
def test_file_and_edit_shortcuts(ui):
    window, f, _ = ui
    a = f.actions
    assert a["file.open"].shortcut() == QKeySequence("Ctrl+O")
    assert a["file.save"].shortcut() == QKeySequence("Ctrl+S")
    assert a["file.new"].shortcut() == QKeySequence("Ctrl+N")
    assert a["edit.undo"].shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Shift+Z") in a["edit.redo"].shortcuts()
    assert a["edit.copy"].shortcut() == QKeySequence("Ctrl+C")
    assert a["edit.paste"].shortcut() == QKeySequence("Ctrl+V")
    assert a["edit.cut"].shortcut() == QKeySequence("Ctrl+X")
    assert a["edit.duplicate"].shortcut() == QKeySequence("Ctrl+D")
    # no key is bound twice in the window: an ambiguous shortcut would do nothing at all
    from PySide6.QtGui import QAction
    seen = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            assert key.toString() not in seen, (key.toString(), action.objectName(), seen.get(key.toString()))
            seen[key.toString()] = action.objectName()


def test_undo_names_the_command(ui):
    window, f, _ = ui
    add_conv(window)
    assert f.actions["edit.undo"].text() == "&Undo Add Conv2D"


def test_connect_and_undo_keep_dirty_tracking_exact(ui, tmp_path):
    window, f, _ = ui
    assert f.files.open_path(SEED)
    doc = window.document
    ids = doc.design.node_ids()
    new = add_conv(window)
    doc.push(Connect(doc, ids[0], new))
    assert doc.modified
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert not doc.modified and not window.isWindowModified()


# the README's screenshots ----------------------------------------------------------------------
def test_the_screenshot_script_runs_the_command_line(tmp_path):
    script = Path(__file__).parent.parent / "scripts" / "screenshots.py"
    run = subprocess.run([sys.executable, str(script), "--out", str(tmp_path), "--size", "900x700",
                          "--theme", "dark", "mobilenet-v1"], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "mobilenet-v1-dark.png"
    assert run.stdout.strip() == str(out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 700)
    # the dark theme came from the script's own settings file, not the user's
    assert image.pixelColor(5, 690).lightness() < 100


def test_a_huge_canvas_is_exported_smaller_instead_of_running_out_of_memory():
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QGraphicsScene

    from archcanvas.gui.desktop.file_actions import MAX_PIXELS, MAX_SIDE, render_png

    scene = QGraphicsScene()
    scene.addRect(0, 0, 10, 10)
    image = QImage.fromData(render_png(scene, QRectF(0, 0, 40_000, 500)))
    assert image.width() == MAX_SIDE and image.height() == 200
    image = QImage.fromData(render_png(scene, QRectF(0, 0, 9_000, 9_000)))
    assert image.width() * image.height() <= MAX_PIXELS
    assert image.width() == int(9_000 * (MAX_PIXELS / 81e6) ** 0.5)


def test_install_fills_the_main_windows_menus_with_one_action_per_command(ui):
    window, f, answers = ui
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "E&xplore", "&Help"]
    edit = [a.objectName() or "-" for a in f.menus["edit"].actions()]
    assert edit == ["edit.undo", "edit.redo", "-", "edit.cut", "edit.copy", "edit.paste", "edit.duplicate",
                    "-", "edit.delete", "edit.delete_reconnect", "edit.select_all",
                    "-", "edit.find", "edit.find_next", "edit.find_previous", "-", "-"]
    assert f.menus["edit"].actions()[-1].menu() is window.refactor_menu
    view = [a.objectName() or "-" for a in f.menus["view"].actions()][:6]
    assert view == ["view.zoom_in", "view.zoom_out", "view.zoom_reset", "-", "view.fit", "view.auto_layout"]
    # the window's own actions, not second copies
    wa = window.window_actions
    assert (f.actions["edit.delete"], f.actions["edit.select_all"], f.actions["view.fit"],
            f.actions["view.auto_layout"], f.actions["edit.undo"]) == (
        wa.delete, wa.select_all, wa.fit, wa.auto_layout, wa.undo)
    assert f.files.open_path(SEED)
    window.view.set_zoom(0.5)
    f.actions["view.zoom_in"].trigger()
    assert window.view.zoom() == pytest.approx(0.625)
    f.actions["view.zoom_reset"].trigger()
    assert window.view.zoom() == 1.0
    assert answers.asked == []


def test_edit_delete_is_enabled_for_a_picked_wire(ui):
    """Picking a wire clears the layer selection; Edit→Delete must still be on, as the key is."""
    window, f, _ = ui
    assert f.files.open_path(SEED)
    design = window.document.design
    wire = design.edges()[0]
    window.document.set_selection([])
    assert not f.actions["edit.delete"].isEnabled() and not f.actions["edit.cut"].isEnabled()
    window.view.scene().pick_edge((wire.source, wire.target, wire.port))
    assert f.actions["edit.delete"].isEnabled() and f.actions["edit.delete_reconnect"].isEnabled()
    f.actions["edit.delete"].trigger()
    assert wire not in design.edges() and window.document.undo_stack.undoText().startswith("Disconnect")


def test_a_file_opened_from_the_command_line_is_in_open_recent(qtbot, profile, monkeypatch):  # noqa: F811
    from archcanvas.gui import app as gui_app
    from archcanvas.gui.main_window import MainWindow
    from archcanvas.gui.desktop.settings import Settings

    Prompts(monkeypatch)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)  # return instead of running the loop
    # The first style sheet set on an application restyles every widget alive: late in a long
    # session (thousands of widgets from earlier tests) that took minutes. The app sets it before
    # any widget exists; the --screenshot tests run it that way.
    monkeypatch.setattr(gui_app, "apply_style", lambda app: None)
    before = set(QApplication.topLevelWidgets())
    assert gui_app.run(str(SEED)) == 0
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before)
    qtbot.addWidget(window)
    window.desktop.crash.uninstall()
    assert window.document.path == SEED
    assert Settings().recent_files() == [str(SEED.resolve())]
    window.desktop.files.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.desktop.files.recent_menu.actions()][0] == "&1 seed_inception.json"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_json_file_dropped_on_the_palette_search_box_opens_it(ui):
    window, f, _ = ui
    box = window.palette.search
    box.setText("")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEED))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(box, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(box, drop)
    assert box.text() == ""
    assert window.document.path == SEED
    assert snapshot(window) == fileformat.to_dict(fileformat.load(SEED))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_drop_on_another_window_is_left_to_that_window(ui, qtbot):
    window, f, _ = ui
    from PySide6.QtWidgets import QLineEdit
    other = QLineEdit()
    qtbot.addWidget(other)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEED))])
    drop = QDropEvent(QPointF(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    assert f.files.eventFilter(other, drop) is False
    assert window.document.path is None


def test_the_title_has_one_owner_and_a_deleted_window_leaves_the_document_quiet(qtbot, profile, monkeypatch):  # noqa: F811
    import shiboken6
    from archcanvas.gui.document.document import Document
    from archcanvas.gui.desktop.title import WindowTitle

    Prompts(monkeypatch)
    doc = Document(small_design())
    window, features = make_window(qtbot, doc, own=False)
    assert len(window.findChildren(WindowTitle)) == 1
    assert not hasattr(features.files, "update_title")
    assert window.windowTitle() == "small[*] — ArchCanvas"
    add_conv(window)
    assert window.isWindowModified()
    shiboken6.delete(window)
    with qtbot.capture_exceptions() as raised:
        doc.undo_stack.undo()
        doc.design.name = "renamed"
        doc.set_design(small_design(), None)
        doc.undo_stack.clear()
    assert raised == []
