"""The cost panel with real widgets (offscreen): charts, totals, breakdown and table follow the
document through real undo commands; bars and rows select nodes; the baseline shows deltas."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from archcanvas.core import report
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.fileformat import save
from archcanvas.core.templates import TEMPLATES
from archcanvas.gui.document.commands import AddNodes, Connect, Disconnect, SetAttr
from archcanvas.gui.cost_panel import CostPanel
from archcanvas.gui.cost_panel.baseline import MINUS, delta_text, direction
from archcanvas.gui.cost_panel.chart_items import ValueAxis, log_heights
from archcanvas.gui.theme.chart import HIGHLIGHT, class_color
from archcanvas.gui.cost_panel.table_model import SORT_ROLE
from archcanvas.gui.document.document import Document

CONV5 = {"filters": 32, "kernel_size": 5, "padding": "same"}


def conv5_design() -> Design:
    """Seed 003: Conv2D 32 5×5 same on 28×28×192 (120,422,400 MACs)."""
    d = Design("conv 5x5")
    d.add_node("Input", "x", attrs={"shape": [28, 28, 192]})
    d.add_node("Conv2D", "c5", attrs=CONV5)
    d.add_node("GlobalAveragePooling2D", "gap")
    d.add_node("Dense", "fc", attrs={"units": 10})
    d.connect("x", "c5")
    d.connect("c5", "gap")
    d.connect("gap", "fc")
    return d


@pytest.fixture
def panel(qtbot):
    doc = Document(conv5_design())
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.resize(760, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.fixture
def mobilenet(qtbot):
    doc = Document(TEMPLATES["mobilenet-v1"].build())
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.resize(760, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def report_rows(doc):
    return report.rows(doc.design, analyze(doc.design))  # a fresh full analysis, not the panel's


def table_column(p, key):
    """(display text, sort value) of a column, in the view's current row order."""
    col = p.model.column_of(key)
    return [(p.proxy.index(r, col).data(), p.proxy.index(r, col).data(SORT_ROLE))
            for r in range(p.proxy.rowCount())]


def insert_bottleneck(doc):
    """Insert a 1×1 Conv2D of 16 filters between the input and the 5×5 convolution (3 commands)."""
    frag = Design()
    frag.add_node("Conv2D", "reduce", attrs={"filters": 16, "kernel_size": 1, "padding": "same"})
    doc.undo_stack.beginMacro("Insert bottleneck")
    doc.push(Disconnect(doc, "x", "c5", 0))
    doc.push(AddNodes(doc, frag, connect=[("x", "reduce", 0)]))
    doc.push(Connect(doc, "reduce", "c5", 0))
    doc.undo_stack.endMacro()


# chart data -----------------------------------------------------------------------------------
def test_charts_show_the_report_values(mobilenet):
    p = mobilenet
    rows = report_rows(p.document)
    assert len(rows) == 91
    assert p.charts.ids == [r.id for r in rows]  # topological order
    assert p.charts.heights("params").tolist() == [r.params for r in rows]
    assert p.charts.heights("cost").tolist() == [r.macs for r in rows]
    p.set_metric("flops")
    assert p.charts.heights("cost").tolist() == [r.flops for r in rows]
    assert p.flops_radio.isChecked()
    p.set_metric("macs")
    assert p.charts.heights("cost").tolist() == [r.macs for r in rows]


def test_cumulative_curve_ends_at_100_percent(mobilenet):
    p = mobilenet
    plot = p.charts.cost_plot
    x, y = plot.curve.getData()
    values = plot.values
    shown = y * plot.share_axis.scale  # what the right axis reads across each bar
    assert shown[-1] == pytest.approx(100.0)
    assert shown.tolist() == pytest.approx((np.cumsum(values) / values.sum() * 100).tolist())
    # 100 % is the top of the plot: a round number just above the tallest bar (51,380,224)
    assert y.max() == pytest.approx(plot.top) and plot.top == 6e7
    assert plot.plot.getViewBox().viewRange()[1] == pytest.approx([-0.015 * 6e7, 1.015 * 6e7])
    assert x[0] == -0.5 and x[-1] == len(values) - 0.5


