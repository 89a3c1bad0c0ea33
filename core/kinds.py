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


# Quick validators -------------------------------------------------------------------------------
# Reading a file validates every attribute of every node (about 500 values for MobileNetV2), so
# each attribute gets a one-argument check built once: the common value (a JSON int in range, a
# finite float in range, a listed string) is accepted inline; anything else goes to ``slow``, the
# full validator, which returns the same value or raises the one message. So a quick check never
# decides a fault and never accepts what ``slow`` would refuse: it returns what ``slow`` returns.
def quick_int(lo: int | None, hi: int, slow):
    lo = -INT_MAX - 1 if lo is None else lo  # below any int32; an int below it takes ``slow``

    def check(v):
        if type(v) is int and lo <= v <= hi:
            return v
        return slow(v)
    return check


def quick_pair(lo: int | None, hi: int, slow):
    """An int, as ``(v, v)``, or a list of two ints, as a tuple."""
    lo = -INT_MAX - 1 if lo is None else lo

    def check(v):
        if type(v) is int:
            if lo <= v <= hi:
                return (v, v)
        elif type(v) is list and len(v) == 2:
            a, b = v
            if type(a) is int and type(b) is int and lo <= a <= hi and lo <= b <= hi:
                return (a, b)
        return slow(v)
    return check


def quick_float(lo: float | None, hi: float | None, hi_exclusive: bool, slow):
    """A float in range as itself (``float(v)`` is ``v``); ints and the rest take ``slow``."""
    lo = -FLOAT_MAX if lo is None else lo
    hi = FLOAT_MAX if hi is None else hi
    if hi_exclusive:
        def check(v):
            if type(v) is float and lo <= v < hi:
                return v
            return slow(v)
    else:
        def check(v):
            if type(v) is float and lo <= v <= hi:
                return v
            return slow(v)
    return check


def quick_choice(choices, slow):
    """A string among ``choices`` (a set lookup for the tuple's scan; equal strings, equal answer)."""
    strings = frozenset(c for c in choices if type(c) is str)

    def check(v):
        if type(v) is str and v in strings:
            return v
        return slow(v)
    return check


def quick_bool(slow):
    def check(v):
        if v is True or v is False:
            return v
        return slow(v)
    return check


def quick_padding2d(slow):
    """``[[top, bottom], [left, right]]`` of non-negative ints, as tuples; an int; the rest: ``slow``."""
    def check(v):
        if type(v) is int:
            if 0 <= v <= INT_MAX:
                return ((v, v), (v, v))
        elif type(v) is list and len(v) == 2:
            a, b = v
            if type(a) is list and type(b) is list and len(a) == 2 and len(b) == 2:
                t, u = a
                w, x = b
                if (type(t) is int and type(u) is int and type(w) is int and type(x) is int
                        and 0 <= t <= INT_MAX and 0 <= u <= INT_MAX and 0 <= w <= INT_MAX and 0 <= x <= INT_MAX):
                    return ((t, u), (w, x))
        return slow(v)
    return check


def or_none(check):
    """``check`` that also accepts null as None (``pair_or_none``, ``float_or_none``)."""
    def either(v):
        return None if v is None else check(v)
    return either
