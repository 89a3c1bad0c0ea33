"""Collapsed groups on the real window: a block collapses to one card and expands again (the
frame's ▾, a double-click, the context menus, View ▸ Collapse/Expand all groups), wires end on
the card, the card's totals are the analysis's, the state is saved with the design, and a
template viewed collapsed by stage overlaps nothing."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from archcanvas.core import collapse, fileformat as ff
from archcanvas.core.cli_tools import read_design
from archcanvas.core.layout import wrapped_positions
from archcanvas.core.templates import build
from archcanvas.core.units import human
from archcanvas.gui.canvas import collapsing
from archcanvas.gui.canvas.collapsed_item import SIZE, CollapsedItem
from archcanvas.gui.canvas.node_item import NodeItem
from archcanvas.gui.document.commands import AddNodes, SetGroup
from archcanvas.core.design import Design

BLOCK = "inception_3a"


def _names(menu):
    return [a.objectName() or a.text() for a in menu.actions() if not a.isSeparator()]


def _trigger(menu, name):
    next(a for a in menu.actions() if a.objectName() == name).trigger()


def _picture(scene):
    """What the canvas shows: every item kind, each node's drawn position and visibility."""
    return ({n.node_id: (n.pos().x(), n.pos().y(), n.isVisible()) for n in scene.node_items()},
            {k: e.isVisible() for k, e in scene.edge_items().items()},
            {g: scene.group_item(g).isVisible() for g in scene.design.groups()})


def _visible_rects(scene) -> list[tuple[str, QRectF]]:
    rects = [(i.node_id, scene.node_rect(i.node_id)) for i in scene.node_items() if i.isVisible()]
    rects += [(i.name, QRectF(i.pos(), QRectF(0, 0, *SIZE).size()))
              for i in scene.items() if isinstance(i, CollapsedItem)]
    return rects


def _assert_no_overlap(scene):
    for (a, ra), (b, rb) in combinations(_visible_rects(scene), 2):
        assert not ra.intersects(rb), f"{a} overlaps {b}"


@pytest.fixture
def googlenet(window):
    window.open_design(build("googlenet", resolution=64))
    return window


def test_collapse_and_expand_round_trip_in_place(googlenet):
    w, scene = googlenet, googlenet.view.scene()
    before = _picture(scene)
    collapsing.set_collapsed(scene, BLOCK, True)
    card = scene.collapse.items[BLOCK]
    members = collapse.members(w.document.design, BLOCK)
    assert len(members) == 8 and all(not scene.item_for(n).isVisible() for n in members)
    assert not scene.group_item(BLOCK).isVisible()
    xs = [scene.shown_pos(n).x() for n in members]
    ys = [scene.shown_pos(n).y() for n in members]
    assert card.pos() == QPointF(min(xs), (min(ys) + max(ys)) / 2)
    assert w.document.modified and w.document.undo_stack.undoText() == f"Collapse {BLOCK}"
    # the card stands inside the frame it replaces: it overlaps nothing
    _assert_no_overlap(scene)
    collapsing.set_collapsed(scene, BLOCK, False)
    assert scene.collapse.items == {} and _picture(scene) == before
    w.document.undo_stack.undo()
    assert set(scene.collapse.items) == {BLOCK}
    w.document.undo_stack.undo()
    assert _picture(scene) == before and not w.document.modified


def test_wires_to_and_from_members_end_on_the_card(googlenet):
    scene = googlenet.view.scene()
    design = googlenet.document.design
    collapsing.set_collapsed(scene, BLOCK, True)
    card = scene.collapse.items[BLOCK]
    inside = set(collapse.members(design, BLOCK))
    seen_in = seen_out = 0
    for (s, t, p), edge in scene.edge_items().items():
        path = edge.path()
        start, end = path.pointAtPercent(0), path.pointAtPercent(1)
        if s in inside and t in inside:
            assert not edge.isVisible()
        elif t in inside:
            assert edge.isVisible() and end == card.pos() + card.input_anchor()
            seen_in += 1
        elif s in inside:
            assert edge.isVisible() and start == card.pos() + card.output_anchor()
            seen_out += 1
    assert (seen_in, seen_out) == (4, 4)  # the four branches in, the concat out to 3b's four


