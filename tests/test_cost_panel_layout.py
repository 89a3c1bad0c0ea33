"""The cost panel is usable in the window as it first opens (its default size, no saved state):
the report table shows a screenful of rows, the breakdown's two tables sit side by side with
room for their rows, and every chart is tall enough to read."""

import pytest
from PySide6.QtCore import Qt

from archcanvas.core.templates import TEMPLATES
from archcanvas.gui.cost_panel.breakdown_view import BreakdownView
from archcanvas.gui.document.document import Document
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)


@pytest.fixture
def opened(qtbot, profile, monkeypatch):  # noqa: F811
    Prompts(monkeypatch)
    window, _ = make_window(qtbot, Document(TEMPLATES["googlenet"].build()))
    window.show()
    qtbot.waitExposed(window)
    assert window.size().toTuple() == (1500, 940)  # the main window's own default
    return window, window.cost_panel


def _rows_shown(view) -> int:
    return view.viewport().height() // view.verticalHeader().defaultSectionSize()


def test_the_report_table_shows_a_screenful_of_rows(opened, qtbot, tmp_path):
    window, panel = opened
    panel.show_tab("table")
    qtbot.wait(50)
    assert _rows_shown(panel.table) >= 10
    assert panel.table.horizontalHeader().sectionSize(0) >= 120  # names such as inception_3a_3x3_reduce
    assert panel.grab().save(str(tmp_path / "table.png")) and (tmp_path / "table.png").stat().st_size > 10_000


def test_the_breakdown_tables_sit_side_by_side_with_every_class_in_view(opened, qtbot):
    window, panel = opened
    panel.show_tab("breakdown")
    qtbot.wait(50)
    b = panel.breakdown
    assert b.split.orientation() == Qt.Orientation.Horizontal
    classes = b.class_model.rowCount()
    assert classes == 8 and _rows_shown(b.class_view) >= classes
    assert b.class_view.verticalScrollBar().maximum() == 0  # all of GoogLeNet's classes, no scrolling
    assert _rows_shown(b.group_view) >= 10 and b.group_view.width() >= 400
    assert b.group_view.horizontalHeader().sectionSize(0) >= 80  # the group names are not cut


def test_a_narrow_breakdown_stacks_its_tables(qtbot):
    view = BreakdownView()
    qtbot.addWidget(view)
    view.resize(500, 600)
    view.show()
    qtbot.waitExposed(view)
    assert view.split.orientation() == Qt.Orientation.Vertical
    view.resize(900, 300)
    qtbot.wait(20)
    assert view.split.orientation() == Qt.Orientation.Horizontal


def test_every_chart_is_tall_enough_to_read(opened, qtbot):
    window, panel = opened
    panel.show_tab("charts")
    qtbot.wait(50)
    for plot in (panel.charts.params_plot, panel.charts.cost_plot):
        assert plot.plot.getViewBox().height() >= 80
    panel.show_tab("memory")
    qtbot.wait(50)
    memory = panel.memory_view
    # no device chosen: no empty latency chart, the memory chart has the room
    assert not memory.latency_chart.plot.isVisible()
    assert memory.memory_chart.plot.getViewBox().height() >= 150
    assert "pick a device" in memory.summary.text()
    memory.device_box.setCurrentIndex(1)
    qtbot.wait(50)
    assert memory.latency_chart.plot.isVisible()
    assert min(c.plot.getViewBox().height() for c in (memory.memory_chart, memory.latency_chart)) >= 50
