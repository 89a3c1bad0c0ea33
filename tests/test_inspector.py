"""The inspector driven through its real widgets: a value set like a user sets it becomes one
command on the document; the fields follow the model (undo included) without echoing edits back;
refused values are shown at their field and change nothing."""

import pytest
from PySide6.QtCore import Qt

from archcanvas.core.design import Design
from archcanvas.core.layers.spec import INT_MAX
from archcanvas.gui.inspector.attr_editors import (
    BoolEditor, ChoiceEditor, FloatEditor, IntEditor, ListEditor, PairEditor, PairOrNoneEditor, parse_list,
)
from archcanvas.gui.document.commands import SetAttr
from archcanvas.gui.document.document import Document
from archcanvas.gui.inspector.panel import Inspector


def small_design() -> Design:
    d = Design("t")
    d.add_node("Input", "in", attrs={"shape": [28, 28, 3]}, pos=(0, 0))
    d.add_node("Conv2D", "c1", attrs={"filters": 32, "kernel_size": 3}, pos=(260, 0))
    d.add_node("Conv2D", "c2", attrs={"filters": 64, "kernel_size": 3}, pos=(260, 150))
    d.add_node("MaxPooling2D", "pool", pos=(520, 0))
    d.add_node("BatchNormalization", "bn", pos=(520, 150))
    d.connect("in", "c1")
    d.connect("in", "c2")
    d.connect("c1", "pool")
    d.connect("c2", "bn")
    return d


@pytest.fixture
def doc():
    return Document(small_design())


@pytest.fixture
def inspector(qtbot, doc):
    ins = Inspector(doc)
    qtbot.addWidget(ins)
    ins.resize(340, 800)
    ins.show()
    return ins


def test_form_is_generated_from_the_layer_type(inspector, doc):
    doc.set_selection(["c1"])
    e = inspector.editors
    assert list(e) == ["filters", "kernel_size", "strides", "padding", "dilation_rate", "groups",
                       "activation", "use_bias"]
    assert isinstance(e["filters"], IntEditor)
    assert (e["filters"].spin.minimum(), e["filters"].spin.maximum()) == (1, INT_MAX)
    assert isinstance(e["kernel_size"], PairEditor) and isinstance(e["use_bias"], BoolEditor)
    assert isinstance(e["padding"], ChoiceEditor)
    combo = e["activation"].combo
    assert combo.itemText(0) == "none" and combo.itemData(0) is None
    assert combo.currentText() == "none"  # Conv2D's default activation is None
    assert e["filters"].spin.value() == 32 and e["kernel_size"].h.value() == 3 == e["kernel_size"].w.value()
    assert inspector.type_label.text() == "Conv2D · Convolution"
    doc.set_selection(["pool"])
    assert isinstance(inspector.editors["strides"], PairOrNoneEditor)
    assert inspector.editors["strides"].none.isChecked()
    doc.set_selection(["bn"])
    momentum = inspector.editors["momentum"]
    assert isinstance(momentum, FloatEditor)
    assert (momentum.spin.minimum(), momentum.spin.maximum(), momentum.spin.value()) == (0.0, 1.0, 0.99)
    assert momentum.spin.text() == "0.99"
    doc.set_selection(["in"])
    assert isinstance(inspector.editors["shape"], ListEditor)
    assert inspector.editors["shape"].edit.text() == "28, 28, 3"


def test_read_only_results_are_exact(inspector, doc):
    doc.set_selection(["c1"])
    r = inspector.results
    assert r["shape"].text() == "26×26×32"
    assert r["params"].text() == "896"                      # 3·3·3·32 + 32
    assert r["macs"].text() == "584,064  (584K)"             # 26·26 · 27 · 32
    assert r["flops"].text() == "1,189,760  (1.19M)"         # 2·MACs + one bias add per output
    assert r["activations"].text() == "21,632  (84.5 KiB)"
    doc.set_selection(["bn"])
    assert r["params"].text() == "256" and r["trainable"].text() == "128" and r["non_trainable"].text() == "128"


