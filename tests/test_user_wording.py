"""Every tooltip and help text the window shows is written for its user: no markdown backticks
(a tooltip shows them raw) and no talk of the project's seed documents ("seed code 001")."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QTableView, QWidget

from archcanvas.core import layers
from archcanvas.core.design import Design
from archcanvas.core.templates import BLOCKS, TEMPLATES
from archcanvas.gui.inspector.param_dialog import ParamDialog
from archcanvas.gui.palette import PaletteModel
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)

INSIDE_WORDS = re.compile(r"`|\bseeds?\b|seed code", re.IGNORECASE)


def _faults(texts) -> list[str]:
    return sorted({f"{where}: {text!r}" for where, text in texts if text and INSIDE_WORDS.search(text)})


def _widget_texts(root: QWidget, where: str):
    """The tooltips, status tips and label texts of ``root`` and everything under it."""
    for w in [root, *root.findChildren(QWidget)]:
        name = f"{where}/{w.objectName() or type(w).__name__}"
        yield name, w.toolTip()
        yield name, w.statusTip()
        yield name, w.whatsThis()
        if isinstance(w, QLabel):
            yield name, w.text()
    for a in root.findChildren(QAction):
        name = f"{where}/action {a.objectName() or a.text()}"
        yield name, a.text()
        yield name, a.toolTip()
        yield name, a.statusTip()


def _menu_texts(menu: QMenu, where: str):
    for a in menu.actions():
        yield f"{where} ▸ {a.text()}", a.text()
        yield f"{where} ▸ {a.text()}", a.toolTip()
        yield f"{where} ▸ {a.text()}", a.statusTip()
        if a.menu():
            yield from _menu_texts(a.menu(), f"{where} ▸ {a.text()}")


def _model_tips(model, where: str):
    def walk(parent):
        for r in range(model.rowCount(parent)):
            for c in range(model.columnCount(parent)):
                index = model.index(r, c, parent)
                yield f"{where} {index.data()}", index.data(Qt.ItemDataRole.ToolTipRole)
                yield from walk(index)
    yield from walk(model.index(-1, -1))
    for c in range(model.columnCount()):
        yield f"{where} header {c}", model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def one_of_every_type() -> Design:
    d = Design("every type")
    for i, name in enumerate(layers.REGISTRY):
        d.add_node(name, f"n{i}", layers.get(name).initial_attrs(), pos=(0, 90 * i))
    return d


def test_the_palettes_tooltips_speak_to_the_user(qtbot):
    model = PaletteModel()
    tips = list(_model_tips(model, "palette"))
    assert len([t for _, t in tips if t]) == len(layers.REGISTRY) + len(BLOCKS) + len(TEMPLATES)
    assert _faults(tips) == []
    # rich text, so a code literal is shown in a fixed-width font rather than dropped
    conv = next(t for w, t in tips if w == "palette Conv2D")
    assert "<code>filters</code>" in conv
    # the template whose command-line name is seed-inception
    assert model.item_texts().count("template:seed-inception") == 1
    assert "palette small inception network" in {w for w, _ in tips}


def test_the_inspector_fields_of_every_layer_type_speak_to_the_user(window):
    window.document.set_design(one_of_every_type())
    texts = []
    for i, name in enumerate(layers.REGISTRY):
        window.document.set_selection([f"n{i}"])
        texts += _widget_texts(window.inspector, f"inspector {name}")
    assert len([t for _, t in texts if t]) > 3 * len(layers.REGISTRY)
    assert _faults(texts) == []


@pytest.mark.parametrize("kind", ["block", "template"])
def test_the_block_and_template_dialogs_speak_to_the_user(qtbot, kind):
    specs = BLOCKS if kind == "block" else TEMPLATES
    texts = []
    for name, spec in specs.items():
        dialog = ParamDialog(name, spec.doc, spec.params)
        qtbot.addWidget(dialog)
        texts += [(f"{kind} {name}", getattr(spec, "title", name))]
        texts += _widget_texts(dialog, f"{kind} {name}")
    assert _faults(texts) == []


def test_where_the_mobilenet_stride_goes_is_said_in_the_users_terms(qtbot):
    for spec in (TEMPLATES["mobilenet-v1"], BLOCKS["separable"]):
        dialog = ParamDialog(spec.name, spec.doc, spec.params)
        qtbot.addWidget(dialog)
        label = next(w for w in dialog.findChildren(QLabel) if w.text() == "stride on:")
        assert "the 1×1 pointwise convolution strides, as some MobileNet implementations do" in label.toolTip()


def test_the_menus_and_panels_of_the_window_speak_to_the_user(qtbot, profile):
    window, _ = make_window(qtbot)
    window.open_design(TEMPLATES["googlenet"].build())
    texts = list(_widget_texts(window, "window"))
    for action in window.menuBar().actions():
        texts += _menu_texts(action.menu(), action.text())
    texts += _model_tips(window.cost_panel.model, "cost table")
    texts += _model_tips(window.cost_panel.breakdown.findChild(QTableView).model(), "breakdown")
    cm = window.context_menu
    for item_id in ("conv1_7x7_s2", None):
        menu = cm.node_menu(item_id) if item_id else cm.menu_for(None)
        texts += _menu_texts(menu, f"context menu {item_id}")
    assert len([t for _, t in texts if t]) > 100
    assert _faults(texts) == []
