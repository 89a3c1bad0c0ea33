"""Design files: the contract's example, the bad-file corpus, round trips, atomic saves, paste."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from archcanvas.core import fileformat as ff
from archcanvas.core.analysis import analyze
from archcanvas.core.atomic import SaveError
from archcanvas.core.design import Design
from archcanvas.core.errors import ArchCanvasError, FormatError

from bad_corpus import expected_messages

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
EXPECTED = expected_messages()

CONTRACT_EXAMPLE = {
    "format": "archcanvas.design",
    "version": 1,
    "name": "seed inception",
    "nodes": [
        {"id": "in", "type": "Input", "attrs": {"shape": [28, 28, 3]}, "pos": [0, 0]},
        {"id": "p1", "type": "Conv2D", "name": "path1", "group": "inception",
         "attrs": {"filters": 64, "kernel_size": 1, "padding": "same", "activation": "relu"},
         "pos": [220, 0]},
        {"id": "cat", "type": "Concatenate", "attrs": {}},
    ],
    "edges": [
        {"source": "in", "target": "p1"},
        {"source": "p1", "target": "cat", "port": 0},
    ],
}


def _design(nodes, edges=(), **top):
    data = {"format": "archcanvas.design", "version": 1, "nodes": list(nodes), "edges": list(edges), **top}
    return copy.deepcopy(data)


def _conv(node_id, **attrs):
    return {"id": node_id, "type": "Conv2D", "attrs": {"filters": 8, "kernel_size": 1, **attrs}}


INPUT = {"id": "in", "type": "Input", "attrs": {"shape": [8, 8, 3]}}


# the contract -----------------------------------------------------------------------------------
def test_contract_example_loads_with_every_field():
    d = ff.from_dict(CONTRACT_EXAMPLE)
    assert d.name == "seed inception"
    assert d.node_ids() == ["in", "p1", "cat"]
    p1 = d.node("p1")
    assert (p1.type, p1.name, p1.group, p1.pos) == ("Conv2D", "path1", "inception", (220.0, 0.0))
    assert p1.attrs == {"filters": 64, "kernel_size": 1, "padding": "same", "activation": "relu"}
    assert d.node("cat").name is None and d.node("cat").label == "cat" and d.node("cat").pos is None
    assert [(e.source, e.target, e.port) for e in d.edges()] == [("in", "p1", 0), ("p1", "cat", 0)]


def test_contract_example_round_trips_to_the_same_data():
    assert ff.to_dict(ff.from_dict(CONTRACT_EXAMPLE)) == CONTRACT_EXAMPLE


def test_seed_inception_fixture_has_the_seed_total():
    d = ff.load(DATA / "valid" / "seed_inception.json")
    a = analyze(d)
    assert a.ok
    assert a.totals.params == 3_335_842
    assert a.results["cat"].shape == (28, 28, 256)


def test_unknown_keys_survive_load_and_save(tmp_path):
    data = _design([{**INPUT, "color": "#ff0000", "notes": {"why": ["a", 1]}}], [],
                   name="x", author="kim", tags=["v1"])
    d = ff.from_dict(data)
    assert d.extra == {"author": "kim", "tags": ["v1"]}
    assert d.node("in").extra == {"color": "#ff0000", "notes": {"why": ["a", 1]}}
    path = tmp_path / "x.json"
    ff.save(d, path)
    written = json.loads(path.read_text())
    assert written["author"] == "kim" and written["tags"] == ["v1"]
    assert written["nodes"][0]["color"] == "#ff0000" and written["nodes"][0]["notes"] == {"why": ["a", 1]}
    assert ff.to_dict(ff.load(path)) == ff.to_dict(d)


def test_loaded_design_does_not_share_lists_with_the_input():
    data = _design([INPUT])
    d = ff.from_dict(data)
    data["nodes"][0]["attrs"]["shape"][0] = 99
    assert d.node("in").attrs["shape"] == [8, 8, 3]


def test_missing_required_attribute_is_an_error_though_add_node_would_fill_it():
    with pytest.raises(FormatError, match=r"^nodes\[1\]\.attrs\.filters: missing; Conv2D requires it$"):
        ff.from_dict(_design([INPUT, {"id": "c", "type": "Conv2D", "attrs": {"kernel_size": 3}}]))


def test_the_pinned_message_shape():
    bad = _design([INPUT, _conv("a"), _conv("b"), _conv("c", filters=-4)])
    with pytest.raises(FormatError) as err:
        ff.from_dict(bad)
    assert str(err.value) == "nodes[3].attrs.filters: must be a positive integer, got -4"
    with pytest.raises(FormatError) as err:
        ff.from_dict(bad, source="my.json")
    assert str(err.value) == "my.json: nodes[3].attrs.filters: must be a positive integer, got -4"


@pytest.mark.parametrize("value, shown", [(64.0, "64.0"), ("64", '"64"'), (True, "true"), (None, "null")])
def test_numbers_are_strict(value, shown):
    with pytest.raises(FormatError, match=rf"nodes\[1\]\.attrs\.filters: .*got {shown}$"):
        ff.from_dict(_design([INPUT, _conv("c", filters=value)]))


def test_version_must_be_exactly_the_integer_one():
    for bad, shown in ((True, "true"), (0, "0"), (1.0, "1.0")):
        with pytest.raises(FormatError, match=f"^version: must be the integer 1, got {shown}$"):
            ff.from_dict({**_design([INPUT]), "version": bad})
    with pytest.raises(FormatError, match=r"newer ArchCanvas \(format version 7\); this one reads version 1"):
        ff.from_dict({**_design([INPUT]), "version": 7})


def test_optional_node_fields_and_missing_edges_list():
    d = ff.from_dict({"format": "archcanvas.design", "version": 1, "nodes": [INPUT]})
    assert d.name == "untitled" and d.edges() == [] and d.node("in").pos is None


def test_edges_without_port_fill_the_remaining_ports_in_file_order():
    nodes = [INPUT, _conv("a"), _conv("b"), _conv("c"), {"id": "cat", "type": "Concatenate", "attrs": {}}]
    edges = [{"source": "in", "target": x} for x in "abc"] + [
        {"source": "a", "target": "cat"},            # fills port 0
        {"source": "b", "target": "cat", "port": 1},
        {"source": "c", "target": "cat"},            # port 1 is taken: fills port 2
    ]
    d = ff.from_dict(_design(nodes, edges))
    assert d.input_ids("cat") == ["a", "b", "c"]
    edges = [{"source": "in", "target": x} for x in "abc"] + [
        {"source": "a", "target": "cat"}, {"source": "b", "target": "cat"},
        {"source": "c", "target": "cat", "port": 0},  # explicit ports go first; the rest fill 1, 2
    ]
    d = ff.from_dict(_design(nodes, edges))
    assert d.input_ids("cat") == ["c", "a", "b"]


def test_concat_port_order_survives_a_save(tmp_path):
    nodes = [INPUT, _conv("a"), _conv("b"), {"id": "cat", "type": "Concatenate", "attrs": {}}]
    edges = [{"source": "in", "target": "a"}, {"source": "in", "target": "b"},
             {"source": "b", "target": "cat", "port": 0}, {"source": "a", "target": "cat", "port": 1}]
    d = ff.from_dict(_design(nodes, edges))
    ff.save(d, tmp_path / "d.json")
    assert ff.load(tmp_path / "d.json").input_ids("cat") == ["b", "a"]


def test_a_gap_in_merge_ports_is_kept():
    # The GUI can leave one by disconnecting a middle input; the file must reopen as it was.
    nodes = [INPUT, _conv("a"), _conv("b"), {"id": "add", "type": "Add", "attrs": {}}]
    edges = [{"source": "in", "target": "a"}, {"source": "in", "target": "b"},
             {"source": "a", "target": "add", "port": 0}, {"source": "b", "target": "add", "port": 2}]
    d = ff.from_dict(_design(nodes, edges))
    assert [e.port for e in d.inputs("add")] == [0, 2]
    assert ff.to_dict(d)["edges"][2:] == edges[2:]


def test_the_same_source_may_feed_a_concat_twice():
    nodes = [INPUT, {"id": "cat", "type": "Concatenate", "attrs": {}}]
    edges = [{"source": "in", "target": "cat"}, {"source": "in", "target": "cat"}]
    d = ff.from_dict(_design(nodes, edges))
    assert analyze(d).results["cat"].shape == (8, 8, 6)


def test_a_cycle_names_its_nodes():
    nodes = [_conv("x"), _conv("y")]
    edges = [{"source": "x", "target": "y"}, {"source": "y", "target": "x"}]
    with pytest.raises(FormatError, match='^edges: the connections form a cycle: "x" → "y" → "x"$'):
        ff.from_dict(_design(nodes, edges))


def test_a_cycle_is_found_from_a_node_below_it():
    nodes = [_conv("below"), INPUT, _conv("a"), _conv("b"), {"id": "m", "type": "Add", "attrs": {}}]
    edges = [{"source": "m", "target": "below"}, {"source": "in", "target": "m"},
             {"source": "m", "target": "a"}, {"source": "a", "target": "b"}, {"source": "b", "target": "m"}]
    with pytest.raises(FormatError, match='^edges: the connections form a cycle: "a" → "b" → "m" → "a"$'):
        ff.from_dict(_design(nodes, edges))


def test_cross_attribute_faults_load_and_show_in_the_analysis():
    d = ff.from_dict(_design([INPUT, _conv("c", filters=6, groups=4)], [{"source": "in", "target": "c"}]))
    assert analyze(d).results["c"].error == "groups: filters (6) must be divisible by groups (4)"


# the bad-file corpus ----------------------------------------------------------------------------
def test_the_corpus_is_large_and_every_file_has_an_expected_message():
    files = sorted(p.name for p in BAD.iterdir() if p.name not in ("expected.json", "make_bad.py"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(name):
    path = BAD / name
    case = EXPECTED[name]
    if case["stage"] == "load":
        with pytest.raises(FormatError) as err:
            ff.load(path)
        assert str(err.value) == f"{path}: {case['error']}"
        assert "\n" not in str(err.value)
    else:
        d = ff.load(path)
        a = analyze(d)
        assert [f"{d.node(r.id).label}: {r.message}" for r in a.problems] == case["errors"]


def test_a_file_that_cannot_be_opened(tmp_path):
    with pytest.raises(FormatError, match=r"^cannot open .*nope\.json: no such file or directory$"):
        ff.load(tmp_path / "nope.json")
    with pytest.raises(FormatError, match=r"^cannot open .*: is a directory$"):
        ff.load(tmp_path)


def test_loads_takes_bytes_and_a_byte_order_mark():
    text = json.dumps(_design([INPUT]))
    assert ff.loads(text.encode("utf-8")).node_ids() == ["in"]
    assert ff.loads(b"\xef\xbb\xbf" + text.encode("utf-8")).node_ids() == ["in"]


# writing ----------------------------------------------------------------------------------------
def test_dumps_is_the_dict_as_readable_json():
    d = ff.load(DATA / "valid" / "seed_inception.json")
    text = ff.dumps(d)
    assert json.loads(text) == ff.to_dict(d)
    assert text.endswith("}\n")
    assert '    {"source": "in", "target": "p1"},\n' in text  # one edge per line
    assert max(len(line) for line in text.splitlines()) <= 160


def test_positions_are_written_as_the_user_sees_them():
    d = Design()
    d.add_node("Input", "in", attrs={"shape": [4, 4, 1]}, pos=(10, 20.5))
    assert ff.to_dict(d)["nodes"][0]["pos"] == [10, 20.5]


def test_single_input_edges_omit_port_zero_merges_always_write_it():
    data = ff.to_dict(ff.load(DATA / "valid" / "seed_inception.json"))
    assert {"source": "in", "target": "p1"} in data["edges"]
    assert {"source": "p1", "target": "cat", "port": 0} in data["edges"]


def _saved(tmp_path) -> tuple[Path, bytes]:
    path = tmp_path / "design.json"
    ff.save(ff.load(DATA / "valid" / "seed_inception.json"), path)
    return path, path.read_bytes()


def _other_design() -> Design:
    d = Design("other")
    d.add_node("Input", "x", attrs={"shape": [2]})
    return d


def test_a_refused_rename_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path, before = _saved(tmp_path)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SaveError) as err:
        ff.save(_other_design(), path)
    assert str(err.value) == f"cannot save design {path}: permission denied; the existing file is unchanged"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.json"]  # no temp file left behind


def test_a_write_that_fails_half_way_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path, before = _saved(tmp_path)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[: len(data) // 2])
            self.f.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(SaveError, match="no space left on device; the existing file is unchanged$"):
        ff.save(_other_design(), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.json"]


def test_failed_save_of_a_new_file_says_nothing_was_written(tmp_path):
    with pytest.raises(SaveError, match=r"no such file or directory; nothing was written$"):
        ff.save(_other_design(), tmp_path / "missing-folder" / "d.json")
    with pytest.raises(SaveError, match=r"it is a folder$"):
        ff.save(_other_design(), tmp_path)


def test_save_keeps_the_file_mode_and_writes_through_a_symlink(tmp_path):
    path, _ = _saved(tmp_path)
    os.chmod(path, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(path)
    ff.save(_other_design(), link)
    assert link.is_symlink()
    assert ff.load(path).name == "other"
    assert (os.stat(path).st_mode & 0o777) == 0o640


# clipboard fragments ----------------------------------------------------------------------------
def test_fragment_holds_the_chosen_nodes_and_the_edges_among_them():
    d = ff.load(DATA / "valid" / "seed_inception.json")
    frag = ff.to_dict(d, node_ids=["p2a", "p2b", "cat"])
    assert [n["id"] for n in frag["nodes"]] == ["p2a", "p2b", "cat"]
    assert frag["edges"] == [{"source": "p2a", "target": "p2b"}, {"source": "p2b", "target": "cat", "port": 1}]


def test_paste_renames_colliding_ids_and_moves_positions():
    d = ff.load(DATA / "valid" / "seed_inception.json")
    before = len(d)
    frag = ff.to_dict(d, node_ids=["p2a", "p2b"])
    new = ff.add_fragment(d, frag, offset=(10, 5))
    assert new == ["p2a_1", "p2b_1"]
    assert len(d) == before + 2
    assert d.input_ids("p2b_1") == ["p2a_1"]
    assert d.node("p2a_1").pos == (230.0, 125.0)
    assert d.node("p2a_1").name == "path2_reduce" and d.node("p2a_1").group == "inception"
    assert ff.add_fragment(d, frag) == ["p2a_2", "p2b_2"]
    assert ff.add_fragment(d, frag, id_map_prefix="copy_") == ["copy_p2a", "copy_p2b"]


def test_paste_into_an_empty_design_keeps_ids():
    src = ff.load(DATA / "valid" / "seed_inception.json")
    d = Design()
    assert ff.add_fragment(d, ff.to_dict(src)) == src.node_ids()
    assert analyze(d).totals.params == 3_335_842


def test_a_bad_fragment_changes_nothing():
    d = ff.load(DATA / "valid" / "seed_inception.json")
    before = ff.to_dict(d)
    frag = {"nodes": [_conv("n1"), _conv("n2", filters=0)], "edges": []}
    with pytest.raises(FormatError, match=r"^fragment: nodes\[1\]\.attrs\.filters: must be a positive integer"):
        ff.add_fragment(d, frag)
    assert ff.to_dict(d) == before


def test_every_error_is_an_archcanvas_error():
    for bad in (None, 3, "x", [], {}, {"format": "archcanvas.design"}):
        with pytest.raises(ArchCanvasError):
            ff.from_dict(bad)


# the published JSON Schema ----------------------------------------------------------------------
# What JSON Schema cannot say, the loader still refuses: ids and ports that must agree across the
# file, cycles, duplicate keys, and 64.0 or 1.0 where an integer belongs.
BEYOND_SCHEMA = {
    "cycle.json", "duplicate_id.json", "duplicate_key.json", "edge_into_input.json", "edge_unknown_source.json",
    "extra_nested_too_deep.json",
    "edge_unknown_target.json", "filters_float.json", "port_out_of_range.json", "port_taken.json",
    "self_loop.json", "single_input_twice.json", "version_float.json",
}


def test_committed_schema_is_current():
    from archcanvas.core import schema
    from archcanvas import resources
    committed = resources.path("design.schema.json").read_text(encoding="utf-8")
    assert committed == schema.dumps(), "regenerate: python -m archcanvas.core.schema > resources/design.schema.json"


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    from archcanvas import resources
    schema = json.loads(resources.path("design.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_valid_files_meet_the_schema(validator):
    for path in (DATA / "valid").glob("*.json"):
        validator.validate(json.loads(path.read_text(encoding="utf-8")))
    validator.validate(CONTRACT_EXAMPLE)


def _plain_json(name):
    try:
        return json.loads((BAD / name).read_text(encoding="utf-8"))
    except (ValueError, RecursionError):
        return None


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if _plain_json(n) is not None])
def test_the_schema_refuses_what_it_can_express(validator, name):
    data = _plain_json(name)
    refused = any(True for _ in validator.iter_errors(data))
    should = EXPECTED[name]["stage"] == "load" and name not in BEYOND_SCHEMA
    assert refused == should
