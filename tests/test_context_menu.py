"""Right-click menus on a layer, a wire, a block and the canvas, driven on the real window."""

from archcanvas.core.fileformat import dumps
from small_designs import seed_003


def _names(menu):
    return [a.objectName() or a.text() for a in menu.actions() if not a.isSeparator()]


def test_each_kind_of_item_gets_its_menu_from_a_right_click_position(window, qtbot):
    window.open_design(seed_003())
    window.show()
    qtbot.waitExposed(window)
    cm = window.context_menu
    scene = window.view.scene()
    node_pos = window.view.mapFromScene(scene.item_for("conv").sceneBoundingRect().center())
    menu = cm.menu_for(cm.item_at(node_pos))
    assert "refactor.replace" in _names(menu) and window.document.selection == ["conv"]
    assert "context.group" in _names(menu)
    wire = scene.edge_item("conv", "flat", 0)
    assert "context.insert" in _names(cm.menu_for(wire))
    empty = window.view.mapFromScene(scene.content_rect().bottomRight() + type(scene.content_rect().center())(400, 400))
    assert cm.item_at(empty) is None and "view.fit" in _names(cm.menu_for(None))


def test_insert_layer_on_a_wire_keeps_the_wiring_and_undoes(window):
    window.open_design(seed_003())
    before = dumps(window.document.design)
    cm = window.context_menu
    cm.ask_item = lambda *a: ("BatchNormalization", True)
    window.refactor_menu.confirm = lambda *a: True
    assert cm.insert_on_wire(("conv", "flat", 0))
    d = window.document.design
    assert d.input_ids("flat") == ["batchnormalization"] and d.input_ids("batchnormalization") == ["conv"]
    assert window.document.analysis.totals.non_trainable_params == 10  # moving mean and variance of 5 channels
    window.document.undo_stack.undo()
    assert dumps(window.document.design) == before


def test_group_and_ungroup_the_selection(window):
    window.open_design(seed_003())
    cm = window.context_menu
    window.document.set_selection(["conv", "flat"])
    cm.ask_text = lambda *a: ("head", True)
    assert cm.group_selection()
    assert window.document.design.groups() == {"head": ["conv", "flat"]}
    menu = cm.group_menu("head")
    next(a for a in menu.actions() if a.objectName() == "context.ungroup_block").trigger()
    assert window.document.design.groups() == {}
    window.document.undo_stack.undo()
    assert window.document.design.groups() == {"head": ["conv", "flat"]}
