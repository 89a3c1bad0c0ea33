"""What a node says: the short texts drawn on it and the tooltip, from the design and analysis."""

from __future__ import annotations

import html

from archcanvas.core.analysis import NodeResult
from archcanvas.core.design import Node
from archcanvas.core.errors import AttrError
from archcanvas.core.shapes import fmt_shape
from archcanvas.core.units import exact, human

from archcanvas.gui.canvas.node_item import BLOCKED, ERROR, OK, PENDING
from archcanvas.gui.theme.canvas import theme


def summary(node: Node) -> str:
    """Key attributes in short form (``64 · 3×3 /2 same``); empty while they are invalid."""
    try:
        return node.layer.summary(node.resolved())
    except AttrError:
        return ""


def result_texts(r: NodeResult | None) -> tuple[str, str, str, str]:
    """``(status, shape, cost, message)`` for ``NodeItem.set_result``."""
    if r is None:
        return PENDING, "", "", ""
    if r.error:
        return ERROR, "", "", r.error
    if r.blocked_by:
        return BLOCKED, "", "", r.message
    return OK, fmt_shape(r.shape), f"{human(r.params)} params · {human(r.macs)} MACs", ""


def tooltip(node: Node, r: NodeResult | None, total_macs: int) -> str:
    """Exact numbers (rounded ones are on the node), or the whole problem message."""
    lines = [f"<b>{_esc(node.label)}</b> — {node.type}" + (f" <i>(id {_esc(node.id)})</i>" if node.name else "")]
    if node.group:
        lines.append(f"group: {_esc(node.group)}")
    if r is None:
        pass
    elif r.error:
        lines.append(f"<span style='color:{theme().error}'>⚠ {_esc(r.error)}</span>")
    elif r.blocked_by:
        lines.append(f"not computed: input {_esc(r.blocked_by)} has a problem")
    else:
        share = f" ({100 * r.macs / total_macs:.1f}% of total)" if total_macs and r.macs else ""
        non_trainable = f" ({exact(r.non_trainable)} non-trainable)" if r.non_trainable else ""
        lines += [f"output: {fmt_shape(r.shape)}", f"params: {exact(r.params)}{non_trainable}",
                  f"MACs: {exact(r.macs)}{share}", f"FLOPs: {exact(r.flops)}"]
    return "<br>".join(lines)


def wire_tooltip(source: Node, target: Node, port: int, r: NodeResult | None) -> str:
    """The tensor a wire carries, and where it goes."""
    where = f"{_esc(source.label)} → {_esc(target.label)}"
    if target.layer.variadic:
        where += f" (input {port})"
    tensor = fmt_shape(r.shape) if r is not None and r.ok else "not computed"
    return f"<b>{tensor}</b><br>{where}"


def _esc(text) -> str:
    return html.escape(str(text), quote=False)