def test_nice_top():
    from archcanvas.gui.cost_panel.chart_items import nice_top
    assert [nice_top(v) for v in (0, 1, 9.5, 51_380_224, 1_025_000, 7.71)] == \
        [1.0, 1.2, 10.0, 6e7, 1.2e6, 10.0]
    assert [nice_top(v, log=True) for v in (0, 7.71, 7.9, 6.01)] == [1.0, 8.0, 8.5, 6.5]


def test_log_scale_transforms_heights_and_labels_real_values(mobilenet):
    p = mobilenet
    values = p.charts.values("cost").copy()
    p.set_log(True)
    assert p.charts.log
    heights = p.charts.heights("cost")
    assert heights.tolist() == pytest.approx(np.log10(1.0 + values.astype(float)).tolist())
    i = int(np.argmax(values))
    assert heights[i] == pytest.approx(math.log10(1 + 51_380_224))  # conv_pw_3: 56×56×128×128
    assert heights[values == 0].tolist() == [0.0] * int((values == 0).sum())
    axis = p.charts.cost_plot.value_axis
    assert axis.log
    (spacing, ticks), = axis.tickValues(0.0, 8.1, 400)
    assert axis.tickStrings(ticks, 1.0, spacing) == ["0", "10", "100", "1K", "10K", "100K", "1M", "10M", "100M"]
    assert ticks[3] == pytest.approx(math.log10(1001))  # 1K sits where a bar of 1,000 ends
    p.set_log(False)
    assert p.charts.heights("cost").tolist() == values.tolist()
    assert log_heights(np.array([0, 9, 99])).tolist() == pytest.approx([0.0, 1.0, 2.0])


def test_linear_axis_uses_readable_units():
    axis = ValueAxis()
    assert axis.tickStrings([0.0, 2.5e7, 5e7, 1e9], 1.0, 2.5e7) == ["0", "25M", "50M", "1G"]


# following edits ------------------------------------------------------------------------------
def test_edit_through_undo_command_updates_chart_table_and_totals(panel, qtbot):
    p, doc = panel, panel.document
    i = p.charts.ids.index("c5")
    assert p.charts.values("cost")[i] == 120_422_400
    assert p.totals_view.value_text("macs") == "120M"
    doc.push(SetAttr(doc, ["c5"], "filters", 64))
    p.flush()
    # 28×28×5×5×192×64 MACs; 5×5×192×64 + 64 params; the Dense after pooling grows to 64×10+10
    assert p.charts.values("cost")[i] == 240_844_800
    assert p.charts.heights("params")[i] == 307_264
    assert p.charts.heights("params")[p.charts.ids.index("fc")] == 650
    p.show_tab("table")
    macs = dict(zip([r.id for r in p.model.rows], [r.macs for r in p.model.rows]))
    assert macs["c5"] == 240_844_800
    shown = dict(zip([r.id for r in p.model.rows], table_column(p, "macs")))
    assert shown["c5"] == ("240,844,800", 240_844_800)
    total_macs = 240_844_800 + 640
    assert p.totals["macs"] == total_macs
    assert p.totals_view.value_text("macs") == "241M"
    assert "MACs: 240,845,440" in p.totals_view.tooltip("macs")
    assert p.totals_view.value_text("params") == "308K"  # 307,264 + 650 = 307,914
    assert "trainable: 307,914" in p.totals_view.tooltip("params")
    assert [r.macs for r in p.model.rows] == [r.macs for r in report_rows(doc)]
    doc.undo_stack.undo()
    p.flush()
    assert [r.macs for r in p.model.rows][1] == 120_422_400
    p.show_tab("charts")
    assert p.charts.values("cost")[i] == 120_422_400


