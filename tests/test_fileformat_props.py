"""Properties of design files, with Hypothesis.

- Random valid designs (every layer type, attributes drawn from each type's own spec, names,
  groups, positions, unknown keys) survive save → load unchanged, with identical reports.
- Random mutations of valid files (deleted keys, swapped types, cut or flipped bytes) never raise
  anything but ``ArchCanvasError``; what still loads still analyses and reports without raising.
"""

from __future__ import annotations

import copy
from dataclasses import replace
import json
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from archcanvas.core import fileformat as ff
from archcanvas.core import layers, report
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.errors import ArchCanvasError

try:
    import jsonschema

    from archcanvas import resources
    VALIDATOR = jsonschema.Draft202012Validator(json.loads(resources.path("design.schema.json").read_text("utf-8")))
except ImportError:  # the schema tests in test_fileformat.py say so; here it is an extra check
    VALIDATOR = None

TYPES = sorted(t for t in layers.REGISTRY if t != "Input")
ids = st.text(string.ascii_letters + string.digits + "_-. é", min_size=1, max_size=8)
labels = st.none() | st.text(min_size=1, max_size=12)
json_scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=6) | \
    st.floats(allow_nan=False, allow_infinity=False, width=32)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) |
                           st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


def _value(attr):
    """A strategy of values ``attr.validate`` accepts, drawn from the attribute's own spec."""
    lo = 1 if attr.min is None else int(attr.min)
    small = st.integers(lo, lo + 6)
    kind = attr.kind
    if kind == "int":
        return st.sampled_from([-1, 1, 2, 3]) if attr.min is None else small
    if kind == "pair":
        return small | st.lists(small, min_size=2, max_size=2)
    if kind == "pair_or_none":
        return st.none() | small | st.lists(small, min_size=2, max_size=2)
    if kind == "choice":
        return st.sampled_from(attr.choices)
    if kind == "bool":
        return st.booleans()
    if kind in ("axes", "axes_or_none"):
        axes = st.sampled_from([-1, 1, 2]) | st.lists(st.sampled_from([-1, 1, 2]), min_size=1, max_size=2,
                                                         unique=True)
        return axes if kind == "axes" else st.none() | axes
    if kind in ("floats", "floats_or_none"):
        floats = st.floats(0.5, 5) | st.lists(st.floats(0.5, 5), min_size=1, max_size=3)
        return floats if kind == "floats" else st.none() | floats
    if kind == "float_or_none":
        return st.none() | _value(replace(attr, kind="float"))
    if kind == "float":
        lo_f = attr.min if attr.min is not None else -5.0
        hi_f = attr.max if attr.max is not None else lo_f + 5.0
        return st.floats(lo_f, hi_f, exclude_max=attr.max_exclusive, allow_nan=False)
    if kind == "shape":
        return st.lists(st.integers(1, 40), min_size=1, max_size=3)
    if kind == "padding2d":
        return st.integers(0, 3) | st.lists(st.integers(0, 3), min_size=2, max_size=2)
    raise AssertionError(f"no strategy for attribute kind {kind!r}; add one")


@st.composite
def attrs_for(draw, layer):
    out = {}
    for attr in layer.attrs:
        if attr.required or draw(st.booleans()):
            value = draw(_value(attr))
            attr.validate(value)
            out[attr.name] = value
    return out


