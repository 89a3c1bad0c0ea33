"""Work around a reference-counting bug of PySide6 6.12.0 on Python < 3.12.

``SignalInstance.emit()`` there returns ``True`` without taking a new reference, so every call
from Python takes one reference away from ``True``. On Python 3.11, where ``True`` is an ordinary
object, a few hundred emits bring its count to zero and the interpreter aborts ("bool_dealloc:
deallocating True or False"), mid-session or at exit. Python 3.12+ makes the bool singletons
immortal, and a fixed PySide does not leak; ``apply()`` probes for the leak and does nothing then.
Otherwise it gives ``True`` and ``False`` a reserve of references no session can use up.

The same build also returns ``None`` from every void method without a new reference
(``QPainter.setPen``, ``QColor.setAlpha``, ...): a canvas repaint makes thousands of such calls
and aborts with "none_dealloc: deallocating None". ``None`` gets the same reserve when
``leaks_on_void()`` sees that.
"""

from __future__ import annotations

import sys

_RESERVE = 1 << 40
_applied = False


def leaks_on_emit() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    return sys.getrefcount(True) < before


def leaks_on_void() -> bool:
    from PySide6.QtGui import QColor

    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(8):
        colour.setAlpha(1)
    return sys.getrefcount(None) < before


def apply() -> bool:
    """Pin the singletons that PySide leaks; True if it did. Safe to call again."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    try:
        pinned = ((True, False) if leaks_on_emit() else ()) + ((None,) if leaks_on_void() else ())
    except ImportError:
        return False
    if not pinned:
        return False
    import ctypes

    for singleton in pinned:
        # ob_refcnt is the first field of every CPython object
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE
    _applied = True
    return True