def test_hidden_tabs_and_hidden_panel_catch_up_when_shown(panel):
    p, doc = panel, panel.document
    p.show_tab("table")
    p.show_tab("charts")
    doc.push(SetAttr(doc, ["c5"], "filters", 64))
    p.flush()
    assert p.charts.values("cost")[p.charts.ids.index("c5")] == 240_844_800
    assert p.model.rows[1].macs == 120_422_400  # the hidden table has not been rebuilt
    p.show_tab("table")
    assert p.model.rows[1].macs == 240_844_800
    p.hide()
    doc.push(SetAttr(doc, ["c5"], "filters", 16))
    p.flush()
    assert p.totals["macs"] == 60_211_200 + 160  # the totals always follow (status bar)
    assert p.model.rows[1].macs == 240_844_800
    p.show()
    assert p.model.rows[1].macs == 60_211_200


def test_rename_updates_names(panel):
    from archcanvas.gui.document.commands import Rename
    p, doc = panel, panel.document
    doc.push(Rename(doc, "c5", "conv five"))
    p.flush()
    assert p.charts.names[p.charts.ids.index("c5")] == "conv five"
    assert "<b>conv five</b>" in p.charts.tooltip("cost", p.charts.ids.index("c5"))


def test_updates_are_coalesced(panel, qtbot):
    p, doc = panel, panel.document
    before = p.updates
    for f in (40, 48, 56, 64):
        doc.push(SetAttr(doc, ["c5"], "filters", f))
    assert p.updates == before  # nothing drawn yet: the timer is pending
    qtbot.waitUntil(lambda: p.updates == before + 1, timeout=2000)
    qtbot.wait(50)
    assert p.updates == before + 1
    assert p.charts.values("cost")[p.charts.ids.index("c5")] == 28 * 28 * 25 * 192 * 64


def test_structural_edit_adds_a_bar_and_a_row(panel):
    p, doc = panel, panel.document
    insert_bottleneck(doc)
    p.flush()
    assert p.charts.ids == ["x", "c5", "gap", "fc", "reduce"] or p.charts.ids.index("reduce") < p.charts.ids.index("c5")
    rows = report_rows(doc)
    assert p.charts.ids == [r.id for r in rows]
    assert p.charts.heights("cost").tolist() == [r.macs for r in rows]
    p.show_tab("table")
    assert p.proxy.rowCount() == 5


