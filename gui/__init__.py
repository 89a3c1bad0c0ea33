"""ArchCanvas desktop app (PySide6). Depends on ``core``; ``core`` never imports this package."""

from . import _pyside_fix

_pyside_fix.apply()  # before any signal is emitted (see the module's doc)
