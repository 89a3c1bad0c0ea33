"""The network as a figure for a paper: SVG written in pure Python.

Layers are boxes at their canvas positions (or laid out when some have none) with the node's
name, type, summary and output shape; wires are curves labelled with the shape they carry;
groups (blocks) are framed and titled; a legend explains the fill, which is the layer's share of
the network's MACs, and gives the totals. No window chrome, no Qt: png and pdf are the same SVG
drawn by the renderer the desktop package registers with ``set_rasterizer``.
"""

from __future__ import annotations

from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from ..layout import layered_positions
from .common import ExportError, Plan, shape_text

BOX_W, BOX_H, MARGIN, FRAME_PAD = 184.0, 66.0, 40.0, 18.0
# fill by share of total MACs: none, < 1 %, < 5 %, < 15 %, 15 % and more
BINS = ((0.0, "#f4f4f4", "no MACs"), (0.01, "#dbe9f6", "< 1 % of MACs"), (0.05, "#9ecae1", "1–5 %"),
        (0.15, "#4292c6", "5–15 %"), (1.01, "#08519c", "≥ 15 %"))
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'

_rasterizer: Callable[[str, str], bytes] | None = None


def set_rasterizer(fn: Callable[[str, str], bytes] | None) -> None:
    """``fn(svg_text, "png" | "pdf") -> bytes``; the desktop package registers one (core has no Qt)."""
    global _rasterizer
    _rasterizer = fn


def rasterize(svg_text: str, fmt: str) -> bytes:
    if _rasterizer is None:
        raise ExportError([f"{fmt} needs the desktop app's Qt; export svg instead, "
                           "or run the installed 'archcanvas' command"])
    return _rasterizer(svg_text, fmt)


def _bin(share: float, macs: int) -> tuple[str, str]:
    if not macs:
        return BINS[0][1], "#222"
    for limit, colour, _ in BINS[1:]:
        if share < limit:
            return colour, "#fff" if limit > 0.05 else "#222"
    return BINS[-1][1], "#fff"


def _positions(plan: Plan) -> dict[str, tuple[float, float]]:
    nodes = [plan.design.node(n) for n in plan.order]
    if all(n.pos is not None for n in nodes):
        return {n.id: tuple(n.pos) for n in nodes}
    return layered_positions(plan.design)


def _text(x, y, text, size=11, weight="normal", fill="#222", anchor="middle") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}" text-anchor="{anchor}">{escape(str(text))}</text>')


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg(plan: Plan) -> str:
    design, analysis = plan.design, plan.analysis
    pos = _positions(plan)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    x0, y0 = min(xs) - MARGIN - FRAME_PAD, min(ys) - MARGIN - FRAME_PAD - 16
    legend_h = 30 + 18 * len(BINS) + 54
    width = max(xs) + BOX_W + MARGIN + FRAME_PAD - x0
    height = max(ys) + BOX_H + MARGIN + FRAME_PAD - y0 + legend_h
    total_macs = analysis.totals.macs or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="{x0:.1f} {y0:.1f} {width:.1f} {height:.1f}">',
           f"<title>{escape(str(design.name))}</title>",
           f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>']
    for group, members in sorted(design.groups().items()):
        gx = [pos[m][0] for m in members]
        gy = [pos[m][1] for m in members]
        fx, fy = min(gx) - FRAME_PAD, min(gy) - FRAME_PAD - 14
        fw, fh = max(gx) + BOX_W + FRAME_PAD - fx, max(gy) + BOX_H + FRAME_PAD - fy
        out.append(f'<g class="group" id={quoteattr("group-" + group)}>'
                   f'<rect x="{fx:.1f}" y="{fy:.1f}" width="{fw:.1f}" height="{fh:.1f}" rx="8" '
                   f'fill="#fbf7ee" stroke="#b59a5a" stroke-dasharray="6 3"/>'
                   + _text(fx + 8, fy + 14, group, 11, "bold", "#7a6125", "start") + "</g>")
    for e in design.edges():
        sx, sy = pos[e.source][0] + BOX_W, pos[e.source][1] + BOX_H / 2
        tx, ty = pos[e.target][0], pos[e.target][1] + BOX_H / 2
        bend = max(40.0, abs(tx - sx) / 2)
        out.append(f'<g class="edge"><path d="M{sx:.1f},{sy:.1f} C{sx + bend:.1f},{sy:.1f} '
                   f'{tx - bend:.1f},{ty:.1f} {tx:.1f},{ty:.1f}" fill="none" stroke="#666" '
                   f'stroke-width="1.3" marker-end="url(#arrow)"/>'
                   + _text((sx + tx) / 2, (sy + ty) / 2 - 4, shape_text(plan.shape(e.source)), 9, fill="#444")
                   + "</g>")
    for nid in plan.order:
        node, r = design.node(nid), analysis[nid]
        x, y = pos[nid]
        fill, ink = _bin(r.macs / total_macs, r.macs)
        summary = node.layer.summary(node.resolved())
        out.append(f'<g class="node" id={quoteattr("node-" + nid)}>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                   f'fill="{fill}" stroke="#333" stroke-width="1"/>'
                   + _text(x + BOX_W / 2, y + 17, _short(node.label), 12, "bold", ink)
                   + _text(x + BOX_W / 2, y + 34, _short(f"{node.type} {summary}".strip(), 32), 10, fill=ink)
                   + _text(x + BOX_W / 2, y + 52, shape_text(r.shape), 10, fill=ink) + "</g>")
    out.append(_legend(plan, x0 + MARGIN, y0 + height - legend_h))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(plan: Plan, x: float, y: float) -> str:
    t = plan.analysis.totals
    parts = [f'<g class="legend">', _text(x, y + 14, "Fill: share of the network's MACs", 11, "bold", anchor="start")]
    for i, (_, colour, words) in enumerate(BINS):
        yy = y + 24 + 18 * i
        parts.append(f'<rect x="{x:.1f}" y="{yy:.1f}" width="22" height="13" fill="{colour}" stroke="#333"/>')
        parts.append(_text(x + 30, yy + 11, words, 10, anchor="start"))
    yy = y + 30 + 18 * len(BINS) + 12
    parts.append(_text(x, yy, f"{t.layers} layers · {t.params:,} params "
                              f"({t.trainable_params:,} trainable) · {t.macs:,} MACs · {t.flops:,} FLOPs",
                       11, anchor="start"))
    parts.append("</g>")
    return "".join(parts)
