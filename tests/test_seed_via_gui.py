"""Seed 000 (000_f4cb79b742c000aa.txt) built through the GUI's own actions, as a person would:

    input (28, 28, 3) → inception_module(64, 96, 128, 16, 32, 32) → MaxPooling2D((2, 2))
    → Flatten → Dense(64, relu) → Dense(2, softmax)

Every layer comes from the palette's ``place`` (the drop / double-click path), the Inception
block's configuration is typed into its parameter dialog, attributes are set in the inspector's
widgets, and the totals are read off the window: the seed's 3,335,842 parameters.
"""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QDialog

from archcanvas.gui.inspector.param_dialog import ParamDialog


def type_into(qtbot, line_edit, text):
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key_Return)


def choose(qtbot, combo, text):
    """Pick an item of a closed combo box by typing its name, as the keyboard does."""
    combo.setFocus()
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not the last one continued
    qtbot.keyClicks(combo, text)
    assert combo.currentText() == text


def test_seed_000_built_through_the_gui_has_3_335_842_params(window, qtbot, monkeypatch):
    dialogs = []

    def fill_in(dialog):  # the user types the seed's filter configuration and presses OK
        dialogs.append(dialog)
        type_into(qtbot, dialog.form.fields["filters"].editor, "64, 96, 128, 16, 32, 32")
        assert dialog.form.fields["activation"].editor.currentText() == "relu"
        return QDialog.Accepted

    monkeypatch.setattr(ParamDialog, "exec", fill_in)
    inspector = window.inspector

    window.place("layer:Input", QPointF(0, 0))
    type_into(qtbot, inspector.editors["shape"].edit, "28, 28, 3")

    block = window.place("block:inception")
    assert len(dialogs) == 1 and len(block) == 8
    assert inspector.results["shape"].text() == "28×28×256"  # the block's output is selected

    window.place("layer:MaxPooling2D")
    assert inspector.editors["pool_size"].h.value() == 2  # Keras's default, as in the seed
    assert inspector.results["shape"].text() == "14×14×256"

    window.place("layer:Flatten")
    assert inspector.results["shape"].text() == "50176"

    window.place("layer:Dense")
    inspector.editors["units"].spin.setValue(64)
    choose(qtbot, inspector.editors["activation"].combo, "relu")
    assert inspector.results["params"].text() == "3,211,328  (3.21M)"  # (50176 + 1) × 64

    window.place("layer:Dense")
    inspector.editors["units"].spin.setValue(2)
    choose(qtbot, inspector.editors["activation"].combo, "softmax")
    assert inspector.results["params"].text() == "130"  # (64 + 1) × 2

    design = window.document.design
    assert [design.node(n).type for n in design.topological_order()].count("Conv2D") == 6
    assert design.node("dense_1").attrs == {"units": 2, "activation": "softmax"}
    assert design.node("dense").attrs == {"units": 64, "activation": "relu"}

    # the Inception convolutions together: 124,384 (the seed's hand count), in the inspector
    convs = [n for n in block if design.node(n).type == "Conv2D"]
    window.document.set_selection(convs)
    assert inspector.results["params"].text() == "124,384  (124K)"

    # read off the window: short in the status bar, exact on hover
    assert window.totals.text().startswith("Params 3.34M (3.34M trainable)")
    assert "3,335,842" in window.totals.toolTip()
    assert window.problems.node_ids() == []
