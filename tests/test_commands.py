"""Undo commands: each redo/undo returns the design to exactly the state it had, and merges
happen where a person expects one step."""

import pytest

from archcanvas.core.design import Design
from archcanvas.core.errors import AttrError, CycleError, DesignError
from archcanvas.gui.document.commands import (
    AddNodes, Connect, Disconnect, MoveNodes, RemoveNodes, Rename, SetAttr, SetGroup, SetPositions,
    new_gesture,
)
from archcanvas.gui.document.document import Document


def snapshot(design: Design) -> dict:
    """Everything the saved file holds: nodes with attrs/name/group/pos/extra, edges with ports."""
    return {
        "nodes": {n.id: (n.type, n.attrs, n.name, n.group, n.pos, n.extra) for n in design.nodes()},
        "edges": sorted((e.source, e.target, e.port) for e in design.edges()),
    }


def seed_design() -> Design:
    d = Design("seed")
    d.add_node("Input", "in", attrs={"shape": [28, 28, 3]}, pos=(0, 0))
    d.add_node("Conv2D", "p1", attrs={"filters": 64, "kernel_size": 1, "padding": "same"},
               name="path1", group="inception", pos=(220, 0), extra={"note": "kept"})
    d.add_node("Conv2D", "p2", attrs={"filters": 16, "kernel_size": 3, "padding": "same"},
               group="inception", pos=(220, 150))
    d.add_node("Concatenate", "cat", pos=(440, 0))
    d.add_node("Flatten", "flat", pos=(660, 0))
    d.connect("in", "p1")
    d.connect("in", "p2")
    d.connect("p2", "cat", 0)
    d.connect("p1", "cat", 1)
    d.connect("cat", "flat")
    return d


@pytest.fixture
def doc(qtbot):
    return Document(seed_design())


def roundtrip(doc, command):
    """Push, undo, redo, undo: returns (before, after) snapshots and checks they repeat exactly."""
    before = snapshot(doc.design)
    doc.push(command)
    after = snapshot(doc.design)
    assert after != before
    doc.undo_stack.undo()
    assert snapshot(doc.design) == before
    doc.undo_stack.redo()
    assert snapshot(doc.design) == after
    doc.undo_stack.undo()
    assert snapshot(doc.design) == before
    doc.undo_stack.redo()
    return before, after


def one_node(type_name, node_id=None, **kw) -> Design:
    frag = Design()
    frag.add_node(type_name, node_id, **kw)
    return frag


def test_add_one_layer_from_palette(doc):
    cmd = AddNodes(doc, one_node("Conv2D", pos=(10, 20)), offset=(100, 5))
    assert cmd.text() == "Add Conv2D"
    roundtrip(doc, cmd)
    assert cmd.ids == ["conv2d"]
    node = doc.design.node("conv2d")
    assert node.pos == (110.0, 25.0)
    assert node.attrs == {"filters": 32, "kernel_size": 3}
    assert doc.analysis.results["conv2d"].error == "needs an input, has 0"


def test_add_fragment_renames_colliding_ids_stably_and_connects(doc):
    frag = Design()
    frag.add_node("Conv2D", "p1", attrs={"filters": 8, "kernel_size": 1}, group="blk", name="a")
    frag.add_node("Conv2D", "p1_1", attrs={"filters": 8, "kernel_size": 1}, group="blk")
    frag.add_node("Add", "cat")
    frag.connect("p1", "p1_1")
    frag.connect("p1", "cat", 0)
    frag.connect("p1_1", "cat", 1)
    # the second external wire is refused (p1_1's only input is taken inside the block): skipped
    cmd = AddNodes(doc, frag, connect=[("cat", "p1", None), ("in", "p1_1", 0)], text="Add block")
    roundtrip(doc, cmd)
    assert cmd.id_map == {"p1": "p1_2", "p1_1": "p1_1", "cat": "cat_1"}
    assert cmd.ids == ["p1_2", "p1_1", "cat_1"]
    assert cmd.skipped == ["input 0 of p1_1 is already connected to a"]
    d = doc.design
    assert d.input_ids("p1_2") == ["cat"]
    assert [(e.source, e.port) for e in d.inputs("cat_1")] == [("p1_2", 0), ("p1_1", 1)]
    assert d.node("p1_2").name == "a" and d.node("p1_2").group == "blk"
    # no positions in the fragment: laid out left to right among themselves
    assert d.node("p1_2").pos == (0.0, 0.0) and d.node("p1_1").pos == (260.0, 0.0)
    assert doc.analysis.results["cat_1"].shape == (28, 28, 8)
    assert doc.undo_stack.undoText() == "Add block"
    with pytest.raises(DesignError, match="no node 'zz' in the layers being added"):
        AddNodes(doc, frag, connect=[("in", "zz", 0)])


