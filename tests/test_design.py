"""Design edits: what they change, what they refuse, and the message a person reads."""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archcanvas.core.design import Design, Edge
from archcanvas.core.events import (
    AttrsChanged, DesignRenamed, EdgeAdded, EdgeRemoved, GroupChanged, Moved, NodeAdded, NodeRemoved, Renamed,
)
from archcanvas.core.errors import AttrError, CycleError, DesignError


@pytest.fixture
def d():
    d = Design("t")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 3]})
    return d


def events(design):
    log = []
    design.subscribe(log.extend)  # every batch, flattened
    return log


def test_add_node_gives_ids_and_initial_attrs(d):
    a = d.add_node("Conv2D")
    b = d.add_node("Conv2D")
    c = d.add_node("DepthwiseConv2D")
    assert (a, b, c) == ("conv2d", "conv2d_1", "depthwise_conv2d")
    # required Keras attributes get a starting value; defaults stay implicit
    assert d.node(a).attrs == {"filters": 32, "kernel_size": 3}
    assert d.node(a).resolved()["padding"] == "valid"
    assert d.node(a).label == "conv2d"
    d.rename(a, "stem")
    assert d.node(a).label == "stem"
    assert d.node_ids() == ["in", "conv2d", "conv2d_1", "depthwise_conv2d"]


def test_add_node_refusals(d):
    with pytest.raises(DesignError, match="a node with id 'in' already exists"):
        d.add_node("Conv2D", "in")
    with pytest.raises(DesignError, match="unknown layer type 'Conv2X'"):
        d.add_node("Conv2X")
    with pytest.raises(AttrError, match=r"^filterz: unknown attribute for Conv2D \(known: filters, kernel_size"):
        d.add_node("Conv2D", attrs={"filterz": 3})
    with pytest.raises(AttrError, match="^units: must be a positive integer, got 0$"):
        d.add_node("Dense", attrs={"units": 0})
    with pytest.raises(DesignError, match="non-empty string"):
        d.add_node("Dense", "")
    assert d.node_ids() == ["in"]


def test_remove_node_drops_its_edges_first(d):
    d.add_node("Conv2D", "c")
    d.add_node("Activation", "r")
    d.connect("in", "c")
    d.connect("c", "r")
    log = events(d)
    d.remove_node("c")
    assert log == [EdgeRemoved("in", "c", 0), EdgeRemoved("c", "r", 0), NodeRemoved("c")]
    assert d.edges() == []
    assert "c" not in d and len(d) == 2
    with pytest.raises(DesignError, match="no node 'c' in the design"):
        d.remove_node("c")


def test_connect_ports_and_disconnect(d):
    d.add_node("Input", "in2", attrs={"shape": [8, 8, 5]})
    d.add_node("Concatenate", "cat")
    assert d.port_count("cat") == 2
    assert d.connect("in2", "cat", 1) == 1
    assert d.connect("in", "cat") == 0  # the lowest free port
    assert d.input_ids("cat") == ["in", "in2"]
    assert d.port_count("cat") == 3
    assert d.inputs("cat") == [Edge("in", "cat", 0), Edge("in2", "cat", 1)]
    with pytest.raises(DesignError, match="^input 1 of cat is already connected to in2$"):
        d.connect("in", "cat", 1)
    d.disconnect("in2", "cat", 1)
    assert d.input_ids("cat") == ["in"]
    with pytest.raises(DesignError, match="^there is no connection in2 → cat at port 1$"):
        d.disconnect("in2", "cat", 1)
    with pytest.raises(DesignError, match="port must be an integer from 0 to 1023, got -1"):
        d.connect("in2", "cat", -1)
    with pytest.raises(DesignError, match="port must be an integer from 0 to 1023, got True"):
        d.connect("in2", "cat", True)


def test_single_input_port_taken(d):
    d.add_node("Input", "in2", attrs={"shape": [8, 8, 3]})
    d.add_node("Conv2D", "c")
    d.connect("in", "c")
    with pytest.raises(DesignError, match="^the input of c is already connected to in$"):
        d.connect("in2", "c")
    with pytest.raises(DesignError, match="has 1 input"):
        d.connect("in2", "c", 3)
    d.rename("in", "image")
    with pytest.raises(DesignError, match="already connected to image$"):
        d.connect("in2", "c")


