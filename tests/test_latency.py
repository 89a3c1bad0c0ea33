"""Roofline latency (core/latency.py), device profiles, receptive fields, and the CLI around them:
``report --device/--no-fuse/--depthwise-in-place``, ``devices``, ``calibrate``."""

from __future__ import annotations

import json

import pytest

from archcanvas.core import cli, latency, receptive
from archcanvas.core import fileformat as ff
from archcanvas.core.analysis import analyze
from archcanvas.core.design import Design
from archcanvas.core.templates import TEMPLATES

USER = {"name": "my-board", "peak_flops": 1e9, "memory_bandwidth": 1e8, "peak_flops_by_dtype": {"int8": 4e9}}


def _small() -> Design:
    d = Design("small")
    d.add_node("Input", "in", attrs={"shape": [8, 8, 16]})
    d.add_node("Conv2D", "conv", attrs={"filters": 32, "kernel_size": 3, "padding": "same"})
    d.add_node("BatchNormalization", "bn")
    d.connect("in", "conv")
    d.connect("conv", "bn")
    return d


def test_roofline_on_hand_computed_layers():
    d = _small()
    t = latency.estimate(d, analyze(d), latency.device_from_dict(USER, "test"), "float32")
    conv, bn = t.layers["conv"], t.layers["bn"]
    # conv: 3·3·16·32 + 32 = 4,640 weights; 8·8·16 in, 8·8·32 out; 2 · 294,912 MACs + 2,048 bias adds
    assert conv.flops == 591_872 and conv.bytes == (4_640 + 1_024 + 2_048) * 4
    assert conv.intensity == pytest.approx(591_872 / 30_848)
    assert conv.bound == "compute" and conv.attainable == 1e9
    assert conv.seconds == pytest.approx(591_872 / 1e9)
    # batch norm: 2 FLOPs per element, 4·32 parameters, 2,048 in and out: far below the ridge
    assert bn.flops == 4_096 and bn.bytes == (128 + 2_048 + 2_048) * 4
    assert bn.bound == "memory" and bn.attainable == pytest.approx(4_096 / 16_896 * 1e8)
    assert bn.seconds == pytest.approx(16_896 / 1e8)
    assert t.layers["in"].seconds == 0
    assert t.seconds == pytest.approx(591_872 / 1e9 + 16_896 / 1e8)


def test_a_dtype_peak_and_scaling_to_a_measurement():
    d = _small()
    a = analyze(d)
    dev = latency.device_from_dict(USER, "test")
    int8 = latency.estimate(d, a, dev, "int8")
    # int8: a quarter of the bytes and the int8 peak of 4 GFLOP/s
    assert int8.layers["conv"].seconds == pytest.approx(max(591_872 / 4e9, 7_712 / 1e8))
    est = latency.estimate(d, a, dev).seconds
    fast = latency.scaled(dev, est, est / 2)
    assert fast.peak_flops == 2e9 and fast.memory_bandwidth == 2e8 and fast.peak("int8") == 8e9
    assert latency.estimate(d, a, fast).seconds == pytest.approx(est / 2)


@pytest.mark.parametrize("data, message", [
    ({"peak_flops": 1, "memory_bandwidth": 1}, "name must be a non-empty string"),
    ({"name": "x", "memory_bandwidth": 1}, "peak_flops must be a positive number, got null"),
    ({"name": "x", "peak_flops": -2, "memory_bandwidth": 1}, "peak_flops must be a positive number, got -2"),
    ({"name": "x", "peak_flops": 1, "memory_bandwidth": True}, "memory_bandwidth must be a positive number"),
    ({"name": "x", "peak_flops": 1, "memory_bandwidth": 1, "peak_flops_by_dtype": {"int4": 1}},
     "peak_flops_by_dtype must map"),
    ([1, 2], "must be a JSON object"),
])
def test_bad_profiles_are_named(data, message):
    with pytest.raises(Exception) as err:
        latency.device_from_dict(data, "p.json")
    assert str(err.value).startswith("p.json: ") and message in str(err.value)


def test_builtin_devices_have_sources():
    devices = latency.builtin_devices()
    assert {"raspberry-pi-4", "jetson-nano", "phone-big-core", "laptop-cpu"} <= set(devices)
    for d in devices.values():
        assert d.source and d.derivation and d.peak_flops > 1e9 and d.memory_bandwidth > 1e9