def test_remove_nodes_restores_everything(doc):
    d = doc.design
    d.set_attrs("p2", {"filters": 0, "kernel_size": 3})  # an invalid node must come back as it was
    cmd = RemoveNodes(doc, ["p1", "p2"])
    assert cmd.text() == "Delete 2 layers"
    before, after = roundtrip(doc, cmd)
    assert set(after["nodes"]) == {"in", "cat", "flat"}
    assert after["edges"] == [("cat", "flat", 0)]
    doc.undo_stack.undo()
    assert d.node("p1").extra == {"note": "kept"}
    assert d.node("p2").attrs == {"filters": 0, "kernel_size": 3}
    assert RemoveNodes(doc, ["cat"]).text() == "Delete cat"
    with pytest.raises(DesignError, match="no node 'nope'"):
        RemoveNodes(doc, ["nope"])


def test_remove_updates_selection_and_analysis(doc):
    doc.set_selection(["p1", "in"])
    doc.push(RemoveNodes(doc, ["p1"]))
    assert doc.selection == ["in"]
    assert doc.analysis.results["cat"].error == "needs at least 2 inputs, has 1"
    doc.undo_stack.undo()
    assert doc.analysis.results["cat"].shape == (28, 28, 80)


def test_connect_and_disconnect(doc):
    d = doc.design
    d.add_node("Conv2D", "c", attrs={"filters": 2, "kernel_size": 1})
    cmd = Connect(doc, "p1", "c")
    assert cmd.text() == "Connect path1 → c" and cmd.port == 0
    roundtrip(doc, cmd)
    assert doc.analysis.results["c"].shape == (28, 28, 2)
    cmd = Disconnect(doc, "p1", "cat", 1)
    assert cmd.text() == "Disconnect path1 → cat"
    roundtrip(doc, cmd)


def test_refused_connections_raise_before_push(doc):
    with pytest.raises(CycleError, match=r"^connecting flat → cat would close a cycle \(cat already leads to flat\)$"):
        Connect(doc, "flat", "cat")
    with pytest.raises(DesignError, match="in is an Input and takes no inputs"):
        Connect(doc, "p1", "in")
    with pytest.raises(DesignError, match="the input of flat is already connected to cat"):
        Connect(doc, "p1", "flat")
    with pytest.raises(DesignError, match="no connection p1 → flat at port 0"):
        Disconnect(doc, "p1", "flat", 0)
    assert doc.undo_stack.count() == 0


def test_set_attr_several_nodes_and_validation(doc):
    cmd = SetAttr(doc, ["p1", "p2"], "filters", 10)
    assert cmd.text() == "Set filters = 10"
    roundtrip(doc, cmd)
    assert doc.analysis.results["cat"].shape == (28, 28, 20)
    with pytest.raises(AttrError, match=r"^filters: must be a positive integer, got 0"):
        SetAttr(doc, ["p1"], "filters", 0)
    with pytest.raises(AttrError, match=r"^units: unknown attribute for Conv2D"):
        SetAttr(doc, ["p1"], "units", 3)
    assert SetAttr(doc, ["p1"], "kernel_size", [3, 5]).text() == "Set kernel_size = [3, 5]"
    assert SetAttr(doc, ["p1"], "use_bias", False).text() == "Set use_bias = false"
    assert doc.undo_stack.count() == 1


