"""The main window driven offscreen through its real widgets: palette drops and double-clicks,
wiring on the canvas with the mouse, inspector edits showing on the node, refused cycles in the
status bar, undo/redo back to the exact same design, and the --screenshot path."""

import os
import subprocess
import sys

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog

from archcanvas.core.design import Design
from archcanvas.gui.canvas.node_item import node_size
from archcanvas.gui.document.commands import Connect, SetAttr
from archcanvas.gui.palette import MIME
from archcanvas.gui.inspector.param_dialog import ParamDialog

LEFT = Qt.MouseButton.LeftButton
W, H = node_size(1)


def snapshot(design: Design) -> dict:
    """Everything a saved file holds, for exact comparisons."""
    return {
        "nodes": {n.id: (n.type, n.attrs, n.name, n.group, n.pos, n.extra) for n in design.nodes()},
        "edges": sorted((e.source, e.target, e.port) for e in design.edges()),
    }


# mouse on the canvas ----------------------------------------------------------------------------

def send(view, kind, scene_pos, button=LEFT, buttons=LEFT):
    vp = view.mapFromScene(scene_pos)
    ev = QMouseEvent(kind, QPointF(vp), QPointF(view.viewport().mapToGlobal(vp)), button, buttons,
                     Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), ev)


def mouse_drag(view, a: QPointF, b: QPointF, steps=5):
    send(view, QMouseEvent.Type.MouseButtonPress, a)
    for i in range(1, steps + 1):
        send(view, QMouseEvent.Type.MouseMove, a + (b - a) * (i / steps), button=Qt.MouseButton.NoButton)
    send(view, QMouseEvent.Type.MouseButtonRelease, b, buttons=Qt.MouseButton.NoButton)


def drop(window, item_text: str, scene_pos: QPointF):
    """What the canvas receives when a palette entry is dropped at ``scene_pos``."""
    palette = window.palette
    data = palette.model.mimeData([palette.proxy.mapToSource(palette.index_of(item_text))])
    return drop_data(window, data, scene_pos)


def drop_data(window, data, scene_pos: QPointF):
    viewport = window.view.viewport()
    at = window.view.mapFromScene(scene_pos)
    enter = QDragEnterEvent(at, Qt.CopyAction, data, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(at), Qt.CopyAction, data, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)
    return event


def double_click_palette(window, qtbot, item_text: str):
    view = window.palette.view
    index = window.palette.index_of(item_text)
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(view.viewport(), LEFT, pos=centre)


# placing ----------------------------------------------------------------------------------------

def test_dropping_a_palette_entry_places_it_under_the_pointer(window):
    at = window.view.scene_center() + QPointF(37, -21)
    drop(window, "layer:Conv2D", at)
    design = window.document.design
    assert design.node_ids() == ["conv2d"]
    node = design.node("conv2d")
    assert node.attrs == {"filters": 32, "kernel_size": 3}  # the layer's initial attributes
    vp = window.view.mapFromScene(at)
    exact_at = window.view.mapToScene(vp)  # the drop arrives in whole viewport pixels
    assert node.pos == (exact_at.x() - W / 2, exact_at.y() - H / 2)
    assert window.document.undo_stack.undoText() == "Add Conv2D"
    assert window.document.selection == ["conv2d"]
    assert window.view.scene().item_for("conv2d") is not None


def test_double_click_adds_at_the_centre_then_chains_to_the_selected_node(window, qtbot):
    double_click_palette(window, qtbot, "layer:Input")
    design = window.document.design
    centre = window.view.scene_center()
    assert design.node("input").pos == (centre.x() - W / 2, centre.y() - H / 2)
    assert window.document.selection == ["input"]
    double_click_palette(window, qtbot, "layer:Conv2D")
    assert [(e.source, e.target, e.port) for e in design.edges()] == [("input", "conv2d", 0)]
    x, y = design.node("input").pos
    assert design.node("conv2d").pos == (x + 260, y)  # one column to the right, same row
    assert window.document.selection == ["conv2d"]
    assert window.document.undo_stack.count() == 2  # one step per placement, wire included


