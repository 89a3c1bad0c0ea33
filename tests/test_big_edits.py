"""Every edit, undo and redo is one batch for the views, whatever its size (issue 11)."""

from __future__ import annotations

from archcanvas.core import fileformat
from archcanvas.core.design import Design
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)


def _many(n: int) -> Design:
    d = Design("many")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]}, pos=(0, 0))
    prev = "in"
    for i in range(n):
        d.add_node("Conv2D", f"c{i}", attrs={"filters": 4, "kernel_size": 1}, group=f"g{i // 10}",
                   pos=(200.0 * (i + 1), 0))
        d.connect(prev, f"c{i}")
        prev = f"c{i}"
    return d


def test_select_all_delete_and_its_undo_are_one_batch_each(qtbot, profile, monkeypatch):  # noqa: F811
    Prompts(monkeypatch)
    window, _ = make_window(qtbot)
    doc = window.document
    doc.set_design(_many(300))
    before = fileformat.dumps(doc.design)
    heard = {"selection": [], "design": [], "analysis": 0}
    doc.selection_changed.connect(lambda ids: heard["selection"].append(list(ids)))
    doc.design_changed.connect(lambda batch: heard["design"].append(len(batch)))
    doc.analysis_updated.connect(lambda _: heard.__setitem__("analysis", heard["analysis"] + 1))
    rebuilds = []
    real = Design._reorder_by_seq
    monkeypatch.setattr(Design, "_reorder_by_seq", lambda self: (rebuilds.append(1), real(self)))

    window.window_actions.select_all.trigger()
    assert heard["selection"] == [doc.design.node_ids()]
    heard["selection"].clear()
    window.delete_selection()
    assert len(doc.design) == 0 and doc.selection == []
    assert heard["selection"] == [[]]                       # one selection change, not 301
    assert heard["design"] == [301 + 300]                   # one batch: 300 wires, 301 layers
    assert heard["analysis"] == 1
    assert window.view.scene().node_items() == [] and window.view.scene().edge_items() == {}

    heard["selection"].clear(), heard["design"].clear()
    doc.undo_stack.undo()
    assert heard["design"] == [601] and heard["selection"] == []
    assert fileformat.dumps(doc.design) == before
    assert rebuilds == []   # not one graph rebuild per restored node, nor one for all (the graph was empty)
    scene = window.view.scene()
    assert sorted(i.node_id for i in scene.node_items()) == sorted(doc.design.node_ids())
    assert set(scene.edge_items()) == {(e.source, e.target, e.port) for e in doc.design.edges()}
    assert scene.item_for("c299").shape_text.endswith("×4")

    doc.undo_stack.redo()
    assert len(doc.design) == 0 and scene.node_items() == []
    doc.undo_stack.undo()
    assert fileformat.dumps(doc.design) == before


def test_deleting_some_selected_layers_keeps_the_canvas_in_step(qtbot, profile, monkeypatch):  # noqa: F811
    Prompts(monkeypatch)
    window, _ = make_window(qtbot)
    doc = window.document
    doc.set_design(_many(40))
    doc.set_selection([f"c{i}" for i in range(10, 20)])
    window.delete_and_reconnect()
    assert "c10" not in doc.design and doc.design.has_edge("c9", "c20", 0)
    scene = window.view.scene()
    assert set(scene.edge_items()) == {(e.source, e.target, e.port) for e in doc.design.edges()}
    assert scene.selectedItems() == [] and doc.selection == []
    doc.undo_stack.undo()
    assert set(scene.edge_items()) == {(e.source, e.target, e.port) for e in doc.design.edges()}
    assert len(scene.node_items()) == 41
