"""Cost classes: what kind of arithmetic a layer does, as the papers tabulate it, with the place
of each class in the breakdown's order declared beside its label (core/breakdown.py uses both)."""

from __future__ import annotations


class CostClass(str):
    """A cost class's label with its place in the breakdown's order, declared, never parsed from
    the label: ``rank`` is (major, minor), lower first (core/breakdown.py lists the classes).
    Being a ``str``, it is equal to, and hashes as, its label."""

    __slots__ = ("rank",)

    def __new__(cls, label: str, rank: tuple = (8.5, 0)):
        self = str.__new__(cls, label)
        self.rank = (float(rank[0]), float(rank[1]) if len(rank) > 1 else 0.0)
        return self

    def __reduce__(self):
        return (CostClass, (str(self), self.rank))


# The classes the papers tabulate, heavy arithmetic first (core/breakdown.py explains each).
CONV_1X1 = CostClass("Conv2D 1×1", (0, 0))
DEPTHWISE_CLASS = CostClass("DepthwiseConv2D", (2, 0))
SEPARABLE_CLASS = CostClass("SeparableConv2D", (3, 0))
DENSE_CLASS = CostClass("Dense", (4, 0))
POOLING_CLASS = CostClass("Pooling", (5, 0))
NORMALIZATION_CLASS = CostClass("Normalization", (6, 0))
ACTIVATION_CLASS = CostClass("Activation", (7, 0))
MERGE_CLASS = CostClass("Merge", (8, 0))
OTHER_CLASS = CostClass("Other", (9, 0))


def conv_kxk(kernel) -> CostClass:
    """``Conv2D kh×kw``: after the 1×1 class, ordered by kernel area."""
    kh, kw = kernel
    return CostClass(f"Conv2D {kh}×{kw}", (1, kh * kw))
