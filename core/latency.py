"""Latency estimated by a roofline per device: an estimate, never a measurement.

For each layer: FLOPs (the report's), bytes moved (weights + inputs + output at the dtype),
arithmetic intensity I = FLOPs / bytes, attainable speed min(peak, I × bandwidth) and time
FLOPs / attainable = max(FLOPs / peak, bytes / bandwidth). A layer is ``compute``-bound when
I × bandwidth reaches the peak, else ``memory``-bound. The sum over the layers is the estimate.

A device profile is a small JSON object with at least ``name``, ``peak_flops`` (FLOP/s) and
``memory_bandwidth`` (bytes/s); ``peak_flops_by_dtype`` optionally overrides the peak for a
dtype ("int8": …). The built-in profiles are resources/devices/*.json, each with its sources.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

from .analysis import Analysis
from .design import Design
from .errors import ArchCanvasError
from .report import DTYPE_BYTES

COMPUTE, MEMORY = "compute", "memory"


@dataclass(frozen=True)
class Device:
    name: str
    peak_flops: float
    memory_bandwidth: float
    title: str = ""
    source: str = ""
    derivation: str = ""
    peak_flops_by_dtype: dict = field(default_factory=dict)

    def peak(self, dtype: str) -> float:
        return float(self.peak_flops_by_dtype.get(dtype, self.peak_flops))

    def as_dict(self) -> dict:
        d = asdict(self)
        return {k: v for k, v in d.items() if v or k in ("name", "peak_flops", "memory_bandwidth")}


@dataclass(frozen=True)
class LayerTime:
    id: str
    flops: int
    bytes: int
    intensity: float  # FLOP per byte (inf for a layer that moves nothing but computes)
    attainable: float  # FLOP/s
    seconds: float
    bound: str


@dataclass(frozen=True)
class Latency:
    device: Device
    dtype: str
    layers: dict[str, LayerTime]

    @property
    def seconds(self) -> float:
        return sum(t.seconds for t in self.layers.values())


def _positive(value, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ArchCanvasError(f"{where}: {key} must be a positive number, got {json.dumps(value)}")
    return float(value)


def device_from_dict(data, where: str) -> Device:
    """A ``Device`` from a profile's JSON object; ``ArchCanvasError`` naming ``where`` if not one."""
    if not isinstance(data, dict):
        raise ArchCanvasError(f"{where}: a device profile must be a JSON object")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ArchCanvasError(f"{where}: name must be a non-empty string")
    by_dtype = data.get("peak_flops_by_dtype", {})
    if not isinstance(by_dtype, dict) or any(k not in DTYPE_BYTES for k in by_dtype):
        raise ArchCanvasError(f"{where}: peak_flops_by_dtype must map {', '.join(DTYPE_BYTES)} to numbers")
    text = {k: data.get(k, "") for k in ("title", "source", "derivation")}
    for k, v in text.items():
        if not isinstance(v, str):
            raise ArchCanvasError(f"{where}: {k} must be a string")
    return Device(name=name, peak_flops=_positive(data.get("peak_flops"), where, "peak_flops"),
                  memory_bandwidth=_positive(data.get("memory_bandwidth"), where, "memory_bandwidth"),
                  peak_flops_by_dtype={k: _positive(v, where, f"peak_flops_by_dtype.{k}")
                                       for k, v in by_dtype.items()}, **text)


def load_device(path: str) -> Device:
    try:
        with open(path, "rb") as f:
            raw = f.read(1 << 20)
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ArchCanvasError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise ArchCanvasError(f"{path}: not JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    return device_from_dict(data, path)


def builtin_devices() -> dict[str, Device]:
    from ..resources import path

    found = {}
    for entry in sorted(path("devices").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            d = device_from_dict(json.loads(entry.read_text("utf-8")), f"resources/devices/{entry.name}")
            found[d.name] = d
    return found


def find_device(name_or_file: str) -> Device:
    """A built-in profile by name, else a profile file."""
    devices = builtin_devices()
    if name_or_file in devices:
        return devices[name_or_file]
    if name_or_file.endswith(".json") or "/" in name_or_file or "\\" in name_or_file:
        return load_device(name_or_file)
    raise ArchCanvasError(f"unknown device {name_or_file!r}: built-in devices are {', '.join(devices)}"
                          " (or give a profile .json file)")


def layer_time(node_id: str, flops: int, moved: int, device: Device, dtype: str) -> LayerTime:
    peak, bw = device.peak(dtype), device.memory_bandwidth
    seconds = max(flops / peak, moved / bw)
    intensity = flops / moved if moved else (math.inf if flops else 0.0)
    attainable = min(peak, intensity * bw)
    return LayerTime(node_id, flops, moved, intensity, attainable, seconds,
                     COMPUTE if intensity * bw >= peak else MEMORY)


def estimate(design: Design, analysis: Analysis, device: Device, dtype: str = "float32") -> Latency:
    """The roofline time of every computed layer; ``Input`` layers move nothing and take 0 s."""
    size = DTYPE_BYTES[dtype]
    results = analysis.results
    out = {}
    for nid in analysis.order:
        r = results.get(nid)
        if nid not in design or r is None or not r.ok:
            continue
        if design.node(nid).type == "Input" or not design.input_ids(nid):
            moved = 0
        else:
            moved = (r.params + r.activations + sum(results[s].activations for s in design.input_ids(nid))) * size
        out[nid] = layer_time(nid, r.flops, moved, device, dtype)
    return Latency(device, dtype, out)


def scaled(device: Device, estimated_s: float, measured_s: float) -> Device:
    """The profile scaled so that an estimate of ``estimated_s`` becomes the ``measured_s`` the
    user timed on the device: peak and bandwidth both divided by measured / estimated."""
    f = _positive(estimated_s, "scale", "estimated latency") / _positive(measured_s, "scale", "measured latency")
    return Device(
        name=device.name, title=device.title, source=device.source,
        derivation=(device.derivation + "; " if device.derivation else "")
        + f"scaled by {f:.4g} so that an estimate of {estimated_s:.6g} s matches a measured {measured_s:.6g} s",
        peak_flops=device.peak_flops * f, memory_bandwidth=device.memory_bandwidth * f,
        peak_flops_by_dtype={k: v * f for k, v in device.peak_flops_by_dtype.items()})
