"""Benchmark of the roofline latency estimate (run by hand: ``python tests/bench/bench_latency.py``).

Calibrates this machine (``core.calibrate.measure``: numpy matmul peak and copy bandwidth), then
for each of 9 networks built from the templates estimates the latency (``core.latency``, float32)
and measures torch's CPU latency of the same network (batch 1, ``torch.inference_mode``, the
median of several runs after a warm-up). The torch model is built here from the design, layer
for layer, with Keras's 'same' padding spelled out as a pad, so the work is the design's.
Prints the estimate, the measurement and their ratio per network, and Spearman's rank
correlation across the networks. A figure, not a test: a roofline of peak numbers ignores
framework overhead and kernel efficiency, so the ratio is expected well above 1 for small
layers; what the estimate should get right is the ranking.

By default everything runs on one thread and is timed in CPU time (``time.process_time``), so
that other jobs on a shared machine do not inflate the figures; ``--all-threads`` uses every
core and wall time. Options: ``--runs N`` (timed runs per network, default 10), ``--device
NAME|FILE`` (also print the estimate on that profile).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from math import ceil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]
THREADS = "--all-threads" not in sys.argv
if THREADS:  # one thread, timed in CPU time: other people's jobs on a shared machine do not count
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
CLOCK = time.process_time if THREADS else time.perf_counter

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from archcanvas.core import calibrate, latency  # noqa: E402
from archcanvas.core.analysis import analyze  # noqa: E402
from archcanvas.core.templates import TEMPLATES  # noqa: E402

NETWORKS = [
    ("mobilenet-v1", {"alpha": 0.25, "resolution": 128}),
    ("mobilenet-v1", {"alpha": 0.5, "resolution": 160}),
    ("mobilenet-v1", {"alpha": 1.0, "resolution": 224}),
    ("mobilenet-v2", {"alpha": 0.35, "resolution": 128}),
    ("mobilenet-v2", {"alpha": 0.75, "resolution": 160}),
    ("mobilenet-v2", {"alpha": 1.0, "resolution": 224}),
    ("googlenet", {}),
    ("seed-inception", {}),
    ("inception-module", {}),
]

ACT = {None: None, "linear": None, "relu": F.relu, "relu6": F.relu6, "sigmoid": torch.sigmoid,
       "tanh": torch.tanh, "softmax": lambda x: F.softmax(x, dim=1), "swish": F.silu, "silu": F.silu,
       "hard_swish": F.hardswish, "hard_silu": F.hardswish, "gelu": F.gelu}


def _same_pad(size, k, s, d):
    k_eff = (k - 1) * d + 1
    total = max((ceil(size / s) - 1) * s + k_eff - size, 0)
    return total // 2, total - total // 2


class FromDesign(nn.Module):
    """The design as a torch module: NCHW tensors, one submodule or function per node."""

    def __init__(self, design, analysis):
        super().__init__()
        self.order = [n for n in analysis.order]
        self.inputs = {n: design.input_ids(n) for n in self.order}
        self.mods = nn.ModuleDict()
        self.ops = {}
        shape = {n: analysis.results[n].shape for n in self.order}
        for n in self.order:
            node = design.node(n)
            a, t = node.resolved(), node.type
            ins = [shape[s] for s in self.inputs[n]]
            self.ops[n] = self._op(n, t, a, ins)

    def _conv(self, n, a, cin, cout, groups, in_hw):
        k, s, d = a["kernel_size"], a["strides"], a["dilation_rate"]
        conv = nn.Conv2d(cin, cout, k, s, dilation=d, groups=groups, bias=a.get("use_bias", True))
        self.mods[n.replace(".", "_")] = conv
        pad = None
        if a["padding"] == "same":
            (t, b), (l, r) = (_same_pad(in_hw[i], k[i], s[i], d[i]) for i in range(2))
            pad = (l, r, t, b)
        act = ACT[a.get("activation")]

        def run(x, conv=conv, pad=pad, act=act):
            if pad and any(pad):
                x = F.pad(x, pad)
            x = conv(x)
            return act(x) if act else x
        return run

    def _op(self, n, t, a, ins):
        x = ins[0] if ins else None
        key = n.replace(".", "_")
        if t == "Input":
            return None
        if t == "Conv2D":
            return self._conv(n, a, x[2], a["filters"], a["groups"], x[:2])
        if t == "DepthwiseConv2D":
            return self._conv(n, a, x[2], x[2] * a["depth_multiplier"], x[2], x[:2])
        if t == "SeparableConv2D":
            dw = self._conv(n + "_dw", {**a, "activation": None, "use_bias": False}, x[2], x[2] * a["depth_multiplier"],
                            x[2], x[:2])
            pw = self._conv(n + "_pw", {**a, "kernel_size": (1, 1), "strides": (1, 1), "dilation_rate": (1, 1),
                                        "padding": "valid"}, x[2] * a["depth_multiplier"], a["filters"], 1, x[:2])
            return lambda v: pw(dw(v))
        if t == "BatchNormalization":
            bn = self.mods[key] = (nn.BatchNorm2d if len(x) == 3 else nn.BatchNorm1d)(x[-1])
            return bn
        if t == "Activation":
            f = ACT[a["activation"]]
            return f or (lambda v: v)
        if t == "Dropout":
            return lambda v: v
        if t == "ZeroPadding2D":
            (tp, bt), (lf, rt) = a["padding"]
            return lambda v: F.pad(v, (lf, rt, tp, bt))
        if t in ("MaxPooling2D", "AveragePooling2D"):
            k, s = a["pool_size"], a["strides"] or a["pool_size"]
            pad = None
            if a["padding"] == "same":
                (tp, bt), (lf, rt) = (_same_pad(x[i], k[i], s[i], 1) for i in range(2))
                pad = (lf, rt, tp, bt)
            pool = F.max_pool2d if t == "MaxPooling2D" else F.avg_pool2d
            fill = float("-inf") if t == "MaxPooling2D" else 0.0
            return lambda v: pool(F.pad(v, pad, value=fill) if pad and any(pad) else v, k, s)
        if t in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
            keep = a["keepdims"]
            if t == "GlobalAveragePooling2D":
                return lambda v: v.mean(dim=(2, 3), keepdim=keep)
            return lambda v: v.amax(dim=(2, 3), keepdim=keep)
        if t == "Flatten":
            return lambda v: v.permute(0, 2, 3, 1).flatten(1) if v.dim() == 4 else v.flatten(1)
        if t == "Reshape":
            target = tuple(a["target_shape"])
            return lambda v: (v.permute(0, 2, 3, 1) if v.dim() == 4 else v).reshape(v.shape[0], *target)
        if t == "Dense":
            fc = self.mods[key] = nn.Linear(x[-1], a["units"], bias=a["use_bias"])
            act = ACT[a["activation"]]
            return (lambda v: act(fc(v))) if act else fc
        if t == "Concatenate":
            return lambda *vs: torch.cat(vs, dim=1 if vs[0].dim() == 4 else -1)
        if t == "Add":
            return lambda *vs: sum(vs[1:], vs[0])
        if t == "Multiply":
            def mul(*vs):
                out = vs[0]
                for v in vs[1:]:
                    out = out * v
                return out
            return mul
        raise SystemExit(f"bench_latency: no torch counterpart for {t} ({n})")

    def forward(self, *xs):
        values, feed = {}, iter(xs)
        for n in self.order:
            op = self.ops[n]
            values[n] = next(feed) if op is None else op(*(values[s] for s in self.inputs[n]))
        return values[self.order[-1]]


def measure_torch(model: nn.Module, inputs, runs: int) -> float:
    model.eval()
    with torch.inference_mode():
        for _ in range(3):
            model(*inputs)
        times = []
        for _ in range(runs):
            t0 = CLOCK()
            model(*inputs)
            times.append(CLOCK() - t0)
    return statistics.median(times)


def spearman(a, b) -> float:
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--device", default=None)
    ap.add_argument("--all-threads", action="store_true", help="every core, timed in wall time")
    args = ap.parse_args()
    torch.manual_seed(0)
    if THREADS:
        torch.set_num_threads(1)
    me = calibrate.measure(clock=CLOCK)
    print(f"calibrated: {me.peak_flops / 1e9:.1f} GFLOP/s, {me.memory_bandwidth / 1e9:.1f} GB/s "
          f"(torch threads {torch.get_num_threads()})")
    other = latency.find_device(args.device) if args.device else None
    rows = []
    for name, params in NETWORKS:
        d = TEMPLATES[name].build(**params)
        a = analyze(d)
        est = latency.estimate(d, a, me).seconds
        model = FromDesign(d, a)
        inputs = [torch.randn(1, s[2], s[0], s[1]) for s in
                  (a.results[n].shape for n in a.order if d.node(n).type == "Input")]
        got = measure_torch(model, inputs, args.runs)
        label = name + "".join(f" {k}={v}" for k, v in params.items())
        extra = latency.estimate(d, a, other).seconds if other else None
        rows.append((label, a.totals.flops, est, got, extra))
    print(f"{'network':<42} {'GFLOPs':>7} {'estimate ms':>12} {'torch ms':>9} {'torch/est':>9}"
          + (f" {other.name + ' ms':>14}" if other else ""))
    for label, flops, est, got, extra in rows:
        print(f"{label:<42} {flops / 1e9:7.3f} {est * 1e3:12.2f} {got * 1e3:9.2f} {got / est:9.2f}"
              + (f" {extra * 1e3:14.2f}" if other else ""))
    ests, gots = [r[2] for r in rows], [r[3] for r in rows]
    ratios = [g / e for e, g in zip(ests, gots)]
    print(f"Spearman rank correlation (estimate vs torch), {len(rows)} networks: {spearman(ests, gots):.3f}")
    print(f"ratio torch/estimate: median {statistics.median(ratios):.2f}, "
          f"range {min(ratios):.2f} to {max(ratios):.2f}")


if __name__ == "__main__":
    main()
