"""Ctrl+F: find layers by name, type or group and step through them on the canvas."""

from PySide6.QtCore import Qt

from archcanvas.core import templates
from archcanvas.gui.canvas.find import matches


def test_matches_by_name_type_and_group_in_run_order():
    d = templates.build("googlenet")
    assert matches(d, "") == []
    hits = matches(d, "inception_3a")
    assert hits and all(d.node(h).group == "inception_3a" for h in hits)
    order = d.topological_order()
    assert hits == sorted(hits, key=order.index)
    pools = matches(d, "maxpooling2d")
    assert pools and all(d.node(h).type == "MaxPooling2D" for h in pools)


def test_ctrl_f_steps_through_matches_and_selects_them(window, qtbot):
    window.open_design(templates.build("mobilenet-v1"))
    window.show()
    qtbot.waitExposed(window)
    window.find_action.trigger()
    bar = window.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "conv_pw_1")
    # conv_pw_1, conv_pw_10 … conv_pw_13 (and their batch norms and ReLUs)
    first = window.document.selection
    assert first and first[0].startswith("conv_pw_1") and bar.count.text().startswith("1 of ")
    total = int(bar.count.text().split(" of ")[1])
    qtbot.keyClick(bar.edit, Qt.Key_Return)
    assert bar.count.text() == f"2 of {total}" and window.document.selection != first
    window.find_prev_action.trigger()
    assert bar.count.text() == f"1 of {total}" and window.document.selection == first
    window.find_prev_action.trigger()
    assert bar.count.text() == f"{total} of {total}"
    bar.edit.setText("no such layer")
    assert bar.count.text() == "no match"
    qtbot.keyClick(bar.edit, Qt.Key_Escape)
    assert not bar.isVisible()
