"""Hostile input and output other programs open (issue 11): deep values, lone surrogates, NUL in
paths, killed saves' leftovers, CSV formulas, terminal escapes, non-ASCII digits, and error lines
that name a node without scanning the design once per line."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from archcanvas.core import cli, report
from archcanvas.core import fileformat as ff
from archcanvas.core.analysis import analyze
from archcanvas.core.atomic import STALE_SECONDS, SaveError
from archcanvas.core.design import Design
from archcanvas.core.design_reader import _show
from archcanvas.core.errors import DesignError, FormatError
from archcanvas.core.templates.params import Param, parse_float, parse_int

EXE = Path(sys.executable).with_name("archcanvas")  # the installed command
EVIL = "=cmd|' /C calc'!A0"


def _nested(depth: int, leaf=1):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


def _doc(**node) -> dict:
    dense = {"id": "d", "type": "Dense", "attrs": {"units": 2}, **node}
    return {"format": ff.FORMAT, "version": 1,
            "nodes": [{"id": "in", "type": "Input", "attrs": {"shape": [4]}}, dense],
            "edges": [{"source": "in", "target": "d"}]}


def _chain(*names) -> Design:
    d = Design("evil")
    d.add_node("Input", "in", attrs={"shape": [4]})
    prev = "in"
    for i, name in enumerate(names):
        d.add_node("Dense", f"d{i}", attrs={"units": 2}, name=name)
        d.connect(prev, f"d{i}")
        prev = f"d{i}"
    return d


# error lines name the node ------------------------------------------------------------------------
def _ref_by_scanning(design: Design, node_id: str) -> str:
    """The rule as it was first written (one scan of the design per line), as the reference."""
    label = design.node(node_id).label
    if any(n.id != node_id and label in (n.id, n.label) for n in design.nodes()):
        return f"{label} (id {node_id})"
    return label


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]),
                          st.one_of(st.none(), st.sampled_from(["a", "b", "c", "conv"]))),
                min_size=1, max_size=8, unique_by=lambda t: t[0]))
def test_node_ref_names_the_node_as_the_scan_would(specs):
    d = Design()
    for node_id, name in specs:
        d.add_node("Dense", node_id, attrs={"units": 1}, name=name)
    a = analyze(d)  # nothing is connected, so every layer is a problem line
    assert report.problem_lines(d, a) == [f"{_ref_by_scanning(d, r.id)}: {r.message}" for r in a.problems]
    for node_id, _ in specs:
        assert report.node_ref(d, node_id) == _ref_by_scanning(d, node_id)


def test_report_of_many_unconnected_layers_names_each_once(tmp_path):
    nodes = [{"id": f"d{i}", "type": "Dense", "name": "dup" if i < 2 else None, "attrs": {"units": 4}}
             for i in range(3000)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"format": ff.FORMAT, "version": 1, "nodes": nodes}))
    r = subprocess.run([str(EXE), "report", str(path)],
                       capture_output=True, text=True)
    lines = r.stderr.splitlines()
    assert r.returncode == 1 and len(lines) == 3000
    assert lines[:3] == ["error: dup (id d0): needs an input, has 0", "error: dup (id d1): needs an input, has 0",
                         "error: d2: needs an input, has 0"]


# errors stay one line ------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["name", "group", "id", "type", "pos"])
@pytest.mark.parametrize("depth", [985, 986, 987, 5000])
def test_a_deeply_nested_value_is_quoted_on_one_line(key, depth):
    with pytest.raises(FormatError) as err:
        ff.from_dict(_doc(**{key: _nested(depth)}), "deep.json")
    text = str(err.value)
    assert text.startswith(f"deep.json: nodes[1].{key}: must be ") and "\n" not in text
    assert text.endswith("got " + "[" * 59 + "…")


@pytest.mark.parametrize("depth", range(975, 1000))
def test_report_of_a_file_with_a_deep_name_is_one_error_line(tmp_path, capsys, depth):
    """Whatever depth the JSON parser still reads, quoting the value never runs out of stack."""
    path = tmp_path / "deep.json"
    text = json.dumps(_doc(name="@@")).replace('"@@"', "[" * depth + "1" + "]" * depth)
    path.write_text(text)
    assert cli.main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" not in err
    assert err.startswith(f"error: {path}: ")


def test_show_quotes_what_it_can_as_json():
    for v in ([1, [2, 3], {"k": [4]}], list(range(16)), "x" * 10, 1.5, True, None, [], [[]]):
        assert _show(v) == json.dumps(v)
    assert _show(list(range(100))) == json.dumps(list(range(100)))[:59] + "…"
    assert _show({"a": "x" * 100}) == "an object"


def test_a_path_with_nul_is_the_save_error_and_the_open_error(tmp_path):
    d = _chain("x")
    bad = str(tmp_path / "a\0b.json")
    with pytest.raises(SaveError, match=r"cannot save design .*a file name cannot contain a NUL character"):
        ff.save(d, bad)
    with pytest.raises(FormatError, match="a file name cannot contain a NUL character"):
        ff.load(bad)
    assert os.listdir(tmp_path) == []


# lone surrogates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("key, place", [("name", "nodes[1].name"), ("group", "nodes[1].group"),
                                        ("id", "nodes[1].id"), ("extra", "nodes[1].extra")])
def test_from_dict_refuses_a_lone_surrogate(key, place):
    with pytest.raises(FormatError, match="^" + re.escape(f"x: {place}: contains a lone")):
        ff.from_dict(_doc(**{key: "a\ud800"}), "x")


def test_the_design_refuses_a_lone_surrogate_in_an_id_or_a_name():
    d = Design()
    with pytest.raises(DesignError, match="lone surrogate"):
        d.add_node("Input", "in\udfff", attrs={"shape": [4]})
    d.add_node("Input", "in", attrs={"shape": [4]})
    with pytest.raises(DesignError, match="lone surrogate"):
        d.rename("in", "x\ud800")
    with pytest.raises(DesignError, match="lone surrogate"):
        d.set_group("in", "\udc00")
    assert d.node("in").label == "in" and d.node("in").group is None


# leftovers of killed saves -----------------------------------------------------------------------
def test_the_next_save_removes_stale_temporary_files_of_that_file_only(tmp_path):
    target = tmp_path / "net.json"
    old = time.time() - STALE_SECONDS - 5
    names = {
        ".net.json.ab12cd_9.tmp": old,      # a killed save of this file: removed
        ".net.json.zz99yy88.tmp": None,     # a save under way right now: kept
        ".other.json.ab12cd34.tmp": old,    # another file's: kept
        ".net.json.notours.tmp": old,       # not a name we make: kept
        "net.json.ab12cd34.tmp": old,       # not hidden: kept
    }
    for name, when in names.items():
        (tmp_path / name).write_bytes(b"x" * 10)
        if when is not None:
            os.utime(tmp_path / name, (when, when))
    (tmp_path / ".net.json.dirdir12.tmp").mkdir()  # a folder is never removed
    os.utime(tmp_path / ".net.json.dirdir12.tmp", (old, old))
    ff.save(_chain("x"), target)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*(n for n in names if n != ".net.json.ab12cd_9.tmp"), ".net.json.dirdir12.tmp",
                           "net.json"])
    assert ff.load(target).node("d0").name == "x"


# CSV a spreadsheet opens -----------------------------------------------------------------------
FORMULAS = [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _cells(text: str, column: str) -> list[str]:
    return [r[column] for r in csv.DictReader(io.StringIO(text, newline=""))]


def test_csv_neutralizes_formulas_with_a_leading_quote():
    d = _chain(*FORMULAS, "plain", "a=b")
    a = analyze(d)
    names = _cells(report.to_csv(d, a), "name")
    assert names == ["in", *("'" + n for n in FORMULAS), "plain", "a=b", "TOTAL"]
    assert _cells(report.to_csv(d, a, exact_names=True), "name") == ["in", *FORMULAS, "plain", "a=b", "TOTAL"]


def test_csv_group_and_id_cells_are_neutralized_too():
    d = Design()
    d.add_node("Input", "=id", attrs={"shape": [4]}, group="-grp")
    text = report.to_csv(d, analyze(d))
    assert _cells(text, "id")[0] == "'=id" and _cells(text, "group")[0] == "'-grp"
    assert _cells(text, "name")[0] == "'=id"


def test_report_csv_exact_names_option(tmp_path, capsys):
    path, out, exact = tmp_path / "evil.json", tmp_path / "r.csv", tmp_path / "exact.csv"
    ff.save(_chain(EVIL), path)
    assert cli.main(["report", str(path), "--csv", str(out)]) == 0
    assert cli.main(["report", str(path), "--csv", str(exact), "--csv-exact-names"]) == 0
    assert _cells(out.read_text(encoding="utf-8"), "name")[1] == "'" + EVIL
    assert _cells(exact.read_text(encoding="utf-8"), "name")[1] == EVIL
    capsys.readouterr()
    assert cli.main(["report", str(path), "--csv", "-"]) == 0  # not a terminal: the same bytes
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


# text for a terminal ----------------------------------------------------------------------------
SNEAKY = "ab\u202ecd\x1b[2J\x9b31m\u2066e\u200ff"


def test_printable_hides_controls_and_bidi_overrides_but_keeps_text():
    assert report.printable(SNEAKY) == "ab\ufffdcd\ufffd[2J\ufffd31m\ufffde\ufffdf"
    assert report.printable("합성곱 conv\u200d") == "합성곱 conv\u200d"
    assert report.printable("a\tb\u00a0c\u2028d") == "a b c d"
    d = _chain(SNEAKY)
    d.set_name("n\u202e")
    text = report.to_text(d, analyze(d))
    assert not any(c in text for c in "\u202e\x1b\x9b\u2066\u200f")


def test_json_for_terminal_is_the_same_json_without_invisible_characters():
    text = json.dumps({"a": SNEAKY + "\U000e0001\x7f"}, ensure_ascii=False)
    shown = report.json_for_terminal(text)
    assert json.loads(shown) == json.loads(text)
    assert all(c.isprintable() for c in shown) and "\\u202e" in shown


def _run_on_a_terminal(args) -> str:
    """Run ``archcanvas ARGS`` with stdout on a pseudo-terminal; what it wrote there."""
    main, sub = pty.openpty()
    proc = subprocess.Popen([str(EXE), *args], stdout=sub,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    os.close(sub)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(main)
    assert proc.returncode == 0, proc.stderr.read()
    proc.stderr.close()
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("mode", [["--csv", "-"], ["--json"], []])
def test_a_terminal_never_gets_raw_escapes_or_bidi_overrides(tmp_path, mode):
    path = tmp_path / "sneaky.json"
    ff.save(_chain(SNEAKY), path)
    shown = _run_on_a_terminal(["report", str(path), *mode])
    assert "ab" in shown and not any(c in shown for c in "\u202e\x1b\x9b\u2066\u200f")
    if mode == ["--json"]:
        assert json.loads(shown.replace("\r\n", "\n"))["layers"][1]["name"] == SNEAKY


# template parameters ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["1_0", "١٠٠", "１０", "0x10", "1e2", "", " ", "10 0", "²"])
def test_integer_parameters_are_plain_decimal(text):
    with pytest.raises(ValueError):
        parse_int(text)
    with pytest.raises(Exception, match="must be an integer"):
        Param("n", "int", 1, "").validate(text)


@pytest.mark.parametrize("text", ["1_0", "١.٥", "inf", "nan", "0x1p3", "1.5.", ""])
def test_number_parameters_are_plain_decimal(text):
    with pytest.raises(ValueError):
        parse_float(text)


def test_plain_decimal_parameters_read_as_before():
    assert [parse_int(t) for t in ("64", " -3 ", "+7", "007")] == [64, -3, 7, 7]
    assert [parse_float(t) for t in ("0.75", ".5", "1.", "1e-3", "-2E+2", "3")] == [0.75, .5, 1.0, 1e-3, -200.0, 3.0]
    assert Param("w", "ints", (1, 2), "").validate("64, 96 128") == (64, 96, 128)
    with pytest.raises(Exception, match="list of integers"):
        Param("w", "ints", (1, 2), "").validate("64,٩٦")