def test_a_drop_places_where_dropped_and_does_not_wire_to_the_selection(window):
    window.place("layer:Input")
    assert window.document.selection == ["input"]
    at = window.view.scene_center() + QPointF(0, 400)
    drop(window, "layer:Conv2D", at)
    design = window.document.design
    assert design.edges() == []  # aimed at a spot, not at the selected Input
    exact_at = window.view.mapToScene(window.view.mapFromScene(at))
    assert design.node("conv2d").pos == (exact_at.x() - W / 2, exact_at.y() - H / 2)
    window.document.set_selection(["input"])
    window.placer.ask = lambda kind, name, spec: {}  # the block's defaults, no dialog
    drop(window, "block:conv-bn-relu", at + QPointF(0, 400))
    assert len(design) > 2 and list(design.outputs("input")) == []


def test_layer_that_takes_no_input_is_not_wired(window):
    window.place("layer:Input", QPointF(0, 0))
    window.place("layer:Input", QPointF(0, 300))
    assert window.document.design.edges() == []


def test_block_asks_for_its_parameters_and_wires_its_entries(window, monkeypatch):
    answers = iter([("32, 48, 64, 8, 16, 16", QDialog.Accepted), ("64, 96, 128, 16, 32, 32", QDialog.Accepted),
                    ("1, 1, 1, 1, 1, 1", QDialog.Rejected)])

    def user(dialog):  # what a person does in the real dialog
        text, answer = next(answers)
        dialog.form.fields["filters"].editor.setText(text)
        return answer

    monkeypatch.setattr(ParamDialog, "exec", user)
    window.place("layer:Input", QPointF(0, 0))
    window.document.push(SetAttr(window.document, ["input"], "shape", [28, 28, 3]))
    ids = window.place("block:inception")
    design, analysis = window.document.design, window.document.analyzer.analysis
    assert len(ids) == 8 and {design.node(n).group for n in ids} == {"inception"}
    assert sorted(e.target for e in design.outputs("input")) == sorted(
        ["inception_1x1", "inception_3x3_reduce", "inception_5x5_reduce", "inception_pool"])
    assert window.document.selection == ["inception_output"]
    assert analysis.results["inception_output"].shape == (28, 28, 32 + 64 + 16 + 16)
    # the next block chains to the selected output and gets a group of its own
    ids2 = window.place("block:inception")
    assert {design.node(n).group for n in ids2} == {"inception_1"}
    assert window.document.analyzer.analysis.results[window.document.selection[0]].shape == (28, 28, 256)
    before = snapshot(design)
    assert window.place("block:inception") == []  # cancelled: nothing added, nothing to undo
    assert snapshot(design) == before and window.document.undo_stack.count() == 4


def test_template_fills_an_empty_design(window):
    ids = window.place("template:seed-inception", params={})
    design = window.document.design
    assert len(ids) == len(design) == 13
    assert window.document.analyzer.analysis.totals.params == 3_335_842
    assert design.name != "untitled"
    # a second copy keeps its groups apart
    window.place("template:seed-inception", QPointF(0, 2000), params={})
    assert len(design) == 26
    groups = design.groups()
    assert len(groups["inception"]) == len(groups["inception_1"]) == 8


def test_undo_of_a_template_gives_the_design_its_name_back(window):
    from archcanvas.core.templates import TEMPLATES
    design, stack = window.document.design, window.document.undo_stack
    original = design.name
    template_name = TEMPLATES["seed-inception"].build().name
    assert template_name != original
    window.place("template:seed-inception", params={})
    assert design.name == template_name and template_name in window.windowTitle()
    stack.undo()
    assert len(design) == 0 and design.name == original
    assert template_name not in window.windowTitle() and not window.document.modified
    stack.redo()
    assert len(design) == 13 and design.name == template_name


def test_second_template_groups_do_not_collide_with_its_own_renamed_names():
    """A fragment holding ``inception`` and ``inception_1`` placed beside an ``inception``:
    the renamed group must not land on the fragment's other group."""
    from archcanvas.gui.placement import separate_groups
    design, fragment = Design(), Design()
    design.add_node("Input", "a", attrs={"shape": [8]}, group="inception")
    fragment.add_node("Input", "x", attrs={"shape": [8]}, group="inception")
    fragment.add_node("Input", "y", attrs={"shape": [8]}, group="inception_1")
    separate_groups(fragment, design)
    assert fragment.groups() == {"inception_2": ["x"], "inception_1": ["y"]}


