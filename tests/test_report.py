"""The cost report: rows, CSV, JSON and text, checked against numbers worked out by hand.

Golden files under tests/data/golden/ are compared exactly. To regenerate them on purpose:
    ARCHCANVAS_REGEN_GOLDEN=1 pytest tests/test_report.py -k golden
then review the diff before committing.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from archcanvas.core import fileformat as ff
from archcanvas.core import report
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
CONTRACT_COLUMNS = ["name", "type", "group", "output_shape", "params", "trainable_params", "macs", "flops",
                    "activations"]


def _load(name):
    d = ff.load(DATA / "valid" / f"{name}.json")
    return d, analyze(d)


def _csv(d, a, dtype="float32"):
    return list(csv.DictReader(io.StringIO(report.to_csv(d, a, dtype))))


def test_csv_starts_with_the_contract_columns_in_order():
    d, a = _load("seed_inception")
    header = report.to_csv(d, a).splitlines()[0].split(",")
    assert header[:9] == CONTRACT_COLUMNS
    assert header == [c.key for c in report.COLUMNS]


def test_csv_rows_follow_topological_order_with_input_and_total():
    d, a = _load("seed_inception")
    table = _csv(d, a)
    assert [r["id"] for r in table[:-1]] == d.topological_order()
    assert table[0] == {**table[0], "name": "in", "type": "Input", "output_shape": "28x28x3", "params": "0"}
    assert table[-1]["name"] == "TOTAL"
    by_name = {r["name"]: r for r in table}
    assert by_name["path1"]["id"] == "p1"  # named by name; the id is its own column
    assert by_name["cat"]["output_shape"] == "28x28x256"
    assert by_name["flat"]["output_shape"] == "50176"
    # path2: 3×3×96×128 + 128 = 110,720 params; 28·28·3·3·96·128 = 86,704,128 MACs
    assert (by_name["path2"]["params"], by_name["path2"]["macs"]) == ("110720", "86704128")
    assert by_name["path2"]["weight_bytes"] == str(110720 * 4)
    assert by_name["cat"]["activation_bytes"] == str(28 * 28 * 256 * 4)


def test_csv_total_row_is_the_sum_of_the_rows():
    d, a = _load("seed_inception")
    table = _csv(d, a)
    total, body = table[-1], table[:-1]
    for key in ("params", "trainable_params", "non_trainable_params", "macs", "flops", "activations",
                "activation_bytes", "weight_bytes"):
        assert int(total[key]) == sum(int(r[key]) for r in body), key
    assert total["params"] == "3335842"
    assert (total["pct_params"], total["pct_macs"]) == ("100.00", "100.00")
    assert abs(sum(float(r["pct_params"]) for r in body) - 100) < 0.1


def test_csv_numbers_are_plain_integers():
    d, a = _load("seed_inception")
    for row in _csv(d, a):
        for key in ("params", "macs", "flops", "activations"):
            assert row[key].isdigit(), (row["name"], key, row[key])


def test_dtype_sets_the_bytes():
    d, a = _load("separable_block")
    half = {r["id"]: r for r in _csv(d, a, "float16")}
    byte = {r["id"]: r for r in _csv(d, a, "int8")}
    assert half["pw"]["weight_bytes"] == "4096" and byte["pw"]["weight_bytes"] == "2048"
    assert half["pw"]["activation_bytes"] == str(112 * 112 * 64 * 2)
    with pytest.raises(ValueError, match="unknown dtype 'float64'"):
        report.to_csv(d, a, "float64")


def test_batch_norm_statistics_are_non_trainable():
    d, a = _load("separable_block")
    rows = {r.id: r for r in report.rows(d, a)}
    assert (rows["bn1"].params, rows["bn1"].trainable_params, rows["bn1"].non_trainable_params) == (128, 64, 64)
    t = report.to_json(d, a)["totals"]
    # dw 288 + bn 128 + pw 2,048 + bn 256 = 2,720, of which the BN statistics 64 + 128 are not trained
    assert (t["params"], t["trainable_params"], t["non_trainable_params"]) == (2720, 2528, 192)
    assert t["macs"] == 112 * 112 * 9 * 32 + 112 * 112 * 32 * 64 == 29_302_784


def test_json_has_the_contract_shape():
    d, a = _load("seed_inception")
    data = report.to_json(d, a)
    json.dumps(data)  # plain JSON types only
    layer = next(x for x in data["layers"] if x["id"] == "cat")
    assert {"id", "name", "type", "group", "output_shape", "params", "macs", "flops", "activations"} <= set(layer)
    assert layer["output_shape"] == [28, 28, 256] and layer["group"] == "inception"
    assert data["layers"][0]["group"] is None
    assert {"params", "trainable_params", "macs", "flops"} <= set(data["totals"])
    assert data["totals"]["params"] == 3_335_842
    assert data["by_group"]["inception"]["params"] == 124_384  # the seed's sum of the four paths' convs


def test_text_table_has_totals_and_groups():
    d, a = _load("separable_block")
    text = report.to_text(d, a)
    assert " Total params: 2,720 (10.6 KiB)\n" in text
    assert " Trainable params: 2,528 (9.9 KiB)\n" in text
    assert " Non-trainable params: 192 (768 B)\n" in text
    assert " MACs: 29,302,784 (29.3M)\n" in text
    assert " Per group:\n" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith(" Layer (type)"))
    row = next(line for line in lines if line.startswith(" pointwise (Conv2D)"))
    # numbers are right-aligned under their headings
    assert row.index("25,690,112") + len("25,690,112") == header.index("MACs") + len("MACs")


def test_a_layer_that_cannot_be_computed_shows_its_error():
    d = Design("bad")
    d.add_node("Input", "in", attrs={"shape": [6, 6, 3]})
    d.add_node("Conv2D", "c", attrs={"filters": 5, "kernel_size": 7})
    d.add_node("Flatten", "f")
    d.connect("in", "c")
    d.connect("c", "f")
    a = analyze(d)
    table = _csv(d, a)
    assert table[1]["output_shape"] == "" and "smaller than the kernel 7" in table[1]["error"]
    assert table[2]["error"] == "not computed: input 'c' could not be computed"
    text = report.to_text(d, a)
    assert "   ! input 6×6: input size 6 is smaller than the kernel 7 with 'valid' padding" in text
    assert " 1 layer(s) could not be computed, 1 more depend on them; their cost is not in the totals.\n" in text


def test_worked_example_bottleneck_in_the_report():
    # seed 003: 28×28×192 → Conv2D 32 5×5 same = 120,422,400 MACs; with a 1×1 bottleneck of 16:
    # 2,408,448 + 10,035,200 = 12,443,648.
    d = Design()
    d.add_node("Input", "in", attrs={"shape": [28, 28, 192]})
    d.add_node("Conv2D", "direct", attrs={"filters": 32, "kernel_size": 5, "padding": "same"})
    d.add_node("Conv2D", "reduce", attrs={"filters": 16, "kernel_size": 1})
    d.add_node("Conv2D", "after", attrs={"filters": 32, "kernel_size": 5, "padding": "same"})
    d.connect("in", "direct")
    d.connect("in", "reduce")
    d.connect("reduce", "after")
    macs = {r["id"]: int(r["macs"]) for r in _csv(d, analyze(d))[:-1]}
    assert macs["direct"] == 120_422_400
    assert macs["reduce"] + macs["after"] == 2_408_448 + 10_035_200 == 12_443_648


def test_columns_are_declared_for_the_gui():
    keys = [c.key for c in report.COLUMNS]
    assert keys == list(report.COLUMN_KEYS)
    assert set(keys) == set(report.Row.__dataclass_fields__)
    assert all(c.title and c.doc and c.kind in ("text", "shape", "int", "pct") for c in report.COLUMNS)


# golden files -----------------------------------------------------------------------------------
GOLDEN_CASES = [
    ("seed_inception", "csv", lambda d, a: report.to_csv(d, a)),
    ("seed_inception", "txt", lambda d, a: report.to_text(d, a)),
    ("seed_inception", "json", lambda d, a: json.dumps(report.to_json(d, a), indent=2) + "\n"),
    ("separable_block", "csv", lambda d, a: report.to_csv(d, a, "float16")),
]


@pytest.mark.parametrize("name, ext, render", GOLDEN_CASES, ids=[f"{n}.{e}" for n, e, _ in GOLDEN_CASES])
def test_golden_report(name, ext, render):
    d, a = _load(name)
    text = render(d, a)
    path = GOLDEN / f"{name}.{ext}"
    if os.environ.get("ARCHCANVAS_REGEN_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="")
    assert path.read_text(encoding="utf-8") == text, f"{path} differs; regenerate on purpose (see module doc)"
