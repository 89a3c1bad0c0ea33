"""The canvas driven offscreen through real widgets: mouse gestures on the view's viewport,
commands on the document, and what the items are told to draw."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from archcanvas.core.design import Design
from archcanvas.gui.canvas import MIME, CanvasView
from archcanvas.gui.canvas.node_item import BLOCKED, ERROR, OK, NodeItem, input_port_pos, output_port_pos
from archcanvas.gui.document.commands import AddNodes, SetAttr, auto_layout
from archcanvas.gui.document.document import Document
from test_commands import one_node, seed_design, snapshot

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot):
    doc = Document(seed_design())
    v = CanvasView(doc)
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    v.resetTransform()
    v.centerOn(450, 100)
    return v


@pytest.fixture
def window_view(qtbot):
    """The canvas inside the main window, whose Delete action is the one Delete of the app."""
    from archcanvas.gui.main_window import MainWindow
    w = MainWindow(Document(seed_design()))
    qtbot.addWidget(w)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    v = w.view
    v.resetTransform()
    v.centerOn(450, 100)
    return v


def send(view, kind, scene_pos, button=LEFT, buttons=LEFT, modifiers=Qt.KeyboardModifier.NoModifier):
    vp = view.mapFromScene(scene_pos)
    glob = view.viewport().mapToGlobal(vp)
    ev = QMouseEvent(kind, QPointF(vp), QPointF(glob), button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), ev)


def drag(view, a: QPointF, b: QPointF, steps=4, modifiers=Qt.KeyboardModifier.NoModifier):
    send(view, QMouseEvent.Type.MouseButtonPress, a, modifiers=modifiers)
    for i in range(1, steps + 1):
        send(view, QMouseEvent.Type.MouseMove, a + (b - a) * (i / steps), button=Qt.MouseButton.NoButton,
             modifiers=modifiers)
    send(view, QMouseEvent.Type.MouseButtonRelease, b, buttons=Qt.MouseButton.NoButton, modifiers=modifiers)


def click(view, p: QPointF, modifiers=Qt.KeyboardModifier.NoModifier):
    send(view, QMouseEvent.Type.MouseButtonPress, p, modifiers=modifiers)
    send(view, QMouseEvent.Type.MouseButtonRelease, p, buttons=Qt.MouseButton.NoButton, modifiers=modifiers)


def out_port(view, node_id) -> QPointF:
    return view.scene().output_anchor(node_id)


def in_port(view, node_id, port=0) -> QPointF:
    return view.scene().input_anchor(node_id, port)


def body(view, node_id) -> QPointF:
    return view.scene().node_rect(node_id).center()


def texts(item: NodeItem):
    return (item.title, item.type_name, item.summary, item.status, item.shape_text, item.cost_text)


def test_scene_draws_the_design(view):
    scene = view.scene()
    assert sorted(i.node_id for i in scene.node_items()) == ["cat", "flat", "in", "p1", "p2"]
    assert texts(scene.item_for("p1")) == ("path1", "Conv2D", "64 · 1×1 same", OK, "28×28×64",
                                           "256 params · 151K MACs")
    assert texts(scene.item_for("cat"))[3:5] == (OK, "28×28×80")
    assert scene.edge_item("p1", "cat", 1) is not None and scene.edge_item("in", "p1", 0) is not None
    assert scene.item_for("p1").pos() == QPointF(220, 0)
    # Concatenate: its two wires plus one free port, numbered in input order
    cat = scene.item_for("cat")
    assert (cat.n_inputs, cat.connected, cat.numbered) == (3, {0, 1}, True)
    assert scene.group_item("inception").frame_rect().contains(scene.node_rect("p2"))


def test_add_nodes_creates_item_with_texts(view):
    doc, scene = view.document, view.scene()
    doc.push(AddNodes(doc, one_node("Conv2D", attrs={"filters": 8, "strides": 2, "padding": "same"},
                                    pos=(0, 0)), offset=(220, 300)))
    item = scene.item_for("conv2d")
    assert item.pos() == QPointF(220, 300)
    assert texts(item)[:4] == ("conv2d", "Conv2D", "8 · 3×3 /2 same", ERROR)
    assert item.message == "needs an input, has 0"
    doc.undo_stack.undo()
    assert scene.item_for("conv2d") is None and item.scene() is None


def test_connect_by_dragging_ports(view):
    doc, scene = view.document, view.scene()
    doc.push(AddNodes(doc, one_node("Conv2D", "c", attrs={"filters": 8, "kernel_size": 3}, pos=(440, 300))))
    drag(view, out_port(view, "p2"), in_port(view, "c"))
    assert doc.design.input_ids("c") == ["p2"]
    assert doc.undo_stack.undoText() == "Connect p2 → c"
    assert scene.edge_item("p2", "c", 0) is not None
    assert texts(scene.item_for("c"))[3:] == (OK, "26×26×8", "1.16K params · 779K MACs")
    # a wire dropped on a merge's body goes to its first free input
    drag(view, out_port(view, "c"), body(view, "flat") + QPointF(-150, 300))  # empty canvas: nothing
    assert doc.undo_stack.count() == 2
    doc.push(AddNodes(doc, one_node("Add", "add", pos=(660, 300))))
    drag(view, out_port(view, "c"), body(view, "add"))
    drag(view, out_port(view, "c"), in_port(view, "add", 1))
    assert [(e.source, e.port) for e in doc.design.inputs("add")] == [("c", 0), ("c", 1)]
    assert scene.item_for("add").n_inputs == 3


def test_drag_from_free_input_back_to_a_node(view):
    doc = view.document
    doc.push(AddNodes(doc, one_node("Conv2D", "c", attrs={"filters": 8, "kernel_size": 1}, pos=(440, 300))))
    drag(view, in_port(view, "c"), out_port(view, "p1"))
    assert doc.design.input_ids("c") == ["p1"]


def test_refused_wires_say_why(view, qtbot):
    doc, scene = view.document, view.scene()
    messages = []
    scene.message.connect(messages.append)
    before = snapshot(doc.design)
    drag(view, out_port(view, "flat"), in_port(view, "cat", 2))
    drag(view, out_port(view, "p2"), in_port(view, "flat"))
    assert messages == ["connecting flat → cat would close a cycle (cat already leads to flat)",
                        "input 0 of flat is already connected to cat"]
    assert snapshot(doc.design) == before and doc.undo_stack.count() == 0


def test_lifting_a_wire_moves_or_removes_it(view):
    doc, scene = view.document, view.scene()
    drag(view, in_port(view, "cat", 1), in_port(view, "cat", 2))  # p1 moves from input 1 to 2
    assert [(e.source, e.port) for e in doc.design.inputs("cat")] == [("p2", 0), ("p1", 2)]
    assert doc.undo_stack.undoText() == "Move wire path1 → cat"
    drag(view, in_port(view, "cat", 2), QPointF(300, 500))  # dropped on empty canvas
    assert doc.design.input_ids("cat") == ["p2"]
    assert scene.edge_item("p1", "cat", 2) is None
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert snapshot(doc.design) == snapshot(seed_design())
    assert scene.edge_item("p1", "cat", 1).isVisible()


def test_attribute_edit_updates_shape_and_cost_text(view):
    doc, scene = view.document, view.scene()
    doc.push(SetAttr(doc, ["p2"], "filters", 32))
    assert texts(scene.item_for("p2"))[2:] == ("32 · 3×3 same", OK, "28×28×32", "896 params · 677K MACs")
    assert scene.item_for("cat").shape_text == "28×28×96"
    doc.push(SetAttr(doc, ["p2"], "kernel_size", 29))
    doc.push(SetAttr(doc, ["p2"], "padding", "valid"))
    p2, cat = scene.item_for("p2"), scene.item_for("cat")
    msg = "input 28×28: input size 28 is smaller than the kernel 29 with 'valid' padding"
    assert (p2.status, p2.message) == (ERROR, msg)
    assert (cat.status, scene.item_for("flat").status) == (BLOCKED, BLOCKED)
    assert "⚠ input 28×28: input size 28 is smaller than the kernel 29 with 'valid' padding" \
        in scene.tooltip_for("p2")
    assert "not computed: input p2 has a problem" in scene.tooltip_for("cat")
    assert not scene.edge_item("cat", "flat", 0).state == "ok"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert (p2.status, cat.status, cat.shape_text) == (OK, OK, "28×28×96")
    assert "MACs: 677,376 (" in scene.tooltip_for("p2")


def scene_texts(view, node_id):
    return view.scene().item_for(node_id).shape_text


def test_an_edit_updates_only_the_affected_items(view, monkeypatch):
    doc = view.document
    touched = []
    original = NodeItem.set_result
    monkeypatch.setattr(NodeItem, "set_result", lambda self, *a: (touched.append(self.node_id), original(self, *a)))
    doc.push(SetAttr(doc, ["p1"], "use_bias", False))
    assert touched == ["p1"]  # its params changed; what it feeds reads the same shape as before
    touched.clear()
    doc.push(SetAttr(doc, ["p1"], "filters", 40))
    assert sorted(touched) == ["cat", "flat", "p1"]  # the concatenation's shape, and the flatten's
    assert scene_texts(view, "cat") != "28×28×96"


def test_move_is_one_undo_step_and_frames_follow(view):
    doc, scene = view.document, view.scene()
    frame_before = scene.group_item("inception").frame_rect()
    click(view, body(view, "p1"))
    assert doc.selection == ["p1"]
    start = body(view, "p1")
    drag(view, start, start + QPointF(40, -60), steps=6)
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "Move path1"
    assert doc.design.node("p1").pos == (260.0, -60.0)
    assert scene.item_for("p1").pos() == QPointF(260, -60)
    scene.flush()
    assert scene.group_item("inception").frame_rect().top() == frame_before.top() - 60
    assert scene.edge_item("p1", "cat", 1).boundingRect().contains(in_port(view, "cat", 1))
    doc.undo_stack.undo()
    assert scene.item_for("p1").pos() == QPointF(220, 0)


def test_dragging_a_group_frame_moves_the_group(view):
    doc, scene = view.document, view.scene()
    label = scene.group_item("inception").frame_rect().topLeft() + QPointF(120, 10)
    drag(view, label, label + QPointF(0, 100))
    assert (doc.design.node("p1").pos, doc.design.node("p2").pos) == ((220.0, 100.0), (220.0, 250.0))
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "Move 2 layers"
    assert sorted(doc.selection) == ["p1", "p2"]


def test_rubber_band_and_selection_sync_both_ways(view):
    doc, scene = view.document, view.scene()
    drag(view, QPointF(-60, -60), QPointF(250, 30))  # catches "in" and "p1"
    assert sorted(doc.selection) == ["in", "p1"]
    doc.set_selection(["cat", "flat"])
    assert sorted(scene.selected_ids()) == ["cat", "flat"]
    click(view, body(view, "p2"), modifiers=Qt.KeyboardModifier.ControlModifier)
    assert doc.selection == ["cat", "flat", "p2"]
    click(view, QPointF(300, 500))
    assert doc.selection == [] and scene.selected_ids() == []


def test_delete_key_and_undo_redo_back_to_the_exact_design(window_view, qtbot):
    view = window_view
    doc, scene = view.document, view.scene()
    start = snapshot(doc.design)
    doc.push(AddNodes(doc, one_node("Conv2D", "c", attrs={"filters": 8, "kernel_size": 1}, pos=(440, 300))))
    drag(view, out_port(view, "p2"), in_port(view, "c"))
    drag(view, body(view, "c"), body(view, "c") + QPointF(30, 30))
    doc.set_selection(["p1", "c"])
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert "p1" not in doc.design and scene.item_for("p1") is None
    end = snapshot(doc.design)
    steps = doc.undo_stack.count()
    assert steps == 4
    for _ in range(steps):
        doc.undo_stack.undo()
    assert snapshot(doc.design) == start
    assert sorted(scene.item_for(n).node_id for n in doc.design.node_ids()) == sorted(start["nodes"])
    assert len([i for i in scene.items() if i.type() == scene.edge_item("in", "p1", 0).type()]) == 5
    for _ in range(steps):
        doc.undo_stack.redo()
    assert snapshot(doc.design) == end


def test_focus_centres_the_view(view):
    view.document.focus("flat")
    assert view.mapToScene(view.viewport().rect().center()).x() == pytest.approx(body(view, "flat").x(), abs=2)
    assert view.document.selection == ["flat"]


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_palette_drop_is_reported_with_scene_position(view, qtbot):
    mime = QMimeData()
    mime.setData(MIME, b"layer:Conv2D")
    where = view.mapFromScene(QPointF(100, 300))
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(view.drop_requested) as got:
        QApplication.sendEvent(view.viewport(), drop)
    text, pos = got.args
    assert text == "layer:Conv2D"
    assert (round(pos.x()), round(pos.y())) == (100, 300)
    other = QMimeData()
    other.setText("layer:Conv2D")
    refused = QDragEnterEvent(where, Qt.DropAction.CopyAction, other, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), refused)
    assert not refused.isAccepted()


def test_the_scene_draws_a_design_without_positions_and_does_not_edit_it(view):
    d = Design("bare")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]})
    d.add_node("Conv2D", "a", attrs={"filters": 4, "kernel_size": 1})
    d.connect("in", "a")
    events = []
    d.subscribe(events.extend)
    view.document.set_design(d)
    assert events == [] and [d.node(n).pos for n in ("in", "a")] == [None, None]
    assert view.scene().item_for("a").pos() == QPointF(0, 0)
    assert view.document.undo_stack.count() == 0 and not view.document.modified


def test_auto_layout_command(view):
    doc = view.document
    doc.push(auto_layout(doc))
    assert doc.design.node("flat").pos == (780.0, 0.0)
    assert view.scene().item_for("flat").pos() == QPointF(780, 0)
    doc.undo_stack.undo()
    assert view.scene().item_for("flat").pos() == QPointF(660, 0)


def test_header_keeps_room_for_the_name():
    from archcanvas.gui.canvas.node_item import _share
    assert _share(100, 30, 40) == (60, 40)        # both fit: the type gets what it needs
    assert _share(100, 80, 60) == (55, 45)        # neither fits: the name keeps 55 %
    assert _share(100, 20, 130) == (20, 80)       # a short name leaves the rest to the type


def test_port_geometry():
    assert output_port_pos(1).x() == 184 and input_port_pos(1, 0).y() == output_port_pos(1).y()
    ys = [input_port_pos(3, i).y() for i in range(3)]
    assert ys[1] - ys[0] == ys[2] - ys[1] == 18


def test_zoom_fit_and_pictures(view, tmp_path):
    view.fit()
    assert view.zoom() == 1.0  # a small design is shown at 100 %, not blown up
    image = view.grab()
    assert image.width() == 1200
    view.set_zoom(0.2)  # level of detail: plain boxes
    assert view.zoom() == pytest.approx(0.2)
    assert not view.grab().isNull()
    view.set_scheme("dark")
    try:
        assert view.grab().save(str(tmp_path / "dark.png"))
    finally:
        view.set_scheme("light")


def test_escape_cancels_a_drag(view, qtbot):
    doc, scene = view.document, view.scene()
    click(view, body(view, "p1"))
    a = body(view, "p1")
    send(view, QMouseEvent.Type.MouseButtonPress, a)
    send(view, QMouseEvent.Type.MouseMove, a + QPointF(80, 80), button=Qt.MouseButton.NoButton)
    assert scene.item_for("p1").pos() == QPointF(300, 80)  # the preview
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Escape)
    send(view, QMouseEvent.Type.MouseButtonRelease, a + QPointF(80, 80), buttons=Qt.MouseButton.NoButton)
    assert scene.item_for("p1").pos() == QPointF(220, 0) and doc.design.node("p1").pos == (220.0, 0.0)
    assert doc.undo_stack.count() == 0
    send(view, QMouseEvent.Type.MouseButtonPress, out_port(view, "p1"))
    send(view, QMouseEvent.Type.MouseMove, in_port(view, "flat"), button=Qt.MouseButton.NoButton)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Escape)
    send(view, QMouseEvent.Type.MouseButtonRelease, in_port(view, "flat"), buttons=Qt.MouseButton.NoButton)
    assert doc.undo_stack.count() == 0 and len(scene.items()) == 5 + 5 + 1  # no rubber wire left


def test_arrow_keys_nudge_as_one_step(view, qtbot):
    doc = view.document
    doc.set_selection(["p1", "p2"])
    view.setFocus()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down):
        qtbot.keyClick(view.viewport(), key)
    assert (doc.design.node("p1").pos, doc.design.node("p2").pos) == ((240.0, 10.0), (240.0, 160.0))
    assert doc.undo_stack.count() == 1
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert doc.design.node("p1").pos == (190.0, 10.0) and doc.undo_stack.count() == 1
    doc.set_selection(["p1"])  # another node set: a new step
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Up)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert snapshot(doc.design) == snapshot(seed_design())


def test_wheel_zooms_around_the_pointer_and_middle_button_pans(view, qtbot):
    from PySide6.QtGui import QWheelEvent
    anchor = QPointF(600, 100)  # scene point under the pointer
    vp = QPointF(view.mapFromScene(anchor))
    wheel = QWheelEvent(vp, QPointF(view.viewport().mapToGlobal(vp.toPoint())), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom() == pytest.approx(1.0015 ** 240)
    after = view.mapToScene(vp.toPoint())
    assert (after.x(), after.y()) == (pytest.approx(600, abs=2), pytest.approx(100, abs=2))
    centre = view.scene_center()
    p = QPointF(400, 300)
    send(view, QMouseEvent.Type.MouseButtonPress, p, button=Qt.MouseButton.MiddleButton,
         buttons=Qt.MouseButton.MiddleButton)
    send(view, QMouseEvent.Type.MouseMove, p + QPointF(100, 50), button=Qt.MouseButton.NoButton,
         buttons=Qt.MouseButton.MiddleButton)
    send(view, QMouseEvent.Type.MouseButtonRelease, p + QPointF(100, 50), button=Qt.MouseButton.MiddleButton,
         buttons=Qt.MouseButton.NoButton)
    moved = centre - view.scene_center()
    assert moved.x() > 40 and moved.y() > 20  # the canvas followed the hand
    assert view.document.undo_stack.count() == 0 and view.document.selection == []
    qtbot.keyClick(view.viewport(), Qt.Key.Key_F)
    assert view.scene_center().x() == pytest.approx(view.scene().content_rect().center().x(), abs=2)


def test_hovering_an_error_node_shows_its_message(view):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip
    doc = view.document
    doc.push(SetAttr(doc, ["cat"], "axis", 0))
    vp = view.mapFromScene(body(view, "cat"))
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, vp, view.viewport().mapToGlobal(vp)))
    assert QToolTip.isVisible()
    assert "⚠ axis 0 is the batch axis; use -1 (or 3) for channels" in QToolTip.text()
    assert view.scene().item_for("cat").message == "axis 0 is the batch axis; use -1 (or 3) for channels"
    QToolTip.hideText()


def test_click_a_wire_and_delete_it(window_view, qtbot):
    view = window_view
    doc, scene = view.document, view.scene()
    wire = scene.edge_item("in", "p2", 0)
    doc.set_selection(["in"])
    click(view, wire.midpoint())
    assert scene.picked_edge() == ("in", "p2", 0) and wire.picked and doc.selection == []
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert doc.design.input_ids("p2") == [] and doc.undo_stack.undoText() == "Disconnect in → p2"
    assert scene.picked_edge() is None
    doc.undo_stack.undo()
    # a rubber band over the middle of the design selects the nodes it touches, never wires
    drag(view, QPointF(560, -40), QPointF(650, 70))  # crosses the cat → flat wire
    assert doc.selection == ["cat"] and scene.picked_edge() is None


def test_rename_and_groups_follow_the_design(view):
    from archcanvas.gui.document.commands import Rename, RemoveNodes, SetGroup
    doc, scene = view.document, view.scene()
    doc.push(Rename(doc, "cat", "merge"))
    assert scene.item_for("cat").title == "merge"
    doc.push(SetGroup(doc, ["cat", "flat"], "head"))
    scene.flush()
    head = scene.group_item("head")
    assert head.frame_rect().contains(scene.node_rect("cat")) and head.frame_rect().contains(scene.node_rect("flat"))
    doc.push(RemoveNodes(doc, ["p1", "p2"]))
    scene.flush()
    assert scene.group_item("inception") is None  # its last member is gone: so is the frame
    doc.undo_stack.undo()
    scene.flush()
    assert scene.group_item("inception").frame_rect().contains(scene.node_rect("p2"))
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    scene.flush()
    assert scene.group_item("head") is None and scene.item_for("cat").title == "cat"


def test_replacing_the_design_redraws_everything(view):
    scene = view.scene()
    old_item = scene.item_for("p1")
    d = Design("other")
    d.add_node("Input", "x", attrs={"shape": [4]}, pos=(0, 0))
    d.add_node("Dense", "y", attrs={"units": 3}, pos=(260, 0))
    d.connect("x", "y")
    view.document.set_design(d)
    import shiboken6
    assert not shiboken6.isValid(old_item) and scene.item_for("p1") is None
    assert sorted(i.node_id for i in scene.node_items()) == ["x", "y"]
    assert texts(scene.item_for("y"))[2:] == ("3 units", OK, "3", "15 params · 12 MACs")
    assert len(scene.items()) == 2 + 1  # two nodes, one wire, no frames


def test_wire_tooltip_names_the_tensor(view):
    assert view.scene().wire_tooltip("p1", "cat", 1) == "<b>28×28×64</b><br>path1 → cat (input 1)"
    assert view.scene().wire_tooltip("in", "p1", 0) == "<b>28×28×3</b><br>in → path1"


def test_space_drag_pans_without_selecting(view, qtbot):
    centre = view.scene_center()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    drag(view, QPointF(300, 500), QPointF(200, 400))  # would be a rubber band without Space
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    moved = view.scene_center() - centre
    assert moved.x() > 50 and moved.y() > 50
    assert view.document.selection == [] and view.document.undo_stack.count() == 0


def test_wires_of_selected_nodes_are_emphasized(view):
    doc, scene = view.document, view.scene()
    doc.set_selection(["p1"])
    on = sorted(k for k, item in scene.edge_items().items() if item.emphasis)
    assert on == [("in", "p1", 0), ("p1", "cat", 1)]
    doc.push(AddNodes(doc, one_node("Conv2D", "c", attrs={"filters": 8, "kernel_size": 1}, pos=(440, 300))))
    doc.set_selection(["p1"])
    drag(view, out_port(view, "p1"), in_port(view, "c"))
    assert scene.edge_item("p1", "c", 0).emphasis
    doc.set_selection([])
    assert not any(item.emphasis for item in scene.edge_items().values())


class _RecordingPainter:
    """Stands in for QPainter at a given scale and keeps the texts drawn."""

    def __init__(self, scale: float):
        from PySide6.QtGui import QTransform
        self.transform = QTransform.fromScale(scale, scale)
        self.texts: list[str] = []
        self.fonts: list = []

    def worldTransform(self):
        return self.transform

    def drawText(self, *args):
        self.texts.append(next(a for a in args if isinstance(a, str)))

    def setFont(self, font):
        self.fonts.append(font)

    def __getattr__(self, name):  # pens, brushes, shapes: not what this test is about
        return lambda *a, **k: None


def _texts_at(item, scale):
    from PySide6.QtWidgets import QStyleOptionGraphicsItem
    painter = _RecordingPainter(scale)
    item.paint(painter, QStyleOptionGraphicsItem())
    return painter


def test_zoomed_out_nodes_show_their_name_without_the_group_prefix(qtbot):
    item = NodeItem("inception_3a_5x5_reduce")
    item.set_header("inception_3a_5x5_reduce", "Conv2D", "Convolution", "inception_3a")
    item.set_result(OK, "28×28×16", "12.3K params · 9.6M MACs")
    assert item.short_title == "5x5_reduce"
    full = _texts_at(item, 0.8).texts
    # the whole name does not fit beside the type: the part the frame does not already say
    assert full[:2] == ["Conv2D", "5x5_reduce"] and "28×28×16" in full
    item.set_header("blk_1x1", "Conv2D", "Convolution", "blk")
    assert _texts_at(item, 0.8).texts[:2] == ["Conv2D", "blk_1x1"]  # it fits: all of it
    item.set_header("inception_3a_5x5_reduce", "Conv2D", "Convolution", "inception_3a")
    # zoomed out: the short name first, then the shape, sized for the screen (about 10 px)
    names = _texts_at(item, 0.3)
    assert names.texts[:2] == ["5x5_reduce", "28×28×16"]
    assert 7.5 <= names.fonts[0].pixelSize() * 0.3 <= 11
    # far out the box is never empty: the name, elided in the middle if it must be
    far = _texts_at(item, 0.15).texts
    assert far and (far[0] == "5x5_reduce" or far[0].startswith("5") and far[0].endswith("e"))


def test_a_node_outside_a_group_or_renamed_keeps_its_whole_name(qtbot):
    item = NodeItem("pool1")
    item.set_header("pool1_3x3_s2", "MaxPooling2D", "Pooling", None)
    assert item.short_title == "pool1_3x3_s2"
    item.set_header("conv1", "Conv2D", "Convolution", "conv1")  # the name is the group's: keep it
    assert item.short_title == "conv1"


def test_moving_a_node_into_a_group_shortens_its_zoomed_out_name(view):
    doc = view.document if hasattr(view, "document") else view.scene().document
    d = Design()
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]}, pos=(0, 0))
    d.add_node("Conv2D", "blk_conv", attrs={"filters": 4}, pos=(250, 0))
    doc.set_design(d)
    view.scene().flush()
    assert view.scene().item_for("blk_conv").short_title == "blk_conv"
    doc.design.set_group("blk_conv", "blk")
    assert view.scene().item_for("blk_conv").short_title == "conv"


def test_an_empty_canvas_says_how_to_start(view, qtbot):
    doc = view.scene().document
    doc.set_design(Design())
    assert "palette" in view.empty_hint()
    view.viewport().repaint()  # draws the hint without error
    doc.push(AddNodes(doc, one_node("Input")))
    assert view.empty_hint() == ""
    doc.undo_stack.undo()
    assert view.empty_hint() != ""


def _rows_design() -> Design:
    """A chain in three wrapped rows (wires back to the left between them) and a layer standing
    in the band between the first two rows, which those wires' lanes must avoid."""
    d = Design("rows")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]}, pos=(0, 0))
    prev = "in"
    for i in range(11):
        d.add_node("Conv2D", f"c{i}", attrs={"filters": 4, "kernel_size": 1},
                   pos=(220.0 * ((i + 1) % 4), 260.0 * ((i + 1) // 4)))
        d.connect(prev, f"c{i}")
        prev = f"c{i}"
    d.add_node("Dense", "lone", attrs={"units": 2}, pos=(300, 130))
    return d


def _wire_paths(scene) -> dict:
    for (s, t, p), item in scene.edge_items().items():
        item.given = None  # forget what it was routed from: decide its route again
        scene.router.route(item, s, t, p)
    return {k: item.path().toFillPolygon().toList() for k, item in scene.edge_items().items()}


def _all_nodes_paths(scene) -> dict:
    """The wires routed as before the index: every drawn node tested against every back wire."""
    from archcanvas.gui.canvas.group_item import LABEL_H, MARGIN

    def every_node(x0, x1, lo, hi):
        out = []
        for item in scene.node_items():
            r = scene.node_rect(item.node_id)
            top, bottom = r.top() - MARGIN - LABEL_H, r.bottom() + MARGIN
            if r.left() - MARGIN < x1 and r.right() + MARGIN > x0 and top < hi and bottom > lo:
                out.append((top, bottom))
        return out

    scene.router._blocked_between = every_node
    try:
        return _wire_paths(scene)
    finally:
        del scene.router._blocked_between


def test_wires_back_along_wrapped_rows_avoid_the_same_nodes_as_a_test_of_every_node(view):
    doc = view.document
    doc.set_design(_rows_design())
    scene = view.scene()
    back = [k for k in scene.edge_items() if scene.input_anchor(k[1], k[2]).x() < scene.output_anchor(k[0]).x()]
    assert len(back) == 2
    first = _wire_paths(scene)
    assert first == _all_nodes_paths(scene)
    # the index follows every change of where nodes are and how tall they are
    from archcanvas.gui.document.commands import MoveNodes, RemoveNodes
    doc.push(MoveNodes(doc, {"lone": ((300, 130), (300, 390))}))
    assert _wire_paths(scene) == _all_nodes_paths(scene) != first
    doc.push(RemoveNodes(doc, doc.design.node_ids()))
    doc.undo_stack.undo()
    assert _wire_paths(scene) == _all_nodes_paths(scene)
    doc.undo_stack.undo()  # the move
    assert _wire_paths(scene) == _all_nodes_paths(scene) == first