def test_set_attr_merges_typing_into_one_step(doc):
    for v in (1, 12, 128):
        doc.push(SetAttr(doc, ["p1"], "filters", v))
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Set filters = 128"
    assert doc.analysis.results["cat"].shape == (28, 28, 144)  # analysis ran after the merge
    doc.push(SetAttr(doc, ["p1"], "kernel_size", 3))  # another field: a new step
    doc.push(SetAttr(doc, ["p1", "p2"], "kernel_size", 5))  # other nodes: a new step
    assert doc.undo_stack.count() == 3
    doc.undo_stack.undo(); doc.undo_stack.undo(); doc.undo_stack.undo()
    assert snapshot(doc.design) == snapshot(seed_design())


def test_set_attr_typed_back_to_original_leaves_no_step(doc):
    doc.push(SetAttr(doc, ["p1"], "filters", 6))
    doc.push(SetAttr(doc, ["p1"], "filters", 64))
    assert doc.undo_stack.count() == 0
    assert snapshot(doc.design) == snapshot(seed_design())


def test_rename_and_group(doc):
    cmd = Rename(doc, "p1", "branch")
    assert cmd.text() == "Rename path1 to branch"
    roundtrip(doc, cmd)
    roundtrip(doc, Rename(doc, "p1", ""))  # an empty name falls back to the id
    cmd = SetGroup(doc, ["p1", "cat"], "blk")
    assert cmd.text() == "Group 2 layers as blk"
    roundtrip(doc, cmd)
    assert doc.analysis.by_group["blk"].layers == 2
    roundtrip(doc, SetGroup(doc, ["p2"], None))


def test_moves_merge_only_within_one_gesture(doc):
    g = new_gesture()
    doc.push(MoveNodes(doc, {"p1": ((220, 0), (230, 0))}, gesture=g))
    doc.push(MoveNodes(doc, {"p1": ((230, 0), (240, 10))}, gesture=g))
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "Move path1"
    doc.push(MoveNodes(doc, {"p1": ((240, 10), (250, 10))}, gesture=new_gesture()))
    doc.push(MoveNodes(doc, {"p1": ((250, 10), (260, 10))}))  # no gesture: never merges
    assert doc.undo_stack.count() == 3
    doc.undo_stack.undo(); doc.undo_stack.undo()
    assert doc.design.node("p1").pos == (240.0, 10.0)
    doc.undo_stack.undo()
    assert doc.design.node("p1").pos == (220.0, 0.0)


def test_set_positions(doc):
    doc.design.move("cat", None)
    cmd = SetPositions(doc, {"cat": (1, 2), "flat": (3, 4)})
    assert cmd.text() == "Auto-layout"
    roundtrip(doc, cmd)
    doc.undo_stack.undo()
    assert doc.design.node("cat").pos is None


def test_undoing_a_delete_puts_the_layers_back_in_their_file_order(qtbot):
    from archcanvas.core import fileformat
    from archcanvas.core.report import rows

    design = Design()
    design.add_node("Input", "in", {"shape": [8, 8, 3]})
    for name in ("a", "b", "c"):
        design.add_node("Conv2D", name, {"filters": 4, "kernel_size": 1})
        design.connect("in", name)
    design.add_node("Concatenate", "cat")
    for name in ("a", "b", "c"):
        design.connect(name, "cat")
    doc = Document(design)
    before = fileformat.dumps(doc.design)
    order_before = [r.name for r in rows(doc.design, doc.analysis)]
    doc.push(RemoveNodes(doc, ["a"]))
    doc.undo_stack.undo()
    assert fileformat.dumps(doc.design) == before
    assert [r.name for r in rows(doc.design, doc.analysis)] == order_before
    doc.undo_stack.redo()
    doc.undo_stack.undo()
    assert fileformat.dumps(doc.design) == before


