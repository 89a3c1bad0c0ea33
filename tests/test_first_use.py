"""Defects a new user met in a real window (issue 10, item 5), each through the real widgets:
the chart's names after wiring, partial totals and the pin, the pin across File ▸ New, the
restored autosave's undo history, and number fields that changed what was typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from archcanvas.core.design import Design
from archcanvas.gui.cost_panel.chart_items import LayerAxis
from archcanvas.gui.desktop import recovery
from archcanvas.gui.document.commands import AddNodes, Connect, SetAttr
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)


def two_branch_design() -> Design:
    """x feeds "ay"; "bee" is not wired yet, so it comes before "ay" in the order."""
    d = Design("branches")
    d.add_node("Input", "x", attrs={"shape": [8, 8, 3]})
    d.add_node("Conv2D", "b", attrs={"filters": 4, "kernel_size": 1}, name="bee", pos=(300, 120))
    d.add_node("Conv2D", "a", attrs={"filters": 6, "kernel_size": 3}, name="ay", pos=(150, 0))
    d.connect("x", "a")
    return d


def wired_design() -> Design:
    """x → ay → bee: every layer computed (168 + 28 = 196 params)."""
    d = two_branch_design()
    d.connect("a", "b")
    return d


@pytest.fixture
def drawn_names(monkeypatch):
    """What the layer axes really paint: {id(axis): [(scene x of the label's centre, text)]}."""
    drawn: dict = {}
    paint = LayerAxis.drawPicture

    def record(axis, painter, axis_spec, tick_specs, text_specs):
        drawn[id(axis)] = [(axis.mapToScene(rect.center()).x(), text) for rect, _, text in text_specs]
        return paint(axis, painter, axis_spec, tick_specs, text_specs)

    monkeypatch.setattr(LayerAxis, "drawPicture", record)
    return drawn


def show_charts(window, qtbot):
    panel = window.cost_panel
    window.docks["cost"].raise_()
    panel.show_tab("charts")
    panel.flush()
    qtbot.waitUntil(lambda: panel.charts.isVisible())
    for _ in range(2):  # paint as the screen would: pyqtgraph settles a new range on the next paint
        qtbot.wait(20)
        window.grab()
    return panel


def test_chart_names_follow_the_bars_after_wiring_and_a_click_selects_the_named_layer(window, qtbot, drawn_names):
    doc = window.document
    window.open_design(two_branch_design())
    panel = show_charts(window, qtbot)
    axis = id(panel.charts.cost_plot.layer_axis)
    assert [t for _, t in drawn_names[axis]] == ["x", "bee", "ay"]

    doc.push(Connect(doc, "a", "b", 0))  # the wire puts "bee" after "ay"
    panel = show_charts(window, qtbot)
    assert panel.charts.ids == ["x", "a", "b"]
    labels = drawn_names[axis]
    assert [t for _, t in labels] == ["x", "ay", "bee"]
    # each name sits under its own bar
    vb = panel.charts.cost_plot.plot.getViewBox()
    for (scene_x, _), node_id in zip(labels, panel.charts.ids):
        assert round(vb.mapSceneToView(QPointF(scene_x, 0)).x()) == panel.charts.ids.index(node_id)
    # a real click above the name "bee" selects bee
    scene_x = dict((t, x) for x, t in labels)["bee"]
    middle = vb.sceneBoundingRect().center().y()
    qtbot.mouseClick(panel.charts.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.charts.mapFromScene(QPointF(scene_x, middle)))
    assert doc.selection == ["b"]
    assert window.inspector.names.name_edit.text() == "bee"


def broken_copy(window) -> None:
    """Make the kernel of "ay" larger than its 8×8 input: "ay" and "bee" below it are not computed."""
    doc = window.document
    doc.push(SetAttr(doc, ["a"], "kernel_size", 9))


def test_totals_of_a_design_with_an_error_are_partial_and_never_compared_with_the_pin(window, qtbot):
    doc = window.document
    window.open_design(wired_design())
    panel = show_charts(window, qtbot)
    totals = panel.totals_view
    panel.pin()
    assert totals.sub_text("params") == "same vs pin" and totals.partial_text() == ""

    broken_copy(window)
    panel.flush()
    # the sums now leave "ay" and "bee" out: far fewer params, which must not read as a saving
    assert panel.totals["params"] == 0 and panel.delta_text("params") == ""
    assert totals.value_text("params") == "≥ 0"
    for key in ("params", "macs", "flops", "weight_bytes", "activation_bytes"):
        assert totals.sub_text(key) == "partial"
        assert totals.cards[key].sub_role == "error"
    text = totals.partial_text()
    assert text == ("Partial totals: 2 of 3 layers not computed. "
                    "ay: input 8×8: input size 8 is smaller than the kernel 9 with 'valid' padding")
    assert totals.partial_label.isVisible()
    assert "not compared" in totals.tooltip("macs")

    # pinned while partial: once fixed, still no delta against that pin
    panel.pin()
    assert panel.pin_label.text().endswith("(partial)")
    doc.push(SetAttr(doc, ["a"], "kernel_size", 3))
    panel.flush()
    assert totals.partial_text() == "" and not totals.partial_label.isVisible()
    assert totals.sub_text("params") == "pin was partial" and panel.delta_text("params") == ""
    assert totals.value_text("params") == "196"  # 3·3·3·6 + 6 and 6·4 + 4
    # a complete pin and complete totals are compared again
    panel.pin()
    doc.push(SetAttr(doc, ["b"], "filters", 8))
    panel.flush()
    assert totals.sub_text("params") == "+14.3% vs pin"  # 224 (6·8 + 8) against 196


@pytest.fixture
def ui(qtbot, profile, monkeypatch):  # noqa: F811
    monkeypatch.setattr(recovery, "DELAY_MS", 30)
    answers = Prompts(monkeypatch)
    window, features = make_window(qtbot)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window, features, answers


def test_file_new_clears_the_pin_and_open_says_it_is_another_designs(ui, qtbot, tmp_path):
    window, features, answers = ui
    panel = window.cost_panel
    window.open_design(wired_design())
    panel.flush()
    panel.pin()
    assert panel.baseline is not None and panel.clear_button.isEnabled()
    features.files.new_action.trigger()  # nothing unsaved: no question
    panel.flush()
    assert panel.baseline is None and not panel.clear_button.isEnabled()
    assert panel.pin_label.text() == "" and panel.totals_view.sub_text("macs") == "mult-adds"

    # pin A, open B: the comparison stays, and says plainly it is against another design
    window.open_design(wired_design())
    panel.flush()
    panel.pin()
    assert panel.totals_view.sub_text("params") == "same vs pin"
    other = wired_design()
    other.name = "wider"
    other.add_node("Dense", "head", attrs={"units": 10})
    other.connect("a", "head")
    from archcanvas.core.fileformat import save
    path = tmp_path / "wider.json"
    save(other, path)
    answers.open_name = path
    features.files.open_action.trigger()
    panel.flush()
    assert window.document.path == path
    assert panel.pin_label.text().startswith("vs branches ") and panel.pin_label.text().endswith(" · another design")
    assert "Another design is open now" in panel.pin_label.toolTip()
    # 196 pinned; now plus a Dense of 10 on ay's 6×6×6 (6·10 + 10): 266, +35.7%
    assert panel.totals["params"] == 266
    assert panel.totals_view.sub_text("params") == "+35.7% vs branches"
    assert panel.delta_text("params") == "Params +35.7%"
    panel.pin()  # pinning again compares the open design with itself
    assert panel.totals_view.sub_text("params") == "same vs pin"
    assert not panel.pin_label.text().endswith("another design")


def test_a_restored_autosave_says_it_has_no_undo_history(qtbot, profile, monkeypatch):  # noqa: F811
    import shiboken6
    monkeypatch.setattr(recovery, "DELAY_MS", 30)
    answers = Prompts(monkeypatch)
    lost, f = make_window(qtbot, own=False)
    lost.open_design(two_branch_design())
    lost.document.push(SetAttr(lost.document, ["b"], "filters", 9))
    assert f.recovery.autosave()
    shiboken6.delete(lost)  # gone without closing, as in a crash

    window, g = make_window(qtbot)
    answers.restore = True
    assert g.offer_restore() is True
    question = answers.asked[0][1]
    assert "without its undo history" in question
    assert window.status_text() == ("Restored unsaved changes to “branches”: "
                                    "no undo history before this point")
    assert window.document.design.node("b").attrs["filters"] == 9
    assert not window.document.undo_stack.canUndo()  # as the message says


# number fields ------------------------------------------------------------------------------------
def type_and_enter(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClick(spin, Qt.Key.Key_Delete)
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


@pytest.fixture
def conv_selected(window):
    window.open_design(two_branch_design())
    window.document.set_selection(["a"])
    return window


@pytest.mark.parametrize("typed, message", [
    ("-4", "must be a positive integer, got -4"),
    ("0", "must be a positive integer, got 0"),
    ("99,999,999,999", "must be at most 2,147,483,647, got 99,999,999,999"),
    ("4.5", "'4.5' is not a whole number"),
    ("many", "'many' is not a whole number"),
])
def test_a_number_field_refuses_bad_input_with_the_reason(conv_selected, qtbot, typed, message):
    window = conv_selected
    editor = window.inspector.editors["filters"]
    steps = window.document.undo_stack.count()
    type_and_enter(qtbot, editor.spin, typed)
    assert editor.error_text == message and editor.error.isVisible()
    assert editor.spin.property("invalid") is True
    assert window.document.design.node("a").attrs["filters"] == 6  # nothing applied
    assert window.document.undo_stack.count() == steps
    assert editor.spin.text() == "6"  # the field shows the model's value again
    # the reason stays until the user enters a good value, which is applied
    window.document.analysis_updated.emit(set())
    assert editor.error_text == message
    type_and_enter(qtbot, editor.spin, "1,024")
    assert window.document.design.node("a").attrs["filters"] == 1024
    assert editor.error_text == "" and editor.spin.property("invalid") is False


def test_a_pair_field_and_a_float_field_refuse_too(conv_selected, qtbot):
    window = conv_selected
    kernel = window.inspector.editors["kernel_size"]
    type_and_enter(qtbot, kernel.h, "0")
    assert kernel.error_text == "must be at least 1, got 0"
    assert window.document.design.node("a").attrs["kernel_size"] == 3
    window.document.set_selection(["b"])
    src = Design()
    src.add_node("Dropout", "drop")
    window.document.push(AddNodes(window.document, src))
    window.document.set_selection(["drop"])
    rate = window.inspector.editors["rate"]
    type_and_enter(qtbot, rate.spin, "1.5")
    assert rate.error_text.startswith("must be") and "got 1.5" in rate.error_text
    type_and_enter(qtbot, rate.spin, "0.25")
    assert window.document.design.node("drop").attrs["rate"] == 0.25 and rate.error_text == ""


def test_the_block_dialog_is_the_same_form_and_refuses_numbers_too(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from archcanvas.core.templates import BLOCKS
    from archcanvas.gui.inspector.attr_editors import IntEditor, ListEditor
    from archcanvas.gui.inspector.param_dialog import ParamDialog

    dialog = ParamDialog("Add", "", BLOCKS["bottleneck"].params)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.form.fields["kernel_size"]
    assert isinstance(field.widget, IntEditor)  # the inspector's editor, from the one generator
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    type_and_enter(qtbot, field.editor, "40")
    assert field.error.text() == "must be an integer from 1 to 31, got 40" and not ok.isEnabled()
    assert field.editor.value() == 5  # the field shows the value in force again
    type_and_enter(qtbot, field.editor, "-3")
    assert field.error.text() == "must be an integer from 1 to 31, got -3" and not ok.isEnabled()
    type_and_enter(qtbot, field.editor, "7")
    assert field.valid and ok.isEnabled() and dialog.values()["kernel_size"] == 7
    inception = ParamDialog("Add", "", BLOCKS["inception"].params)
    qtbot.addWidget(inception)
    assert isinstance(inception.form.fields["filters"].widget, ListEditor)
