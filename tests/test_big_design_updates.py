"""On a big design the views follow an edit with work proportional to what it changed (issue 11).

Counted, not timed: which canvas items are handed new results, which table rows are announced,
how often the overview is redrawn and how often ports are read. A regression to "redraw
everything after every edit" fails here however fast the machine is. The figures the views
show stay exact: they are checked against a fresh analysis of the same design.
"""

from __future__ import annotations

import pytest

from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.gui.canvas.node_item import NodeItem
from archcanvas.gui.document.commands import MoveNodes, SetAttr

BLOCKS = 300  # conv, batch norm, relu each: 901 layers, far more than any edit below touches


def chain(blocks: int = BLOCKS) -> Design:
    d = Design("chain")
    x = d.add_node("Input", "input", attrs={"shape": [16, 16, 3]})
    for i in range(blocks):
        group = f"block{i // 10}"
        c = d.add_node("Conv2D", f"conv{i}", attrs={"filters": 8, "kernel_size": 3, "padding": "same"},
                       group=group)
        b = d.add_node("BatchNormalization", f"bn{i}", group=group)
        r = d.add_node("Activation", f"relu{i}", attrs={"activation": "relu"}, group=group)
        d.connect(x, c)
        d.connect(c, b)
        d.connect(b, r)
        x = r
    return d


@pytest.fixture
def big(window):
    window.open_design(chain())
    window.cost_panel.flush()
    return window


def count_calls(monkeypatch, cls, name):
    seen = []
    original = getattr(cls, name)

    def spy(self, *args, **kw):
        seen.append(getattr(self, "node_id", None))
        return original(self, *args, **kw)

    monkeypatch.setattr(cls, name, spy)
    return seen


def test_one_attribute_edit_redraws_only_the_layers_whose_figures_changed(big, monkeypatch):
    doc, panel, scene = big.document, big.cost_panel, big.view.scene()
    updates = []
    doc.analysis_updated.connect(lambda ids: updates.append(set(ids)))
    touched = count_calls(monkeypatch, NodeItem, "set_result")
    rebuilds = big.minimap.rebuilds
    k = BLOCKS * 3 // 4
    doc.push(SetAttr(doc, [f"conv{k}"], "filters", 12))
    panel.flush()
    # the conv's own shape and cost, the two layers whose shape follows it, the next conv's weights:
    # not the 670 layers downstream, which the analysis recomputed and found unchanged
    expected = {f"conv{k}", f"bn{k}", f"relu{k}", f"conv{k + 1}"}
    assert updates == [expected]
    assert sorted(touched) == sorted(expected)
    assert scene.item_for(f"relu{k}").shape_text == "16×16×12"
    assert big.minimap.rebuilds == rebuilds  # nothing moved: the overview is not redrawn
    # the charts' bars, patched in place, are exactly a fresh analysis's figures
    fresh = analyze(doc.design)
    charts = panel.charts
    for node_id in (f"conv{k}", f"conv{k + 1}", f"bn{k}", "conv0"):
        i = charts.ids.index(node_id)
        assert charts.values("params")[i] == fresh.results[node_id].params
        assert charts.values("cost")[i] == fresh.results[node_id].macs
    assert charts.ids == [n for n in fresh.order]
    assert panel.totals["macs"] == fresh.totals.macs


def test_the_table_announces_only_the_rows_that_changed(big):
    doc, panel = big.document, big.cost_panel
    panel.show_tab("table")
    model = panel.model
    whole_rows, share_columns = [], []
    last = model.columnCount() - 1

    def on_changed(top, bottom, roles=()):
        if top.column() == 0 and bottom.column() == last:
            whole_rows.extend(range(top.row(), bottom.row() + 1))
        else:
            assert top.column() == bottom.column()
            share_columns.append(model.headerData(top.column(), _horizontal()))

    model.dataChanged.connect(on_changed)
    k = BLOCKS // 2
    doc.push(SetAttr(doc, [f"conv{k}"], "filters", 16))
    panel.flush()
    assert sorted(model.rows[i].id for i in whole_rows) == sorted(
        [f"conv{k}", f"bn{k}", f"relu{k}", f"conv{k + 1}"])
    assert share_columns == ["% params", "% MACs"]  # the totals moved: every share, once per column
    fresh = analyze(doc.design)
    row = model.rows[model.row_of(f"conv{k + 1}")]
    assert row.params == fresh.results[f"conv{k + 1}"].params == 16 * 9 * 8 + 8
    whole_rows.clear(), share_columns.clear()
    doc.push(SetAttr(doc, [f"relu{k}"], "activation", "tanh"))  # no figure changes
    panel.flush()
    assert whole_rows == [] and share_columns == []


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_delete_all_and_undo_are_one_batch_each_and_read_each_layers_ports_once(big, monkeypatch):
    doc, scene = big.document, big.view.scene()
    n = len(doc.design)
    selections, updates = [], []
    doc.selection_changed.connect(selections.append)
    doc.analysis_updated.connect(updates.append)
    doc.set_selection(doc.design.node_ids())
    assert len(selections) == 1
    big.delete_selection()
    assert len(doc.design) == 0 and scene.node_items() == []
    assert len(selections) == 2 and selections[-1] == []  # once for the whole deletion
    assert len(updates) == 1 and len(updates[0]) == n
    ports = count_calls(monkeypatch, NodeItem, "set_ports")
    rebuilds = big.minimap.rebuilds
    doc.undo_stack.undo()
    big.cost_panel.flush()
    assert len(doc.design) == n and len(scene.node_items()) == n
    assert len(updates) == 2 and len(updates[1]) == n
    # each restored layer reads its ports once, from the design as the undo leaves it, not once
    # more for each wire put back into it
    assert len(ports) == n
    assert len(scene.edge_items()) == len(doc.design.edges()) == n - 1
    assert scene.item_for("relu7").shape_text == "16×16×8"
    big.minimap.refresh()
    assert big.minimap.rebuilds == rebuilds + 1


def test_moving_a_layer_redraws_the_overview_once(big, qtbot):
    doc, mm = big.document, big.minimap
    assert mm.isVisible()
    before = mm.rebuilds
    node = doc.design.node("conv5")
    doc.push(MoveNodes(doc, {"conv5": (node.pos, (node.pos[0], node.pos[1] + 400))}))
    doc.push(MoveNodes(doc, {"conv6": (doc.design.node("conv6").pos, (0.0, 900.0))}))
    qtbot.waitUntil(lambda: mm.rebuilds == before + 1)  # two moves, one redraw on the next turn
    shapes = mm._read()
    assert shapes.content.contains(big.view.scene().node_rect("conv6"))
