"""The cost panel's Memory tab with real widgets (offscreen): live memory over the run order with
the peak and a budget line, latency per layer on a device, linked to the document's selection."""

import pytest
from PySide6.QtCore import Qt

from archcanvas.core.templates import TEMPLATES
from archcanvas.gui.cost_panel import CostPanel
from archcanvas.gui.cost_panel.colors import HIGHLIGHT
from archcanvas.gui.cost_panel.memory_view import BAR
from archcanvas.gui.document.document import Document


@pytest.fixture
def panel(qtbot):
    doc = Document(TEMPLATES["mobilenet-v2"].build(resolution=96))
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()
    qtbot.waitExposed(p)
    p.show_tab("memory")
    return p


def test_memory_tab_shows_the_peak_and_follows_the_dtype(panel):
    view = panel.memory_view
    m = view.estimates.memory
    assert max(view.live) == m.peak_bytes == (48 * 48 * 96 + 24 * 24 * 96) * 4  # block_1_depthwise, float32
    assert m.peak_layer == "block_1_depthwise"
    i = view.ids.index("block_1_depthwise")
    assert list(view.peak_marker.getData()[0]) == [i]
    assert "Peak <b>" in view.summary.text()
    panel.set_dtype("int8")
    panel.flush()
    assert view.estimates.memory.peak_bytes == 48 * 48 * 96 + 24 * 24 * 96
    view.depthwise_box.setChecked(True)  # block_1_expand: 48×48×16 in, 48×48×96 out
    assert view.estimates.memory.peak_bytes == 48 * 48 * (16 + 96)
    view.fuse_box.setChecked(False)
    assert view.estimates.memory.peak_layer == "block_1_pad"


def test_budget_marks_the_layers_over_it(panel):
    view = panel.memory_view
    assert view.over_budget() == [] and not view.budget_line.isVisible()
    view.set_budget_kib(512)
    over = view.over_budget()
    assert over and all(view.live[view.ids.index(n)] > 512 * 1024 for n in over)
    assert view.budget_line.isVisible() and view.budget_line.value() == 512 * 1024
    assert view.bar_color("memory", over[0]).name() == BAR["over"].lower()
    under = next(n for n in view.ids if n not in over)
    assert view.bar_color("memory", under).name() == BAR["ok"].lower()


def test_latency_per_layer_on_a_device(panel):
    view = panel.memory_view
    assert not view.seconds.any()  # no device chosen yet
    view.device_box.setCurrentText("raspberry-pi-4")
    lat = view.estimates.latency
    assert lat is not None and lat.device.name == "raspberry-pi-4"
    assert view.seconds.sum() == pytest.approx(lat.seconds)
    conv = view.ids.index("Conv_1")
    assert view.bounds[conv] in ("compute", "memory")
    assert view.bar_color("latency", "Conv_1").name() == BAR[view.bounds[conv]].lower()
    assert "roofline estimate" in view.summary.text()


def test_selection_is_linked_both_ways(panel, qtbot):
    view, doc = panel.memory_view, panel.document
    doc.set_selection(["block_3_project"])
    assert view.bar_color("memory", "block_3_project") == HIGHLIGHT
    assert view.bar_color("memory", "Conv1").name() == BAR["faded"].lower()
    with qtbot.waitSignal(view.bar_clicked) as sig:
        view.click_at(view.bar_scene_pos("memory", "block_5_expand"))
    assert sig.args == ["block_5_expand"]
    assert doc.selection == ["block_5_expand"]