def _chain() -> Design:
    d = Design("chain")
    d.add_node("Input", "in", attrs={"shape": [32, 32, 3]})
    d.add_node("Conv2D", "c1", attrs={"filters": 8, "kernel_size": 3})
    d.add_node("BatchNormalization", "bn")
    d.add_node("Activation", "act", attrs={"activation": "relu"})
    d.add_node("MaxPooling2D", "pool")
    for a, b in (("in", "c1"), ("c1", "bn"), ("bn", "act"), ("act", "pool")):
        d.connect(a, b)
    return d


def test_delete_and_reconnect_keeps_a_chain_whole(qtbot):
    doc = Document(_chain())
    cmd = RemoveNodes(doc, ["bn", "act"], reconnect=True)
    assert cmd.text() == "Delete and reconnect 2 layers"
    before, after = roundtrip(doc, cmd)
    assert after["edges"] == [("c1", "pool", 0), ("in", "c1", 0)]
    assert doc.analysis.results["pool"].shape == (15, 15, 8) and doc.analysis.ok


def test_delete_and_reconnect_keeps_the_input_order_of_a_merge(doc):
    # p1 feeds cat's port 1; deleting it wires its input there, port 0 stays p2's
    before, after = roundtrip(doc, RemoveNodes(doc, ["p1"], reconnect=True))
    assert after["edges"] == [("cat", "flat", 0), ("in", "cat", 1), ("in", "p2", 0), ("p2", "cat", 0)]


def test_delete_and_reconnect_does_not_guess_through_a_merge(doc):
    # cat has two inputs: which would feed flat? Nothing is wired, as with a plain delete
    before, after = roundtrip(doc, RemoveNodes(doc, ["cat"], reconnect=True))
    assert after["edges"] == [("in", "p1", 0), ("in", "p2", 0)]


def test_undoing_a_large_delete_reorders_the_graph_once(qtbot, monkeypatch):
    """Restoring n nodes at their old places must not rebuild the graph n times (O(n²))."""
    from archcanvas.core import fileformat
    from archcanvas.core.templates import build

    doc = Document(build("mobilenet-v2"))
    before = fileformat.dumps(doc.design)
    calls = []
    real = Design._reorder_by_seq
    monkeypatch.setattr(Design, "_reorder_by_seq", lambda self: (calls.append(1), real(self)))
    doc.push(RemoveNodes(doc, doc.design.node_ids()[1:]))
    doc.undo_stack.undo()
    assert fileformat.dumps(doc.design) == before
    assert len(calls) <= 1


def test_undoing_a_delete_puts_back_each_layer_as_it_was_without_checking_it_again(qtbot, monkeypatch):
    from archcanvas.core import fileformat

    d = seed_design()
    d.set_attrs("p1", {"padding": "same", "kernel_size": 1, "filters": 64})  # the file's order, kept
    d.set_attrs("p2", {"filters": 0, "kernel_size": 3})  # no longer valid: comes back as it was
    doc = Document(d)
    before = fileformat.dumps(d)
    heard = []
    d.subscribe(lambda batch: heard.append([type(e).__name__ + ":" + getattr(e, "id", "") for e in batch]))
    doc.push(RemoveNodes(doc, ["cat", "p1", "p2"]))
    checks = []
    real = Design.check_connect
    monkeypatch.setattr(Design, "check_connect", lambda self, *a: (checks.append(a), real(self, *a))[1])
    doc.undo_stack.undo()
    assert fileformat.dumps(d) == before
    assert list(d.node("p1").attrs) == ["padding", "kernel_size", "filters"]
    assert d.node("p2").attrs == {"filters": 0, "kernel_size": 3}
    assert checks == []  # the wires were valid before the delete: no cycle search per wire
    assert heard[-1] == ["NodeAdded:p1", "NodeAdded:p2", "NodeAdded:cat", "EdgeAdded:", "EdgeAdded:",
                         "EdgeAdded:", "EdgeAdded:", "EdgeAdded:"]
    assert [d.seq_of(n) for n in d.node_ids()] == [0, 1, 2, 3, 4]
    doc.undo_stack.redo()
    doc.undo_stack.undo()
    assert fileformat.dumps(d) == before
