"""Collapsed groups: which blocks are drawn as one node, and what that node shows.

Collapsing is view state (the file's ``"view": {"collapsed": [...]}``, ``Design.collapsed``): it
changes no figure of the analysis or the report. Groups nest by name: an imported Keras model
``enc`` holding a block ``enc/block1`` gives groups ``enc`` and ``enc/block1``, and a name's "/"
prefixes count as groups too, even when no layer sits directly in them. Collapsing a group hides
every layer in it and in the groups nested inside it; a collapsed group inside a collapsed group
is hidden with it (the outermost one is the node drawn).
"""

from __future__ import annotations

from typing import Iterable

from .analysis import Analysis, Totals
from .design import Design


def prefixes(group: str) -> list[str]:
    """``"a/b/c"`` -> ``["a", "a/b", "a/b/c"]``: the group and the groups it is nested in."""
    parts = group.split("/")
    # an empty part ("a//b", "/x") names no group of its own; the whole name always does
    return ["/".join(parts[:i]) for i in range(1, len(parts)) if all(parts[:i])] + [group]


def group_names(design: Design) -> set[str]:
    """Every name that can be collapsed: each group and the groups it is nested in."""
    out: set[str] = set()
    for group in design.groups():
        out.update(prefixes(group))
    return out


def contains(outer: str, group: str | None) -> bool:
    """Whether a layer of ``group`` is inside ``outer`` (the group itself or one nested in it)."""
    return bool(group) and (group == outer or group.startswith(outer + "/"))


def effective(design: Design, collapsed: Iterable[str] | None = None) -> set[str]:
    """The collapsed names that name a group of the design now (an ungrouped block's name is
    kept in ``Design.collapsed``, so an undo that regroups it finds it collapsed again)."""
    names = design.collapsed if collapsed is None else collapsed
    return set(names) & group_names(design)


def hidden(design: Design, collapsed: Iterable[str] | None = None) -> dict[str, str]:
    """Node id -> the outermost collapsed group it is drawn in, for every hidden node."""
    shut = effective(design, collapsed)
    if not shut:
        return {}
    out = {}
    for node in design.nodes():
        if node.group:
            for name in prefixes(node.group):
                if name in shut:
                    out[node.id] = name
                    break
    return out


def members(design: Design, name: str) -> list[str]:
    """The ids of the layers in ``name`` and in the groups nested in it, in design order."""
    return [n.id for n in design.nodes() if contains(name, n.group)]


def totals(analysis: Analysis, name: str) -> Totals:
    """The sums of the group and of the groups nested in it: ``analysis.by_group``'s, added."""
    out = Totals()
    for group, t in analysis.by_group.items():
        if contains(name, group):
            for field in ("params", "trainable_params", "non_trainable_params", "macs", "flops",
                          "activations", "layers"):
                setattr(out, field, getattr(out, field) + getattr(t, field))
    return out


def outputs(design: Design, ids: Iterable[str]) -> list[str]:
    """The layers of a block (``ids``, kept in their order) whose output leaves it or goes
    nowhere: what its collapsed node shows as the block's output shape."""
    ids = list(ids)
    inside = set(ids)
    out = []
    for node_id in ids:
        targets = [e.target for e in design.outputs(node_id)]
        if not targets or any(t not in inside for t in targets):
            out.append(node_id)
    return out
