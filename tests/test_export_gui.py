"""File > Export in the app: the same files as ``archcanvas export``, refused with its lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)

DATA = Path(__file__).parent / "data"
SEED = DATA / "valid" / "seed_inception.json"
ARCHCANVAS = Path(sys.executable).parent / "archcanvas"


@pytest.fixture
def ui(qtbot, profile, monkeypatch):  # noqa: F811
    answers = Prompts(monkeypatch)
    window, features = make_window(qtbot)
    return window, features, answers


def test_file_export_menu_holds_code_and_figure(ui):
    window, f, _ = ui
    menu = window.findChild(QMenu, "menu.file.export")
    assert [a.objectName() for a in menu.actions()] == ["file.export_pytorch", "file.export_keras",
                                                         "file.export_figure"]
    assert menu.menuAction() in f.menus["file"].actions()


@pytest.mark.parametrize("fmt, name", [("pytorch", "m.py"), ("keras", "m.py"), ("figure", "f.png")])
def test_export_writes_what_the_command_writes(ui, tmp_path, fmt, name):
    window, f, _ = ui
    assert f.files.open_path(SEED)
    saved = tmp_path / "seed.json"
    assert f.files.save_as(saved)
    ours, theirs = tmp_path / f"gui-{name}", tmp_path / f"cli-{name}"
    assert f.files.export_as(fmt, ours)
    cli_fmt = "png" if fmt == "figure" else fmt
    run = subprocess.run([str(ARCHCANVAS), "export", str(saved), "--format", cli_fmt, "-o", str(theirs)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    if fmt == "figure":
        assert ours.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and len(ours.read_bytes()) > 10_000
    else:
        assert ours.read_bytes() == theirs.read_bytes()


def test_export_refuses_a_design_with_errors_with_the_report_lines(ui, tmp_path):
    window, f, answers = ui
    bad = DATA / "bad" / "compute_kernel_too_large.json"
    assert f.files.open_path(bad)
    assert f.files.export_as("pytorch", tmp_path / "m.py") is False
    assert not (tmp_path / "m.py").exists()
    run = subprocess.run([str(ARCHCANVAS), "report", str(bad)], capture_output=True, text=True, timeout=120)
    lines = [line.removeprefix("error: ") for line in run.stderr.splitlines()]
    assert answers.errors()[0] == "\n".join(lines) and lines
