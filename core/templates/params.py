"""Parameters of blocks and templates, declared as data, and the records blocks return.

The GUI builds its dialog from a ``Param`` and the CLI its options; both hand the raw value to
``Param.validate``, which accepts the Python value or the text a person typed (``"0.75"``,
``"64,96,128,16,32,32"``) and returns the normalized value or raises ``AttrError`` naming the
parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..errors import AttrError
from ..kinds import check_float, check_int
from ..quote import show

# "int", "float" and "choice" are checked as the layer attributes of those kinds are (core.kinds);
# "ints" is a list of "int"s
KINDS = ("int", "float", "choice", "ints")


# Python's int() and float() also read "1_0" as 10 and Arabic-Indic or full-width digits
# ("١٠٠" as 100); a parameter is plain ASCII decimal text, so what is typed is what is meant.
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def parse_int(text: str) -> int:
    """A plain decimal integer (``"64"``, ``" -3 "``); ``ValueError`` for anything else."""
    t = text.strip(" \t")
    if not _INT_TEXT.fullmatch(t):
        raise ValueError(f"not a decimal integer: {text!r}")
    return int(t)


def parse_float(text: str) -> float:
    """A plain decimal number (``"0.75"``, ``"1e-3"``); ``ValueError`` for anything else."""
    t = text.strip(" \t")
    if not _FLOAT_TEXT.fullmatch(t):
        raise ValueError(f"not a decimal number: {text!r}")
    return float(t)


def _num(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


@dataclass(frozen=True)
class Param:
    """One parameter of a block or template."""

    name: str
    kind: str  # "int" | "float" | "choice" | "ints"
    default: object
    doc: str = ""
    choices: tuple = ()
    min: float | None = None
    max: float | None = None
    length: int | None = None  # "ints": how many numbers (Inception's configuration has 6)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown parameter kind {self.kind!r}")

    def _range_words(self) -> str:
        if self.min is not None and self.max is not None:
            return f" from {_num(self.min)} to {_num(self.max)}"
        if self.min is not None:
            return f" of at least {_num(self.min)}"
        if self.max is not None:
            return f" of at most {_num(self.max)}"
        return ""

    def _fail(self, what: str, value):
        raise AttrError(f"{self.name}: must be {what}, got {show(value)}")

    def _check(self, check, v, what: str, shown):
        try:
            return check(v, self.min, self.max, what)
        except AttrError:
            self._fail(what, shown)  # the message names the parameter and quotes what was given

    def _int(self, value, what: str, whole=None):
        """``value`` as an int; the message quotes ``whole`` (the list it came from) if given."""
        shown = value if whole is None else whole
        v = value
        if isinstance(v, str):
            try:
                v = parse_int(v)
            except ValueError:
                self._fail(what, shown)
        elif isinstance(v, float) and v.is_integer():
            v = int(v)
        return self._check(check_int, v, what, shown)

    def validate(self, value):
        """The normalized value (int, float, a choice, or a tuple of ints); ``AttrError`` otherwise."""
        if self.kind == "int":
            return self._int(value, "an integer" + self._range_words())
        if self.kind == "float":
            v = value
            if isinstance(v, str):
                try:
                    v = parse_float(v)
                except ValueError:
                    self._fail("a number" + self._range_words(), value)
            return self._check(check_float, v, "a number" + self._range_words(), value)
        if self.kind == "choice":
            for c in self.choices:
                if (value == c and type(value) is type(c)) or (isinstance(value, str) and value.strip() == str(c)):
                    return c
            self._fail("one of " + ", ".join(str(c) for c in self.choices), value)
        # "ints"
        what = (f"a list of {self.length} integers" if self.length else "a list of integers") \
            + self._range_words()
        items = value
        if isinstance(items, str):
            items = [s for s in items.replace(";", ",").replace(" ", ",").split(",") if s]
        if not isinstance(items, (list, tuple)) or not items or (self.length and len(items) != self.length):
            self._fail(what, value)
        return tuple(self._int(x, what, value) for x in items)


def resolve(params: tuple[Param, ...], given: dict, owner: str) -> dict:
    """Every parameter's value: ``given`` validated, the rest defaults. Unknown names are errors."""
    index = {p.name: p for p in params}
    for name in given:
        if name not in index:
            known = ", ".join(index) or "none"
            raise AttrError(f"{name}: unknown parameter for {owner} (known: {known})")
    return {p.name: p.validate(given[p.name]) if p.name in given else p.validate(p.default) for p in params}


@dataclass(frozen=True)
class BlockResult:
    nodes: list[str]  # every node the block added, in the order added
    entries: list[tuple[str, int]]  # (node id, input port) that take the block's input
    output: str  # the node whose output is the block's output


@dataclass(frozen=True)
class Block:
    name: str
    doc: str
    params: tuple[Param, ...]
    add: Callable  # add(design, source, group, origin=(0.0, 0.0), **params) -> BlockResult


@dataclass(frozen=True)
class Template:
    name: str
    doc: str
    params: tuple[Param, ...]
    build: Callable  # build(**params) -> Design, every node with a pos
    title: str = ""  # what the palette calls it, when its name (a CLI word) reads badly there