def test_spin_box_edit_is_one_command_and_consecutive_edits_merge(inspector, doc):
    doc.set_selection(["c1"])
    spin = inspector.editors["filters"].spin
    stack = doc.undo_stack
    spin.setValue(48)
    assert doc.design.node("c1").attrs["filters"] == 48
    assert inspector.results["shape"].text() == "26×26×48"
    spin.setValue(64)
    assert stack.count() == 1 and stack.undoText() == "Set filters = 64"
    stack.undo()
    assert doc.design.node("c1").attrs["filters"] == 32
    assert spin.value() == 32  # the field follows the model
    assert stack.count() == 1 and stack.index() == 0  # showing the old value was not an edit
    assert inspector.results["shape"].text() == "26×26×32"


def test_pair_square_link_and_pair_or_none(inspector, doc):
    doc.set_selection(["c1"])
    k = inspector.editors["kernel_size"]
    assert k.link.isChecked()
    k.h.setValue(5)
    assert doc.design.node("c1").attrs["kernel_size"] == 5 and k.w.value() == 5
    k.link.setChecked(False)
    k.w.setValue(1)
    assert doc.design.node("c1").attrs["kernel_size"] == [5, 1]
    assert inspector.results["shape"].text() == "24×28×32"
    doc.set_selection(["pool"])
    strides = inspector.editors["strides"]
    assert (strides.h.value(), strides.w.value()) == (2, 2)  # none: pool_size is in effect
    strides.none.click()
    assert doc.design.node("pool").attrs["strides"] == 2
    assert strides.h.isEnabled()
    strides.h.setValue(2)
    assert doc.design.node("pool").attrs["strides"] == 2
    strides.none.click()
    assert doc.design.node("pool").attrs["strides"] is None and not strides.h.isEnabled()


def test_choice_and_bool_edits(inspector, doc, qtbot):
    doc.set_selection(["c1"])
    combo = inspector.editors["activation"].combo
    combo.activated.emit(combo.findData("relu"))  # what choosing an item with the mouse emits
    assert doc.design.node("c1").attrs["activation"] == "relu"
    inspector.editors["use_bias"].box.click()
    assert doc.design.node("c1").attrs["use_bias"] is False
    assert inspector.results["params"].text() == "864"


def test_invalid_text_is_shown_at_the_field_and_not_applied(inspector, doc, qtbot):
    doc.set_selection(["in"])
    editor = inspector.editors["shape"]
    editor.edit.selectAll()
    qtbot.keyClicks(editor.edit, "28, 0, 3")
    qtbot.keyClick(editor.edit, Qt.Key_Return)
    assert editor.error.isVisible()
    assert editor.error.text() == "must be a list of positive integers, got [28, 0, 3]"
    assert editor.edit.property("invalid") is True
    assert doc.design.node("in").attrs["shape"] == [28, 28, 3] and doc.undo_stack.count() == 0
    editor.edit.selectAll()
    qtbot.keyClicks(editor.edit, "32, 32, 3")
    qtbot.keyClick(editor.edit, Qt.Key_Return)
    assert doc.design.node("in").attrs["shape"] == [32, 32, 3]
    assert not editor.error.isVisible() and editor.edit.property("invalid") is False


def test_rule_across_attributes_is_refused_at_the_field(inspector, doc):
    doc.set_selection(["c1"])
    groups = inspector.editors["groups"]
    groups.spin.setValue(3)
    assert groups.error_text == "filters (32) must be divisible by groups (3)"
    assert doc.design.node("c1").attrs.get("groups") is None and doc.undo_stack.count() == 0
    groups.spin.setValue(4)
    assert doc.design.node("c1").attrs["groups"] == 4 and groups.error_text == ""


