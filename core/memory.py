"""Peak activation memory of a design for an execution order, as an inference engine holds it.

A tensor is live from the step that makes it until its last consumer has run; a step's inputs
and output are live together; the design's outputs stay live to the end. With ``fuse`` (the
default) layers are grouped into the steps an engine runs:

- an ``in_place`` layer (BatchNormalization, activations, Dropout, Reshape…; ``LayerType.memory``)
  whose single input feeds nothing else overwrites that input, so it joins its producer's step;
- a ``pad`` layer (ZeroPadding2D) whose only consumer is a ``window`` layer (convolution,
  pooling) is folded into it: the padded tensor is never materialized.

With ``depthwise_in_place`` a depthwise convolution whose input feeds nothing else writes its
output over that input (as MCUNetV2 does): while it runs it holds max(input, output), not both.

A step is named by its main layer (the convolution of pad + conv + BN + ReLU). Everything is
counted in elements and reported in bytes of the chosen dtype. The model is the plain sum of
live tensors; an engine's allocator may add fragmentation, which no estimate of this kind sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import layers
from .analysis import Analysis
from .design import Design
from .report import DTYPE_BYTES


@dataclass(frozen=True)
class Options:
    dtype: str = "float32"
    fuse: bool = True
    depthwise_in_place: bool = False


@dataclass
class Step:
    """One kernel the engine runs: its layers, the tensors (named by their steps) it reads, the
    elements it writes, and the input tensor it writes over (depthwise in place), if any."""

    main: str
    members: list[str]
    inputs: list[str] = field(default_factory=list)
    size: int = 0
    overwrite: str | None = None


@dataclass
class Plan:
    """The steps of a design in their default (topological) order, and who reads what."""

    steps: dict[str, Step]
    order: list[str]  # step ids (= main layers), in the design's topological order
    consumers: dict[str, set[str]]  # tensor (step id) -> steps that read it
    owner: dict[str, str]  # layer id -> its step id

    def layer_order(self, step_order: list[str]) -> list[str]:
        return [m for s in step_order for m in self.steps[s].members]


@dataclass
class Memory:
    """The outcome for one order. ``during[layer]`` is what is live while that layer runs (its
    step's inputs, output and everything else live); ``after[layer]`` what is left after it."""

    order: list[str]  # layers, in the order they run
    dtype: str
    peak_bytes: int
    peak_layer: str | None
    largest_tensor_bytes: int
    largest_tensor_layer: str | None
    during: dict[str, int]
    after: dict[str, int]

    def over(self, budget_bytes: int) -> list[str]:
        """The layers that need more than ``budget_bytes`` while they run."""
        return [n for n in self.order if self.during[n] > budget_bytes]


def _bytes_per(dtype: str) -> int:
    try:
        return DTYPE_BYTES[dtype]
    except KeyError:
        raise ValueError(f"unknown dtype {dtype!r} (known: {', '.join(DTYPE_BYTES)})") from None


def _kind(design: Design, node_id: str) -> str:
    return getattr(layers.get(design.node(node_id).type), "memory", "new")


def plan(design: Design, analysis: Analysis, options: Options = Options()) -> Plan:
    """Group the layers into steps (see the module's doc). The analysis must be ``ok``."""
    order = [n for n in analysis.order if n in design]
    sources = {n: design.input_ids(n) for n in order}
    kinds = {n: _kind(design, n) for n in order}
    readers: dict[str, list[str]] = {n: [] for n in order}  # one entry per wire (Add(x, x): two)
    for n in order:
        for s in sources[n]:
            readers[s].append(n)
    owner: dict[str, str] = {}
    folded: dict[str, list[str]] = {}  # pad id -> the tensors it reads (it becomes its consumer's)
    steps: dict[str, Step] = {}
    for nid in order:
        kind, srcs, outs = kinds[nid], sources[nid], readers[nid]
        if options.fuse and kind == "in_place" and len(srcs) == 1 and srcs[0] not in folded \
                and len(readers[srcs[0]]) == 1:
            step = steps[owner[srcs[0]]]
            step.members.append(nid)
            owner[nid] = step.main
            continue
        if options.fuse and kind == "pad" and len(outs) == 1 and len(srcs) == 1 \
                and kinds[outs[0]] in ("window", "depthwise"):
            folded[nid] = _tensors(srcs, owner, folded)
            continue
        pads = [s for s in srcs if s in folded]
        step = steps[nid] = Step(nid, [*pads, nid], _tensors(srcs, owner, folded))
        for member in step.members:
            owner[member] = nid
    for nid in order:  # a step's size is its last member's output (in-place members keep the shape)
        steps[owner[nid]].size = analysis.results[nid].activations
    consumers: dict[str, set[str]] = {s: set() for s in steps}
    for s in steps.values():
        for t in s.inputs:
            consumers[t].add(s.main)
    if options.depthwise_in_place:
        for s in steps.values():
            if kinds[s.main] == "depthwise" and len(s.inputs) == 1 and consumers[s.inputs[0]] == {s.main}:
                s.overwrite = s.inputs[0]
    step_order = list(dict.fromkeys(owner[n] for n in order))
    return Plan(steps, step_order, consumers, owner)


def _tensors(srcs, owner, folded) -> list[str]:
    out: list[str] = []
    for s in srcs:
        out += folded[s] if s in folded else [owner[s]]
    return list(dict.fromkeys(out))  # Add(x, x) reads one tensor


def simulate(p: Plan, step_order: list[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Elements live before, during and after each step of ``step_order``."""
    remaining = {t: len(c) for t, c in p.consumers.items()}
    live, before, during, after = 0, {}, {}, {}
    for sid in step_order:
        s = p.steps[sid]
        before[sid] = live
        if s.overwrite is not None:
            during[sid] = live + max(0, s.size - p.steps[s.overwrite].size)
        else:
            during[sid] = live + s.size
        live += s.size
        for t in s.inputs:
            remaining[t] -= 1
            if remaining[t] == 0:
                live -= p.steps[t].size
        after[sid] = live
    return before, during, after


def measure(design: Design, analysis: Analysis, options: Options = Options(),
            step_order: list[str] | None = None, the_plan: Plan | None = None) -> Memory:
    """Peak, its layer, the largest tensor and live bytes per layer for ``step_order`` (default:
    the design's topological order)."""
    size = _bytes_per(options.dtype)
    p = the_plan or plan(design, analysis, options)
    step_order = p.order if step_order is None else step_order
    before, during_s, after_s = simulate(p, step_order)
    during, after = {}, {}
    for sid in step_order:
        s = p.steps[sid]
        main_at = s.members.index(sid)
        for k, m in enumerate(s.members):
            if m == sid:
                during[m], after[m] = during_s[sid] * size, after_s[sid] * size
            elif k < main_at:  # a folded pad: runs inside the step
                during[m] = after[m] = before[sid] * size
            else:  # in place after the main layer
                during[m] = after[m] = after_s[sid] * size
    # the first step with the most, in run order (max keeps the first of equals)
    peak_step = max(step_order, key=during_s.__getitem__, default=None)
    big = max(step_order, key=lambda s: p.steps[s].size, default=None)
    return Memory(
        order=p.layer_order(step_order), dtype=options.dtype,
        peak_bytes=during_s[peak_step] * size if peak_step else 0, peak_layer=peak_step,
        largest_tensor_bytes=p.steps[big].size * size if big else 0, largest_tensor_layer=big,
        during=during, after=after,
    )
