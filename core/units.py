"""Readable numbers for people: ``3335842 -> "3.34M"``; exact values go in tooltips and reports.

    >>> human(3335842), human(128049152), human(950), human(1_500_000_000)
    ('3.34M', '128M', '950', '1.5G')
    >>> human_bytes(13343368)
    '12.7 MiB'
"""

from __future__ import annotations

_SUFFIXES = ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K"))


def human(n: int | float) -> str:
    """Three significant digits with K, M, G, T (decimal, as papers print 3.4M or 569M)."""
    sign = "-" if n < 0 else ""
    n = abs(n)
    for scale, suffix in _SUFFIXES:
        if n >= scale * 0.9995:
            v = n / scale
            digits = 0 if v >= 99.95 else 1 if v >= 9.995 else 2
            text = f"{v:.{digits}f}"
            if "." in text:  # strip only decimal zeros: 100M must not become 1M
                text = text.rstrip("0").rstrip(".")
            return f"{sign}{text}{suffix}"
    return f"{sign}{n:g}"


def human_bytes(n: int) -> str:
    """Binary units for memory, as a file manager shows them."""
    v = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if v < 1024 or unit == "GiB":
            return f"{int(v)} B" if unit == "B" else f"{v:.1f} {unit}"
        v /= 1024
    raise AssertionError("unreachable")


def exact(n: int) -> str:
    """Thousands separators for tooltips: 3,335,842."""
    return f"{n:,}"
