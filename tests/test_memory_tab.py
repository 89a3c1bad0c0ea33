"""The cost panel's Memory tab with real widgets (offscreen): live memory over the run order with
the peak and a budget line, latency per layer on a device, linked to the document's selection."""

import json

import pytest
from PySide6.QtCore import Qt

from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.templates import TEMPLATES
from archcanvas.gui.cost_panel import CostPanel
from archcanvas.gui.theme.chart import HIGHLIGHT
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


def test_a_user_profile_and_a_measured_latency(panel, tmp_path):
    view = panel.memory_view
    path = tmp_path / "board.json"
    path.write_text(json.dumps({"name": "my-board", "peak_flops": 2e9, "memory_bandwidth": 1e9}))
    assert view.add_profile(str(path)) == "my-board"
    assert view.device_box.currentText() == "my-board"
    lat = view.estimates.latency
    assert lat.device.peak_flops == 2e9
    conv = lat.layers["Conv_1"]  # 2 GFLOP/s, 1 GB/s: the ridge is at 2 FLOP per byte
    assert conv.seconds == pytest.approx(max(conv.flops / 2e9, conv.bytes / 1e9))
    view.measured_spin.setValue(12.5)
    assert view.estimates.latency.seconds == pytest.approx(0.0125)
    assert view.seconds.sum() == pytest.approx(0.0125)
    assert "scaled to the measured latency" in view.summary.text()
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "peak_flops": 0, "memory_bandwidth": 1}')
    with pytest.raises(ArchCanvasError, match="peak_flops must be a positive number, got 0"):
        view.add_profile(str(bad))


def test_tooltip_gives_receptive_field_and_latency(panel):
    view = panel.memory_view
    view.device_box.setCurrentText("phone-big-core")
    text = view.tooltip(view.ids.index("block_16_project"))
    assert "receptive field" in text and "output stride 32×32" in text
    assert "-bound" in text and "an estimate" in text
    peak = view.tooltip(view.ids.index(view.estimates.memory.peak_layer))
    assert "the peak" in peak


def test_the_tab_does_not_widen_the_panel(panel):
    # a tab's minimum width is the whole tab widget's: the options may clip, never push
    others = max(panel.tabs.widget(i).minimumSizeHint().width() for i in range(panel.tabs.count() - 1))
    assert panel.memory_view.minimumSizeHint().width() <= others
