"""Collapsed groups in the core: the file's view state (read, checked, written), nested group
names, the sums a collapsed block shows, and the layout that treats it as one node."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from archcanvas.core import collapse, fileformat as ff, report
from archcanvas.core.analysis import analyze
from archcanvas.core.cli import main
from archcanvas.core.design import Design
from archcanvas.core.errors import FormatError
from archcanvas.core.layout import SPACING, wrapped_positions
from archcanvas.core.templates import build
from test_fileformat_props import designs  # the file-format tests' random designs


def nested() -> Design:
    """What an imported Keras model with a nested model gives: groups "enc", "enc/block1"."""
    d = Design("nested")
    d.add_node("Input", "in", {"shape": [8, 8, 3]})
    d.add_node("Conv2D", "c1", {"filters": 4, "kernel_size": 3}, group="enc")
    d.add_node("Conv2D", "c2", {"filters": 8, "kernel_size": 3, "padding": "same"}, group="enc/block1")
    d.add_node("Activation", "a2", {"activation": "relu"}, group="enc/block1")
    d.add_node("Flatten", "flat", {})
    for s, t in (("in", "c1"), ("c1", "c2"), ("c2", "a2"), ("a2", "flat")):
        d.connect(s, t)
    return d


def test_collapsed_groups_are_written_as_view_state_and_read_back():
    d = build("googlenet", resolution=64)
    d.set_collapsed(["inception_4b", "inception_3a"])
    text = ff.dumps(d)
    assert text.endswith('  "view": {"collapsed": ["inception_3a", "inception_4b"]}\n}\n')
    again = ff.loads(text)
    assert again.collapsed == {"inception_3a", "inception_4b"}
    assert ff.dumps(again) == text


def test_a_design_with_nothing_collapsed_has_no_view_key():
    d = build("googlenet", resolution=64)
    assert "view" not in ff.to_dict(d)
    d.set_collapsed(["inception_3a"])
    d.set_collapsed([])
    assert "view" not in ff.to_dict(d)


def test_unknown_keys_of_the_view_are_kept():
    data = ff.to_dict(nested())
    data["view"] = {"collapsed": ["enc"], "zoom": 1.5, "later": {"a": [1, 2]}}
    d = ff.from_dict(data)
    assert d.collapsed == {"enc"} and d.view_extra == {"zoom": 1.5, "later": {"a": [1, 2]}}
    assert ff.to_dict(d)["view"] == {"collapsed": ["enc"], "zoom": 1.5, "later": {"a": [1, 2]}}
    d.set_collapsed([])
    assert ff.to_dict(d)["view"] == {"zoom": 1.5, "later": {"a": [1, 2]}}


@pytest.mark.parametrize("view, message", [
    ([], "f.json: view: must be an object, got []"),
    ({"collapsed": "enc"}, 'f.json: view.collapsed: must be a list of group names, got "enc"'),
    ({"collapsed": ["enc", 3]}, "f.json: view.collapsed[1]: must be a group name (a non-empty string), got 3"),
    ({"collapsed": [""]}, 'f.json: view.collapsed[0]: must be a group name (a non-empty string), got ""'),
    ({"collapsed": ["enc", "enc"]}, 'f.json: view.collapsed[1]: "enc" is already listed at view.collapsed[0]'),
    ({"collapsed": ["encc"]}, 'f.json: view.collapsed[0]: no layer is in the group "encc" (did you mean "enc"?)'),
    ({"collapsed": ["block1"]}, 'f.json: view.collapsed[0]: no layer is in the group "block1" (did you mean "enc/block1"?)'),
])
def test_a_bad_view_is_one_line_naming_the_place(view, message):
    data = ff.to_dict(nested())
    data["view"] = view
    with pytest.raises(FormatError) as err:
        ff.from_dict(data, "f.json")
    assert str(err.value) == message


def test_the_cli_reports_a_bad_view_as_one_error_line(tmp_path, capsys):
    data = ff.to_dict(nested())
    data["view"] = {"collapsed": ["nope"]}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert err == f'error: {path}: view.collapsed[0]: no layer is in the group "nope"\n'


def test_collapsing_changes_no_figure_of_the_report():
    d = build("googlenet", resolution=64)
    plain = report.to_json(d, analyze(d))
    d.set_collapsed(collapse.group_names(d))
    assert report.to_json(d, analyze(d)) == plain
    assert report.to_csv(d, analyze(d)) == report.to_csv(build("googlenet", resolution=64), analyze(d))


def test_nested_groups_collapse_with_their_outer_group():
    d = nested()
    assert collapse.group_names(d) == {"enc", "enc/block1"}
    assert collapse.prefixes("enc/block1/x") == ["enc", "enc/block1", "enc/block1/x"]
    assert collapse.prefixes("/x") == ["/x"] and collapse.prefixes("a//b") == ["a", "a//b"]
    d.set_collapsed(["enc"])
    assert collapse.hidden(d) == {"c1": "enc", "c2": "enc", "a2": "enc"}
    d.set_collapsed(["enc/block1"])
    assert collapse.hidden(d) == {"c2": "enc/block1", "a2": "enc/block1"}
    d.set_collapsed(["enc", "enc/block1"])  # the outer one is the node drawn
    assert set(collapse.hidden(d).values()) == {"enc"}
    assert collapse.members(d, "enc") == ["c1", "c2", "a2"]
    assert collapse.outputs(d, collapse.members(d, "enc")) == ["a2"]


def test_a_collapsed_block_sums_its_groups_and_the_nested_ones():
    d = nested()
    a = analyze(d)
    c1 = 3 * 3 * 3 * 4 + 4            # 6x6x4 out
    c2 = 3 * 3 * 4 * 8 + 8            # 6x6x8 out
    t = collapse.totals(a, "enc")
    assert t.params == c1 + c2 == a.by_group["enc"].params + a.by_group["enc/block1"].params
    assert t.macs == 6 * 6 * 3 * 3 * 3 * 4 + 6 * 6 * 3 * 3 * 4 * 8
    assert t.layers == 3
    assert collapse.totals(a, "enc/block1").params == c2


def test_an_ungrouped_block_is_no_longer_collapsed_but_an_undo_finds_it_again():
    d = nested()
    d.set_collapsed(["enc/block1"])
    for n in ("c2", "a2"):
        d.set_group(n, None)
    assert collapse.hidden(d) == {} and "view" not in ff.to_dict(d)
    for n in ("c2", "a2"):
        d.set_group(n, "enc/block1")
    assert collapse.hidden(d) == {"c2": "enc/block1", "a2": "enc/block1"}


def test_the_layout_treats_a_collapsed_group_as_one_node():
    d = build("googlenet", resolution=64)
    d.set_collapsed(collapse.group_names(d))
    pos = wrapped_positions(d)
    shut = collapse.hidden(d)
    cards: dict[str, list] = {}
    for n, g in shut.items():
        cards.setdefault(g, []).append(pos[n])
    spots = [p for n, p in pos.items() if n not in shut]
    for ps in cards.values():
        ys = [p[1] for p in ps]
        spots.append((min(p[0] for p in ps), (min(ys) + max(ys)) / 2))
    # every unit, card or layer, has a spot of its own, a layout step apart: one row of 17
    assert len(spots) == len(set(spots)) == 17
    xs = sorted(x for x, _ in spots)
    assert all(b - a == SPACING[0] for a, b in zip(xs, xs[1:]))
    # expanded again, the design's layout is the plain one
    assert wrapped_positions(d, collapsed=()) == wrapped_positions(build("googlenet", resolution=64))


def test_a_collapsed_view_meets_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from archcanvas import resources
    schema = json.loads(resources.path("design.schema.json").read_text(encoding="utf-8"))
    d = nested()
    d.set_collapsed(["enc"])
    data = ff.to_dict(d)
    jsonschema.Draft202012Validator(schema).validate(data)
    data["view"]["collapsed"] = ["enc", "enc"]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


@settings(max_examples=60)
@given(designs(), st.data())
def test_random_designs_keep_their_collapsed_groups_through_save_and_load(design, data):
    names = sorted(collapse.group_names(design))
    design.set_collapsed(data.draw(st.lists(st.sampled_from(names), unique=True) if names else st.just([])))
    text = ff.dumps(design)
    again = ff.loads(text)
    assert again.collapsed == collapse.effective(design)
    assert ff.dumps(again) == text
    assert analyze(again).totals == analyze(design).totals