def test_opened_design_without_positions_is_laid_out_without_an_undo_step(window):
    d = Design("bare")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]})
    d.add_node("Conv2D", "a", attrs={"filters": 4, "kernel_size": 1})
    d.add_node("Conv2D", "b", attrs={"filters": 4, "kernel_size": 1})
    d.connect("in", "a")
    d.connect("in", "b")
    window.open_design(d)
    assert [d.node(n).pos for n in ("in", "a", "b")] == [(0.0, 0.0), (260.0, -75.0), (260.0, 75.0)]
    assert window.view.scene().item_for("b").pos() == QPointF(260, 75)
    assert window.document.undo_stack.count() == 0 and not window.document.modified
    view = window.view
    assert view.scene().content_rect().contains(view.mapToScene(view.viewport().rect().center()))


def test_opened_design_with_some_positions_gets_the_rest_to_their_right(window):
    d = Design("half")
    d.add_node("Input", "in", attrs={"shape": [8]}, pos=(100.0, -40.0))
    d.add_node("Dense", "a", attrs={"units": 4})
    d.connect("in", "a")
    window.open_design(d)
    assert d.node("in").pos == (100.0, -40.0) and d.node("a").pos == (400.0, -40.0)
    assert not window.document.modified


def test_unknown_entry_is_a_message_not_a_crash(window):
    assert window.place("layer:Conv3D") == []
    assert "unknown layer type 'Conv3D'" in window.status_text()
    assert window.place("gadget:x") == []
    assert "not a layer, block or template" in window.status_text()


# wiring, editing, refusing ------------------------------------------------------------------------

def test_connect_by_dragging_from_an_output_to_an_input(window):
    window.place("layer:Input", QPointF(0, 0))
    window.document.set_selection([])
    window.place("layer:Dense", QPointF(400, 0))
    window.view.fit()
    scene = window.view.scene()
    mouse_drag(window.view, scene.output_anchor("input"), scene.input_anchor("dense", 0))
    assert [(e.source, e.target) for e in window.document.design.edges()] == [("input", "dense")]
    assert window.document.undo_stack.undoText() == "Connect input → dense"


def test_inspector_edit_changes_the_text_on_the_node(window):
    window.place("layer:Input", QPointF(0, 0))
    window.place("layer:Conv2D")
    item = window.view.scene().item_for("conv2d")
    assert item.shape_text == "222×222×32"                 # 224×224×3 in, 3×3 valid
    assert item.cost_text == "896 params · 42.6M MACs"      # 222·222·27·32 = 42,581,376
    window.inspector.editors["filters"].spin.setValue(64)
    assert item.shape_text == "222×222×64"
    assert item.cost_text == "1.79K params · 85.2M MACs"    # 1,792 and 85,162,752
    assert item.summary.startswith("64 · 3×3")
    assert "Params 1.79K" in window.totals.text()


def test_a_cycle_is_refused_with_a_message_in_the_status_bar(window):
    window.place("layer:Input", QPointF(0, 0))
    window.place("layer:Add")
    window.place("layer:Conv2D")
    design = window.document.design
    before = snapshot(design)
    count = window.document.undo_stack.count()
    window.view.fit()
    scene = window.view.scene()
    mouse_drag(window.view, scene.output_anchor("conv2d"), scene.input_anchor("add", 1))
    assert snapshot(design) == before and window.document.undo_stack.count() == count
    assert "would close a cycle" in window.status_text()


def test_problems_list_and_status_bar_show_errors(window, qtbot):
    window.place("layer:Conv2D", QPointF(0, 0))
    window.document.set_selection([])
    problems = window.problems
    assert problems.node_ids() == ["conv2d"]
    assert problems.item(0).text() == "conv2d (Conv2D): needs an input, has 0"
    assert "⚠ 1 problem" in window.totals.text()
    problems.itemClicked.emit(problems.item(0))
    assert window.document.selection == ["conv2d"]
    window.place("layer:Input", QPointF(-400, 0))
    window.document.set_selection([])
    window.document.push(Connect(window.document, "input", "conv2d"))
    assert problems.node_ids() == [] and "problem" not in window.totals.text()


def test_status_bar_tooltip_has_exact_totals(window):
    window.place("template:seed-inception", params={})
    tip = window.totals.toolTip()
    assert "3,335,842" in tip and "Params 3.34M (3.34M trainable)" in window.totals.text()


