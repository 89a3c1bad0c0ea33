"""Reading a design does each piece of work once (issue 11): every node's attributes are validated
by one ``resolve`` and never again (not by ``Design.add_node``, not by the analysis), and neither
reading nor analysing builds the networkx graph, which waits until an edit or a view needs it.
These guard the cost by counting the work, not by timing it."""

import networkx as nx
import pytest

from archcanvas.core import fileformat
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.layers.spec import Attr, LayerType
from archcanvas.core.templates import TEMPLATES


@pytest.fixture(scope="module")
def mobilenet_text():
    return fileformat.dumps(TEMPLATES["mobilenet-v2"].build())


@pytest.fixture
def counts(monkeypatch):
    """How often each kind of work ran: LayerType.resolve, Attr.validate, graphs built."""
    seen = {"resolve": 0, "validate": 0, "graphs": 0}

    def counting(name, fn):
        def wrapper(*args, **kwargs):
            seen[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(LayerType, "resolve", counting("resolve", LayerType.resolve))
    monkeypatch.setattr(Attr, "validate", counting("validate", Attr.validate))
    monkeypatch.setattr(nx.MultiDiGraph, "__init__", counting("graphs", nx.MultiDiGraph.__init__))
    return seen


def test_reading_validates_each_node_once_and_analysing_reuses_it(mobilenet_text, counts):
    d = fileformat.loads(mobilenet_text)
    n = len(d)
    assert n == 156
    # one resolve per node validates each of its attributes once; the careful per-attribute
    # pass (Attr.validate) is for files with a fault only
    assert counts == {"resolve": n, "validate": 0, "graphs": 0}
    a = analyze(d)
    assert a.ok and a.totals.params == 3_538_984  # Keras's MobileNetV2 count
    assert counts == {"resolve": n, "validate": 0, "graphs": 0}


def test_a_fault_is_still_named_after_the_quick_path_declines(counts):
    text = ('{"format": "archcanvas.design", "version": 1, "nodes": ['
            '{"id": "in", "type": "Input", "attrs": {"shape": [8, 8, 3]}},'
            '{"id": "c", "type": "Conv2D", "attrs": {"filters": -4, "kernel_size": 3}}]}')
    with pytest.raises(fileformat.FormatError) as err:
        fileformat.loads(text, "design.json")
    assert str(err.value) == "design.json: nodes[1].attrs.filters: must be a positive integer, got -4"


def test_a_read_design_builds_its_graph_on_first_use_and_then_edits_as_any_other(mobilenet_text):
    read = fileformat.loads(mobilenet_text)
    built = Design(read.name)  # the same design, made edit by edit
    for node in read.nodes():
        built.add_node(node.type, node.id, attrs=node.attrs, name=node.name, group=node.group, pos=node.pos)
    for e in read.edges():
        built.connect(e.source, e.target, e.port)
    assert read.topological_order() == built.topological_order()
    assert [read.seq_of(x) for x in read.node_ids()] == [built.seq_of(x) for x in built.node_ids()]
    assert sorted(read.graph.edges(keys=True)) == sorted(built.graph.edges(keys=True))
    for d in (read, built):
        d.remove_node("block_3_add" if "block_3_add" in d else d.node_ids()[40])
        new = d.add_node("Dense", attrs={"units": 10})
        d.connect(d.node_ids()[-2], new)
    assert fileformat.to_dict(read) == fileformat.to_dict(built)
    assert analyze(read).results == analyze(built).results


def test_reading_then_editing_before_the_graph_is_built(mobilenet_text):
    """Queries that need no graph answer from the nodes and wires as read; the first edit
    builds the graph from them, in file order."""
    d = fileformat.loads(mobilenet_text)
    first, last = d.node_ids()[0], d.node_ids()[-1]
    assert first in d and "nope" not in d and ["a list"] not in d
    assert d.sources(last) == tuple(e.source for e in d.inputs(last))
    d.set_attr(last, "units", 7)  # no structural change: still no graph needed
    d.connect(first, d.add_node("Flatten", "side"))
    assert d.node_ids()[-1] == "side" and d.seq_of("side") == len(d) - 1
    assert d.sources("side") == (first,)
    assert analyze(d)["side"].shape == (224 * 224 * 3,)


def test_faults_are_named_in_the_documented_order_whichever_path_a_node_takes():
    """An edge's fault is named before a weights_of that names no node, as before the quick path."""
    nodes = ('{"id": "a", "type": "Input", "attrs": {"shape": [4]}},'
             '{"id": "b", "type": "Dense", "attrs": {"units": 2}, "weights_of": "zz"}')
    text = '{"format": "archcanvas.design", "version": 1, "nodes": [%s], "edges": [%s]}'
    with pytest.raises(fileformat.FormatError, match=r'^f.json: edges\[0\].target: no node with id "q"$'):
        fileformat.loads(text % (nodes, '{"source": "a", "target": "q"}'), "f.json")
    with pytest.raises(fileformat.FormatError, match=r'^f.json: nodes\[1\].weights_of: no node has the id "zz"$'):
        fileformat.loads(text % (nodes, '{"source": "a", "target": "b"}'), "f.json")
    kept = fileformat.loads(text % (nodes.replace('"zz"', '"a"').replace('"units": 2}', '"units": 2}, "later": [1]'),
                                    '{"source": "a", "target": "b"}'))
    assert kept.node("b").extra == {"later": [1]} and kept.node("b").weights_of == "a"