def test_a_node_error_about_an_attribute_is_shown_at_that_field(inspector, doc):
    # an edit made elsewhere (a file, a script) may break a rule; the field says which
    doc.push(SetAttr(doc, ["c1"], "groups", 5))
    doc.set_selection(["c1"])
    assert inspector.editors["groups"].error_text == "filters (32) must be divisible by groups (5)"
    assert inspector.problem.text() == "groups: filters (32) must be divisible by groups (5)"
    assert inspector.results["shape"].text() == "—"


def test_several_nodes_of_one_type_are_edited_together(inspector, doc):
    doc.set_selection(["c1", "c2"])
    filters = inspector.editors["filters"].spin
    assert filters.text() == "mixed"
    assert inspector.editors["kernel_size"].h.value() == 3  # the same on both
    assert inspector.type_label.text() == "2 × Conv2D · Convolution"
    assert not inspector.name_edit.isEnabled()
    assert inspector.results["shape"].text() == "mixed"
    assert inspector.results["params"].text() == f"{896 + 1792:,}  (2.69K)"
    filters.setValue(16)
    assert [doc.design.node(n).attrs["filters"] for n in ("c1", "c2")] == [16, 16]
    assert doc.undo_stack.count() == 1
    assert filters.text() == "16"
    doc.undo_stack.undo()
    assert [doc.design.node(n).attrs["filters"] for n in ("c1", "c2")] == [32, 64]
    assert filters.text() == "mixed"


def test_nodes_of_different_types_show_sums_but_no_form(inspector, doc):
    doc.set_selection(["c1", "bn"])
    assert inspector.attr_box.isHidden()
    assert inspector.type_label.text() == "2 layers of 2 types"
    assert inspector.results["params"].text() == "1,152  (1.15K)"  # 896 + 256


def test_rename_through_the_name_field(inspector, doc, qtbot):
    doc.set_selection(["c1"])
    assert inspector.name_edit.placeholderText() == "c1"
    qtbot.keyClicks(inspector.name_edit, "stem conv")
    qtbot.keyClick(inspector.name_edit, Qt.Key_Return)
    assert doc.design.node("c1").name == "stem conv"
    assert doc.undo_stack.undoText() == "Rename c1 to stem conv"
    doc.undo_stack.undo()
    assert inspector.name_edit.text() == ""


def test_empty_selection_shows_the_design_totals(inspector, doc):
    doc.set_selection(["c1"])
    doc.set_selection([])
    assert inspector.placeholder.isVisible() and inspector.attr_box.isHidden()
    assert inspector.type_label.text() == "Design “t”"
    assert inspector.result_box.title() == "Design totals"
    assert inspector.results["shape"].text() == "13×13×32, 26×26×64"   # the two outputs
    assert inspector.results["params"].text() == "2,944  (2.94K)"        # 896 + 1,792 + 256
    assert inspector.results["non_trainable"].text() == "128"
    doc.push(SetAttr(doc, ["c1"], "groups", 5))
    assert inspector.problem.text() == "1 layer with a problem: see the Problems list"
    assert inspector.results["params"].text() == "2,048  (2.05K)"        # c1 no longer counts


def test_empty_design_says_how_to_start(qtbot):
    ins = Inspector(Document())
    qtbot.addWidget(ins)
    ins.show()
    assert "Drag a layer" in ins.placeholder.text() and ins.result_box.isHidden()


def test_parse_list_forms():
    assert parse_list("28, 28, 3", "shape") == [28, 28, 3]
    assert parse_list("[28, 28, 3]", "shape") == [28, 28, 3]
    assert parse_list("1", "padding2d") == 1
    assert parse_list("1, 2", "padding2d") == [1, 2]
    assert parse_list("[1, 1], [2, 2]", "padding2d") == [[1, 1], [2, 2]]
    assert parse_list("[[1, 1], [2, 2]]", "padding2d") == [[1, 1], [2, 2]]