@st.composite
def designs(draw):
    d = Design(draw(st.text(max_size=10)))
    d.extra = draw(st.dictionaries(st.text(max_size=6).filter(lambda k: k not in ff.TOP_KEYS), json_values,
                                   max_size=2))
    groups = st.none() | st.sampled_from(["inception_3a", "block 1", "g"])
    positions = st.none() | st.tuples(st.integers(-2000, 2000), st.floats(-1e4, 1e4, allow_nan=False))
    extras = st.dictionaries(st.text(max_size=6).filter(lambda k: k not in ff.NODE_KEYS), json_values, max_size=2)
    for _ in range(draw(st.integers(1, 2))):
        d.add_node("Input", draw(ids.filter(lambda i: i not in d)),
                   attrs={"shape": draw(st.lists(st.integers(1, 32), min_size=1, max_size=3))},
                   name=draw(labels), pos=draw(positions), extra=draw(extras))
    for _ in range(draw(st.integers(0, 8))):
        type_name = draw(st.sampled_from(TYPES))
        layer = layers.get(type_name)
        node = d.add_node(type_name, draw(ids.filter(lambda i: i not in d)), attrs=draw(attrs_for(layer)),
                          name=draw(labels), group=draw(groups), pos=draw(positions), extra=draw(extras))
        earlier = [n for n in d.node_ids() if n != node]
        wanted = layer.max_inputs if layer.max_inputs is not None else draw(st.integers(2, 3))
        for port in range(min(wanted, draw(st.integers(0, wanted)) if draw(st.booleans()) else wanted)):
            d.connect(draw(st.sampled_from(earlier)), node, port)
    return d


@settings(max_examples=150)
@given(designs())
def test_random_designs_survive_save_and_load(tmp_path_factory, design):
    path = tmp_path_factory.mktemp("rt") / "d.json"
    ff.save(design, path)
    again = ff.load(path)
    assert ff.to_dict(again) == ff.to_dict(design)
    assert ff.dumps(again) == path.read_text(encoding="utf-8")
    a, b = analyze(design), analyze(again)
    assert report.to_json(again, b) == report.to_json(design, a)
    assert report.to_csv(again, b) == report.to_csv(design, a)
    if VALIDATOR is not None:  # whatever ArchCanvas writes meets the published schema
        VALIDATOR.validate(json.loads(ff.dumps(design)))


# mutations ----------------------------------------------------------------------------------------
def _paths(value, here=()):
    """Every place in a JSON value: (path, value)."""
    yield here, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, here + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, here + (i,))


def _mutate(data, path, op, replacement):
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if op == "delete":
        del parent[key]
    else:
        parent[key] = replacement


swaps = st.sampled_from([None, True, False, 0, -1, 64.0, 1e300, "64", "", [], {}, [1, 2], {"a": 1},
                         2**63, "Conv2D", "in"])


@settings(max_examples=300)
@given(designs(), st.data())
def test_mutated_data_raises_only_our_errors(design, data):
    raw = ff.to_dict(design)
    mutate_randomly(raw, data, 1, 3)
    _load_and_report(lambda: ff.from_dict(raw))


def mutate_randomly(raw: dict, data, least: int, most: int) -> None:
    """Delete keys of ``raw`` or swap in odd values, ``least`` to ``most`` times (drawn)."""
    for _ in range(data.draw(st.integers(least, most))):
        places = [p for p, _ in _paths(raw) if p]
        if not places:
            break
        path = data.draw(st.sampled_from(places))
        # a copy: sampled_from hands out the same list and dict objects, which a later mutation
        # in this example could change, making the strategy itself differ between runs
        _mutate(raw, path, data.draw(st.sampled_from(["delete", "swap"])), copy.deepcopy(data.draw(swaps)))


@settings(max_examples=300)
@given(designs(), st.data())
def test_damaged_bytes_raise_only_our_errors(design, data):
    blob = bytearray(ff.dumps(design).encode("utf-8"))
    how = data.draw(st.sampled_from(["cut", "flip", "insert", "drop"]))
    at = data.draw(st.integers(0, len(blob) - 1))
    if how == "cut":
        blob = blob[:at]
    elif how == "flip":
        blob[at] = data.draw(st.integers(0, 255))
    elif how == "insert":
        blob[at:at] = data.draw(st.binary(min_size=1, max_size=4))
    else:
        del blob[at: at + data.draw(st.integers(1, 20))]
    _load_and_report(lambda: ff.loads(bytes(blob), source="damaged.json"))


def _load_and_report(load):
    try:
        design = load()
    except ArchCanvasError as err:
        assert str(err) and "\n" not in str(err)
        return
    a = analyze(design)
    report.to_csv(design, a)
    report.to_text(design, a)
    json.dumps(report.to_json(design, a))
    ff.dumps(design)
