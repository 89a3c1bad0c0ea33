"""Scaling sweeps: one design per (α, ρ[, φ]) variant, and what each costs.

A template is rebuilt for each variant with its own rules (MobileNet rounds channels to a multiple
of 8 as Keras does; EfficientNet scales depth, width and resolution from φ). A template that lacks
a parameter being swept, and any design file, is scaled by the generic rule:

- **width α**: every layer that chooses its channel count (``filters`` of Conv2D, SeparableConv2D
  and Conv2DTranspose, ``units`` of Dense) gets ``round(α × n)`` channels, at least 1; when every
  such count in the design is a multiple of 8, counts are rounded as Keras's ``_make_divisible``
  does (nearest multiple of 8, never more than 10% down). The classifier keeps its size: a Dense
  layer, or a convolution of a 1×1 map, after which no layer chooses channels again.
- **resolution ρ**: every Input's height and width become ρ (a non-square input keeps its aspect
  ratio, the height becoming ρ).

A variant that cannot be computed (a resolution too small for the network's strides, say) is
reported with its first problem instead of figures.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Callable, Iterable

from .analysis import analyze
from .design import Design
from .errors import ArchCanvasError
from .fileformat import dumps, loads
from .report import problem_lines

FIGURES = ("params", "trainable_params", "non_trainable_params", "macs", "flops", "activations")


@dataclass(frozen=True)
class Variant:
    alpha: float | None = None
    resolution: int | None = None
    phi: float | None = None

    def as_dict(self) -> dict:
        return {"alpha": self.alpha, "resolution": self.resolution, "phi": self.phi}


def variants(alphas: Iterable | None, resolutions: Iterable | None, phis: Iterable | None = None) -> list[Variant]:
    """The cross product of the lists, in the order given (α slowest, φ fastest)."""
    return [Variant(a, r, p) for a, r, p in itertools.product(
        list(alphas or [None]), list(resolutions or [None]), list(phis or [None]))]


def make_divisible(v: float, divisor: int = 8) -> int:
    from .templates.mobilenet import make_divisible as keras_rule
    return keras_rule(v, divisor)


def _heads(design: Design) -> set[str]:
    """Classifier layers: Dense (or a convolution of a 1×1 map) after which no layer chooses channels."""
    analysis = analyze(design)
    choosers = {n.id for n in design.nodes() if n.layer.width_attr}
    heads = set()
    for node_id in choosers:
        node = design.node(node_id)
        ins = [analysis.results[s].shape for s in design.input_ids(node_id)]
        is_classifier = node.type == "Dense" or (ins and ins[0] is not None and len(ins[0]) == 3
                                                 and tuple(ins[0][:2]) == (1, 1))
        if is_classifier and not (design.descendants([node_id]) & choosers):
            heads.add(node_id)
    return heads


def scale_width(design: Design, alpha: float) -> None:
    """The generic width rule (module docstring), applied in place."""
    heads = _heads(design)
    counts = {n.id: n.resolved()[n.layer.width_attr] for n in design.nodes() if n.layer.width_attr}
    keras_rounding = bool(counts) and all(c % 8 == 0 for c in counts.values())
    for node_id, n in counts.items():
        if node_id in heads:
            continue
        new = make_divisible(n * alpha) if keras_rounding else max(1, round(n * alpha))
        design.set_attr(node_id, design.node(node_id).layer.width_attr, new)


def scale_resolution(design: Design, resolution: int) -> None:
    for n in design.nodes():
        if n.type == "Input":
            shape = list(n.resolved()["shape"])
            if len(shape) == 3:
                h, w = shape[0], shape[1]
                shape[:2] = [resolution, resolution] if h == w else [resolution, max(1, round(w * resolution / h))]
                design.set_attr(n.id, "shape", shape)


@dataclass(frozen=True)
class Source:
    """What is swept: a template by name, or a design (kept as its JSON text, so that each
    variant, in whichever process, starts from a fresh copy)."""
    template: str | None = None
    design_json: str | None = None

    def build(self, v: Variant) -> Design:
        if self.template is not None:
            from . import templates
            t = templates.TEMPLATES[self.template]
            own = {p.name for p in t.params}
            given = {k: x for k, x in v.as_dict().items() if x is not None and k in own}
            design = t.build(**given)
        else:
            design = loads(self.design_json, "design")
            own = set()
        if v.alpha is not None and "alpha" not in own:
            scale_width(design, v.alpha)
        if v.resolution is not None and "resolution" not in own:
            scale_resolution(design, v.resolution)
        if v.phi is not None and "phi" not in own:
            raise ArchCanvasError("--phi: only a template with a compound coefficient (efficientnet) can be swept by φ")
        return design


def from_design(design: Design) -> Source:
    return Source(design_json=dumps(design))


def evaluate(source: Source, v: Variant) -> dict:
    """One row: the variant's parameters and figures, or its ``error``."""
    row = v.as_dict()
    try:
        design = source.build(v)
    except (ArchCanvasError, ValueError) as err:
        return {**row, "error": str(err)}
    analysis = analyze(design)
    if not analysis.ok:
        return {**row, "error": problem_lines(design, analysis)[0]}
    t = analysis.totals
    return {**row, "params": t.params, "trainable_params": t.trainable_params,
            "non_trainable_params": t.non_trainable_params,
            "macs": t.macs, "flops": t.flops, "activations": t.activations, "layers": t.layers,
            "by_group": {g: {"params": s.params, "macs": s.macs} for g, s in analysis.by_group.items()}}


def _evaluate_many(args) -> list[dict]:
    source, chunk = args
    return [evaluate(source, v) for v in chunk]


def sweep(source: Source, vs: list[Variant], workers: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Every variant's row, in order. More than a few variants use every core (processes: the
    analysis is pure Python, so threads would share one core)."""
    workers = workers or os.cpu_count() or 1
    done, out = 0, []
    if workers == 1 or len(vs) < 8:
        for v in vs:
            out.append(evaluate(source, v))
            done += 1
            if progress:
                progress(done, len(vs))
        return out
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(32, len(vs) // (workers * 4)))
    chunks = [vs[i:i + size] for i in range(0, len(vs), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for rows in pool.map(_evaluate_many, [(source, c) for c in chunks]):
            out.extend(rows)
            if progress:
                progress(len(out), len(vs))
    return out