# selection ------------------------------------------------------------------------------------
def test_clicking_a_bar_selects_and_focuses_the_node(panel, qtbot):
    p, doc = panel, panel.document
    focused = []
    doc.focus_requested.connect(focused.append)
    scene_pos = p.charts.bar_scene_pos("cost", "c5")
    view_pos = p.charts.mapFromScene(scene_pos)
    qtbot.mouseClick(p.charts.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert doc.selection == ["c5"]
    assert focused == ["c5"]
    # the params chart's bar of the Dense layer, through the handler a click calls
    assert p.charts.click_at(p.charts.bar_scene_pos("params", "fc")) == "fc"
    assert doc.selection == ["fc"] and focused == ["c5", "fc"]
    # empty space beside the bars selects nothing new
    vb = p.charts.cost_plot.plot.getViewBox()
    assert p.charts.click_at(vb.mapViewToScene(QPointF(len(p.charts.ids) + 0.7, 1.0))) is None
    assert doc.selection == ["fc"]


def test_selection_highlights_bars_and_table_rows(panel):
    p, doc = panel, panel.document
    doc.set_selection(["c5"])
    assert p.charts.bar_brush("cost", "c5") == HIGHLIGHT
    p.show_tab("table")  # a table shown later picks up the selection made meanwhile
    faded = p.charts.bar_brush("cost", "fc")
    assert faded.alpha() < 255 and faded.rgb() == class_color("Dense").rgb()
    selected = {i.data() for i in p.table.selectionModel().selectedRows(p.model.column_of("name"))}
    assert selected == {"c5"}
    doc.set_selection([])
    assert p.charts.bar_brush("cost", "fc") == class_color("Dense")
    assert p.table.selectionModel().selectedRows() == []


def test_hover_tooltip_names_layer_type_shape_and_exact_value(panel):
    p = panel
    hit = p.charts.hit(p.charts.bar_scene_pos("cost", "c5"))
    assert hit == ("cost", p.charts.ids.index("c5"))
    text = p.charts.tooltip(*hit)
    assert "<b>c5</b>" in text and "Conv2D" in text and "Conv2D 5×5" in text
    assert "output 28×28×32" in text
    assert "MACs: <b>120,422,400</b> (120M)" in text
    params_text = p.charts.tooltip("params", p.charts.ids.index("c5"))
    assert "Params: <b>153,632</b>" in params_text


def test_table_row_selection_selects_the_node(panel):
    p, doc = panel, panel.document
    p.show_tab("table")
    row = next(r for r in range(p.proxy.rowCount())
               if p.proxy.index(r, p.model.column_of("id")).data() == "gap")
    p.table.selectRow(row)
    assert doc.selection == ["gap"]
    assert p.charts.bar_brush("params", "gap") == HIGHLIGHT


def test_table_sorts_numbers_by_value(mobilenet):
    p = mobilenet
    p.show_tab("table")
    col = p.model.column_of("macs")
    p.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    values = [v for _, v in table_column(p, "macs")]
    assert values == sorted(values, reverse=True)
    assert values[0] == 51_380_224
    shown = [t for t, _ in table_column(p, "macs")]
    assert shown[0] == "51,380,224"
    # text order would put "903,168" before "51,380,224"; value order does not
    assert shown.index("51,380,224") < shown.index("903,168")
    p.table.sortByColumn(p.model.column_of("output_shape"), Qt.SortOrder.AscendingOrder)
    sizes = [v for _, v in table_column(p, "output_shape")]
    assert sizes == sorted(sizes) and sizes[-1] == 113 * 113 * 64  # conv_pad_2
    p.filter_edit.setText("conv_pw_1")
    names = [t for t, _ in table_column(p, "name")]
    assert names and all("conv_pw_1" in n for n in names)


def test_table_has_the_csv_columns(panel):
    p = panel
    p.show_tab("table")
    assert [p.model.headerData(i, Qt.Orientation.Horizontal) for i in range(p.model.columnCount())] \
        == [c.title for c in report.COLUMNS]
    assert p.model.rowCount() == len(report_rows(p.document))


# breakdown ------------------------------------------------------------------------------------
def test_mobilenet_breakdown_table(mobilenet):
    p = mobilenet
    p.show_tab("breakdown")
    m = p.breakdown.class_model
    shown = {m.index(r, 0).data(): m.index(r, 5).data() for r in range(m.rowCount())}
    assert shown["Conv2D 1×1"] == "94.86%"
    assert shown["Dense"] == "0.18%"
    params = {m.index(r, 0).data(): m.index(r, 3).data() for r in range(m.rowCount())}
    assert params["Conv2D 1×1"] == "73.81%" and params["Dense"] == "24.10%"  # BN included
    p.breakdown.papers_box.setChecked(True)  # Table 2 counts conv and FC weights only
    shown = {m.index(r, 0).data(): m.index(r, 3).data() for r in range(m.rowCount())}
    assert shown["Conv2D 1×1"] == "74.57%" and shown["Dense"] == "24.35%"  # paper: 74.59, 24.33
    assert "Normalization" not in shown
    assert {m.index(r, 0).data(): m.index(r, 5).data() for r in range(m.rowCount())}["Conv2D 1×1"] == "94.86%"
    g = p.breakdown.group_model
    groups = [g.index(r, 0).data() for r in range(g.rowCount())]
    assert groups[0] == "conv1" and "classifier" in groups


def test_breakdown_row_selects_its_layers(mobilenet):
    p, doc = mobilenet, mobilenet.document
    p.show_tab("breakdown")
    m = p.breakdown.class_model
    row = next(r for r in range(m.rowCount()) if m.index(r, 0).data() == "DepthwiseConv2D")
    p.breakdown.class_view.clicked.emit(m.index(row, 0))
    assert len(doc.selection) == 13
    assert all(doc.design.node(n).type == "DepthwiseConv2D" for n in doc.selection)


# baseline -------------------------------------------------------------------------------------
def test_pin_baseline_then_insert_bottleneck(panel):
    p, doc = panel, panel.document
    assert p.delta_text("macs") == ""
    p.pin()
    assert p.totals_view.sub_text("macs") == "same vs pin"
    insert_bottleneck(doc)
    p.flush()
    p.show_tab("table")
    conv_macs = 2_408_448 + 10_035_200  # the seed's 12,443,648
    assert sum(r.macs for r in p.model.rows if r.type == "Conv2D") == conv_macs
    old, new = 120_422_400 + 320, conv_macs + 320  # plus the Dense 32×10
    assert p.totals["macs"] == new
    assert delta_text(old, new) == f"{MINUS}89.7%"
    assert p.delta_text("macs") == f"MACs {MINUS}89.7%"
    assert p.totals_view.sub_text("macs") == f"{MINUS}89.7% vs pin"
    assert p.clear_button.isEnabled() and p.pin_label.text().startswith("vs conv 5x5 ")
    assert p.pin_label.toolTip().startswith("Pinned: conv 5x5 at ")
    doc.undo_stack.undo()
    p.flush()
    assert p.totals_view.sub_text("macs") == "same vs pin"
    p.clear_pin()
    assert p.delta_text("macs") == "" and p.totals_view.sub_text("macs") == "mult-adds"
    assert not p.clear_button.isEnabled()


def test_delta_wording():
    assert delta_text(120_422_400, 12_443_648) == f"{MINUS}89.7%"
    assert delta_text(100, 112) == "+12.0%"
    assert delta_text(100, 300) == "+200%"
    assert delta_text(100, 1500) == "×15.0"
    assert delta_text(100, 100) == "same"
    assert delta_text(0, 5) == "new"
    assert delta_text(100, 0) == f"{MINUS}100%"
    assert delta_text(10**9, 10**9 + 1) == "+<0.1%"
    assert delta_text(10**9, 10**9 - 1) == f"{MINUS}<0.1%"
    assert direction(5, 3) == -1 and direction(3, 5) == 1 and direction(4, 4) == 0


# totals, dtype, export --------------------------------------------------------------------------
def test_dtype_changes_memory_figures(panel):
    p = panel
    params, acts = p.totals["params"], p.totals["activations"]
    assert p.totals["weight_bytes"] == 4 * params
    p.set_dtype("int8")
    assert p.totals["weight_bytes"] == params and p.totals["activation_bytes"] == acts
    assert p.totals_view.cards["weight_bytes"].title.text() == "Weights (int8)"
    assert f"{params:,} bytes" in p.totals_view.tooltip("weight_bytes")
    p.set_dtype("float16")
    assert p.totals["activation_bytes"] == 2 * acts
    p.show_tab("table")
    assert [r.weight_bytes for r in p.model.rows] == [2 * r.params for r in p.model.rows]
    with pytest.raises(ValueError, match="unknown dtype 'float64'"):
        p.set_dtype("float64")


def test_the_memory_dtype_is_the_documents(panel, qtbot):
    p, doc = panel, panel.document
    with qtbot.waitSignal(doc.dtype_changed, timeout=1000) as sig:
        p.dtype_box.setCurrentText("float16")  # the user's pick in the combo
    assert sig.args == ["float16"] and doc.dtype == "float16" and p.dtype == "float16"
    assert p.totals["weight_bytes"] == 2 * p.totals["params"]
    doc.set_dtype("int8")  # another view (or the document) changes it: the combo follows
    assert p.dtype_box.currentText() == "int8" and p.totals["weight_bytes"] == p.totals["params"]


def test_the_export_button_asks_the_one_export_path(panel, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: pytest.fail("the panel must not write a report itself")))
    with qtbot.waitSignal(panel.export_requested, timeout=1000):
        panel.export_button.click()
    assert not hasattr(panel, "export_csv") and not hasattr(panel, "csv_text")


