"""``archcanvas sweep`` and core.sweep: MobileNet's Tables 6 and 7 from the template and from a design file."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from archcanvas.core import sweep, templates
from archcanvas.core.fileformat import save

EXE = Path(sys.executable).parent / "archcanvas"
EXAMPLES = Path(__file__).parent.parent / "resources" / "examples"

# MobileNet v1 (Howard et al. 2017): Table 6 (width α at 224) and Table 7 (resolution at α = 1),
# in millions of mult-adds and millions of parameters as printed (the paper counts the trained
# parameters: Keras's total adds BatchNormalization's 21,888 moving statistics at α = 1).
TABLE6 = {1.0: (569, 4.2), 0.75: (325, 2.6), 0.5: (149, 1.3), 0.25: (41, 0.5)}
TABLE7 = {224: (569, 4.2), 192: (418, 4.2), 160: (290, 4.2), 128: (186, 4.2)}


def run(*args, **kw):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, timeout=300, **kw)


def _rows(source, alphas, resolutions, workers=1):
    return sweep.sweep(source, sweep.variants(alphas, resolutions), workers=workers)


def test_mobilenet_template_sweep_reproduces_tables_6_and_7():
    rows = _rows(sweep.Source(template="mobilenet-v1"), [1.0, 0.75, 0.5, 0.25], [224, 192, 160, 128])
    assert [(r["alpha"], r["resolution"]) for r in rows][:5] == [(1.0, 224), (1.0, 192), (1.0, 160), (1.0, 128), (0.75, 224)]
    by = {(r["alpha"], r["resolution"]): r for r in rows}
    # Printed to the million, truncated once (ρ 160: 290.68M printed 290): within 1M of the print.
    for alpha, (macs, params) in TABLE6.items():
        assert abs(by[alpha, 224]["macs"] / 1e6 - macs) < 1.0
        assert round(by[alpha, 224]["trainable_params"] / 1e6, 1) == params
    for res, (macs, params) in TABLE7.items():
        assert abs(by[1.0, res]["macs"] / 1e6 - macs) < 1.0
        assert round(by[1.0, res]["trainable_params"] / 1e6, 1) == params
    assert by[1.0, 224]["macs"] == 568_740_352 and by[1.0, 224]["params"] == 4_253_864


def test_a_design_file_scaled_by_the_generic_rule_matches_the_template_rebuilt():
    """MobileNet v1's channels are all multiples of 8 and its classifier is a 1×1 convolution of a
    1×1 map, so the generic rule must give exactly what the template's own rule gives."""
    base = sweep.from_design(templates.build("mobilenet-v1"))
    alphas, res = [1.0, 0.75, 0.5, 0.25], [224, 160]
    generic = _rows(base, alphas, res)
    own = _rows(sweep.Source(template="mobilenet-v1"), alphas, res)
    for g, o in zip(generic, own):
        assert {k: g[k] for k in sweep.FIGURES} == {k: o[k] for k in sweep.FIGURES}, (g["alpha"], g["resolution"])


def test_the_bottleneck_demo_keeps_the_seeds_figures_at_alpha_1():
    from archcanvas.core.fileformat import load
    demo = sweep.from_design(load(EXAMPLES / "bottleneck_demo.json"))
    (row,) = _rows(demo, [1.0], [28])
    assert row["by_group"]["direct"]["macs"] == 120_422_400
    assert row["by_group"]["bottleneck"]["macs"] == 12_443_648 == 2_408_448 + 10_035_200


def test_the_generic_rule_rounds_by_keras_only_when_every_count_is_a_multiple_of_8():
    from archcanvas.core.design import Design
    d = Design("odd")
    d.add_node("Input", "in", {"shape": [8, 8, 3]})
    d.add_node("Conv2D", "c", {"filters": 10, "kernel_size": 3})
    d.add_node("Flatten", "f", {})
    d.add_node("Dense", "out", {"units": 7})
    d.connect("in", "c"), d.connect("c", "f"), d.connect("f", "out")
    scaled = sweep.Source(design_json=sweep.from_design(d).design_json).build(sweep.Variant(alpha=0.5))
    assert scaled.node("c").resolved()["filters"] == 5 and scaled.node("out").resolved()["units"] == 7
    d.set_attr("c", "filters", 40)
    scaled = sweep.from_design(d).build(sweep.Variant(alpha=0.3))
    assert scaled.node("c").resolved()["filters"] == 12  # 7 is no multiple of 8: plain rounding of 12.0
    d.set_attr("out", "units", 16)
    scaled = sweep.from_design(d).build(sweep.Variant(alpha=0.3))
    assert scaled.node("c").resolved()["filters"] == 16  # Keras: 12 → nearest multiple of 8 (16)
    assert scaled.node("out").resolved()["units"] == 16  # the classifier keeps its size


def test_parallel_and_serial_sweeps_agree():
    source = sweep.Source(template="mobilenet-v2")
    assert _rows(source, [0.35, 0.5, 1.0, 1.4], [96, 128, 160], workers=2) == _rows(source, [0.35, 0.5, 1.0, 1.4], [96, 128, 160])


def test_cli_csv_json_and_table(tmp_path):
    out = tmp_path / "s.csv"
    r = run("sweep", "mobilenet-v1", "--alpha", "0.25,0.5,0.75,1.0", "--resolution", "128,160,192,224", "--csv", out)
    assert r.returncode == 0, r.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == 16 and "TOTAL" not in {row["alpha"] for row in table}
    assert list(table[0])[:6] == ["alpha", "resolution", "params", "trainable_params", "non_trainable_params", "macs"]
    assert {"flops"} <= set(table[0])
    assert table[-1] == {**table[-1], "alpha": "1.0", "resolution": "224", "macs": "568740352", "params": "4253864"}
    r = run("sweep", "mobilenet-v1", "--alpha", "0.5", "--json")
    (row,) = json.loads(r.stdout)
    assert row["params"] == 1_342_536 and row["macs"] == 149_497_088
    design = tmp_path / "m.json"
    save(templates.build("mobilenet-v1"), design)
    r = run("sweep", design, "--alpha", "0.5")
    assert r.returncode == 0 and "149,497,088" in r.stdout


@pytest.mark.parametrize("args,code,message", [
    (("mobilenet-v1", "--alpha", "1_0"), 2, "plain decimal numbers"),
    (("mobilenet-v1", "--resolution", "١٠٠"), 2, "plain decimal integers"),
    (("mobilenet-v1", "--alpha", "inf"), 2, "plain decimal numbers"),
    (("mobilenet-v1",), 2, "give at least one of"),
    (("no-such-template", "--alpha", "1"), 2, "neither a template"),
    (("mobilenet-v1", "--phi", "1"), 1, "compound coefficient"),
    (("googlenet", "--resolution", "1,224"), 1, "resolution 1: "),
])
def test_cli_refuses_bad_use(args, code, message):
    r = run("sweep", *args)
    assert r.returncode == code, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    if code == 1:
        assert r.stdout == ""


def test_efficientnet_is_swept_by_its_compound_coefficient():
    rows = sweep.sweep(sweep.Source(template="efficientnet"), sweep.variants(None, None, [0.0, 1.0]))
    assert [r["phi"] for r in rows] == [0.0, 1.0]
    assert rows[0]["params"] == 5_330_571  # φ = 0 is B0 (keras.applications.EfficientNetB0)
    assert rows[1]["params"] > rows[0]["params"] and rows[1]["macs"] > rows[0]["macs"]
