"""``core`` runs headless: importing any of its modules must not pull in Qt, pyqtgraph or gui."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

from archcanvas import core
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "archcanvas.gui")


def core_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(core.__path__, "archcanvas.core."))


def test_core_modules_are_found():
    mods = core_modules()
    for expected in ("archcanvas.core.analysis", "archcanvas.core.design", "archcanvas.core.shapes", "archcanvas.core.errors", "archcanvas.core.layers.conv"):
        assert expected in mods


def test_importing_core_imports_no_gui_toolkit():
    script = (
        "import importlib, json, sys\n"
        f"for m in {core_modules()!r}:\n"
        "    importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} or '.'.join(m.split('.')[:2]) in {FORBIDDEN!r})\n"
        "print(json.dumps(bad))\n"
    )
    root = Path(core.__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