def test_delete_and_select_all_actions(window):
    window.place("layer:Input", QPointF(0, 0))
    window.place("layer:Dense")
    window.window_actions.select_all.trigger()
    assert window.document.selection == ["input", "dense"]
    window.document.set_selection(["dense"])
    window.window_actions.delete.trigger()
    assert window.document.design.node_ids() == ["input"]
    window.window_actions.undo.trigger()
    assert window.document.design.node_ids() == ["input", "dense"]
    assert [(e.source, e.target) for e in window.document.design.edges()] == [("input", "dense")]


def test_undo_and_redo_return_to_the_exact_same_design(window, qtbot, monkeypatch):
    monkeypatch.setattr(ParamDialog, "exec", lambda dialog: QDialog.Accepted)
    design, stack = window.document.design, window.document.undo_stack
    states = [snapshot(design)]

    def step(action):
        action()
        states.append(snapshot(design))

    step(lambda: window.place("layer:Input", QPointF(0, 0)))
    step(lambda: window.inspector.editors["shape"].edit.setText("32, 32, 3")
         or window.inspector.editors["shape"].edit.editingFinished.emit())
    step(lambda: window.place("block:inception"))
    step(lambda: window.place("layer:GlobalAveragePooling2D"))
    step(lambda: window.place("layer:Dense"))
    step(lambda: window.inspector.editors["units"].spin.setValue(10))
    step(lambda: (qtbot.keyClicks(window.inspector.name_edit, "classifier"),
                  qtbot.keyClick(window.inspector.name_edit, Qt.Key_Return)))
    step(lambda: window.auto_layout())
    assert window.document.analyzer.analysis.results["dense"].shape == (10,)
    step(lambda: (window.document.set_selection(["inception_pool"]), window.window_actions.delete.trigger()))
    assert stack.count() == len(states) - 1
    assert window.document.analyzer.analysis.results["dense"].blocked_by == "global_average_pooling2d"
    for expected in reversed(states[:-1]):
        window.window_actions.undo.trigger()
        assert snapshot(design) == expected
    for expected in states[1:]:
        window.window_actions.redo.trigger()
        assert snapshot(design) == expected
    assert window.inspector.ids == window.document.selection


# the window ------------------------------------------------------------------------------------

def test_menus_and_docks(window):
    edit = [a.objectName() for a in window.edit_menu.actions() if a.objectName()]
    assert edit == ["edit.undo", "edit.redo", "edit.delete", "edit.delete_reconnect", "edit.select_all",
                    "edit.find", "edit.find_next", "edit.find_previous"]
    assert window.refactor_menu.menuAction() in window.edit_menu.actions()
    view = [a.objectName() for a in window.view_menu.actions() if a.objectName()]
    assert view[:2] == ["view.fit", "view.auto_layout"]
    assert window.window_actions.undo.shortcut().toString() == "Ctrl+Z"
    assert window.window_actions.fit.shortcut().toString() == "F"
    assert set(window.docks) >= {"palette", "inspector", "problems"}
    assert "cost" in window.docks and window.cost_panel is not None
    from PySide6.QtWidgets import QLabel
    dock = window.add_dock(QLabel("extra"), "Extra", Qt.RightDockWidgetArea, "extra")
    assert window.docks["extra"] is dock and dock.objectName() == "dock.extra"
    assert dock.toggleViewAction() in window.view_menu.actions()


def test_title_follows_the_design_and_unsaved_changes(window):
    window.open_design(Design("my net"))
    assert window.windowTitle() == "my net[*] — ArchCanvas" and not window.isWindowModified()
    window.place("layer:Input", QPointF(0, 0))
    assert window.isWindowModified()