def test_mixed_floats_and_unbounded_ints(qtbot):
    d = Design("m")
    d.add_node("BatchNormalization", "b1", attrs={"momentum": 0.9})
    d.add_node("BatchNormalization", "b2")
    d.add_node("Concatenate", "k1", attrs={"axis": 3})
    d.add_node("Concatenate", "k2")
    doc = Document(d)
    ins = Inspector(doc)
    qtbot.addWidget(ins)
    doc.set_selection(["b1", "b2"])
    momentum = ins.editors["momentum"].spin
    assert momentum.text() == "mixed"
    assert ins.editors["epsilon"].spin.text() == "0.001"  # the same on both (the default)
    momentum.setValue(0.5)
    assert [d.node(n).attrs.get("momentum") for n in ("b1", "b2")] == [0.5, 0.5]
    assert momentum.text() == "0.5"
    doc.set_selection(["k1", "k2"])
    axis = ins.editors["axis"].spin  # no lower bound: Keras's axis may be negative
    assert axis.text() == "mixed"
    axis.setValue(-1)
    assert [d.node(n).attrs.get("axis") for n in ("k1", "k2")] == [-1, -1]


def test_text_field_mixed_then_single_and_back_to_the_shown_value(qtbot):
    d = Design("s")
    d.add_node("Input", "a", attrs={"shape": [8, 8, 3]})
    d.add_node("Input", "b", attrs={"shape": [16, 16, 3]})
    doc = Document(d)
    ins = Inspector(doc)
    qtbot.addWidget(ins)
    doc.set_selection(["a", "b"])
    edit = ins.editors["shape"].edit
    assert edit.text() == "" and edit.placeholderText() == "mixed"
    doc.set_selection(["a"])
    assert edit.text() == "8, 8, 3" and edit.placeholderText() == "e.g. 224, 224, 3"
    edit.setText("8, 8")
    edit.setText("8, -8")
    edit.editingFinished.emit()
    assert ins.editors["shape"].error_text.startswith("must be a list of positive integers")
    edit.setText("8, 8, 3")  # the user puts the value back
    edit.editingFinished.emit()
    assert ins.editors["shape"].error_text == "" and doc.undo_stack.count() == 0


def test_choosing_the_current_value_again_adds_no_undo_step(inspector, doc):
    doc.set_selection(["c1"])
    combo = inspector.editors["padding"].combo
    combo.activated.emit(combo.findData("valid"))  # already "valid" (Keras's default)
    assert doc.undo_stack.count() == 0 and "padding" not in doc.design.node("c1").attrs
    combo.activated.emit(combo.findData("same"))
    assert doc.undo_stack.count() == 1 and doc.design.node("c1").attrs["padding"] == "same"


def test_square_link_follows_the_shown_value(inspector, doc):
    doc.push(SetAttr(doc, ["c2"], "kernel_size", [3, 1]))
    doc.set_selection(["c2"])
    assert not inspector.editors["kernel_size"].link.isChecked()
    doc.set_selection(["c1"])
    assert inspector.editors["kernel_size"].link.isChecked()


def test_strides_left_to_pool_size_show_and_start_from_it(inspector, doc):
    doc.design.set_attr("pool", "pool_size", [3, 2])
    doc.set_selection(["pool"])
    strides = inspector.editors["strides"]
    assert strides.none.isChecked() and not strides.h.isEnabled()
    assert (strides.h.value(), strides.w.value()) == (3, 2)
    strides.none.click()
    assert doc.design.node("pool").attrs["strides"] == [3, 2]
    assert inspector.results["shape"].text() == "8×13×32"  # 26×26 pooled 3×2 with steps 3×2


@pytest.mark.parametrize("node", ["c1", "pool"])
def test_every_field_fits_a_narrow_inspector(qtbot, doc, node):
    from PySide6.QtWidgets import QScrollArea

    ins = Inspector(doc)
    qtbot.addWidget(ins)
    ins.resize(320, 900)
    ins.show()
    doc.set_selection([node])
    qtbot.wait(10)
    viewport = ins.findChild(QScrollArea).viewport()
    for name, editor in ins.editors.items():
        right = editor.mapTo(viewport, editor.rect().topRight()).x()
        assert right <= viewport.width(), f"{name} ends at {right}, the inspector at {viewport.width()}"