def test_input_takes_no_input(d):
    d.add_node("Conv2D", "c")
    with pytest.raises(DesignError, match="^in is an Input and takes no inputs$"):
        d.connect("c", "in")


def test_cycles_are_refused(d):
    d.add_node("Concatenate", "cat")
    d.add_node("Activation", "r")
    d.add_node("Conv2D", "c")
    d.connect("in", "cat")
    d.connect("cat", "r")
    d.connect("r", "c")
    log = events(d)
    with pytest.raises(CycleError, match=r"^connecting c → cat would close a cycle \(cat already leads to c\)$"):
        d.connect("c", "cat")
    with pytest.raises(CycleError, match="cannot connect cat to itself"):
        d.connect("cat", "cat")
    assert log == []  # a refused edit changes nothing and says nothing
    assert len(d.edges()) == 3
    assert d.topological_order() == ["in", "cat", "r", "c"]


def test_check_connect_does_not_change_anything(d):
    d.add_node("Add", "add")
    assert d.check_connect("in", "add") == 0
    assert d.edges() == []


@pytest.mark.parametrize("value, message", [
    (-4, "filters: must be a positive integer, got -4"),
    (0, "filters: must be a positive integer, got 0"),
    (True, "filters: must be a positive integer, got true"),
    (64.0, "filters: must be a positive integer, got 64.0"),
    ("64", 'filters: must be a positive integer, got "64"'),
    (None, "filters: must be a positive integer, got null"),
    (2**31, "filters: must be a positive integer, got 2147483648"),
])
def test_int_attribute_messages(d, value, message):
    d.add_node("Conv2D", "c", attrs={"filters": 8})
    with pytest.raises(AttrError) as err:
        d.set_attr("c", "filters", value)
    assert str(err.value) == message
    assert d.node("c").attrs["filters"] == 8  # unchanged


@pytest.mark.parametrize("type_name, key, value, message", [
    ("Conv2D", "kernel_size", [3, 3, 3], "kernel_size: must be a positive integer or a list of two, got [3, 3, 3]"),
    ("Conv2D", "kernel_size", [3, 0], "kernel_size: must be a positive integer or a list of two, got 0"),
    ("Conv2D", "padding", "full", 'padding: must be one of "valid", "same", got "full"'),
    ("Conv2D", "use_bias", 1, "use_bias: must be true or false, got 1"),
    ("Conv2D", "activation", "rleu", "activation: must be one of null,"),
    ("Dropout", "rate", 1.0, "rate: must be a number of at least 0.0 and below 1.0, got 1.0"),
    ("Dropout", "rate", "0.5", 'rate: must be a number of at least 0.0 and below 1.0, got "0.5"'),
    ("Input", "shape", [28, 0, 3], "shape: must be a list of positive integers, got [28, 0, 3]"),
    ("Reshape", "target_shape", [-1, -1], "target_shape: may have at most one -1, got [-1, -1]"),
    ("ZeroPadding2D", "padding", [[1, 2], [3]], "padding: must be a non-negative integer, a list of two,"),
    ("MaxPooling2D", "strides", 0, "strides: must be a positive integer or a list of two, got 0"),
    ("Conv2D", "filterz", 64, "filterz: unknown attribute for Conv2D (known: filters, kernel_size,"),
])
def test_attribute_messages(d, type_name, key, value, message):
    node = d.add_node(type_name)
    before = dict(d.node(node).attrs)
    with pytest.raises(AttrError) as err:
        d.set_attr(node, key, value)
    assert str(err.value).startswith(message)
    assert d.node(node).attrs == before


def test_valid_attribute_forms(d):
    d.add_node("Conv2D", "c")
    d.set_attr("c", "kernel_size", [3, 5])
    d.set_attr("c", "strides", 2)
    assert d.node("c").resolved()["kernel_size"] == (3, 5)
    assert d.node("c").resolved()["strides"] == (2, 2)
    assert d.node("c").attrs == {"filters": 32, "kernel_size": [3, 5], "strides": 2}
    d.add_node("MaxPooling2D", "p", attrs={"strides": None})
    assert d.node("p").resolved()["strides"] is None
    d.add_node("ZeroPadding2D", "z", attrs={"padding": [1, 2]})
    assert d.node("z").resolved()["padding"] == ((1, 1), (2, 2))