def test_the_card_shows_the_analysis_group_sums_and_output_shape(googlenet):
    scene = googlenet.view.scene()
    analysis = googlenet.document.analysis
    collapsing.set_collapsed(scene, BLOCK, True)
    t = analysis.by_group[BLOCK]
    assert (t.params, t.macs) == (163_696, 128_049_152 * 8 * 8 // (28 * 28))  # (3a) on 8x8x192
    card = scene.collapse.items[BLOCK]
    assert card.count == "8 layers"
    assert card.lines == ("8×8×256", f"{human(t.params)} params", f"{human(t.macs)} MACs")
    assert card.lines[1:] == ("164K params", "10.5M MACs")
    tip = scene.collapse.tooltip(BLOCK)
    assert "params: 163,696" in tip and "MACs: 10,452,992" in tip


def test_totals_follow_an_edit_inside_the_collapsed_block(googlenet):
    scene = googlenet.view.scene()
    doc = googlenet.document
    collapsing.set_collapsed(scene, BLOCK, True)
    from archcanvas.gui.document.commands import SetAttr
    doc.push(SetAttr(doc, ["inception_3a_1x1"], "filters", 32))
    t = doc.analysis.by_group[BLOCK]
    card = scene.collapse.items[BLOCK]
    assert card.lines == ("8×8×224", f"{human(t.params)} params", f"{human(t.macs)} MACs")


def test_collapsed_state_survives_save_and_reopen(googlenet, tmp_path, qtbot):
    from archcanvas.gui.document.document import Document
    from archcanvas.gui.main_window import MainWindow
    collapsing.set_collapsed(googlenet.view.scene(), BLOCK, True)
    path = tmp_path / "g.json"
    ff.save(googlenet.document.design, path)
    assert '"view": {"collapsed": ["inception_3a"]}' in path.read_text(encoding="utf-8")
    other = MainWindow(Document())
    qtbot.addWidget(other)
    other.open_design(read_design(str(path)))
    scene = other.view.scene()
    assert set(scene.collapse.items) == {BLOCK}
    assert not scene.item_for("inception_3a_1x1").isVisible()
    assert not other.document.modified
    assert scene.collapse.items[BLOCK].pos() == googlenet.view.scene().collapse.items[BLOCK].pos()


def test_the_frame_toggle_collapses_and_a_double_click_expands(googlenet, qtbot):
    w, scene, view = googlenet, googlenet.view.scene(), googlenet.view
    frame = scene.group_item(BLOCK)
    view.centerOn(frame.toggle_rect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(frame.toggle_rect().center()))
    assert set(scene.collapse.items) == {BLOCK}
    card = scene.collapse.items[BLOCK]
    middle = view.mapFromScene(card.pos() + QPointF(SIZE[0] / 2, SIZE[1] / 2 + 10))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert scene.collapse.items == {}
    assert scene.item_for("inception_3a_1x1").isVisible()
    # a double-click on the frame's label band collapses it too
    title = view.mapFromScene(QPointF(frame.frame_rect().center().x(), frame.frame_rect().top() + 10))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert set(scene.collapse.items) == {BLOCK}
    assert w.document.undo_stack.undoText() == f"Collapse {BLOCK}"


def test_context_menus_collapse_expand_and_delete_the_block(googlenet):
    w, scene = googlenet, googlenet.view.scene()
    cm, doc = w.context_menu, w.document
    n_before = len(doc.design)
    menu = cm.group_menu(BLOCK)
    assert "context.collapse" in _names(menu)
    _trigger(menu, "context.collapse")
    card = scene.collapse.items[BLOCK]
    at = w.view.mapFromScene(card.pos() + QPointF(SIZE[0] / 2, SIZE[1] / 2))
    w.view.centerOn(card.pos())
    at = w.view.mapFromScene(card.pos() + QPointF(SIZE[0] / 2, SIZE[1] / 2))
    assert cm.item_at(at) is card
    menu = cm.menu_for(card)
    assert _names(menu) == ["context.expand", "context.select_block", "context.ungroup_block", "context.delete_block"]
    _trigger(menu, "context.delete_block")
    scene.flush()  # the canvas redraws blocks once per event-loop turn
    assert len(doc.design) == n_before - 8 and BLOCK not in doc.design.groups()
    assert scene.collapse.items == {}
    doc.undo_stack.undo()  # one step brings the whole block back, still collapsed
    scene.flush()
    assert len(doc.design) == n_before and set(scene.collapse.items) == {BLOCK}
    _trigger(cm.menu_for(scene.collapse.items[BLOCK]), "context.expand")
    assert scene.collapse.items == {}
    # a layer's menu collapses the block it is in
    menu = cm.node_menu("inception_3b_1x1")
    _trigger(menu, "context.collapse_group")
    assert set(scene.collapse.items) == {"inception_3b"}


def test_selecting_the_card_selects_its_members_and_delete_removes_them_in_one_step(googlenet):
    w, scene, doc = googlenet, googlenet.view.scene(), googlenet.document
    doc.set_selection(["inception_3a_1x1", "inception_3a_pool"])
    collapsing.set_collapsed(scene, BLOCK, True)  # a selection inside the block stays, on its card
    card = scene.collapse.items[BLOCK]
    assert doc.selection == ["inception_3a_1x1", "inception_3a_pool"] and card.isSelected()
    doc.set_selection([])
    card.setSelected(True)
    members = collapse.members(doc.design, BLOCK)
    assert sorted(doc.selection) == sorted(members)
    doc.set_selection([])
    assert not card.isSelected()
    doc.set_selection(["inception_3a_3x3"])  # the cost table selects one member: the card shows it
    assert card.isSelected()
    doc.set_selection(members)
    n = len(doc.design)
    w.delete_selection()
    assert len(doc.design) == n - 8
    doc.undo_stack.undo()
    assert len(doc.design) == n


def test_a_layer_joining_a_collapsed_block_is_drawn_inside_its_card(googlenet):
    scene, doc = googlenet.view.scene(), googlenet.document
    collapsing.set_collapsed(scene, BLOCK, True)
    extra = Design("x")
    extra.add_node("Activation", "act", {"activation": "relu"}, pos=(0, 0))
    doc.push(AddNodes(doc, extra))
    new = next(n for n in doc.design.node_ids() if n.startswith("act"))
    assert scene.item_for(new).isVisible()
    doc.set_selection([new])
    doc.push(SetGroup(doc, [new], BLOCK))
    scene.flush()  # the canvas redraws blocks once per event-loop turn, after the command
    assert not scene.item_for(new).isVisible()
    assert doc.selection == [new] and scene.collapse.items[BLOCK].isSelected()  # hidden, still selected
    assert scene.collapse.items[BLOCK].count == "9 layers"
    doc.undo_stack.undo()
    scene.flush()
    assert scene.item_for(new).isVisible() and scene.collapse.items[BLOCK].count == "8 layers"


def test_dragging_the_card_moves_the_block(googlenet, qtbot):
    w, scene, view, doc = googlenet, googlenet.view.scene(), googlenet.view, googlenet.document
    collapsing.set_collapsed(scene, BLOCK, True)
    card = scene.collapse.items[BLOCK]
    before = {n: doc.design.node(n).pos for n in collapse.members(doc.design, BLOCK)}
    view.set_zoom(1.0)
    view.centerOn(card.pos())
    start = view.mapFromScene(card.pos() + QPointF(SIZE[0] / 2, SIZE[1] / 2 + 10))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(view.viewport(), pos=start + type(start)(0, 20 * step))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + type(start)(0, 100))
    scene.flush()
    after = {n: doc.design.node(n).pos for n in before}
    dy = {round(after[n][1] - before[n][1], 6) for n in before}
    assert dy == {100.0} and {after[n][0] - before[n][0] for n in before} == {0.0}
    assert card.pos().y() == pytest.approx((min(p[1] for p in after.values()) + max(p[1] for p in after.values())) / 2)