# state, not widgets ---------------------------------------------------------------------------
def test_error_attr_names_the_attribute_only_when_it_is_one():
    from archcanvas.gui.inspector.panel import error_attr
    names = {"groups", "filters"}
    assert error_attr("groups: filters (32) must be divisible by groups (5)", names) == "groups"
    assert error_attr("input 1: shape 3×3 is too small", names) is None  # a colon, not an attribute
    assert error_attr("kernel 7×7 is larger than the input", names) is None


def test_refused_values_are_the_inspectors_state_and_survive_an_analysis(inspector, doc):
    doc.set_selection(["c1"])
    groups = inspector.editors["groups"]
    groups.spin.setValue(3)  # refused: 32 % 3
    assert inspector._user_errors == {"groups": "filters (32) must be divisible by groups (3)"}
    assert groups.error_text == "filters (32) must be divisible by groups (3)"
    doc.analysis_updated.emit({"c1"})  # a re-analysis of c1 keeps what the user was told
    assert groups.error_text == "filters (32) must be divisible by groups (3)"
    groups.spin.setValue(1)  # back to the value in the model: nothing to apply, nothing wrong
    assert inspector._user_errors == {} and groups.error_text == "" and doc.undo_stack.count() == 0


def test_the_pool_strides_fallback_comes_from_the_layer_definition(qtbot, doc, monkeypatch):
    import dataclasses

    from archcanvas.core import layers
    pool = doc.design.node("pool")
    doc.push(SetAttr(doc, ["pool"], "pool_size", 3))
    ins = Inspector(doc)
    qtbot.addWidget(ins)
    doc.set_selection(["pool"])
    strides = ins.editors["strides"]
    assert strides.attr.none_means == "pool_size" and (strides.h.value(), strides.w.value()) == (3, 3)
    # a definition without the link: the inspector has no table of its own to fall back on
    lt = pool.layer
    plain = tuple(dataclasses.replace(a, none_means=None) if a.name == "strides" else a for a in lt.attrs)
    monkeypatch.setitem(layers.REGISTRY, "MaxPooling2D", dataclasses.replace(lt, attrs=plain))
    doc.set_selection([])
    doc.set_selection(["pool"])
    strides = ins.editors["strides"]
    assert strides.attr.none_means is None and (strides.h.value(), strides.w.value()) == (1, 1)


def test_memory_follows_the_documents_dtype(inspector, doc):
    doc.set_selection(["c1"])
    act = inspector.results["activations"]
    assert act.text() == "21,632  (84.5 KiB)"
    doc.set_dtype("float16")
    assert act.text() == "21,632  (42.2 KiB)" and "float16" in act.toolTip()
    doc.set_selection([])  # the design's totals too
    total = doc.analyzer.analysis.totals.activations
    doc.set_dtype("int8")
    from archcanvas.core.units import exact, human_bytes
    assert act.text() == f"{exact(total)}  ({human_bytes(total)})"


def test_building_the_views_emits_nothing(qtbot):
    from archcanvas.gui.status import ProblemsList, TotalsLabel
    from archcanvas.gui.cost_panel import CostPanel
    d = small_design()
    doc = Document(d)
    assert set(doc.analyzer.analysis.results) == set(d.node_ids())  # analysed by the document
    emitted = []
    doc.analysis_updated.connect(emitted.append)
    d.set_attr("c1", "filters", 16)  # an edit outside a command: analysed on the next refresh
    for view in (Inspector(doc), TotalsLabel(doc), ProblemsList(doc), CostPanel(doc)):
        qtbot.addWidget(view)
    assert emitted == []  # a pending edit is the document's to announce, not a view's side effect
    assert doc.refresh() == {"c1", "pool"} and emitted == [{"c1", "pool"}]


@pytest.mark.parametrize("value, text", [(1e-7, "0.0000001"), (1.001e-5, "0.00001001"),
                                         (0.001, "0.001"), (1.0000001e-5, "0.000010000001")])
