"""Cut, Copy, Paste, Duplicate between windows: design JSON on the clipboard, edges kept or dropped."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication

from archcanvas.core import fileformat
from archcanvas.core.design import Design
from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)
from archcanvas.gui.canvas.node_item import node_size
from archcanvas.gui.desktop.clipboard import MIME, OFFSET


def chain() -> Design:
    """in → a → b → cat ← c ← a ; the copy takes a, b and c but not in and cat."""
    d = Design("chain")
    d.add_node("Input", "in", attrs={"shape": [16, 16, 3]}, pos=(0, 0))
    d.add_node("Conv2D", "a", attrs={"filters": 8, "kernel_size": 3, "padding": "same"}, name="first", pos=(200, 0))
    d.add_node("Conv2D", "b", attrs={"filters": 4, "kernel_size": 1}, group="blk", pos=(400, -60))
    d.add_node("Conv2D", "c", attrs={"filters": 6, "kernel_size": 1}, group="blk", pos=(400, 60))
    d.add_node("Concatenate", "cat", pos=(600, 0))
    d.connect("in", "a")
    d.connect("a", "b")
    d.connect("a", "c")
    d.connect("b", "cat", 0)
    d.connect("c", "cat", 1)
    return d


@pytest.fixture
def two(qtbot, profile, monkeypatch):  # noqa: F811
    answers = Prompts(monkeypatch)
    first, f1 = make_window(qtbot)
    second, f2 = make_window(qtbot)
    first.document.set_design(chain())
    QApplication.clipboard().clear()
    return (first, f1), (second, f2), answers


def assert_apart(design, old, new) -> None:
    """No node of ``new`` overlaps a node of ``old`` (their rectangles as the canvas draws them)."""
    def rect(n):
        (x, y), (w, h) = design.node(n).pos, node_size(design.port_count(n))
        return x, y, x + w, y + h
    for a in new:
        ax0, ay0, ax1, ay1 = rect(a)
        for b in old:
            bx0, by0, bx1, by1 = rect(b)
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, f"{a} is on {b}"


def edges(design) -> set[tuple]:
    return {(e.source, e.target, e.port) for e in design.edges()}


def test_copy_puts_design_json_on_the_clipboard_in_both_formats(two):
    (w, f), _, _ = two
    w.document.set_selection(["a", "b"])
    assert f.clipboard.copy()
    mime = QApplication.clipboard().mimeData()
    assert mime.hasFormat(MIME) and mime.hasText()
    data = json.loads(bytes(mime.data(MIME)).decode("utf-8"))
    assert data == fileformat.to_dict(w.document.design, ["a", "b"])
    assert json.loads(mime.text()) == data
    assert [n["id"] for n in data["nodes"]] == ["a", "b"]
    assert data["edges"] == [{"source": "a", "target": "b"}]


def test_paste_into_another_window_keeps_internal_edges_and_drops_dangling_ones(two):
    (w1, f1), (w2, f2), _ = two
    w1.document.set_selection(["a", "b", "c"])
    f1.clipboard.copy()
    ids = f2.clipboard.paste()
    d2, d1 = w2.document.design, w1.document.design
    assert ids == ["a", "b", "c"]
    assert edges(d2) == {("a", "b", 0), ("a", "c", 0)}  # in→a and b,c→cat had an end outside
    for n in ids:
        old, new = d1.node(n), d2.node(n)
        assert (new.type, new.attrs, new.name, new.group) == (old.type, old.attrs, old.name, old.group)
        assert new.pos == (old.pos[0] + OFFSET, old.pos[1] + OFFSET)
    assert w2.document.selection == ids
    assert w2.document.modified
    assert f2.actions["edit.undo"].text() == "&Undo Paste 3 layers"
    w2.document.undo_stack.undo()
    assert len(d2) == 0
    assert edges(d1) == edges(chain())  # the source is untouched


def test_paste_into_the_same_design_renames_and_rewires_the_copies(two):
    (w, f), _, _ = two
    w.document.set_selection(["a", "b", "c"])
    f.clipboard.copy()
    first = f.clipboard.paste()
    second = f.clipboard.paste()
    d = w.document.design
    assert first == ["a_1", "b_1", "c_1"] and second == ["a_2", "b_2", "c_2"]
    assert {("a_1", "b_1", 0), ("a_1", "c_1", 0), ("a_2", "b_2", 0), ("a_2", "c_2", 0)} <= edges(d)
    assert len(d.edges()) == len(chain().edges()) + 4
    # each copy lands clear of the originals and of the copy before it, arranged as copied
    assert_apart(d, ["a", "b", "c"], first)
    assert_apart(d, ["a", "b", "c", *first], second)
    for copy in (first, second):
        (ax, ay), (bx, by) = d.node(copy[0]).pos, d.node(copy[1]).pos
        assert (bx - ax, by - ay) == (200, -60)
    assert w.document.selection == second


def test_pasting_text_with_dangling_edges_drops_them(two):
    _, (w, f), _ = two
    text = json.dumps({"nodes": [{"id": "x", "type": "Conv2D", "attrs": {"filters": 3, "kernel_size": 1}, "pos": [0, 0]},
                                 {"id": "y", "type": "Dense", "attrs": {"units": 2}, "pos": [100, 0]}],
                       "edges": [{"source": "x", "target": "y"}, {"source": "gone", "target": "x"},
                                 {"source": "y", "target": "elsewhere"}]})
    QApplication.clipboard().setText(text)
    assert f.clipboard.paste() == ["x", "y"]
    assert edges(w.document.design) == {("x", "y", 0)}


def test_pasting_something_that_is_not_a_design_changes_nothing(two):
    _, (w, f), answers = two
    QApplication.clipboard().setText("hello, not JSON")
    assert f.clipboard.paste() == []
    assert len(w.document.design) == 0 and not w.document.modified
    assert w.statusBar().currentMessage().startswith("Nothing pasted: the clipboard does not hold a design")
    QApplication.clipboard().setText('{"nodes": [{"id": "q", "type": "Conv2X"}]}')
    assert f.clipboard.paste() == []
    assert "Conv2X" in w.statusBar().currentMessage()
    assert answers.asked == []


def test_cut_removes_and_the_first_paste_puts_back_in_place(two):
    (w, f), _, _ = two
    w.document.set_selection(["b", "c"])
    assert f.clipboard.cut()
    d = w.document.design
    assert "b" not in d and "c" not in d
    assert f.actions["edit.undo"].text() == "&Undo Cut 2 layers"
    assert f.clipboard.paste() == ["b", "c"]
    assert d.node("b").pos == (400, -60)
    assert edges(d) == {("in", "a", 0)}  # the cut wires to a and cat are not in the copy


def test_duplicate_does_not_touch_the_clipboard(two):
    (w, f), _, _ = two
    QApplication.clipboard().setText("keep me")
    w.document.set_selection(["a", "b"])
    assert f.clipboard.duplicate() == ["a_1", "b_1"]
    assert ("a_1", "b_1", 0) in edges(w.document.design)
    assert QApplication.clipboard().text() == "keep me"
    assert w.document.selection == ["a_1", "b_1"]


def test_delete_and_select_all(two):
    (w, f), _, _ = two
    f.actions["edit.select_all"].trigger()
    assert w.document.selection == ["in", "a", "b", "c", "cat"]
    w.document.set_selection(["cat"])
    f.actions["edit.delete"].trigger()
    assert "cat" not in w.document.design
    w.document.undo_stack.undo()
    assert edges(w.document.design) == edges(chain())


def test_actions_follow_the_selection_and_the_clipboard(two):
    (w, f), _, _ = two
    a = f.actions
    w.document.set_selection([])
    assert not a["edit.copy"].isEnabled() and not a["edit.cut"].isEnabled()
    w.document.set_selection(["a"])
    assert a["edit.copy"].isEnabled() and a["edit.duplicate"].isEnabled()
    QApplication.clipboard().setText("plain words")
    assert not a["edit.paste"].isEnabled()
    mime = QMimeData()
    mime.setData(MIME, b"{}")
    QApplication.clipboard().setMimeData(mime)
    assert a["edit.paste"].isEnabled()


def test_copy_paste_by_keyboard_on_the_canvas(two, qtbot):
    (w1, f1), (w2, f2), _ = two
    with qtbot.waitActive(w1):  # shortcuts reach only the active window
        w1.show()
        w1.activateWindow()
    w1.view.setFocus()
    w1.document.set_selection(["a", "b"])
    qtbot.keyClick(w1.view, Qt.Key_C, Qt.ControlModifier)
    assert json.loads(QApplication.clipboard().text())["edges"] == [{"source": "a", "target": "b"}]
    qtbot.keyClick(w1.view, Qt.Key_V, Qt.ControlModifier)
    assert w1.document.selection == ["a_1", "b_1"]


def test_a_copy_pasted_beside_its_block_forms_a_block_of_its_own(two):
    (w, f), _, _ = two
    d = w.document.design
    w.document.set_selection(["b", "c"])
    f.clipboard.copy()
    ids = f.clipboard.paste()
    assert {d.node(n).group for n in ids} == {"blk_1"}
    assert sorted(d.groups()["blk"]) == ["b", "c"]  # the original block is as it was
    ids2 = f.clipboard.paste()
    assert {d.node(n).group for n in ids2} == {"blk_2"}
    assert w.statusBar().currentMessage() == "Paste 2 layers"
    w.document.undo_stack.undo()
    w.document.undo_stack.undo()
    assert set(d.groups()) == {"blk"}


def test_a_paste_that_would_land_out_of_sight_comes_to_the_middle_of_the_view(two, qtbot):
    (w, f), _, _ = two
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    w.document.set_selection(["a", "b"])
    f.clipboard.copy()
    ids = f.clipboard.paste()  # the originals are in view: beside them, clear of them
    d = w.document.design
    assert_apart(d, [n for n in d.node_ids() if n not in ids], ids)
    ax, ay = d.node(ids[0]).pos
    assert abs(ax - 200) <= 3 * 260 and abs(ay) <= 3 * 150  # still beside them
    w.view.set_zoom(1.0)
    w.view.centerOn(5000, 5000)  # scrolled far away
    ids = f.clipboard.paste()
    visible = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    scene = w.view.scene()
    for n in ids:
        assert visible.contains(scene.node_rect(n)), n
    # the copies keep their arrangement: b stays 200 right of and 60 above a
    (ax, ay), (bx, by) = d.node(ids[0]).pos, d.node(ids[1]).pos
    assert (bx - ax, by - ay) == (200, -60)


# the clipboard is read as a file is (issue 11) -------------------------------------------------
def _fragment(**node) -> str:
    return json.dumps({"nodes": [{"id": "x", "type": "Dense", "attrs": {"units": 2}, "pos": [0, 0], **node}]})


DEEP = '{"nodes": [{"id": "x", "type": "Dense", "attrs": {"units": 2}, "name": ' + "[" * 5000 + "]" * 5000 + "}]}"


@pytest.mark.parametrize("text, says", [
    ('{"nodes": [{"id": ["a"], "type": "Dense", "attrs": {"units": 2}}]}',
     'clipboard: nodes[0].id: must be a non-empty string, got ["a"]'),
    ('{"nodes": [{"id": "x", "type": "Dense", "attrs": {"units": 2}}], "edges": [{"source": ["x"], "target": "x"}]}',
     'clipboard: edges[0].source: must be a node id (a string), got ["x"]'),
    (DEEP, "clipboard: not a design: the JSON is nested too deeply"),
    (_fragment(name="\ud800"), "clipboard: nodes[0].name: contains a lone UTF-16 surrogate escape"),
    (_fragment(id="x\udfff"), "clipboard: nodes[0].id: contains a lone UTF-16 surrogate escape"),
    (_fragment(group="\ud800"), "clipboard: nodes[0].group: contains a lone UTF-16 surrogate escape"),
    ('{"nodes": [{"id": "x", "type": "Dense", "attrs": {"units": 2}}], "nodes": []}',
     'clipboard: the key "nodes" appears twice in one object'),
    ('{"nodes": [{"id": "x", "type": "Dense", "attrs": {"units": NaN}}]}',
     "clipboard: NaN is not a number JSON allows"),
])
def test_a_refused_paste_says_why_and_changes_nothing(two, text, says):
    (first, _), (w, f), answers = two
    w.document.set_design(chain())
    before = fileformat.dumps(w.document.design)
    QApplication.clipboard().setText(text)
    assert f.clipboard.paste() == []
    assert w.statusBar().currentMessage().startswith("Nothing pasted: " + says)
    assert fileformat.dumps(w.document.design) == before and not w.document.modified
    assert w.document.undo_stack.count() == 0 and answers.asked == []


def test_our_own_format_with_bytes_that_are_not_utf8_is_refused(two):
    _, (w, f), _ = two
    mime = QMimeData()
    mime.setData(MIME, _fragment().replace('"x"', '"x\xff"').encode("latin-1"))
    QApplication.clipboard().setMimeData(mime)
    assert f.clipboard.paste() == []
    assert w.statusBar().currentMessage().startswith("Nothing pasted: clipboard: not UTF-8 text (byte 0xff")
    assert len(w.document.design) == 0


def test_a_pasted_name_in_another_script_saves_and_loads(two, tmp_path):
    _, (w, f), _ = two
    QApplication.clipboard().setText(_fragment(name="합성곱 \U0001f600"))
    assert f.clipboard.paste() == ["x"]
    fileformat.save(w.document.design, tmp_path / "p.json")
    assert fileformat.load(tmp_path / "p.json").node("x").name == "합성곱 \U0001f600"