# receptive field ---------------------------------------------------------------------------------
def test_receptive_field_by_hand():
    d = Design("rf")
    specs = [("in", "Input", {"shape": [64, 64, 3]}), ("c1", "Conv2D", {"filters": 4, "kernel_size": 3}),
             ("c2", "Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}),
             ("p", "MaxPooling2D", {}), ("c3", "Conv2D", {"filters": 4, "kernel_size": [3, 1], "dilation_rate": 2}),
             ("g", "GlobalAveragePooling2D", {}), ("fc", "Dense", {"units": 2})]
    for i, (nid, t, attrs) in enumerate(specs):
        d.add_node(t, nid, attrs=attrs)
        if i:
            d.connect(specs[i - 1][0], nid)
    f = receptive.fields(d, analyze(d))
    assert [(f[n].size, f[n].stride) for n in ("in", "c1", "c2", "p", "c3")] == [
        ((1, 1), (1, 1)), ((3, 3), (1, 1)), ((5, 5), (2, 2)), ((7, 7), (4, 4)), ((23, 7), (4, 4))]
    # the global pool sees all of c3's 11×15 map: 23 + 10·4 rows, 7 + 14·4 columns
    assert f["g"].whole_input and f["g"].size == (63, 63) == f["fc"].size


def test_mobilenet_v1_receptive_field():
    d = TEMPLATES["mobilenet-v1"].build(resolution=128)
    f = receptive.fields(d, analyze(d))
    assert f["conv_pw_13"].size == (315, 315) and f["conv_pw_13"].stride == (32, 32)  # Araujo et al. 2019


# the command line -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def v2_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("v2") / "v2.json"
    ff.save(TEMPLATES["mobilenet-v2"].build(), path)
    return path


def _json(capsys, *argv):
    assert cli.main(list(map(str, argv))) == 0
    return json.loads(capsys.readouterr().out)


def test_report_json_carries_memory_and_latency(capsys, v2_file, tmp_path):
    data = _json(capsys, "report", v2_file, "--json", "--dtype", "int8", "--depthwise-in-place")
    t = data["totals"]
    assert (t["peak_memory_bytes"], t["peak_memory_layer"], t["largest_tensor_bytes"]) == \
        (1_404_928, "block_1_expand", 1_204_224)
    assert "latency_s" not in t and "bound" not in data["layers"][1]
    assert max(row["live_bytes"] for row in data["layers"]) == 1_404_928
    assert sorted(data["best_order"]) == sorted(row["id"] for row in data["layers"])
    assert _json(capsys, "report", v2_file, "--json", "--dtype", "int8")["totals"]["peak_memory_bytes"] == 1_505_280
    no_fuse = _json(capsys, "report", v2_file, "--json", "--dtype", "int8", "--no-fuse")["totals"]
    assert no_fuse["peak_memory_layer"] == "block_1_pad" and no_fuse["largest_tensor_bytes"] == 113 * 113 * 96
    profile = tmp_path / "board.json"
    profile.write_text(json.dumps(USER))
    data = _json(capsys, "report", v2_file, "--json", "--device", profile)
    layers = {row["id"]: row for row in data["layers"]}
    assert data["totals"]["device"] == "my-board"
    assert data["totals"]["latency_s"] == pytest.approx(sum(r["latency_s"] for r in layers.values()))
    # Conv_1, 1×1 from 7×7×320 to 1,280: 40.1M FLOPs over (409,600 + 15,680 + 62,720) × 4 bytes,
    # an intensity of 20.6 above the ridge of 10; Conv1 (3×3/2 on the image) at 9.8 is below it
    conv = layers["Conv_1"]
    assert layers["Conv1"]["bound"] == "memory"
    assert conv["bound"] == "compute" and conv["latency_s"] == pytest.approx(conv["flops"] / 1e9)
    assert conv["bytes_moved"] == (409_600 + 15_680 + 62_720) * 4
    assert conv["arithmetic_intensity"] == pytest.approx(conv["flops"] / conv["bytes_moved"])
    assert layers["bn_Conv1"]["bound"] == "memory"


def test_report_text_shows_the_peak(capsys, v2_file):
    assert cli.main(["report", str(v2_file), "--dtype", "int8", "--device", "jetson-nano"]) == 0
    out = capsys.readouterr().out
    assert " Peak activation memory: 1,505,280 B (1.4 MiB as int8, fused) at block_1_depthwise" in out
    assert " Estimated latency on jetson-nano: " in out and "roofline estimate" in out


def test_bad_device_is_one_error_line(capsys, v2_file, tmp_path):
    assert cli.main(["report", str(v2_file), "--device", "toaster"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown device 'toaster': built-in devices are ") and err.count("\n") == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "b", "peak_flops": "fast", "memory_bandwidth": 1}')
    assert cli.main(["report", str(v2_file), "--device", str(bad)]) == 1
    assert capsys.readouterr().err == f'error: {bad}: peak_flops must be a positive number, got "fast"\n'


def test_devices_lists_profiles_usable_as_device(capsys, v2_file):
    listed = _json(capsys, "devices", "--json")
    assert [d["name"] for d in listed] == sorted(latency.builtin_devices())
    assert all({"name", "peak_flops", "memory_bandwidth", "source"} <= set(d) for d in listed)
    assert cli.main(["devices"]) == 0
    text = capsys.readouterr().out
    assert all(d["name"] in text for d in listed) and "source:" in text


def test_calibrate_writes_a_profile_and_scales_one(capsys, v2_file, tmp_path):
    out = tmp_path / "me.json"
    assert cli.main(["calibrate", "--quick", "-o", str(out)]) == 0
    me = latency.load_device(str(out))
    assert me.name == "this-machine" and me.peak_flops > 1e6 and me.memory_bandwidth > 1e6
    capsys.readouterr()
    scaled = tmp_path / "pi.json"
    assert cli.main(["calibrate", "--measured", "0.25", "--design", str(v2_file), "--device", "raspberry-pi-4",
                     "--name", "my-pi", "-o", str(scaled)]) == 0
    capsys.readouterr()
    data = _json(capsys, "report", v2_file, "--json", "--device", scaled)
    assert data["totals"]["device"] == "my-pi" and data["totals"]["latency_s"] == pytest.approx(0.25)
    assert cli.main(["calibrate", "--measured", "0", "--design", str(v2_file), "-o", "-"]) == 2
    assert cli.main(["calibrate", "--measured", "1", "-o", "-"]) == 2
