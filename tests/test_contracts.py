"""The headless contracts of DESIGN.md, audited as a program that depends on them would: hostile
files, odd names, stdin, huge inputs. Each test here failed before the fix it names, or pins a
clause the other test files leave implicit (marked "pins")."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archcanvas.core import fileformat as ff
from archcanvas.core import report
from archcanvas.core.analysis import analyze
from archcanvas.core.atomic import SaveError, write_atomic
from archcanvas.core.design import Design
from archcanvas.core.errors import FormatError

EXE = Path(sys.executable).parent / "archcanvas"
SEED = Path(__file__).parent / "data" / "valid" / "seed_inception.json"
INPUT = {"id": "in", "type": "Input", "attrs": {"shape": [8, 8, 3]}}


def _file(nodes, edges=(), **top) -> dict:
    return {"format": "archcanvas.design", "version": 1, "nodes": list(nodes), "edges": list(edges), **top}


def run(*args, stdin: bytes | None = None, env=None) -> subprocess.CompletedProcess:
    r = subprocess.run([str(EXE), *map(str, args)], capture_output=True, input=stdin, timeout=120, env=env)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode("utf-8"),
                                       r.stderr.decode("utf-8"))


# file format -------------------------------------------------------------------------------------
def test_edges_without_port_cannot_pass_the_port_ceiling():
    # An explicit port above MAX_PORT was refused, but 1,024 port-less edges into one Concatenate
    # quietly got ports up to 1,023 and beyond.
    edges = [{"source": "in", "target": "cat"}] * (ff.MAX_PORT + 2)
    with pytest.raises(FormatError) as err:
        ff.from_dict(_file([INPUT, {"id": "cat", "type": "Concatenate"}], edges))
    assert str(err.value) == f'edges[{ff.MAX_PORT + 1}]: "cat" would get input {ff.MAX_PORT + 1}; ports go from 0 to {ff.MAX_PORT}'
    d = ff.from_dict(_file([INPUT, {"id": "cat", "type": "Concatenate"}], edges[: ff.MAX_PORT + 1]))
    assert max(e.port for e in d.edges()) == ff.MAX_PORT


def test_an_attribute_nested_a_thousand_deep_is_a_format_error_not_a_recursion_error():
    deep = "[" * 900 + "]" * 900  # parses, but quoting it in the message overflowed the stack
    text = '{"format": "archcanvas.design", "version": 1, "nodes": [' \
           '{"id": "in", "type": "Input", "attrs": {"shape": ' + deep + '}}]}'
    with pytest.raises(FormatError) as err:
        ff.loads(text, "deep.json")
    assert str(err.value) == "deep.json: nodes[0].attrs.shape: the value is nested too deeply to be valid"


def test_a_huge_bad_attribute_value_gives_a_short_message():
    data = _file([{"id": "in", "type": "Input", "attrs": {"shape": list(range(1, 100_001))}}])
    with pytest.raises(FormatError) as err:
        ff.from_dict(data, "big.json")
    message = str(err.value)
    assert message.startswith("big.json: nodes[0].attrs.shape: must be a list of positive integers")
    assert len(message) < 400 and message.endswith("…")


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_file([INPUT], name="x" * 2000)), encoding="utf-8")
    monkeypatch.setattr(ff, "MAX_BYTES", 1024)
    with pytest.raises(FormatError) as err:
        ff.load(path)
    assert str(err.value) == f"{path}: too large for a design file ({path.stat().st_size:,} bytes; the limit is 0 MiB)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(ff, "MAX_BYTES", 4096)  # before the fix: read /dev/zero until memory ran out
    with pytest.raises(FormatError) as err:
        ff.load("/dev/zero")
    assert str(err.value) == "/dev/zero: too large for a design file (the limit is 0 MiB)"


def test_a_utf16_file_is_named_as_such():
    raw = json.dumps(_file([INPUT])).encode("utf-16")  # with its byte-order mark, as Notepad writes it
    with pytest.raises(FormatError) as err:
        ff.loads(raw, "d.json")
    assert str(err.value) == ("d.json: UTF-16 text (it starts with a UTF-16 byte-order mark); "
                              "a design is a UTF-8 JSON file: save it as UTF-8")


@pytest.mark.parametrize("text, place", [
    ('{"id": "in", "type": "Input", "name": "a\\ud800b", "attrs": {"shape": [2]}}', "nodes[0].name"),
    ('{"id": "\\uDC00", "type": "Input", "attrs": {"shape": [2]}}', "nodes[0].id"),
    ('{"id": "in", "type": "Input", "attrs": {"shape": [2]}, "note": ["ok", "\\udfff"]}', "nodes[0].note[1]"),
])
def test_a_lone_surrogate_escape_is_refused_at_load(text, place):
    # Valid JSON, but no character: the design loaded and then could be neither saved nor exported.
    with pytest.raises(FormatError) as err:
        ff.loads('{"format": "archcanvas.design", "version": 1, "nodes": [' + text + "]}", "s.json")
    assert str(err.value) == (f"s.json: {place}: contains a lone UTF-16 surrogate escape "
                              "(\\ud800 to \\udfff), which is not a character")


def test_an_escaped_surrogate_pair_is_an_ordinary_character(tmp_path):
    text = '{"format": "archcanvas.design", "version": 1, "nodes": [' \
           '{"id": "in", "type": "Input", "name": "\\ud83d\\ude00", "attrs": {"shape": [2]}}]}'
    d = ff.loads(text)
    assert d.node("in").name == "\N{GRINNING FACE}"
    ff.save(d, tmp_path / "e.json")
    assert ff.load(tmp_path / "e.json").node("in").name == "\N{GRINNING FACE}"


def test_text_utf8_cannot_encode_is_a_save_error_and_the_old_file_stays(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(SaveError) as err:
        write_atomic(path, "name\n\udc80\n", what="CSV report")
    assert str(err.value) == (f"cannot save CSV report {path}: the text contains '\\udc80', which is not a "
                              "character UTF-8 can write; the existing file is unchanged")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


# report ------------------------------------------------------------------------------------------
def _named(name: str) -> Design:
    d = Design("n")
    d.add_node("Input", "in", attrs={"shape": [4, 4, 3]}, name=name)
    d.add_node("Conv2D", "c", attrs={"filters": 2, "kernel_size": 1}, group="g,1")
    d.connect("in", "c")
    return d


def test_text_table_shows_control_characters_harmlessly():
    d = _named("a\x1b]0;pwned\x07\nb")  # an OSC escape would retitle the terminal; \n would split a row
    text = report.to_text(d, analyze(d))
    assert "\x1b" not in text and "\x07" not in text
    assert " a\ufffd]0;pwned\ufffd b (Input) " in text
    assert len(text.splitlines()) == len(report.to_text(_named("ab"), analyze(_named("ab"))).splitlines())


def test_pins_csv_keeps_any_name_exactly_quoted_as_rfc4180():
    name = 'Ünï, "cödé"\n畳み込み'
    d = _named(name)
    text = report.to_csv(d, analyze(d))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:4] == [name, "Input", "", "4x4x3"]
    assert rows[2][:4] == ["c", "Conv2D", "g,1", "4x4x2"]
    assert rows[-1][0] == "TOTAL" and len(rows) == 4


def test_pins_json_layer_rows_name_defaults_to_id_and_shapes_are_int_lists():
    d = _named("")
    data = report.to_json(d, analyze(d))
    assert [(x["id"], x["name"], x["group"], x["output_shape"]) for x in data["layers"]] == [
        ("in", "in", None, [4, 4, 3]), ("c", "c", "g,1", [4, 4, 2])]
    assert all(type(v) is int for x in data["layers"] for v in x["output_shape"])
    assert {"params", "trainable_params", "macs", "flops"} <= set(data["totals"])


# command line ------------------------------------------------------------------------------------
def test_report_dash_reads_the_design_from_stdin():
    raw = SEED.read_bytes()
    r = run("report", "-", "--json", stdin=raw)
    assert (r.returncode, r.stderr) == (0, "")
    assert json.loads(r.stdout)["totals"]["params"] == 3_335_842
    r = run("report", "-", stdin=b'{"format": "archcanvas.design", "version": 2}')
    assert (r.returncode, r.stderr) == (
        1, "error: stdin: written by a newer ArchCanvas (format version 2); this one reads version 1\n")


def test_an_error_line_never_carries_a_terminal_escape(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(_file(
        [INPUT, {"id": "c", "name": "x\x1b[2J\ny", "type": "Conv2D", "attrs": {"filters": 1, "kernel_size": 9}}],
        [{"source": "in", "target": "c"}])), encoding="utf-8")
    r = run("report", path)
    assert r.returncode == 1
    assert r.stderr == ("error: x\ufffd[2J y: input 8×8: input size 8 is smaller than the kernel 9 "
                        "with 'valid' padding\n")


def test_an_unknown_template_shows_the_usage_of_new():
    r = run("new", "mobilenet", "-o", "x.json")
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == "usage: archcanvas new TEMPLATE [--PARAM VALUE ...] -o OUT.json"


@pytest.mark.parametrize("args, option, dash", [
    (("report", SEED, "--csv", ""), "--csv", "stdout"),  # before: exit 0 and no CSV, silently
    (("new", "seed-inception", "-o", ""), "-o/--output", "stdout"),  # before: "cannot save : it is a folder"
    (("report", ""), "DESIGN.json", "stdin"),
])
def test_an_empty_file_name_is_bad_usage(args, option, dash):
    r = run(*args)
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1].endswith(
        f"error: argument {option}: needs a file name ('-' for {dash}), got an empty one")


@pytest.mark.parametrize("args", [("--json",), ("--csv", "-")])
def test_machine_output_is_utf8_whatever_the_locale(tmp_path, args):
    # Before: a Latin-1 locale turned 畳み込み into ???? and wrote Latin-1 bytes, invalid JSON text.
    d = _named("畳み込み ü")
    path = tmp_path / "d.json"
    ff.save(d, path)
    r = run("report", path, *args, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert r.returncode == 0, r.stderr
    expected = report.to_csv(d, analyze(d)) if "--csv" in args else \
        json.dumps(report.to_json(d, analyze(d)), indent=2, ensure_ascii=False) + "\n"
    assert r.stdout == expected


def test_an_error_line_adds_the_id_when_the_name_alone_is_ambiguous(tmp_path):
    # Names need not be unique: two failing layers both called "conv" gave two identical lines.
    conv = {"type": "Conv2D", "name": "conv", "attrs": {"filters": 1, "kernel_size": 9}}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(_file(
        [INPUT, {"id": "a", **conv}, {"id": "b", **conv}, {"id": "c", "type": "Dense", "name": "a",
                                                            "attrs": {"units": 1}},
         {"id": "d", "type": "Dense", "name": "lonely", "attrs": {"units": 1}}],
        [{"source": "in", "target": "a"}, {"source": "in", "target": "b"}])), encoding="utf-8")
    r = run("report", path)
    assert r.returncode == 1
    fault = "input 8×8: input size 8 is smaller than the kernel 9 with 'valid' padding"
    assert r.stderr.splitlines() == [f"error: conv (id a): {fault}", f"error: conv (id b): {fault}",
                                     "error: a (id c): needs an input, has 0",
                                     "error: lonely: needs an input, has 0"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_pipe_is_written_in_place_not_replaced(tmp_path):
    # Before: the temporary file was renamed over the target, so a FIFO (or, as root, /dev/null
    # itself) became a regular file and the reader got nothing.
    import threading
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, "a,b\n", what="CSV report")
    reader.join(timeout=10)
    assert got == [b"a,b\n"]
    assert not fifo.is_file() and fifo.is_fifo()


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_csv_and_new_can_write_to_dev_stdout():
    r = run("report", SEED, "--csv", "/dev/stdout")  # stdout is a pipe here
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith(report.to_csv(*_load_and_analyze(SEED)))
    r = run("new", "seed-inception", "-o", "/dev/stdout")
    assert (r.returncode, r.stderr) == (0, "")
    text, wrote = r.stdout.split("wrote /dev/stdout: ")
    assert analyze(ff.loads(text)).totals.params == 3_335_842
    assert wrote == "13 layers, 3,335,842 params, 100,439,936 MACs\n"


def _load_and_analyze(path):
    d = ff.load(path)
    return d, analyze(d)


def test_text_table_lines_up_korean_names_by_terminal_columns():
    # The seeds are Korean; a name such as 합성곱 takes two terminal columns per syllable, and
    # padding by len() pushed every column after it three places out of line.
    from unicodedata import east_asian_width

    def columns(text):
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    d = Design("k")
    d.add_node("Input", "in", attrs={"shape": [4, 4, 3]}, name="입력")
    d.add_node("Conv2D", "c", attrs={"filters": 2, "kernel_size": 1}, name="합성곱")
    d.add_node("Dense", "dense", attrs={"units": 2})
    d.connect("in", "c")
    d.connect("c", "dense")
    lines = report.to_text(d, analyze(d)).splitlines()
    rows = [line for line in lines if "(Input)" in line or "(Conv2D)" in line or "(Dense)" in line]
    assert len(rows) == 3
    starts = {columns(row[: row.index("4×4×")]) for row in rows}
    assert starts == {columns(lines[2][: lines[2].index("Output shape")])}



@pytest.mark.parametrize("number", ["1e400", "-1e999"])
def test_a_number_beyond_float_range_among_unknown_keys_is_refused_at_load(number):
    # Before: Python read it as infinity, kept it among the unknown keys, and the design then
    # could not be saved ("Out of range float values are not JSON compliant").
    node = '{"id": "in", "type": "Input", "attrs": {"shape": [2]}, "meta": {"ok": [1, ' + number + "]}}"
    text = '{"format": "archcanvas.design", "version": 1, "nodes": [' + node + "]}"
    with pytest.raises(FormatError) as err:
        ff.loads(text, "f.json")
    assert str(err.value) == "f.json: nodes[0].meta.ok[1]: a number too large to be finite (beyond ±1.8e308)"
    with pytest.raises(FormatError) as err:
        ff.loads(text.replace('"nodes"', '"top": ' + number + ', "nodes"'), "f.json")
    assert str(err.value) == "f.json: top: a number too large to be finite (beyond ±1.8e308)"
    assert ff.dumps(ff.loads(text.replace(number, "1.5e308"))).count("1.5e+308") == 1


@pytest.mark.parametrize("node, place", [
    ('{"id": "a", "type": "Input", "attrs": {"shape": [2]}, "pos": [1' + "0" * 400 + ", 0]}", "nodes[0].pos"),
    ('{"id": "a", "type": "BatchNormalization", "attrs": {"epsilon": 1' + "0" * 400 + "}}", "nodes[0].attrs.epsilon"),
])
def test_a_400_digit_integer_where_a_float_belongs_is_a_format_error(node, place):
    # Before: float() of it raised OverflowError, which is not the project's error type.
    with pytest.raises(FormatError) as err:
        ff.loads('{"format": "archcanvas.design", "version": 1, "nodes": [' + node + "]}", "o.json")
    assert str(err.value).startswith(f"o.json: {place}: must be ")
    assert len(str(err.value)) < 400
