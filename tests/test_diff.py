"""``archcanvas diff`` and core.diff: two designs side by side, matched by name, delta = B − A."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from archcanvas.core import diff, report, templates
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.fileformat import save

EXE = Path(sys.executable).parent / "archcanvas"


def run(*args):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, timeout=120)


def _compare(a: Design, b: Design) -> dict:
    return diff.diff(a, analyze(a), b, analyze(b))


def test_a_design_against_itself_is_all_zeros():
    g = templates.build("googlenet")
    result = _compare(g, templates.build("googlenet"))
    assert result["totals"]["delta"] and set(result["totals"]["delta"].values()) == {0}
    assert all(set(e["delta"].values()) == {0} for e in result["layers"] + result["groups"])
    assert len(result["layers"]) == len(g)
    assert result["totals"]["a"] == result["totals"]["b"]
    assert result["totals"]["a"]["params"] == analyze(g).totals.params


def test_mobilenet_width_halved_is_the_two_reports_subtracted_row_by_row():
    a, b = templates.build("mobilenet-v1"), templates.build("mobilenet-v1", alpha=0.5)
    result = _compare(a, b)
    rows_a = {r.name: r for r in report.rows(a, analyze(a))}
    rows_b = {r.name: r for r in report.rows(b, analyze(b))}
    assert set(rows_a) == set(rows_b) == {e["name"] for e in result["layers"]}
    for e in result["layers"]:
        for k in ("params", "trainable_params", "macs", "flops", "activations"):
            assert e["a"][k] == getattr(rows_a[e["name"]], k)
            assert e["b"][k] == getattr(rows_b[e["name"]], k)
            assert e["delta"][k] == getattr(rows_b[e["name"]], k) - getattr(rows_a[e["name"]], k)
    t = result["totals"]["delta"]
    assert t["params"] == 1_342_536 - 4_253_864 and t["macs"] == 149_497_088 - 568_740_352
    assert sum(e["delta"]["macs"] for e in result["layers"]) == t["macs"]


def _chain(*convs) -> Design:
    d = Design("chain")
    d.add_node("Input", "in", {"shape": [8, 8, 3]})
    prev = "in"
    for name, filters in convs:
        d.add_node("Conv2D", name, {"filters": filters, "kernel_size": 3, "padding": "same"})
        d.connect(prev, name)
        prev = name
    return d


def test_a_layer_only_one_side_has_is_null_there_and_zero_in_the_delta():
    a, b = _chain(("c1", 4)), _chain(("c1", 4), ("c2", 8))
    result = _compare(a, b)
    only_b = next(e for e in result["layers"] if e["name"] == "c2")
    assert only_b["a"] is None and only_b["b"]["params"] == 3 * 3 * 4 * 8 + 8
    assert only_b["delta"]["params"] == only_b["b"]["params"]
    back = _compare(b, a)
    only_a = next(e for e in back["layers"] if e["name"] == "c2")
    assert only_a["b"] is None and only_a["delta"]["macs"] == -only_a["a"]["macs"] == -8 * 8 * 9 * 4 * 8


def test_repeated_names_are_matched_occurrence_by_occurrence():
    a = _chain(("c1", 4))
    a.rename("c1", "conv")
    b = _chain(("c1", 4), ("c2", 8))
    b.rename("c1", "conv"), b.rename("c2", "conv")
    result = _compare(a, b)
    assert [e["name"] for e in result["layers"]] == ["in", "conv", "conv"]
    assert result["layers"][1]["delta"]["params"] == 0 and result["layers"][2]["a"] is None


def test_cli_json_csv_and_text(tmp_path):
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    save(templates.build("mobilenet-v1"), pa)
    save(templates.build("mobilenet-v1", alpha=0.5), pb)
    r = run("diff", pa, pb, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= {"totals", "layers"} and set(data["totals"]) == {"a", "b", "delta"}
    assert data["totals"]["delta"]["macs"] == 149_497_088 - 568_740_352
    assert all(set(e) >= {"name", "a", "b", "delta"} for e in data["layers"])
    out = tmp_path / "d.csv"
    r = run("diff", pa, pb, "--csv", out)
    assert r.returncode == 0 and r.stdout == ""
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert table[-1]["name"] == "TOTAL" and int(table[-1]["params_delta"]) == 1_342_536 - 4_253_864
    assert len(table) == len(data["layers"]) + 1 and {row["in"] for row in table[:-1]} == {"both"}
    r = run("diff", pa, pb)
    assert r.returncode == 0 and "-419,243,264" in r.stdout


@pytest.mark.parametrize("args,code,message", [
    (("missing.json", "b.json"), 1, "error: "),
    (("-", "-"), 2, "only one of A and B"),
    (("a.json",), 2, "the following arguments are required: B"),
])
def test_cli_refuses_bad_use(tmp_path, args, code, message):
    save(templates.build("mobilenet-v1"), tmp_path / "b.json")
    save(templates.build("mobilenet-v1"), tmp_path / "a.json")
    r = subprocess.run([str(EXE), "diff", *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == code and message in r.stderr and "Traceback" not in r.stderr


def test_a_design_that_cannot_be_computed_is_refused_naming_the_layer(tmp_path):
    bad = _chain(("c1", 4))
    bad.set_attr("c1", "kernel_size", 20)
    bad.set_attr("c1", "padding", "valid")
    save(bad, tmp_path / "bad.json")
    save(_chain(("c1", 4)), tmp_path / "ok.json")
    r = run("diff", tmp_path / "ok.json", tmp_path / "bad.json")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith(f"error: {tmp_path / 'bad.json'}: c1: ")