@pytest.mark.parametrize("name", ["googlenet", "mobilenet-v2"])
def test_collapse_all_views_a_template_by_stage_without_overlap(window, name):
    window.open_design(build(name, resolution=64))
    scene, doc = window.view.scene(), window.document
    plain = wrapped_positions(doc.design)
    window.collapse_all_action.trigger()
    groups = collapse.group_names(doc.design)
    assert set(scene.collapse.items) == groups
    assert all(not i.isVisible() for i in scene.node_items() if i.node_id in scene.collapse.hidden)
    _assert_no_overlap(scene)
    assert doc.undo_stack.undoText() == "Collapse all groups"
    # the packed picture fits the view larger than the expanded one did
    assert window.view.zoom() >= 0.45
    window.expand_all_action.trigger()
    assert scene.collapse.items == {}
    assert {n: doc.design.node(n).pos for n in plain} == plain
    _assert_no_overlap(scene)


def test_expanding_a_block_with_no_room_lays_the_design_out_again(window):
    window.open_design(build("googlenet", resolution=64))
    scene, doc = window.view.scene(), window.document
    window.collapse_all_action.trigger()
    collapsing.set_collapsed(scene, "inception_4a", False)
    assert "inception_4a" not in scene.collapse.items and len(scene.collapse.items) == 11
    _assert_no_overlap(scene)
    frame = scene.group_item("inception_4a")
    scene.flush()
    assert frame.isVisible()
    for _, r in _visible_rects(scene):
        if not frame.frame_rect().contains(r):
            assert not frame.frame_rect().intersects(r)
    doc.undo_stack.undo()  # one step: collapsed again, and the cards back where they were
    assert len(scene.collapse.items) == 12
    _assert_no_overlap(scene)


def test_nested_groups_collapse_to_the_outer_card(window):
    d = Design("nested")
    d.add_node("Input", "in", {"shape": [8, 8, 3]})
    d.add_node("Conv2D", "c1", {"filters": 4, "kernel_size": 3}, group="enc")
    d.add_node("Conv2D", "c2", {"filters": 8, "kernel_size": 3}, group="enc/block1")
    d.add_node("Flatten", "flat", {})
    for s, t in (("in", "c1"), ("c1", "c2"), ("c2", "flat")):
        d.connect(s, t)
    window.open_design(d)
    window.auto_layout()
    scene = window.view.scene()
    collapsing.set_collapsed(scene, "enc/block1", True)
    assert set(scene.collapse.items) == {"enc/block1"} and scene.group_item("enc").isVisible()
    collapsing.set_collapsed(scene, "enc", True)
    assert set(scene.collapse.items) == {"enc"}
    assert not scene.group_item("enc").isVisible() and not scene.group_item("enc/block1").isVisible()
    assert scene.collapse.items["enc"].count == "2 layers"
    collapsing.set_collapsed(scene, "enc", False)  # the inner block is still collapsed
    assert set(scene.collapse.items) == {"enc/block1"}
    assert isinstance(scene.item_for("c1"), NodeItem) and scene.item_for("c1").isVisible()