def test_cross_attribute_rules_are_reported_at_resolve(d):
    d.add_node("Conv2D", "c", attrs={"filters": 6, "groups": 4})
    with pytest.raises(AttrError, match=r"^groups: filters \(6\) must be divisible by groups \(4\)$"):
        d.node("c").resolved()
    d.add_node("Conv2D", "s", attrs={"strides": 2, "dilation_rate": 2})
    with pytest.raises(AttrError, match="^strides: strides > 1 cannot be combined with dilation_rate > 1$"):
        d.node("s").resolved()
    d.add_node("Conv2D", "a", attrs={"strides": [1, 2], "dilation_rate": [2, 1]})  # > 1 in either place counts
    with pytest.raises(AttrError, match="^strides: strides > 1 cannot be combined"):
        d.node("a").resolved()
    d.add_node("Conv2D", "b", attrs={"strides": [1, 2], "dilation_rate": 1})
    assert d.node("b").resolved()["strides"] == (1, 2)
    d.set_attr("c", "groups", 3)
    assert d.node("c").resolved()["groups"] == 3  # the cache follows the edit


def test_groups_and_events(d):
    log = events(d)
    d.add_node("Conv2D", "a", group="block1")
    d.add_node("Conv2D", "b", group="block1")
    d.add_node("Conv2D", "c")
    d.set_group("c", "block2")
    d.set_group("a", None)
    assert d.groups() == {"block1": ["b"], "block2": ["c"]}
    d.connect("in", "a")
    d.set_attr("a", "filters", 4)
    d.move("a", (1, 2))
    d.rename("a", "first")
    d.set_name("net")
    assert log == [NodeAdded("a"), NodeAdded("b"), NodeAdded("c"), GroupChanged("c", None),
                   GroupChanged("a", "block1"), EdgeAdded("in", "a", 0), AttrsChanged("a"), Moved("a"),
                   Renamed("a"), DesignRenamed()]
    assert d.node("a").pos == (1.0, 2.0) and d.name == "net"


def test_topological_order_follows_file_order_on_ties(d):
    for n in ("z", "a", "m"):
        d.add_node("Activation", n)
        d.connect("in", n)
    d.add_node("Add", "sum")
    for port, n in enumerate(("m", "a", "z")):
        d.connect(n, "sum", port)
    assert d.topological_order() == ["in", "z", "a", "m", "sum"]
    assert d.descendants(["a"]) == {"sum"}
    d.remove_node("a")
    assert d.topological_order() == ["in", "z", "m", "sum"]


@settings(max_examples=200)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))))
def test_topological_order_is_networkx_lexicographic_order(case):
    n, pairs = case
    d = Design()
    for i in range(n):
        d.add_node("Concatenate", f"n{i}")
    for s, t in pairs:
        try:
            d.connect(f"n{s}", f"n{t}")
        except DesignError:
            pass
    seq = {node: data["seq"] for node, data in d.graph.nodes(data=True)}
    expected = list(nx.lexicographical_topological_sort(d.graph, key=seq.__getitem__))
    assert d.topological_order() == expected
    assert d.topological_index() == {node: i for i, node in enumerate(expected)}


@settings(max_examples=200)
@given(st.integers(2, 8).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(
    st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, 3), st.booleans()), max_size=25))))
def test_every_nodes_sources_at_once_match_input_ids(case):
    """The full analysis reads all sources in one pass (wiring()); it must agree with the
    per-node input_ids in port order, whatever order wires were made or removed in, including
    one source feeding several ports (Add(x, x)) and ports wired out of order."""
    n, wires = case
    d = Design()
    for i in range(n):
        d.add_node("Add", f"n{i}")
    for s, t, port, undo in wires:
        try:
            d.connect(f"n{s}", f"n{t}", port)
        except DesignError:
            continue
        assert d.wiring() == {node: tuple(d.input_ids(node)) for node in d.node_ids()}
        if undo:
            d.disconnect(f"n{s}", f"n{t}", port)
    assert d.wiring() == {node: tuple(d.input_ids(node)) for node in d.node_ids()}
    assert d.input_ids("n1") == [s for p, s in sorted((p, s) for s, _, p in d.graph.in_edges("n1", keys=True))]


