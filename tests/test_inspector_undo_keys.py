"""Ctrl+Z and Ctrl+Shift+Z undo and redo the design while an inspector field has focus."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from archcanvas.core import refactors
from archcanvas.core.design import Design


def test_undo_keys_in_an_inspector_field_undo_the_design(window, qtbot):
    d = Design("one")
    d.add_node("Input", "in", {"shape": [8, 8, 3]}, pos=(0, 0))
    d.add_node("Conv2D", "conv", {"filters": 4, "kernel_size": 3}, pos=(0, 120))
    d.connect("in", "conv")
    window.open_design(d)
    window.show()
    qtbot.waitExposed(window)
    doc = window.document
    window.refactor_menu.confirm = lambda *a: True
    doc.set_selection(["conv"])
    assert window.refactor_menu.run(lambda design: refactors.scale_width(design, ["conv"], 2.0))
    assert doc.design.node("conv").attrs["filters"] == 8
    doc.set_selection(["conv"])
    field = next(w for w in window.inspector.editors["filters"].findChildren(QLineEdit))
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key_Z, Qt.ControlModifier)
    assert doc.design.node("conv").attrs["filters"] == 4
    qtbot.keyClick(field, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert doc.design.node("conv").attrs["filters"] == 8
