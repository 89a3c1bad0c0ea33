"""Every registered layer type through the real window: placed from the palette, edited in the
inspector (one editor per attribute, each showing the node's value), and counted in the breakdown.
A type new to the catalogue reaches all three with no edit elsewhere; this test proves it."""

import pytest

from archcanvas.core import breakdown, layers
from archcanvas.core.design import Design
from archcanvas.gui.inspector.attr_editors import EDITORS


def _start() -> Design:
    d = Design("every type")
    d.add_node("Input", "x", attrs={"shape": [8, 8, 4]}, pos=(0, 0))
    return d


def test_every_attribute_kind_has_an_editor():
    kinds = {a.kind for layer in layers.REGISTRY.values() for a in layer.attrs}
    assert kinds <= set(EDITORS)


@pytest.mark.parametrize("type_name", sorted(layers.REGISTRY))
def test_layer_type_in_palette_inspector_and_breakdown(window, qtbot, type_name):
    layer = layers.get(type_name)
    doc = window.document
    window.open_design(_start())
    assert window.palette.index_of(f"layer:{type_name}").isValid()

    doc.set_selection(["x"])
    window.palette.activated.emit(f"layer:{type_name}")  # as a double-click on the entry does
    (node_id,) = [n for n in doc.design.node_ids() if n != "x"]
    assert doc.design.node(node_id).type == type_name

    doc.set_selection([node_id])
    editors = window.inspector.editors
    assert list(editors) == [a.name for a in layer.attrs]
    for attr in layer.attrs:
        assert type(editors[attr.name]) is EDITORS[attr.kind], attr.name
        assert editors[attr.name].error_text == "" or doc.analysis.results[node_id].error, attr.name
    assert type_name in window.inspector.type_label.text()

    window.cost_panel.show_tab("breakdown")
    window.cost_panel.flush()
    qtbot.wait(1)
    shown = {s.label for s in window.cost_panel.breakdown.class_model.shares}
    label = breakdown.node_class(doc.design, doc.analysis, node_id)
    assert label in shown and breakdown.class_rank(label)