def test_screenshot_from_the_command_line(tmp_path):
    out = tmp_path / "shot.png"
    example = tmp_path / "seed.json"
    from archcanvas.core import fileformat
    from archcanvas.core.templates import TEMPLATES
    fileformat.save(TEMPLATES["seed-inception"].build(), example)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ARCHCANVAS_SETTINGS=str(tmp_path / "s.ini"),
               ARCHCANVAS_DATA_DIR=str(tmp_path / "data"))
    cmd = [sys.executable, "-c", "import sys; from archcanvas.gui.launcher import main; sys.exit(main(sys.argv[1:]))"]
    done = subprocess.run(cmd + [str(example), "--screenshot", str(out), "--size", "900x600"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "archcanvas.design", "version": 1, "nodes": [{"id": "a", "type": "Conv3D"}]}')
    done = subprocess.run(cmd + [str(bad), "--screenshot", str(out)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Conv3D" in done.stderr


def test_clicking_the_totals_shows_the_problems(window, qtbot):
    window.place("layer:Dense", QPointF(0, 0))
    window.docks["cost"].raise_()
    QApplication.processEvents()
    assert window.problems.visibleRegion().isEmpty()  # behind the Cost tab
    qtbot.mouseClick(window.totals, Qt.LeftButton)
    QApplication.processEvents()
    assert not window.problems.visibleRegion().isEmpty() and window.cost_panel.visibleRegion().isEmpty()
    assert window.problems.node_ids() == ["dense"]


def test_many_signal_emissions_do_not_abort_the_interpreter():
    # PySide6-Essentials 6.12.0 loses a reference to True on every Signal.emit, and Python 3.11
    # aborts after a few hundred emits; pyproject.toml excludes that release. This guards it.
    code = ("import gui\n"
            "from PySide6.QtCore import QObject, Signal\n"
            "class A(QObject):\n    s = Signal(str)\n"
            "a = A()\n"
            "for _ in range(20000): a.s.emit('x')\n"
            "print('done')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr[-500:]


def test_a_real_drag_from_the_palette_to_the_canvas(window, monkeypatch):
    """Press on an entry, move past the drag distance: the palette starts a QDrag. Qt's drag loop
    needs a window system, so ``exec`` is replaced by what the canvas would get: the drop."""
    target = window.view.scene_center()
    dragged = []

    def exec_(drag, *actions):
        dragged.append((bytes(drag.mimeData().data(MIME)).decode(), actions, drag.pixmap().isNull()))
        drop_data(window, drag.mimeData(), target)
        return Qt.CopyAction

    monkeypatch.setattr(QDrag, "exec", exec_)
    view = window.palette.view
    index = window.palette.index_of("layer:BatchNormalization")
    view.scrollTo(index)
    start = view.visualRect(index).center()
    vp = view.viewport()
    for kind, pos, buttons in ((QMouseEvent.Type.MouseButtonPress, start, LEFT),
                               (QMouseEvent.Type.MouseMove, start + QPoint(8, 4), LEFT),
                               (QMouseEvent.Type.MouseMove, start + QPoint(60, 20), LEFT)):
        button = LEFT if kind == QMouseEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
        QApplication.sendEvent(vp, QMouseEvent(kind, QPointF(pos), QPointF(vp.mapToGlobal(pos)), button, buttons,
                                               Qt.KeyboardModifier.NoModifier))
    assert dragged == [("layer:BatchNormalization", (Qt.CopyAction, Qt.CopyAction), False)]
    assert window.document.design.node_ids() == ["batch_normalization"]
    # the entry is still in the palette (the drag copied it)
    assert window.palette.index_of("layer:BatchNormalization") is not None


def _input_then_conv(window, filters=24, size=(32, 32, 3)):
    window.place("layer:Input", QPointF(0, 0))
    window.document.push(SetAttr(window.document, ["input"], "shape", list(size)))
    window.document.set_selection(["input"])
    window.place("layer:Conv2D")
    window.document.push(SetAttr(window.document, ["conv2d"], "filters", filters))
    window.document.set_selection(["conv2d"])


def test_inverted_residual_after_a_layer_expands_its_channels_and_adds_the_residual(window):
    _input_then_conv(window, filters=24)
    ids = window.place("block:inverted-residual", params={"filters": 24, "expansion": 6, "strides": 1})
    design, analysis = window.document.design, window.document.analysis
    assert "__anchor__" not in design
    group = design.node(ids[0]).group
    expand = f"{group}_expand"
    assert design.node(expand).attrs["filters"] == 144  # 24 input channels × t = 6
    assert analysis.results[expand].shape == (30, 30, 144)
    add = f"{group}_add"
    assert [(e.source, e.port) for e in design.inputs(add)] == [("conv2d", 0), (f"{group}_project_BN", 1)]
    assert window.document.selection == [add]
    assert analysis.results[add].shape == (30, 30, 24) and analysis.ok
    # expand 24·144 + BN 4·144 + depthwise 9·144 + BN 4·144 + project 144·24 + BN 4·24
    assert analysis.results[expand].params == 24 * 144
    assert sum(analysis.results[n].params for n in ids) == 3456 + 576 + 1296 + 576 + 3456 + 96
    window.document.undo_stack.undo()
    assert [n.id for n in design.nodes()] == ["input", "conv2d"]


def test_inverted_residual_takes_the_channels_of_the_layer_before_not_its_own_filters(window):
    _input_then_conv(window, filters=32)
    ids = window.place("block:inverted-residual", params={"filters": 16, "expansion": 6})
    design, analysis = window.document.design, window.document.analysis
    group = design.node(ids[0]).group
    assert design.node(f"{group}_expand").attrs["filters"] == 192  # 32 × 6, not 16 × 6
    assert f"{group}_add" not in design  # 32 in, 16 out: no residual
    assert analysis.results[window.document.selection[0]].shape == (30, 30, 16) and analysis.ok


def test_inverted_residual_at_stride_2_pads_for_the_input_size(window):
    _input_then_conv(window, filters=16, size=(33, 33, 3))  # conv 3×3 valid: 31×31×16, odd
    ids = window.place("block:inverted-residual", params={"filters": 24, "expansion": 6, "strides": 2})
    design, analysis = window.document.design, window.document.analysis
    group = design.node(ids[0]).group
    assert design.node(f"{group}_expand").attrs["filters"] == 96
    assert design.node(f"{group}_pad").attrs["padding"] == [[1, 1], [1, 1]]  # odd size: Keras's correct_pad
    assert f"{group}_add" not in design  # stride 2: no residual
    assert analysis.results[window.document.selection[0]].shape == (16, 16, 24) and analysis.ok


def test_a_block_after_a_layer_with_an_error_is_still_placed(window):
    _input_then_conv(window, filters=8, size=(2, 2, 3))  # 3×3 valid on 2×2: the conv has an error
    assert window.document.analysis.results["conv2d"].shape is None
    ids = window.place("block:inverted-residual", params={"filters": 8, "expansion": 2})
    assert len(ids) > 0 and "__anchor__" not in window.document.design


def test_a_layer_added_beside_the_selection_is_scrolled_into_view(window):
    window.place("layer:Input", QPointF(0, 0))
    window.view.set_zoom(1.0)
    window.view.center_on("input")
    for _ in range(6):  # each goes one column to the right of the one before
        ids = window.place("layer:Conv2D")
    scene = window.view.scene()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert scene.node_rect(ids[0]).left() > 1000  # far beyond the first screen
    assert visible.contains(scene.node_rect(ids[0]))
    assert window.view.zoom() == 1.0  # scrolled, not zoomed


def test_delete_and_reconnect_from_the_edit_menu(window):
    _input_then_conv(window, filters=8)
    window.place("layer:BatchNormalization")
    window.place("layer:MaxPooling2D")
    design = window.document.design
    window.document.set_selection(["batch_normalization"])
    action = window.window_actions.delete_reconnect
    assert action in window.edit_menu.actions() and action.shortcut().toString() == "Ctrl+Del"
    action.trigger()
    assert "batch_normalization" not in design
    assert [(e.source, e.port) for e in design.inputs("max_pooling2d")] == [("conv2d", 0)]
    assert window.status_text() == "Delete and reconnect batch_normalization"
    window.document.undo_stack.undo()
    assert [e.source for e in design.inputs("max_pooling2d")] == ["batch_normalization"]


def test_edit_delete_follows_a_picked_wire(window):
    _input_then_conv(window, filters=8)
    doc, scene, a = window.document, window.view.scene(), window.window_actions
    doc.set_selection([])
    assert not a.delete.isEnabled() and not a.delete_reconnect.isEnabled()
    scene.pick_edge(("input", "conv2d", 0))
    assert doc.selection == [] and a.delete.isEnabled() and a.delete_reconnect.isEnabled()
    a.delete.trigger()  # the Edit menu does what the Delete key does
    assert window.document.design.edges() == [] and window.status_text() == "Disconnect input → conv2d"
    assert scene.picked_edge() is None and not a.delete.isEnabled()
    doc.undo_stack.undo()
    scene.pick_edge(("input", "conv2d", 0))
    a.delete_reconnect.trigger()  # the same rule: a picked wire is deleted
    assert window.document.design.edges() == []
    doc.set_selection(["conv2d"])
    assert a.delete.isEnabled() and a.delete_reconnect.isEnabled()


def test_delete_says_what_it_deleted(window):
    _input_then_conv(window, filters=8)
    window.document.set_selection(["conv2d"])
    window.window_actions.delete.trigger()
    assert "conv2d" not in window.document.design
    assert window.status_text() == "Delete conv2d"
