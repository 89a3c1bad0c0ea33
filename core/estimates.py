"""Memory, best order, receptive field and latency of one analysed design, in one bundle, and
their place in the report's JSON and text (``archcanvas report``, the cost panel's tab).

The best-order search is bounded by the design's size (``_search_limit``), so a report of a
large wide design stays quick; the result says when the order found is not proven minimal.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import latency as lat
from . import memory, receptive, schedule
from .analysis import Analysis
from .design import Design
from .report import DTYPE_BYTES
from .units import human_bytes


@dataclass
class Estimates:
    memory: memory.Memory
    best: schedule.Schedule
    best_order: list[str]  # layers
    fields: dict[str, receptive.Field]
    latency: lat.Latency | None
    bytes_per: int

    @property
    def best_peak_bytes(self) -> int:
        return self.best.peak * self.bytes_per

    @property
    def saving_bytes(self) -> int:
        return self.best.saving * self.bytes_per


def _search_limit(steps: int) -> int:
    # sets kept per level: a few thousand sets in all on a large design (the search's budget
    # then bounds the candidates tried)
    return max(16, min(schedule.LIMIT, 2_000_000 // max(1, steps * 8)))


def compute(design: Design, analysis: Analysis, options: memory.Options = memory.Options(),
            device: lat.Device | None = None) -> Estimates:
    """Everything for an ``ok`` analysis."""
    p = memory.plan(design, analysis, options)
    best = schedule.best_order(p, _search_limit(len(p.order)))
    return Estimates(
        memory=memory.measure(design, analysis, options, the_plan=p), best=best,
        best_order=p.layer_order(best.steps), fields=receptive.fields(design, analysis),
        latency=lat.estimate(design, analysis, device, options.dtype) if device else None,
        bytes_per=DTYPE_BYTES[options.dtype])


def annotate(data: dict, design: Design, analysis: Analysis, options: memory.Options,
             device: lat.Device | None = None) -> None:
    """Add the estimates to ``report.to_json``'s ``data``: totals ``peak_memory_bytes``,
    ``peak_memory_layer``, ``largest_tensor_bytes``, ``best_order_peak_memory_bytes``,
    ``best_order_saving_bytes``, ``best_order_exact`` (and ``latency_s``, ``device`` with a
    device); per layer ``live_bytes``, ``live_after_bytes``, ``receptive_field``,
    ``output_stride`` (and ``latency_s``, ``bound``, ``bytes_moved``, ``arithmetic_intensity``); and ``best_order``, a list of layer ids."""
    t = data["totals"]
    if not analysis.ok:
        t.update(peak_memory_bytes=None, peak_memory_layer=None, largest_tensor_bytes=None)
        return
    e = compute(design, analysis, options, device)
    m = e.memory
    t.update(peak_memory_bytes=m.peak_bytes, peak_memory_layer=m.peak_layer,
             largest_tensor_bytes=m.largest_tensor_bytes, best_order_peak_memory_bytes=e.best_peak_bytes,
             best_order_saving_bytes=e.saving_bytes, best_order_exact=e.best.exact,
             fuse=options.fuse, depthwise_in_place=options.depthwise_in_place)
    if e.latency:
        t.update(latency_s=e.latency.seconds, device=e.latency.device.name)
    for row in data["layers"]:
        nid = row["id"]
        row["live_bytes"], row["live_after_bytes"] = m.during.get(nid), m.after.get(nid)
        f = e.fields.get(nid)
        row["receptive_field"] = list(f.size) if f else None
        row["output_stride"] = list(f.stride) if f else None
        if e.latency:
            lt = e.latency.layers.get(nid)
            row["latency_s"], row["bound"] = (lt.seconds, lt.bound) if lt else (None, None)
            row["bytes_moved"] = lt.bytes if lt else None
            row["arithmetic_intensity"] = lt.intensity if lt and lt.intensity != float("inf") else None
    data["best_order"] = e.best_order


def _seconds(s: float) -> str:
    return f"{s * 1e3:.3f} ms" if s < 1 else f"{s:.3f} s"


def text(design: Design, analysis: Analysis, options: memory.Options, device: lat.Device | None = None) -> str:
    """The lines ``archcanvas report`` prints under its table."""
    if not analysis.ok:
        return ""
    e = compute(design, analysis, options, device)
    m = e.memory
    name = design.node(m.peak_layer).label if m.peak_layer else "-"
    how = ("fused" if options.fuse else "no fusing") + (", depthwise in place" if options.depthwise_in_place else "")
    out = [f" Peak activation memory: {m.peak_bytes:,} B ({human_bytes(m.peak_bytes)} as {options.dtype}, "
           f"{how}) at {name}",
           f" Largest tensor: {m.largest_tensor_bytes:,} B ({human_bytes(m.largest_tensor_bytes)})"]
    if e.saving_bytes > 0:
        proven = "" if e.best.exact else " (best found; not proven minimal)"
        out.append(f" Best execution order: peak {e.best_peak_bytes:,} B, saves {e.saving_bytes:,} B{proven}")
    else:
        out.append(" Best execution order: the design's own order" + ("" if e.best.exact else " (search bounded)"))
    if e.latency:
        lt = e.latency
        compute_bound = sum(1 for x in lt.layers.values() if x.bound == lat.COMPUTE and x.flops)
        out.append(f" Estimated latency on {lt.device.name}: {_seconds(lt.seconds)} "
                   f"(roofline estimate, {compute_bound} of {len(lt.layers)} layers compute-bound)")
    return "\n".join(out) + "\n"
