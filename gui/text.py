"""Wording shared by the panels: counts with the right plural, and documentation strings (written
for the code, with ``literals`` and hard line breaks) turned into text a label can show."""

from __future__ import annotations

import html
import re

_LITERAL = re.compile(r"``(.+?)``|`([^`]+)`")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 layer``, ``3 layers``, ``1,000 layers``."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def short_name(label: str, group: str | None) -> str:
    """A layer's name without its block's prefix (``inception_3a_1x1`` in ``inception_3a`` is
    ``1x1``): what to show where the block is already named or space is short."""
    if group and label.startswith(group + "_") and len(label) > len(group) + 1:
        return label[len(group) + 1:]
    return label


def doc_html(doc: str) -> str:
    """Rich text for a docstring: paragraphs reflowed (the line breaks of the source go), code
    literals in a fixed-width font, the rest escaped."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc.strip()) if p.strip()]
    out = []
    for p in paragraphs:
        parts, last = [], 0
        for m in _LITERAL.finditer(p):
            parts.append(html.escape(p[last:m.start()], quote=False))
            parts.append(f"<code>{html.escape(m.group(1) or m.group(2), quote=False)}</code>")
            last = m.end()
        parts.append(html.escape(p[last:], quote=False))
        out.append("".join(parts))
    return "<p>" + "</p><p>".join(out) + "</p>" if out else ""


def tip(doc: str) -> str:
    """A tooltip for a documentation string: the same rich text as ``doc_html`` (so a code
    literal shows in a fixed-width font instead of between raw backticks); empty for no doc."""
    return doc_html(doc) if doc and doc.strip() else ""