def test_a_float_field_keeps_the_value_exactly(inspector, doc, qtbot, value, text):
    doc.push(SetAttr(doc, ["bn"], "epsilon", value))
    doc.set_selection(["bn"])
    spin = inspector.editors["epsilon"].spin
    assert spin.value() == value and spin.text() == text
    count = doc.undo_stack.count()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)  # the shown text typed back is the same value
    qtbot.keyClick(spin.lineEdit(), Qt.Key_Return)
    assert doc.design.node("bn").attrs["epsilon"] == value and doc.undo_stack.count() == count
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0.00000012")
    qtbot.keyClick(spin.lineEdit(), Qt.Key_Return)
    assert doc.design.node("bn").attrs["epsilon"] == 1.2e-7 and spin.text() == "0.00000012"


# group and design name -------------------------------------------------------------------------
def test_the_group_field_moves_the_selected_layers_to_a_group(inspector, doc, qtbot):
    doc.push(SetAttr(doc, ["c2"], "filters", 64))  # something to undo past
    from archcanvas.gui.document.commands import SetGroup
    doc.push(SetGroup(doc, ["c2"], "stem"))
    doc.set_selection(["c1"])
    combo = inspector.group_combo
    assert inspector.group_row.isVisible() and combo.currentText() == "(none)"
    assert [combo.itemText(i) for i in range(combo.count())] == ["(none)", "stem"]
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "head")  # a new group, typed
    qtbot.keyClick(combo.lineEdit(), Qt.Key_Return)
    assert doc.design.node("c1").group == "head"
    assert [combo.itemText(i) for i in range(combo.count())] == ["(none)", "head", "stem"]
    count = doc.undo_stack.count()
    doc.set_selection(["c1", "c2"])  # two groups: mixed
    assert combo.currentText() == "" and combo.lineEdit().placeholderText() == "mixed"
    qtbot.keyClicks(combo.lineEdit(), "stem")  # an existing group, typed (it completes)
    qtbot.keyClick(combo.lineEdit(), Qt.Key_Return)
    assert doc.design.node("c1").group == "stem" == doc.design.node("c2").group
    assert doc.undo_stack.count() == count + 1 and "group stem" in inspector.type_label.text()
    combo.lineEdit().clear()  # emptied: out of any group
    qtbot.keyClick(combo.lineEdit(), Qt.Key_Return)
    assert doc.design.node("c1").group is None and doc.design.node("c2").group is None
    doc.undo_stack.undo()
    assert combo.currentText() == "stem" and doc.design.node("c1").group == "stem"


def test_with_nothing_selected_the_design_can_be_renamed_and_undone(inspector, doc, qtbot):
    from PySide6.QtWidgets import QMainWindow

    from archcanvas.gui.desktop.title import WindowTitle
    window = QMainWindow()
    qtbot.addWidget(window)
    window.title = WindowTitle(window, doc)
    doc.set_selection([])
    edit = inspector.design_name_edit
    assert edit.isVisible() and not inspector.group_row.isVisible() and edit.text() == "t"
    edit.selectAll()
    qtbot.keyClicks(edit, "ResNet trial")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert doc.design.name == "ResNet trial" and doc.undo_stack.count() == 1
    assert window.windowTitle() == "ResNet trial[*] — ArchCanvas" and window.isWindowModified()
    assert inspector.type_label.text() == "Design “ResNet trial”"
    qtbot.keyClick(edit, Qt.Key_Return)  # the same name again: no second step
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.design.name == "t" and edit.text() == "t" and window.windowTitle() == "t[*] — ArchCanvas"
    doc.undo_stack.redo()
    edit.clear()
    qtbot.keyClick(edit, Qt.Key_Return)  # empty: back to "untitled"
    assert doc.design.name == "untitled" and window.windowTitle() == "Untitled[*] — ArchCanvas"
    assert doc.undo_stack.undoText() == "Rename design to “untitled”"
    doc.set_selection(["c1"])
    assert not edit.isVisible()