def test_bars_of_a_layer_past_2_to_the_63_macs(qtbot):
    d = Design("huge")
    d.add_node("Input", "in", attrs={"shape": [100000, 100000, 512]})
    d.add_node("Conv2D", "c", attrs={"filters": 100000, "kernel_size": 7, "padding": "same"})
    d.connect("in", "c")
    doc = Document(d)
    macs = doc.analyzer.analysis.results["c"].macs
    assert macs == 100000 * 100000 * 7 * 7 * 512 * 100000 > 2**63
    p = CostPanel(doc)  # built OverflowError into its charts before
    qtbot.addWidget(p)
    p.show()
    p.refresh_view("charts")
    assert int(p.charts.values("cost")[1]) == macs  # exact, for the tooltip
    assert p.charts.heights("cost")[1] == float(macs)
    assert f"{macs:,}" in p.charts.tooltip("cost", 1)
    p.set_metric("flops")
    p.set_log(True)
    assert p.charts.heights("cost")[1] == pytest.approx(math.log10(1.0 + float(doc.analyzer.analysis.results["c"].flops)))


def test_summary_for_the_status_bar(panel, qtbot):
    p, doc = panel, panel.document
    assert p.summary_text() == "154K params · 120M MACs · 241M FLOPs · 4 layers"
    with qtbot.waitSignal(p.summary_changed, timeout=2000) as sig:
        doc.push(SetAttr(doc, ["fc"], "units", 1000))
    assert "4 layers" in sig.args[0]


