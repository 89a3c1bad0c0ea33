"""Quoting names and values from a file in a message: one line, every character visible.

A byte flipped in a file can turn ``"MaxPooling2D"`` into ``"MaxPool\\ng2D"``; quoted raw, that
name would break the one-line message in two (or ring a bell, or reorder the text). Every
message that quotes something a file or a person wrote goes through ``escape``, ``quote`` or
``show``.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Cc: C0/C1 controls (\n, \x1b, \x85); Zl, Zp: line and paragraph separators; Cf includes the
# bidirectional overrides that would reorder the rest of the line
_HIDDEN = {"Cc", "Zl", "Zp", "Cf"}


def _visible(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes (``\\n``, ``\\x07``)."""
    text = str(text)
    if text.isprintable():  # the common case, checked in C (spaces count as printable)
        return text
    return "".join(_visible(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


# A name is any JSON string: a newline would break the text report's rows, an ESC would let a
# design file drive the terminal, and a bidirectional override (U+202E) would show the text after
# it reversed ("Trojan Source"). The CSV and JSON keep names exactly; text for a terminal (the
# report's table, ``error:`` lines) shows them with ``printable``, as docs/cli.md promises:
# whitespace as a space, every other invisible control or format character as �, except the
# zero-width (non-)joiners that some scripts and emoji need.
_KEEP = "\u200c\u200d"


def _shown(c: str) -> str:
    if c.isprintable() or c in _KEEP:
        return c
    return " " if c.isspace() else "\ufffd"


def printable(text: str) -> str:
    """``text`` for a terminal: tabs and line breaks as spaces, control characters, bidirectional
    overrides and other invisible format characters as �."""
    return text if text.isprintable() else "".join(map(_shown, text))


def quote(text: str) -> str:
    """``text`` in double quotes, escaped: ``"MaxPool\\ng2D"``."""
    return f'"{escape(text)}"'


def show(v) -> str:
    """A value as the user wrote it in JSON terms (``true``, ``null``, ``"64"``, ``[1, 2]``)."""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(show(x) for x in v) + "]"
    if isinstance(v, dict):
        return "an object"
    return escape(repr(v))