def test_set_design_name_undoes_to_the_old_name():
    from archcanvas.core.events import DesignRenamed
    from archcanvas.gui.document.design_commands import SetDesignName
    doc = Document(small_design())
    events = []
    doc.design_changed.connect(events.append)
    doc.push(SetDesignName(doc, "  net  "))
    assert doc.design.name == "net" and events == [(DesignRenamed(),)]
    doc.undo_stack.undo()
    assert doc.design.name == "t" and events == [(DesignRenamed(),)] * 2


def test_a_group_picked_from_the_list(inspector, doc, qtbot):
    from archcanvas.gui.document.commands import SetGroup
    doc.push(SetGroup(doc, ["c2"], "stem"))
    doc.set_selection(["c1"])
    combo = inspector.group_combo
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=1000)
    index = view.model().index(combo.findText("stem"), 0)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(index).center())
    assert doc.design.node("c1").group == "stem" and doc.undo_stack.count() == 2


def test_number_or_none_and_axes_fields(qtbot):
    from archcanvas.gui.inspector.attr_editors import FloatOrNoneEditor, ValueEditor

    d = Design("t")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]}, pos=(0, 0))
    d.add_node("ReLU", "relu", pos=(200, 0))
    d.add_node("PReLU", "prelu", pos=(200, 150))
    d.connect("in", "relu")
    d.connect("in", "prelu")
    doc = Document(d)
    ins = Inspector(doc)
    qtbot.addWidget(ins)
    ins.show()
    doc.set_selection(["relu"])
    cap = ins.editors["max_value"]
    assert isinstance(cap, FloatOrNoneEditor)
    assert cap.none.isChecked() and not cap.spin.isEnabled()  # Keras's default: no cap
    cap.none.click()
    assert doc.design.node("relu").attrs["max_value"] == 6.0 and cap.spin.isEnabled()  # ReLU6 offered
    cap.spin.setValue(4.5)
    assert doc.design.node("relu").attrs["max_value"] == 4.5
    cap.none.click()
    assert doc.design.node("relu").attrs["max_value"] is None and not cap.spin.isEnabled()
    doc.undo_stack.undo()  # the edits of one field in a row are one step: back to Keras's default
    assert "max_value" not in doc.design.node("relu").attrs and cap.none.isChecked()

    doc.set_selection(["prelu"])
    axes = ins.editors["shared_axes"]
    assert isinstance(axes, ValueEditor) and axes.edit.text() == "none"
    assert ins.results["params"].text() == "192"
    axes.edit.setText("1, 2")
    axes.edit.editingFinished.emit()
    assert doc.design.node("prelu").attrs["shared_axes"] == [1, 2]
    assert ins.results["params"].text() == "3"  # one alpha per channel
    axes.edit.setText("1, x")
    axes.edit.editingFinished.emit()
    assert "cannot read" in axes.error_text and doc.design.node("prelu").attrs["shared_axes"] == [1, 2]
    axes.edit.setText("none")
    axes.edit.editingFinished.emit()
    assert doc.design.node("prelu").attrs["shared_axes"] is None


def test_regrouping_many_layers_refills_the_group_list_once(inspector, doc, monkeypatch):
    from archcanvas.core.design import Design
    from archcanvas.gui.document.commands import SetGroup
    doc.set_selection(["c1"])
    others = [n for n in doc.design.node_ids() if n != "c1"]
    assert len(others) >= 3
    calls = []
    real = Design.groups
    monkeypatch.setattr(Design, "groups", lambda self: (calls.append(1), real(self))[1])
    doc.push(SetGroup(doc, others, "body"))
    combo = inspector.group_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["(none)", "body"]
    assert combo.currentText() == "(none)"  # c1's own group
    assert len(calls) == 1  # once for the batch, not once per layer regrouped
    doc.undo_stack.undo()
    assert [combo.itemText(i) for i in range(combo.count())] == ["(none)"]
