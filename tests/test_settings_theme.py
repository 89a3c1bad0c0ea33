"""What persists between runs (window layout, recent files, view options) and the themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow

from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)
from archcanvas.gui import theme
from archcanvas.gui.desktop import install as desktop
from archcanvas.gui.desktop.settings import MAX_RECENT, Settings, bind_view_options, qsettings


@pytest.fixture
def answers(monkeypatch, profile):  # noqa: F811
    return Prompts(monkeypatch)


@pytest.fixture(autouse=True)
def fresh_theme():
    """Each test starts in the light palette with no theme manager, and leaves it so."""
    yield
    if desktop._theme is not None:
        desktop._theme.set_mode("light")
        desktop._theme.deleteLater()
        desktop._theme = None


def test_settings_go_to_the_isolated_file(profile):  # noqa: F811
    s = Settings()
    s.add_recent(profile / "a.json")
    assert qsettings().fileName() == str(profile / "settings.ini")
    assert (profile / "settings.ini").read_text().count("a.json") == 1


def test_recent_files_newest_first_without_duplicates_and_capped(profile, tmp_path):  # noqa: F811
    s = Settings()
    for i in range(MAX_RECENT + 3):
        s.add_recent(tmp_path / f"d{i}.json")
    s.add_recent(tmp_path / "d5.json")
    files = Settings().recent_files()  # a fresh reader: it was written through
    assert len(files) == MAX_RECENT
    assert files[:3] == [str(tmp_path / n) for n in ("d5.json", "d12.json", "d11.json")]
    assert files.count(str(tmp_path / "d5.json")) == 1
    s.remove_recent(tmp_path / "d12.json")
    assert str(tmp_path / "d12.json") not in Settings().recent_files()
    s.clear_recent()
    assert Settings().recent_files() == []


def test_one_recent_file_reads_back_as_a_list(profile, tmp_path):  # noqa: F811
    Settings().add_recent(tmp_path / "only.json")
    assert Settings().recent_files() == [str(tmp_path / "only.json")]


def test_window_size_and_dock_layout_persist(qtbot, answers):
    first, f = make_window(qtbot)
    with qtbot.waitExposed(first):
        first.show()
    first.resize(720, 560)  # inside the offscreen screen (800×800), so nothing clamps it
    qtbot.waitUntil(lambda: (first.width(), first.height()) == (720, 560))
    docks = first.findChildren(__import__("PySide6.QtWidgets", fromlist=["QDockWidget"]).QDockWidget)
    assert docks, "the main window has docks"
    hidden = docks[0]
    hidden.hide()
    assert first.close()

    second, g = make_window(qtbot)
    with qtbot.waitExposed(second):
        second.show()
    assert (second.width(), second.height()) == (720, 560)
    again = second.findChild(type(hidden), hidden.objectName())
    assert again.isHidden()
    others = [d for d in second.findChildren(type(hidden)) if d.objectName() != hidden.objectName()]
    assert all(d.isVisible() for d in others if first.findChild(type(hidden), d.objectName()))


def test_view_options_are_remembered(qtbot, profile):  # noqa: F811
    windows = []

    def window():
        w = QMainWindow()
        windows.append(w)
        qtbot.addWidget(w)
        grid = QAction("Grid", w, checkable=True, checked=True, objectName="view.grid")
        w.addAction(grid)
        other = QAction("Other", w, checkable=True, checked=True, objectName="not.a.view.option")
        w.addAction(other)
        bind_view_options(Settings(), w)
        return grid, other

    grid, other = window()
    grid.setChecked(False)
    other.setChecked(False)
    grid2, other2 = window()
    assert grid2.isChecked() is False  # restored
    assert other2.isChecked() is True  # not a view option: not stored


def test_light_and_dark_palettes_apply_to_the_application(qtbot, answers):
    window, f = make_window(qtbot)
    app = QApplication.instance()
    f.actions["theme.dark"].trigger()
    assert app.palette().color(QPalette.ColorRole.Window).name() == "#2b2b2e"
    assert f.theme.scheme == "dark" and f.actions["theme.dark"].isChecked()
    assert Settings().theme() == "dark"
    f.actions["theme.light"].trigger()
    assert app.palette().color(QPalette.ColorRole.Window).name() == "#f3f3f3"
    assert not f.actions["theme.dark"].isChecked()


def test_the_canvas_follows_the_theme(qtbot, answers):
    from archcanvas.gui.theme import canvas as canvas_theme

    window, f = make_window(qtbot)
    f.actions["theme.dark"].trigger()
    assert canvas_theme.theme().name == "dark"
    f.actions["theme.light"].trigger()
    assert canvas_theme.theme().name == "light"


def test_the_cost_panel_follows_the_theme(qtbot, answers):
    from PySide6.QtGui import QColor

    from archcanvas.core.design import Design

    design = Design("two")
    design.add_node("Input", "in", attrs={"shape": [8, 8, 3]})
    design.add_node("Conv2D", "c", attrs={"filters": 4, "kernel_size": 3})
    design.connect("in", "c")
    window, f = make_window(qtbot)
    window.open_design(design)
    panel = window.cost_panel
    panel.flush()
    panel.refresh_view("charts")
    charts = panel.charts
    axis = charts.params_plot.value_axis
    card = panel.totals_view.cards["params"]
    assert charts.background().name() == "#ffffff"
    f.actions["theme.dark"].trigger()
    assert charts.background().name() == "#1f1f22"
    assert axis.textPen().color().name() == "#c8c8cc"
    assert charts.params_plot.curve.opts["pen"].color().name() == "#e6e6e6"
    assert "#2a2a2e" in card.styleSheet() and "#ededf0" in card.value.styleSheet()
    # the selected bar's edge must show on the dark page
    window.document.set_selection(["c"])
    assert charts.ids == ["in", "c"]
    assert charts.params_plot.bars.opts["pens"][1].color() == QColor("#ffffff")
    f.actions["theme.light"].trigger()
    assert charts.background().name() == "#ffffff"
    assert axis.textPen().color().name() == "#404040"
    assert charts.params_plot.bars.opts["pens"][1].color() == QColor("#202020")


def test_a_cost_panel_made_in_the_dark_theme_starts_dark(qtbot, answers):
    from archcanvas.gui.cost_panel import CostPanel
    from archcanvas.gui.document.document import Document

    window, f = make_window(qtbot)
    f.actions["theme.dark"].trigger()
    panel = CostPanel(Document())
    qtbot.addWidget(panel)
    assert panel.charts.background().name() == "#1f1f22"


def test_the_stored_theme_is_used_at_the_next_start(qtbot, answers):
    Settings().set_theme("dark")
    window, f = make_window(qtbot)
    assert f.theme.mode == "dark" and f.actions["theme.dark"].isChecked()
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == "#1f1f22"


def test_system_mode_follows_the_desktop_scheme(qtbot, answers, monkeypatch):
    window, f = make_window(qtbot)
    assert f.theme.mode == "system" and f.actions["theme.system"].isChecked()
    scheme = {"now": "light"}
    monkeypatch.setattr(theme, "system_scheme", lambda: scheme["now"])
    hints = QGuiApplication.styleHints()
    scheme["now"] = "dark"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert f.theme.scheme == "dark"
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == "#2b2b2e"
    f.actions["theme.light"].trigger()  # an explicit choice stops following
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert f.theme.scheme == "light"


def test_resolve_system_uses_the_style_hints():
    hints = QGuiApplication.styleHints()
    expected = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
    assert theme.resolve("system") == expected
    with pytest.raises(ValueError, match="theme must be one of system, light, dark"):
        theme.resolve("sepia")


def test_zoom_actions_change_the_canvas_scale(qtbot, answers):
    window, f = make_window(qtbot)
    view = window.view
    f.actions["view.zoom_reset"].trigger()
    assert view.transform().m11() == pytest.approx(1.0)
    f.actions["view.zoom_in"].trigger()
    assert view.transform().m11() == pytest.approx(1.25)
    f.actions["view.zoom_out"].trigger()
    f.actions["view.zoom_out"].trigger()
    assert view.transform().m11() == pytest.approx(0.8)


def test_view_menu_lists_every_dock_once(qtbot, answers):
    from PySide6.QtWidgets import QDockWidget

    window, f = make_window(qtbot)
    menu_actions = f.menus["view"].actions()
    for dock in window.findChildren(QDockWidget):
        assert menu_actions.count(dock.toggleViewAction()) == 1
    texts = [a.text() for a in menu_actions]
    assert "Zoom &In" in texts and "&Auto-layout" in texts and "&Theme" in texts