# document lifecycle --------------------------------------------------------------------------
def test_design_replaced_resets_the_panel(panel, qtbot):
    p, doc = panel, panel.document
    doc.set_selection(["c5"])
    doc.set_design(TEMPLATES["mobilenet-v1"].build())
    p.flush()
    p.show_tab("table")
    assert len(p.charts.ids) == 91 and p.model.rowCount() == 91
    assert p.charts.selected == set()
    assert p.totals_view.value_text("macs") == "569M"
    lo, hi = p.charts.params_plot.plot.getViewBox().viewRange()[0]
    assert lo < 0 and hi > 90  # the whole new design in view


def test_empty_and_broken_designs(qtbot):
    doc = Document()
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.show()
    assert p.charts.ids == [] and p.totals_view.value_text("macs") == "0"
    d = Design()
    d.add_node("Input", "x", attrs={"shape": [4, 4, 3]})
    d.add_node("Conv2D", "big", attrs={"filters": 8, "kernel_size": 9})  # 9×9 valid on 4×4
    d.connect("x", "big")
    doc.set_design(d)
    p.flush()
    p.show_tab("table")
    assert p.charts.heights("cost").tolist() == [0, 0]
    err = p.model.rows[1].error
    assert err and "big" in p.charts.tooltip("cost", 1)
    assert p.model.index(1, p.model.column_of("error")).data() == err


def test_screenshot_tool_writes_a_png(qtbot, tmp_path):
    from archcanvas.gui.cost_panel.screenshot import render
    out = tmp_path / "panel.png"
    render(out, width=700, height=600)
    from PySide6.QtGui import QImage
    img = QImage(str(out))
    assert (img.width(), img.height()) == (700, 600)


