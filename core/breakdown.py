"""Where the cost goes: params, MACs and FLOPs summed by cost class and by group, with shares.

A *cost class* says what kind of arithmetic a layer does, which is what the papers tabulate
(MobileNet's Table 2: "Conv 1×1", "Conv DW 3×3", "Conv 3×3", "Fully Connected"). It is decided
from the layer type (the ``LayerType`` object, not its name) and the resolved attributes:

- ``Conv2D`` with a 1×1 kernel is **Conv2D 1×1** (pointwise); any other kernel is
  **Conv2D kh×kw** (``Conv2D 3×3``, ``Conv2D 5×5``, ``Conv2D 1×7`` …), dilated or grouped alike.
- A ``Conv2D`` 1×1 (groups 1) whose input is a 1×1 map is a fully connected layer — every
  output sees every input once — so it is **Dense**. Keras's MobileNet ends in such a layer,
  and the paper's Table 2 counts it as "Fully Connected".
- ``DepthwiseConv2D``, ``SeparableConv2D`` and ``Dense`` are their own classes; any layer type
  may declare its own (``LayerType.cost_class``, a ``CostClass``: label and rank), e.g.
  ``Conv2DTranspose``.
- Other layers fall into the class of their catalogue category: Pooling, Normalization,
  Activation, Merge; everything else (Input, Flatten, Reshape, ZeroPadding2D, Dropout) is Other.

Shares are fractions of the design's totals (0 when the total is 0). ``exclude`` leaves the
layers of some classes out altogether (their rows and their part of the totals), e.g.
``exclude=(NORMALIZATION,)`` to compare with a paper that counts only convolution and fully
connected weights, as MobileNet's Table 2 does.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import layers
from .analysis import Analysis
from .design import Design
from .errors import ArchCanvasError

from .layers.cost_class import (  # noqa: F401  (conv_kxk and CostClass are part of this module's API)
    ACTIVATION_CLASS as ACTIVATION, CONV_1X1, DENSE_CLASS as DENSE, DEPTHWISE_CLASS as DEPTHWISE,
    MERGE_CLASS as MERGE, NORMALIZATION_CLASS as NORMALIZATION, OTHER_CLASS as OTHER,
    POOLING_CLASS as POOLING, SEPARABLE_CLASS as SEPARABLE, CostClass, conv_kxk,
)

NO_GROUP = "(no group)"

# Catalogue categories whose layers form a class of their own.
_BY_CATEGORY = {"Pooling": POOLING, "Normalization": NORMALIZATION, "Activation": ACTIVATION,
                "Merge": MERGE}
# The fixed classes by label, for labels that arrive as plain strings.
_RANK = {c: c.rank for c in (CONV_1X1, DEPTHWISE, SEPARABLE, DENSE, POOLING, NORMALIZATION,
                             ACTIVATION, MERGE, OTHER)}
_UNRANKED = CostClass("").rank


def cost_class(layer: layers.LayerType, attrs: dict | None, in_shape=None) -> str:
    """The cost class of one layer (its ``LayerType.cost_class``, else its category's);
    ``attrs`` resolved (None when they do not resolve)."""
    rule = layer.cost_class
    if isinstance(rule, str):
        return rule
    if rule is not None:
        return OTHER if attrs is None else rule(attrs, in_shape)
    return _BY_CATEGORY.get(layer.category, OTHER)


def class_rank(label: str) -> tuple:
    """Sort key: the rank each ``CostClass`` declares (Conv2D k×k after 1×1 by kernel area);
    a plain label of no declared class after the declared ones, before Other."""
    rank = getattr(label, "rank", None) or _RANK.get(label, _UNRANKED)
    return (*rank, str(label))


def node_class(design: Design, analysis: Analysis, node_id: str) -> str:
    node = design.node(node_id)
    try:
        layer = layers.get(node.type)
        attrs = node.resolved()
    except ArchCanvasError:
        return OTHER
    ins = design.input_ids(node_id)
    first = analysis.results.get(ins[0]) if ins else None
    return cost_class(layer, attrs, first.shape if first is not None else None)


@dataclass(frozen=True, slots=True)
class Share:
    """One row of a breakdown: sums over its layers and their fractions of the totals."""

    label: str
    layers: int
    params: int
    trainable_params: int
    macs: int
    flops: int
    params_share: float
    macs_share: float
    flops_share: float
    node_ids: tuple[str, ...]


def _rows(sums: dict[str, list], keys) -> list[Share]:
    total_p = sum(sums[k][1] for k in keys)
    total_m = sum(sums[k][3] for k in keys)
    total_f = sum(sums[k][4] for k in keys)
    out = []
    for k in keys:
        ids, p, tp, m, f = sums[k]
        out.append(Share(k, len(ids), p, tp, m, f, p / total_p if total_p else 0.0,
                         m / total_m if total_m else 0.0, f / total_f if total_f else 0.0, tuple(ids)))
    return out


def _sum(analysis: Analysis, key_of, skip) -> dict[str, list]:
    sums: dict[str, list] = {}
    for node_id in analysis.order:
        r = analysis.results.get(node_id)
        if r is None or skip(node_id):
            continue
        s = sums.setdefault(key_of(node_id, r), [[], 0, 0, 0, 0])
        s[0].append(node_id)
        s[1] += r.params
        s[2] += r.trainable
        s[3] += r.macs
        s[4] += r.flops
    return sums


def _skip(design, analysis, exclude, classes):
    if not exclude:
        return classes, (lambda node_id: False)
    if classes is None:
        classes = classify(design, analysis)
    excluded = set(exclude)
    return classes, (lambda node_id: classes.get(node_id, OTHER) in excluded)


def by_class(design: Design, analysis: Analysis, exclude=(), classes: dict | None = None) -> list[Share]:
    """Rows per cost class, heavy arithmetic first; classes with no layer are left out.
    ``classes`` (from ``classify()``) saves classifying the nodes a second time."""
    if classes is None:
        classes = classify(design, analysis)
    classes, skip = _skip(design, analysis, exclude, classes)
    sums = _sum(analysis, lambda node_id, r: classes.get(node_id, OTHER), skip)
    return _rows(sums, sorted(sums, key=class_rank))


def by_group(design: Design, analysis: Analysis, exclude=(), classes: dict | None = None) -> list[Share]:
    """Rows per group in the order groups first appear; ungrouped layers last, as NO_GROUP.
    Layers of the ``exclude`` classes count nowhere, as in ``by_class``."""
    classes, skip = _skip(design, analysis, exclude, classes)
    sums = _sum(analysis, lambda node_id, r: r.group or NO_GROUP, skip)
    keys = [k for k in sums if k != NO_GROUP] + ([NO_GROUP] if NO_GROUP in sums else [])
    return _rows(sums, keys)


def classify(design: Design, analysis: Analysis) -> dict[str, str]:
    """Cost class of every node, for colouring bars."""
    return {n: node_class(design, analysis, n) for n in analysis.order if n in design}
