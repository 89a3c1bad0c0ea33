"""Edit ▸ Refactor in the real window: preview, apply as one undo step, undo back to the exact design."""

import pytest

from archcanvas.core.fileformat import dumps
from small_designs import seed_003


@pytest.fixture
def refactor(window):
    window.document.set_design(seed_003())
    menu = window.refactor_menu
    seen = []
    menu.confirm = lambda title, preview: seen.append((title, preview)) or True
    return window, menu, seen


def test_separable_is_previewed_applied_as_one_step_and_undone_exactly(refactor):
    window, menu, seen = refactor
    doc = window.document
    before = dumps(doc.design)
    assert not menu.actions_by_name["separable"].isEnabled()
    doc.set_selection(["conv"])
    assert menu.actions_by_name["separable"].isEnabled()
    depth = doc.undo_stack.count()
    menu.actions_by_name["separable"].trigger()
    (title, preview), = seen
    assert (preview["before"]["macs"], preview["after"]["macs"]) == (2_160, 672)
    assert doc.undo_stack.count() == depth + 1
    assert doc.analysis.totals.macs == 672 and doc.selection == ["conv_dw", "conv_pw"]
    doc.undo_stack.undo()
    assert dumps(doc.design) == before and doc.analysis.totals.macs == 2_160
    doc.undo_stack.redo()
    assert doc.analysis.totals.macs == 672 and doc.design.input_ids("flat") == ["conv_pw"]


def test_bottleneck_and_replace_keep_the_wiring_and_undo(refactor):
    window, menu, _ = refactor
    doc = window.document
    before = dumps(doc.design)
    doc.set_selection(["conv"])
    menu.ask_int = lambda *a: (2, True)
    assert menu.bottleneck()
    assert doc.design.input_ids("conv") == ["conv_reduce"]
    menu.ask_item = lambda *a: ("SeparableConv2D", True)
    doc.set_selection(["conv"])
    assert menu.replace()
    assert doc.design.node("conv").type == "SeparableConv2D" and doc.design.input_ids("flat") == ["conv"]
    doc.undo_stack.undo(), doc.undo_stack.undo()
    assert dumps(doc.design) == before


def test_a_refused_refactor_is_a_message_and_changes_nothing(refactor):
    window, menu, seen = refactor
    doc = window.document
    messages = []
    menu.message = messages.append
    doc.set_selection(["conv"])
    assert not menu.block()
    assert "not followed by a single BatchNormalization" in messages[0] and not seen
    assert doc.undo_stack.count() == 0


def test_cancelling_the_preview_changes_nothing(refactor):
    window, menu, _ = refactor
    menu.confirm = lambda *a: False
    window.document.set_selection(["conv"])
    assert not menu.separable()
    assert window.document.undo_stack.count() == 0