def test_y_range_stays_still_for_small_edits_and_follows_big_ones(panel):
    p, doc = panel, panel.document
    plot = p.charts.cost_plot
    assert plot.top == 1.5e8  # 120,422,400 × 1.04 rounded up
    doc.push(SetAttr(doc, ["c5"], "filters", 28))  # 105,369,600: still fills the range
    p.flush()
    assert plot.top == 1.5e8
    doc.push(SetAttr(doc, ["c5"], "filters", 8))  # 30,105,600: under half, the range follows
    p.flush()
    assert plot.top == 4e7
    doc.push(SetAttr(doc, ["c5"], "filters", 64))  # 240,844,800: above, the range grows
    p.flush()
    assert plot.top == 3e8
    assert plot.plot.getViewBox().viewRange()[1] == pytest.approx([-0.015 * 3e8, 1.015 * 3e8])


def test_stale_bars_of_a_removed_layer_are_harmless(panel):
    from archcanvas.gui.document.commands import RemoveNodes
    p, doc = panel, panel.document
    i = p.charts.ids.index("fc")
    focused = []
    doc.focus_requested.connect(focused.append)
    doc.push(RemoveNodes(doc, ["fc"]))  # the charts still show it until the timer fires
    assert "removed" in p.charts.tooltip("cost", i)
    assert p.charts.click_at(p.charts.bar_scene_pos("cost", "fc")) == "fc"
    assert focused == [] and doc.selection == []
    p.flush()
    assert "fc" not in p.charts.ids


def test_real_mouse_hover_shows_the_tooltip(panel, qtbot):
    from PySide6.QtWidgets import QToolTip
    p = panel
    view_pos = p.charts.mapFromScene(p.charts.bar_scene_pos("cost", "c5"))
    qtbot.mouseMove(p.charts.viewport(), view_pos)
    qtbot.waitUntil(lambda: "120,422,400" in QToolTip.text(), timeout=2000)
    assert "<b>c5</b>" in QToolTip.text()


def test_the_share_axis_reads_percent_after_an_edit_leaves_nothing_to_count(panel, qtbot):
    doc = panel.document
    doc.push(SetAttr(doc, ["c5"], "padding", "valid"))
    doc.push(SetAttr(doc, ["c5"], "kernel_size", 300))  # larger than the input: nothing computes
    panel.flush()
    panel.refresh_view("charts")
    for bp in (panel.charts.params_plot, panel.charts.cost_plot):
        assert bp.top == 1.0 and list(bp.values) == [0, 0, 0, 0]
        axis = bp.share_axis
        ticks = [v for _, vs in axis.tickValues(-0.015, 1.015, 200) for v in vs]
        labels = axis.tickStrings(ticks, axis.autoSIPrefixScale * axis.scale, 0.2)
        assert "100" in labels and "0" in labels and "x1e" not in axis.labelString()


def test_one_layer_is_counted_in_the_singular(qtbot):
    d = Design("one")
    d.add_node("Input", "x", attrs={"shape": [8, 8, 3]})
    p = CostPanel(Document(d))
    qtbot.addWidget(p)
    assert p.totals_view.sub_text("flops") == "1 layer"
    assert p.summary_text().endswith("· 1 layer")


def test_big_values_keep_their_units_on_the_axis_and_names_lose_their_block_prefix(qtbot):
    from archcanvas.core.templates import BLOCKS

    d = Design("big")
    d.add_node("Input", "x", attrs={"shape": [224, 224, 3]})
    BLOCKS["inception"].add(d, "x", "inception")
    p = CostPanel(Document(d))
    qtbot.addWidget(p)
    p.resize(900, 500)
    p.show()
    qtbot.waitExposed(p)
    p.flush()
    p.refresh_view("charts")
    axis = p.charts.cost_plot.value_axis
    assert p.charts.values("cost").max() == 5_549_064_192  # the 3×3 convolution
    assert axis.autoSIPrefixScale == 1.0 and "x1e" not in axis.labelString()
    lo, hi = p.charts.cost_plot.plot.getViewBox().viewRange()[1]
    spacing, major = axis.tickValues(lo, hi, 200)[0]
    assert axis.tickStrings(major, axis.autoSIPrefixScale, spacing) == ["0", "2G", "4G", "6G"]
    assert p.charts.names[:3] == ["x", "1x1", "3x3_reduce"]
