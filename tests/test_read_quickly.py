"""Reading a file parses its JSON in C alone and proves by counting that no object lost a
duplicate key (``fileformat._read_quickly``); nodes and edges as ArchCanvas writes them take quick
paths. These check that the quick read is the careful one, answer for answer: every duplicate key
still named (at any depth, in attrs, edges, view, unknown keys), before any other fault, with the
same message; the careful parse runs only where the count cannot tell; and for random designs,
damaged or not, ``loads`` says exactly what ``from_dict(parse_json(text))`` says."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_fileformat_props import _paths, designs, mutate_randomly

from archcanvas.core import fileformat as ff
from archcanvas.core.design_reader import from_parsed, keys_in
from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.templates import TEMPLATES


@pytest.fixture(scope="module")
def mobilenet_text():
    return ff.dumps(TEMPLATES["mobilenet-v2"].build())


def _careful(text, source="f.json"):
    """What reading said before the quick read: the message, or the design as saved."""
    try:
        return ff.dumps(ff.from_dict(ff.parse_json(text, source), source))
    except ArchCanvasError as err:
        return f"{type(err).__name__}: {err}"


def _quick(text, source="f.json"):
    try:
        return ff.dumps(ff.loads(text, source))
    except ArchCanvasError as err:
        return f"{type(err).__name__}: {err}"


def _dumps_twice(value, path, key, again="null") -> str:
    """``value`` as JSON text, the object at ``path`` writing ``key`` a second time (first with
    ``again``, then the real pair, so the real value is the one a plain dict keeps)."""
    if isinstance(value, dict):
        pairs = [f"{json.dumps(k)}: {_dumps_twice(v, path[1:] if path and path[0] == k else None, key, again)}"
                 for k, v in value.items()]
        if path == ():
            pairs.insert(0, f"{json.dumps(key)}: {again}")
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dumps_twice(v, path[1:] if path and path[0] == i else None, key, again)
                               for i, v in enumerate(value)) + "]"
    return json.dumps(value)


@pytest.fixture
def careful_parses(monkeypatch):
    """How often the careful parse (one Python call per JSON object) ran."""
    seen = {"parse_json": 0, "objects": 0}
    parse, hook = ff.parse_json, ff._object

    def counting_parse(*args, **kwargs):
        seen["parse_json"] += 1
        return parse(*args, **kwargs)

    def counting_hook(pairs):
        seen["objects"] += 1
        return hook(pairs)
    monkeypatch.setattr(ff, "parse_json", counting_parse)
    monkeypatch.setattr(ff, "_object", counting_hook)
    return seen


def test_an_archcanvas_file_is_read_without_a_python_call_per_json_object(mobilenet_text, careful_parses):
    d = ff.loads(mobilenet_text)
    assert len(d) == 156 and ff.dumps(d) == mobilenet_text
    assert careful_parses == {"parse_json": 0, "objects": 0}
    # the keys counted are every key of the file: none left out (no second parse), none twice
    assert from_parsed(json.loads(mobilenet_text))[1] == keys_in(json.loads(mobilenet_text)) == \
        mobilenet_text.count(":") == 1423


PLACES = [((), "name"), (("nodes", 1), "type"), (("nodes", 1, "attrs"), "filters"), (("nodes", 0, "attrs"), "shape"),
          (("edges", 0), "source"), (("view",), "collapsed"), (("later", "deep", 0, "x"), "y"),
          (("nodes", 1, "note"), "a")]


@pytest.mark.parametrize("path, key", PLACES)
def test_a_duplicate_key_is_named_wherever_it_is(path, key, careful_parses):
    data = {"format": "archcanvas.design", "version": 1, "name": "n",
            "nodes": [{"id": "in", "type": "Input", "attrs": {"shape": [8, 8, 3]}},
                      {"id": "c", "type": "Conv2D", "group": "g", "attrs": {"filters": 4, "kernel_size": 3},
                       "note": {"a": 1}}],
            "edges": [{"source": "in", "target": "c"}], "view": {"collapsed": ["g"]},
            "later": {"deep": [{"x": {"y": 2}}]}}
    text = _dumps_twice(data, path, key)
    message = f'f.json: the key "{key}" appears twice in one object; which one is meant?'
    with pytest.raises(ff.FormatError) as err:
        ff.loads(text, "f.json")
    assert str(err.value) == message
    assert careful_parses["parse_json"] == 1  # the count told the quick read to ask
    assert ff.loads(_dumps_twice(data, None, key), "f.json").name == "n"  # the same data, once each: fine


def test_a_duplicate_key_is_named_before_any_other_fault(careful_parses):
    """The careful parse named a duplicate first; a quick read that meets another fault first
    (an unknown type, a cycle) still names the duplicate key."""
    base = ('{"format": "archcanvas.design", "version": 1, "nodes": ['
            '{"id": "a", "type": "Inptu", "attrs": {}}, {"id": "b", "type": "Dense", "attrs": {"units": 2}}],'
            ' "edges": [{"source": "a", "target": "b", "target": "b"}]}')
    assert _quick(base) == _careful(base) == \
        'FormatError: f.json: the key "target" appears twice in one object; which one is meant?'
    assert _quick(base.replace('"target": "b", ', '')) == _careful(base.replace('"target": "b", ', ''))
    assert _quick(base.replace('"target": "b", ', '')).startswith('FormatError: f.json: nodes[0].type: unknown')
    # a duplicate before a JSON fault: the careful parse meets the duplicate first, and so does loads
    broken = base.replace("]}", "] oops}")
    assert _quick(broken) == _careful(broken) == \
        'FormatError: f.json: the key "target" appears twice in one object; which one is meant?'


def test_a_colon_in_a_string_makes_the_count_ask_and_the_design_reads_as_before(mobilenet_text, careful_parses):
    data = json.loads(mobilenet_text)
    data["nodes"][3]["name"] = "stage 1: stem"
    data["nodes"][4]["group"] = "a:b"
    text = ff.dumps(ff.from_dict(data))
    assert _quick(text) == _careful(text) == text
    assert careful_parses["parse_json"] == 2  # once in loads (the count could not tell), once by _careful


@settings(max_examples=200)
@given(designs(), st.data())
def test_loads_says_what_the_careful_read_says(design, data):
    """Random designs, mutated (deleted keys, swapped values) and sometimes with a key written
    twice somewhere: the same design or the same one-line message, from the quick read and the
    careful one."""
    raw = ff.to_dict(design)
    mutate_randomly(raw, data, 0, 2)
    objects = [(p, v) for p, v in _paths(raw) if isinstance(v, dict) and v]
    if objects and data.draw(st.booleans()):
        path, obj = data.draw(st.sampled_from(objects))
        text = _dumps_twice(raw, path, data.draw(st.sampled_from(sorted(obj))))
    else:
        text = json.dumps(raw, indent=data.draw(st.sampled_from([None, 2])), ensure_ascii=data.draw(st.booleans()))
    assert _quick(text) == _careful(text)


@settings(max_examples=100)
@given(designs())
def test_the_reader_counts_every_key_of_a_valid_design_once(design):
    """Counting fewer keys than a file has would only send it to the careful parse; counting one
    twice could hide a duplicate. For what ArchCanvas writes (unknown keys, views, names, ports
    implicit and explicit) the reader counts each key once."""
    text = ff.dumps(design)
    assert from_parsed(json.loads(text))[1] == keys_in(json.loads(text))


NODES = ('{"id": "a", "type": "Input", "attrs": {"shape": [4]}}, {"id": "b", "type": "Dense", "attrs": {"units": 4}},'
         ' {"id": "c", "type": "Dense", "attrs": {"units": 4}}, {"id": "m", "type": "Add"},'
         ' {"id": "s", "type": "Subtract"}, {"id": "d", "type": "Dense", "attrs": {"units": 4}}')
EDGES = {  # edges -> the wires read (source, target, port), or the start of the message
    "port-less, then port 0 taken": ('{"source": "b", "target": "m"}, {"source": "c", "target": "m", "port": 0}',
                                     [("a", "b", 0), ("a", "c", 0), ("b", "m", 1), ("c", "m", 0)]),
    "two port-less into Add": ('{"source": "b", "target": "m"}, {"source": "c", "target": "m"}',
                               [("a", "b", 0), ("a", "c", 0), ("b", "m", 0), ("c", "m", 1)]),
    "port-less after port 1": ('{"source": "c", "target": "s", "port": 1}, {"source": "b", "target": "s"}',
                               [("a", "b", 0), ("a", "c", 0), ("b", "s", 0), ("c", "s", 1)]),
    "backward in the file": ('{"source": "d", "target": "m", "port": 1}, {"source": "b", "target": "m", "port": 0},'
                             ' {"source": "c", "target": "d"}',
                             [("a", "b", 0), ("a", "c", 0), ("b", "m", 0), ("c", "d", 0), ("d", "m", 1)]),
    "two into one Dense": ('{"source": "b", "target": "d"}, {"source": "c", "target": "d"}',
                           'f.json: edges[3]: "d" (Dense) takes one input, already connected to "b" by edges[2]'),
    "port 0 twice": ('{"source": "b", "target": "m", "port": 0}, {"source": "c", "target": "m", "port": 0}',
                     'f.json: edges[3].port: input 0 of "m" is already connected to "b" by edges[2]'),
    "port-less and port 0 into Dense": ('{"source": "b", "target": "d"}, {"source": "c", "target": "d", "port": 0}',
                                        'f.json: edges[2]: "d" (Dense) takes one input'),
    "into an Input": ('{"source": "b", "target": "a"}', 'f.json: edges[2].target: "a" is an Input and takes no inputs'),
    "port true": ('{"source": "b", "target": "m", "port": true}', 'f.json: edges[2].port: must be an integer'),
    "port 1 of a Dense": ('{"source": "b", "target": "d", "port": 1}', 'f.json: edges[2].port: Dense "d" has one input'),
    "unknown key": ('{"source": "b", "target": "d", "label": "x"}', 'f.json: edges[2].label: unknown key'),
    "to itself": ('{"source": "d", "target": "d"}', 'f.json: edges[2]: connects "d" to itself'),
    "a cycle": ('{"source": "m", "target": "d"}, {"source": "d", "target": "m", "port": 0}',
                'f.json: edges: the connections form a cycle'),
    "null end": ('{"source": null, "target": "d"}', 'f.json: edges[2].source: must be a node id'),
}


@pytest.mark.parametrize("case", list(EDGES))
def test_edges_get_the_ports_and_messages_of_the_careful_reader(case):
    extra, expected = EDGES[case]
    text = ('{"format": "archcanvas.design", "version": 1, "nodes": [%s], "edges": [%s, %s]}'
            % (NODES, '{"source": "a", "target": "b"}, {"source": "a", "target": "c"}', extra))
    assert _quick(text) == _careful(text)
    if isinstance(expected, list):
        assert sorted((e.source, e.target, e.port) for e in ff.loads(text).edges()) == expected
    else:
        assert _quick(text).startswith("FormatError: " + expected)


# The quick parse (msgspec's where installed, README "Dependencies") must give the standard
# parser's data wherever it takes the text, and may refuse only text the reader refuses anyway.
def _same(a, b) -> bool:
    """Equal JSON data with equal types throughout (1 is not 1.0; -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is float:
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def _standard(text):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return "refused"


def _agrees(text) -> None:
    """The quick parse of ``text`` is the standard one's; where only the standard parser takes
    it, a design that keeps it (as an unknown key, kept on save) is refused all the same."""
    try:
        quick = ff.QUICK_PARSE(text)
    except (ValueError, RecursionError):
        standard = _standard(text)
        if standard != "refused":
            kept = '{"format": "archcanvas.design", "version": 1, "nodes": [], "later": %s}' % text
            with pytest.raises(ff.FormatError):
                ff.loads(kept)
        return
    assert _same(quick, _standard(text)), text


def test_the_quick_parser_is_msgspecs_where_it_is_installed():
    pytest.importorskip("msgspec")
    assert ff.QUICK_PARSE.__self__.__class__.__module__.startswith("msgspec")


TRICKY = [  # r"...": JSON escapes; "...": the characters themselves
    "-0", "-0.0", "1E5", "1e-400", "0.1e1", "1e308", "1e309", "2.2250738585072011e-308", "9223372036854775808",
    "18446744073709551616", "-9223372036854775809", "1" + "0" * 400, "0." + "0" * 400 + "1", "NaN", "Infinity",
    "-Infinity", "[1,]", '{"a":1,}', "01", "-01", "+1", ".5", "1.", "1.e5", "'a'", "{} x", "", " ", "1e", "1e+",
    "0x10", "[1 2]", '{"a" 1}', '{"a": 1, "a": 2}', "[" * 3000 + "]" * 3000, "[true, false, null]", "True", "nul",
    r'"\u0000"', r'"\ud800\udc00"', r'"\ud800"', r'"\udc00x"', r'"\/"', r'"\U0041"', r'"\x41"', r'{"\u0061": 1}',
    '"\x00"', '"\x01"', '"\t"', '"\x7f"', '"\ud800"', '"\U0001f600"', "\ufeff{}", "\x0c[]", "\xa0[]", "[1]\r\n\t ",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_quick_parser_agrees_with_the_standard_one_on_tricky_json(text):
    _agrees(text)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12)
NUMBERS = st.builds("{}{}{}{}".format, st.sampled_from(["", "-"]), st.from_regex(r"\A(0|[1-9][0-9]{0,30})\Z"),
                    st.sampled_from(["", ".5", ".0", "." + "3" * 25, ".000001"]),
                    st.sampled_from(["", "e5", "E-7", "e+300", "e-320", "e308", "e-5000", "e22", "e23"]))


@settings(max_examples=300)
@given(JSON, st.booleans())
@example({"a": [1.0, -0.0, 2**64, -(2**63) - 1, 1e-310, "\u00e9\U0001f600"]}, False)
def test_the_quick_parser_agrees_with_the_standard_one_on_any_json(value, ascii_only):
    _agrees(json.dumps(value, ensure_ascii=ascii_only))


@settings(max_examples=300)
@given(NUMBERS)
@example("123456789012345678901234567890")
@example("2.2250738585072011e-308")
@example("9007199254740993")
@example("9007199254740993.0")
def test_the_quick_parser_reads_every_number_as_the_standard_one(text):
    _agrees(text)
    _agrees(f'{{"x": [{text}]}}')


def test_with_the_standard_parser_alone_files_read_as_with_the_quick_one(mobilenet_text, monkeypatch):
    """Where msgspec is missing, ``loads`` parses with the standard library: the same designs."""
    broken = mobilenet_text.replace('"version": 1', '"version": 1, "version": 1', 1)
    quick = [_quick(mobilenet_text), _quick(broken), _quick(mobilenet_text.replace("0.999", "NaN"))]
    surrogate = mobilenet_text.replace('"version": 1', '"version": 1, "note": "\\ud800"', 1)
    quick.append(_quick(surrogate))
    monkeypatch.setattr(ff, "QUICK_PARSE", ff.standard_quick_parse)
    assert [_quick(mobilenet_text), _quick(broken), _quick(mobilenet_text.replace("0.999", "NaN")),
            _quick(surrogate)] == quick
    assert quick[0] == mobilenet_text and "appears twice" in quick[1] and "NaN is not a number" in quick[2]
    assert quick[3].startswith("FormatError: ") and "surrogate" in quick[3]  # it takes "\ud800"; no design may
