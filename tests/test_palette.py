"""The palette (model, search, drag data, activation) and the generated parameter dialog,
driven as a user drives them: typing in the search field, double-clicking, pressing Enter."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QDoubleSpinBox, QLineEdit, QSpinBox

from archcanvas.core import layers
from archcanvas.core.templates import BLOCKS, TEMPLATES
from archcanvas.gui.palette import ITEM_ROLE, MIME, Palette
from archcanvas.gui.inspector.param_dialog import ParamDialog, parse_ints


@pytest.fixture
def palette(qtbot):
    p = Palette()
    qtbot.addWidget(p)
    p.resize(260, 700)
    p.show()
    return p


def test_every_layer_block_and_template_is_listed_by_category(palette):
    model = palette.model
    heads = [model.item(r).text() for r in range(model.rowCount())]
    assert heads == [*layers.CATEGORIES, "Blocks", "Templates"]
    by_head = {model.item(r).text(): [model.item(r).child(c).data(ITEM_ROLE) for c in range(model.item(r).rowCount())]
               for r in range(model.rowCount())}
    for name, layer in layers.REGISTRY.items():
        assert f"layer:{name}" in by_head[layer.category]
    assert by_head["Blocks"] == [f"block:{b}" for b in BLOCKS]
    assert by_head["Templates"] == [f"template:{t}" for t in TEMPLATES]
    assert len(model.item_texts()) == len(layers.REGISTRY) + len(BLOCKS) + len(TEMPLATES)


def test_entries_carry_their_doc_as_tooltip(palette):
    index = palette.index_of("layer:Conv2D")
    assert index.data(Qt.ToolTipRole) == ("<b>Conv2D</b><p>2-D convolution: each of <code>filters</code> kernels "
                                          "sees kh×kw×(Cin/groups) inputs.</p>")
    tip = palette.index_of("block:inception").data(Qt.ToolTipRole)
    assert "Four branches" in tip and "filters" in tip and "activation" in tip


def test_search_filters_by_name_and_doc_case_insensitively(palette, qtbot):
    qtbot.keyClicks(palette.search, "POOL")
    shown = palette.visible_items()
    assert {"layer:MaxPooling2D", "layer:AveragePooling2D", "layer:GlobalAveragePooling2D",
            "layer:GlobalMaxPooling2D"} <= set(shown)
    assert "block:inception" in shown  # its doc mentions the 3×3 max-pool branch
    assert "layer:Conv2D" not in shown and "layer:Dense" not in shown
    palette.search.clear()
    assert len(palette.visible_items()) == len(palette.model.item_texts())
    qtbot.keyClicks(palette.search, "no such layer")
    assert palette.visible_items() == []


def test_drag_data_names_the_entry_and_categories_do_not_drag(palette):
    source = palette.proxy.mapToSource(palette.index_of("layer:Conv2D"))
    data = palette.model.mimeData([source])
    assert palette.model.mimeTypes() == [MIME]
    assert bytes(data.data(MIME)).decode() == "layer:Conv2D"
    # a drag copies: one that ended in a Move would delete the entry from the palette
    assert palette.model.supportedDragActions() == Qt.CopyAction
    assert palette.proxy.supportedDragActions() == Qt.CopyAction
    assert palette.view.defaultDropAction() == Qt.CopyAction
    head = palette.model.item(0)
    assert not head.flags() & Qt.ItemIsDragEnabled
    assert palette.model.itemFromIndex(source).flags() & Qt.ItemIsDragEnabled


def test_double_click_and_enter_activate_an_entry(palette, qtbot):
    index = palette.index_of("layer:Dense")
    palette.view.scrollTo(index)
    rect = palette.view.visualRect(index)
    with qtbot.waitSignal(palette.activated, timeout=1000) as blocker:
        # a real double-click: press and release, then the double-click event on the same item
        qtbot.mouseClick(palette.view.viewport(), Qt.LeftButton, pos=rect.center())
        qtbot.mouseDClick(palette.view.viewport(), Qt.LeftButton, pos=rect.center())
    assert blocker.args == ["layer:Dense"]
    # a single click only selects
    got = []
    palette.activated.connect(got.append)
    qtbot.mouseClick(palette.view.viewport(), Qt.LeftButton, pos=rect.center())
    assert got == []
    palette.view.setCurrentIndex(palette.index_of("layer:Flatten"))
    qtbot.keyClick(palette.view, Qt.Key_Return)
    assert got == ["layer:Flatten"]
    # Enter in the search field takes the first match
    qtbot.keyClicks(palette.search, "separableconv")
    qtbot.keyClick(palette.search, Qt.Key_Return)
    assert got == ["layer:Flatten", "layer:SeparableConv2D"]
    # Down leaves the search field for the first match; Enter there adds it
    palette.search.clear()
    qtbot.keyClicks(palette.search, "dense")
    qtbot.keyClick(palette.search, Qt.Key_Down)
    assert palette.view.currentIndex().data(ITEM_ROLE) == "layer:Dense"
    qtbot.keyClick(palette.view, Qt.Key_Return)
    assert got[-1] == "layer:Dense"


# the parameter dialog --------------------------------------------------------------------------

def test_parse_ints_reads_commas_spaces_and_brackets():
    assert parse_ints("64, 96, 128, 16, 32, 32") == [64, 96, 128, 16, 32, 32]
    assert parse_ints("[1 2,3]") == [1, 2, 3]
    with pytest.raises(ValueError, match="'x' is not an integer"):
        parse_ints("1, x")


def test_dialog_is_generated_from_the_params(qtbot):
    block = BLOCKS["bottleneck"]
    dialog = ParamDialog("Add", block.doc, block.params)
    qtbot.addWidget(dialog)
    fields = dialog.form.fields
    assert list(fields) == [p.name for p in block.params]
    spin = fields["kernel_size"].editor
    assert isinstance(spin, QSpinBox) and (spin.minimum(), spin.maximum(), spin.value()) == (1, 31, 5)
    combo = fields["activation"].editor
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["relu", "relu6"]
    assert dialog.values() == {"reduce_filters": 16, "filters": 32, "kernel_size": 5, "activation": "relu"}
    other = ParamDialog("t", "", TEMPLATES["mobilenet-v1"].params)
    qtbot.addWidget(other)
    alpha = other.form.fields["alpha"].editor
    assert isinstance(alpha, QDoubleSpinBox) and alpha.maximum() == 10.0 and alpha.value() == 1.0


def test_ints_field_shows_its_fault_and_blocks_ok(qtbot):
    dialog = ParamDialog("Add inception", "", BLOCKS["inception"].params)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.form.fields["filters"]
    edit = field.editor
    assert isinstance(edit, QLineEdit) and edit.text() == "64, 96, 128, 16, 32, 32"
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    edit.clear()
    qtbot.keyClicks(edit, "64, 96, 128")
    assert not ok.isEnabled()
    assert field.error.isVisible()
    assert "must be a list of 6 integers from 1 to 100000" in field.error.text()
    assert edit.property("invalid") is True
    qtbot.keyClicks(edit, ", 16, 32, zz")
    assert "'zz' is not an integer" in field.error.text()
    edit.clear()
    qtbot.keyClicks(edit, "32, 48, 64, 8, 16, 16")
    assert ok.isEnabled() and not field.error.isVisible() and edit.property("invalid") is False
    assert dialog.values() == {"filters": (32, 48, 64, 8, 16, 16), "activation": "relu"}


def test_the_dialog_shows_the_blocks_doc_as_reflowed_text(qtbot):
    from PySide6.QtWidgets import QLabel

    block = BLOCKS["inception"]
    dialog = ParamDialog("Add block", block.doc, block.params)
    qtbot.addWidget(dialog)
    intro = dialog.findChild(QLabel, "dialogDoc")
    assert intro.textFormat() == Qt.RichText
    text = intro.text()
    assert "``" not in text and "<code>filters</code>" in text
    assert "\n" not in text  # the docstring's line breaks are gone; the label wraps by itself


def test_doc_html_and_counts():
    from archcanvas.gui.text import count, doc_html

    assert doc_html("Each of `filters` kernels\nsees  kh×kw.\n\nSecond <para>.") == \
        "<p>Each of <code>filters</code> kernels sees kh×kw.</p><p>Second &lt;para&gt;.</p>"
    assert doc_html("") == ""
    assert [count(n, "layer") for n in (0, 1, 2, 1000)] == ["0 layers", "1 layer", "2 layers", "1,000 layers"]