def test_what_the_model_accepts_the_loader_accepts_too():
    """A design built through the API must save and load again: same port ceiling, text names."""
    from archcanvas.core import fileformat
    from archcanvas.core.design import MAX_PORT

    d = Design()
    d.add_node("Input", "in", {"shape": [4, 4, 2]})
    d.add_node("Concatenate", "cat")
    with pytest.raises(DesignError, match=f"port must be an integer from 0 to {MAX_PORT}, got 5000"):
        d.connect("in", "cat", 5000)
    d.connect("in", "cat", MAX_PORT)
    with pytest.raises(DesignError, match="name must be text, got 5"):
        d.add_node("Dense", "d", name=5)
    with pytest.raises(DesignError, match="group must be text"):
        d.set_group("cat", ["g"])
    with pytest.raises(DesignError, match="name must be text"):
        d.rename("cat", 3.0)
    d.rename("cat", "joined")
    again = fileformat.loads(fileformat.dumps(d))
    assert again.node("cat").name == "joined"
    assert [(e.source, e.port) for e in again.inputs("cat")] == [("in", MAX_PORT)]


def test_a_batch_delivers_its_events_at_once_in_order(d):
    batches = []
    d.subscribe(batches.append)
    with d.batch():
        d.add_node("Dense", "a", attrs={"units": 2})
        with d.batch():  # nested: only the outermost block delivers
            d.connect("in", "a")
        assert batches == []
        d.move("a", (1, 2))
    assert batches == [(NodeAdded("a"), EdgeAdded("in", "a", 0), Moved("a"))]
    with pytest.raises(DesignError), d.batch():
        d.rename("a", "first")
        d.connect("in", "a")  # refused: what was changed before is still announced
    assert batches[1:] == [(Renamed("a"),)]
    d.remove_node("a")  # outside a batch: one batch per event
    assert batches[2:] == [(EdgeRemoved("in", "a", 0),), (NodeRemoved("a"),)]


def test_the_read_api_ports_sources_sinks_and_nodes(d):
    d.add_node("Dense", "a", attrs={"units": 2})
    d.add_node("Add", "sum")
    d.connect("a", "sum", 1)
    d.connect("in", "sum", 0)
    d.connect("in", "a")
    assert d.ports("sum") == [(0, "in"), (1, "a")] and d.sources("sum") == ("in", "a")
    assert d.sinks() == ["sum"] and d.has_edge("a", "sum", 1) and not d.has_edge("a", "sum", 0)
    assert dict(d.wiring()) == {"in": (), "a": ("in",), "sum": ("in", "a")}
    nodes = d.node_map()
    assert nodes["a"] is d.node("a") and set(nodes) == {"in", "a", "sum"}
    with pytest.raises(TypeError):
        nodes["b"] = nodes["a"]  # read-only
    with pytest.raises(DesignError, match="no node 'zz'"):
        d.ports("zz")


def test_a_dispatcher_refuses_what_is_not_an_event_kind():
    from archcanvas.core.events import Dispatcher
    seen = []
    dispatch = Dispatcher({NodeAdded: seen.append})
    dispatch((Moved("x"), NodeAdded("y")))
    assert seen == [NodeAdded("y")]
    with pytest.raises(TypeError, match="'node_added' is not a design event kind"):
        Dispatcher({"node_added": print})


def test_groups_follow_every_change_and_are_the_callers_to_change(d):
    """``groups()`` is worked out once per change of layers (the inspector asks at every edit):
    it follows adds, removals, regrouping and layers put back at their old place."""
    for i, g in enumerate(["a", "b", "a", None, "a"]):
        d.add_node("Dense", f"n{i}", attrs={"units": 2}, group=g)
    assert d.groups() == {"a": ["n0", "n2", "n4"], "b": ["n1"]}
    mine = d.groups()
    mine["a"].append("x")
    mine["z"] = []
    assert d.groups() == {"a": ["n0", "n2", "n4"], "b": ["n1"]}
    d.set_group("n1", "a")
    assert d.groups() == {"a": ["n0", "n1", "n2", "n4"]}
    node, seq = d.node("n0"), d.seq_of("n0")
    d.remove_node("n0")
    assert d.groups() == {"a": ["n1", "n2", "n4"]}
    d.add_checked([(node.type, node.id, dict(node.attrs), None, "a", None, {}, True, None, None)], (),
                  seqs={"n0": seq})  # an undo puts it back in its place in the file
    assert d.groups() == {"a": ["n0", "n1", "n2", "n4"]}
    d.set_group("n4", None)
    d.add_node("Dense", "n5", attrs={"units": 2}, group="c")
    assert d.groups() == {"a": ["n0", "n1", "n2"], "c": ["n5"]}
