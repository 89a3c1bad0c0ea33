"""Benchmark of model import (run by hand: ``python tests/bench/bench_import.py``).

Writes ResNet50 (keras.applications, weights=None, 224×224) as a ``.keras`` file and the same
network's ONNX export (a torch ResNet-50 built here, BatchNorm folded, opset of the TorchScript
exporter), and prints, as the median of several runs:
  * in process: our import of the .keras file against ``keras.models.load_model``, and our import
    of the .onnx file against ``onnx.load`` + ``onnx.shape_inference.infer_shapes``;
  * whole processes: ``archcanvas report model.keras`` against a Python process that loads the model
    with Keras and counts its params (``count_params``), and ``archcanvas report model.onnx``.
Target: the whole ``archcanvas report model.keras`` process at least 10× faster than the Keras one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("KERAS_BACKEND", "torch")

from archcanvas.core.analysis import analyze  # noqa: E402
from archcanvas.core.importers import import_model  # noqa: E402

RUNS = 5


def median_time(fn, runs=RUNS) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def process_time(argv, runs=3) -> float:
    return median_time(lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                                              env={**os.environ, "KERAS_BACKEND": "torch"}), runs)


def torch_resnet50():
    import torch.nn as nn

    class Bottleneck(nn.Module):
        def __init__(self, cin, mid, stride):
            super().__init__()
            cout = mid * 4
            self.body = nn.Sequential(
                nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(),
                nn.Conv2d(mid, mid, 3, stride, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(),
                nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) \
                if stride != 1 or cin != cout else nn.Identity()
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.body(x) + self.down(x))

    layers, cin = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)], 64
    for mid, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for i in range(blocks):
            layers.append(Bottleneck(cin, mid, stride if i == 0 else 1))
            cin = mid * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000)]
    return nn.Sequential(*layers).eval()


def main() -> None:
    import keras
    import onnx
    import torch

    folder = Path(tempfile.mkdtemp(prefix="bench_import_"))
    keras_file, onnx_file = folder / "resnet50.keras", folder / "resnet50.onnx"
    keras.applications.ResNet50(weights=None).save(keras_file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(torch_resnet50(), (torch.zeros(1, 3, 224, 224),), onnx_file, dynamo=False)
    print(f"ResNet50: .keras {keras_file.stat().st_size / 2**20:.0f} MiB, .onnx {onnx_file.stat().st_size / 2**20:.0f} MiB")

    design = import_model(keras_file)
    t = analyze(design).totals
    print(f"  imported .keras: {len(design)} layers, {t.params:,} params, {t.macs:,} MACs")
    ours = median_time(lambda: analyze(import_model(keras_file)))
    theirs = median_time(lambda: keras.models.load_model(keras_file, compile=False), runs=3)
    print(f"  .keras in process: ours {ours * 1e3:.0f} ms, keras.models.load_model {theirs * 1e3:.0f} ms "
          f"({theirs / ours:.0f}×)")
    ours = median_time(lambda: analyze(import_model(onnx_file)))
    theirs = median_time(lambda: onnx.shape_inference.infer_shapes(onnx.load(onnx_file), data_prop=True))
    print(f"  .onnx in process: ours (load + infer + build + analyse) {ours * 1e3:.0f} ms, "
          f"onnx.load + shape_inference {theirs * 1e3:.0f} ms")

    archcanvas = [sys.executable, "-c", "import sys; from archcanvas.core.cli import main; sys.exit(main())"]
    ours = process_time(archcanvas + ["report", str(keras_file)])
    counting = ("import sys, keras; m = keras.models.load_model(sys.argv[1], compile=False); "
                "print(m.count_params())")
    theirs = process_time([sys.executable, "-c", counting, str(keras_file)])
    print(f"  process `archcanvas report resnet50.keras`: {ours:.2f} s; Keras load + count: {theirs:.2f} s "
          f"({theirs / ours:.1f}×, target ≥ 10×)")
    ours = process_time(archcanvas + ["report", str(onnx_file)])
    print(f"  process `archcanvas report resnet50.onnx`: {ours:.2f} s")


if __name__ == "__main__":
    main()
