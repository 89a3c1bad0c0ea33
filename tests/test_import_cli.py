"""``archcanvas import MODEL -o DESIGN.json``, and model files wherever a design is taken."""

from __future__ import annotations

import json

import pytest

from archcanvas.core import fileformat
from archcanvas.core.analysis import analyze
from archcanvas.core.cli import main


def sequential(tmp_path):
    config = {"class_name": "Sequential", "keras_version": "2.4.0", "config": {"name": "small", "layers": [
        {"class_name": "InputLayer", "config": {"name": "pixels", "batch_input_shape": [None, 6, 6, 2]}},
        {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3],
                                             "activation": "relu", "trainable": False}},
        {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap"}},
        {"class_name": "Dense", "config": {"name": "out", "units": 3, "activation": "softmax"}},
    ]}}
    path = tmp_path / "small.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def test_import_writes_an_ordinary_design(capsys, tmp_path):
    out = tmp_path / "design.json"
    assert main(["import", str(sequential(tmp_path)), "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}: 4 layers, 91 params, 1,164 MACs\n"
    design = fileformat.load(out)  # read back by the plain design reader
    assert [n.label for n in design.nodes()] == ["pixels", "conv", "gap", "out"]
    assert all(n.pos is not None for n in design.nodes())  # laid out
    assert [n.trainable for n in design.nodes()] == [True, False, True, True]
    t = analyze(design).totals
    assert (t.params, t.trainable_params, t.non_trainable_params) == (91, 15, 76)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["nodes"][1]["trainable"] is False and "trainable" not in saved["nodes"][2]


def test_report_takes_a_model_file(capsys, tmp_path):
    assert main(["report", str(sequential(tmp_path)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows["layers"]] == ["pixels", "conv", "gap", "out"]
    assert rows["layers"][-1]["output_shape"] == [3]
    assert (rows["totals"]["params"], rows["totals"]["trainable_params"]) == (91, 15)


def test_import_to_stdout_and_usage_errors(capsys, tmp_path):
    model = sequential(tmp_path)
    assert main(["import", str(model), "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "archcanvas.design"
    assert main(["import", str(model), "-o", str(model)]) == 2
    assert "would overwrite the model itself" in capsys.readouterr().err
    assert main(["import", str(model)]) == 2
    capsys.readouterr()


def test_a_model_that_imports_but_cannot_be_computed_writes_nothing(capsys, tmp_path):
    config = json.loads(sequential(tmp_path).read_text())
    config["config"]["layers"][1]["config"]["kernel_size"] = [9, 9]  # larger than the 6x6 input
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    out = tmp_path / "o.json"
    assert main(["import", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"error: {path}: the imported model cannot be computed; nothing was written"
    assert err[0].startswith("error: conv") and not out.exists()


def test_onnx_extra_missing_is_one_line(capsys, tmp_path, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_onnx(name, *a, **k):
        if name == "onnx" or name.startswith("onnx."):
            raise ImportError("No module named 'onnx'")
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", no_onnx)
    path = tmp_path / "m.onnx"
    path.write_bytes(b"\x08\x07")
    assert main(["report", str(path)]) == 1
    assert capsys.readouterr().err == (f"error: {path}: reading .onnx models needs the onnx package: "
                                       "pip install 'archcanvas[onnx]'\n")


def test_trainable_and_weights_of_survive_save_load_and_copy(tmp_path):
    from archcanvas.core.design import Design
    d = Design("shared")
    d.add_node("Input", "x", attrs={"shape": [4]})
    d.add_node("Dense", "a", attrs={"units": 2}, trainable=False)
    d.add_node("Dense", "b", attrs={"units": 4})
    d.add_node("Dense", "a2", attrs={"units": 2}, weights_of="a")
    for s, t in (("x", "a"), ("a", "b"), ("b", "a2")):
        d.connect(s, t)
    back = fileformat.loads(fileformat.dumps(d))
    assert [(n.trainable, n.weights_of) for n in back.nodes()] == [(True, None), (False, None), (True, None), (True, "a")]
    t = analyze(back).totals
    assert (t.params, t.trainable_params, t.non_trainable_params) == (10 + 12, 12, 10)
    # a copy of the second call alone is a layer of its own
    assert "weights_of" not in fileformat.to_dict(back, ["a2"])["nodes"][0]
    bad = fileformat.to_dict(back)
    bad["nodes"][3]["weights_of"] = "nowhere"
    with pytest.raises(fileformat.FormatError, match=r'nodes\[3\].weights_of: no node has the id "nowhere"'):
        fileformat.from_dict(bad)
