"""Write the bad-model corpus, tests/data/bad_models/ (run by hand; the files are committed).

Each file is wrong in one way a user's file can be; tests/test_import_bad.py checks the one-line
message each gets (tests/data/bad_models/expected.json)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "bad_models"


def keras3_layer(cls, name, inbound, **config):
    return {"module": "keras.layers", "class_name": cls, "config": {"name": name, "trainable": True, **config},
            "registered_name": None, "name": name,
            "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
                                          "config": {"shape": None, "dtype": "float32", "keras_history": [i, 0, 0]}}
                                         for i in inbound], "kwargs": {}}] if inbound else []}


def functional(layers, inputs, outputs, version="3.8.0"):
    return {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": "model", "trainable": True, "layers": layers,
                       "input_layers": [[i, 0, 0] for i in inputs], "output_layers": [[o, 0, 0] for o in outputs]},
            "keras_version": version}


def write_json(name, data):
    (OUT / name).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    inp = keras3_layer("InputLayer", "image", [], batch_shape=[None, 8, 8, 3])
    write_json("unknown_keras_version.json", functional([inp], ["image"], ["image"], version="9.1.0"))
    write_json("lambda_layer.json", functional([
        inp, keras3_layer("Lambda", "crop", ["image"], function={"class_name": "__lambda__", "config": {
            "code": "4wEAAAAAAAAAAAAAAAEAAAADAAAA8wgAAACXAHwAZAEZAFMAKQJO6QEAAACpACkB2gF4cwEAAAAgeg==",
            "defaults": None, "closure": None}}),
        keras3_layer("MultiHeadAttention", "attention", ["crop"], num_heads=2, key_dim=4),
        keras3_layer("Dense", "head", ["attention"], units=2)], ["image"], ["head"]))
    write_json("unknown_input_size.json", functional(
        [keras3_layer("InputLayer", "image", [], batch_shape=[None, None, None, 3])], ["image"], ["image"]))
    write_json("channels_first.json", functional([inp, keras3_layer(
        "Conv2D", "conv", ["image"], filters=4, kernel_size=[3, 3], data_format="channels_first")], ["image"], ["conv"]))
    write_json("dangling_input.json", functional([inp, keras3_layer("Dense", "d", ["nowhere"], units=2)],
                                                 ["image"], ["d"]))
    write_json("no_input_shape.json", {"class_name": "Sequential", "keras_version": "2.4.0", "config": {
        "name": "seq", "layers": [{"class_name": "Dense", "config": {"name": "dense", "units": 3}}]}})
    write_json("tfjs_graph_model.json", {"format": "graph-model", "generatedBy": "2.15.0",
                                         "modelTopology": {"node": [], "library": {}}, "weightsManifest": []})
    (OUT / "not_a_zip.keras").write_text("this is a text file named like a model\n", encoding="utf-8")
    (OUT / "not_hdf5.h5").write_bytes(b"GIF89a not an HDF5 file\n")
    (OUT / "garbage.onnx").write_bytes(bytes(range(256)) * 4)
    # a real .keras archive cut in half, and one whose config.json unpacks to 64 MiB
    import keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    whole = OUT / "_whole.keras"
    model.save(whole)
    raw = whole.read_bytes()
    whole.unlink()
    (OUT / "truncated.keras").write_bytes(raw[: len(raw) // 2])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
        zf.writestr("config.json", b" " * (64 * 2**20))
    (OUT / "zip_bomb.keras").write_bytes(bomb.getvalue())
    import h5py
    with h5py.File(OUT / "weights_only.h5", "w") as f:
        f.attrs["keras_version"] = "2.4.0"
        f.create_dataset("dense/kernel", data=[[0.0, 1.0]])
    import torch
    torch_onnx = OUT / "_whole.onnx"
    torch.onnx.export(torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten()).eval(),
                      (torch.zeros(1, 3, 8, 8),), torch_onnx, dynamo=False)
    raw = torch_onnx.read_bytes()
    torch_onnx.unlink()
    (OUT / "truncated.onnx").write_bytes(raw[: len(raw) * 2 // 3])
    x = torch.zeros(1, 3, 8, 8)

    class Unsupported(torch.nn.Module):
        def forward(self, x):
            return torch.nn.functional.layer_norm(x.sum(dim=1), [8]).cumsum(1)
    torch.onnx.export(Unsupported(), (x,), OUT / "unsupported_ops.onnx", dynamo=False)


if __name__ == "__main__":
    main()
