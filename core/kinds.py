"""The checks shared by the layers' attributes (``layers.spec.Attr``) and the templates'
parameters (``templates.params.Param``): one integer type test, one int32 bound, one range test,
one message form ``must be <what>, got <value as written>``.

An attribute's kind (``int``, ``float``, ``choice``...) and a parameter's kind of the same name
are checked by the same function here; they differ only in the words naming the range.
"""

from __future__ import annotations

from .errors import AttrError
from .quote import show

INT_MAX = 2**31 - 1  # frameworks and Qt's spin boxes hold sizes as int32
FLOAT_MAX = 1.7976931348623157e308


def is_int(v) -> bool:
    """An int that is not a bool (JSON's true is not 1)."""
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def refuse(what: str, value):
    raise AttrError(f"must be {what}, got {show(value)}")


def check_int(v, lo: int | None, hi: int | None, what) -> int:
    """``v`` if it is an integer from ``lo`` to ``hi`` (``None``: unbounded below, int32 above).
    ``what`` is the words for the message, or a function making them (built only on failure)."""
    hi = INT_MAX if hi is None else hi
    if not is_int(v) or (lo is not None and v < lo) or v > hi:
        refuse(what() if callable(what) else what, v)
    return v


def check_float(v, lo: float | None, hi: float | None, what, hi_exclusive: bool = False) -> float:
    """``v`` as a float if it is a finite number in range; ``what`` as for ``check_int``."""
    # <= the largest float, not != inf: a 400-digit JSON integer would make float(v) overflow
    ok = is_number(v) and v == v and abs(v) <= FLOAT_MAX
    if ok and lo is not None and v < lo:
        ok = False
    if ok and hi is not None and (v >= hi if hi_exclusive else v > hi):
        ok = False
    if not ok:
        refuse(what() if callable(what) else what, v)
    return float(v)


def check_choice(v, choices, what):
    """``v`` if it is one of ``choices`` (a bool never stands for 0 or 1)."""
    if isinstance(v, bool) or v not in choices:
        refuse(what() if callable(what) else what, v)
    return v
