"""No module reads another module's private names: not ``from x import _y``, not ``obj._y`` where
``_y`` is defined by another module (networkx's ``graph._node``, ``node._resolved`` read by the
analysis). A module may use its own private names on any object (``other._x`` in ``__eq__``)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("core", "gui", "scripts")
# private by spelling only: the documented API of namedtuple and Enum
PUBLIC = {"_replace", "_asdict", "_fields", "_make", "_field_defaults", "_missing_", "_value_", "_name_",
          "_ignore_", "_generate_next_value_"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in PUBLIC


def _own_names(tree: ast.AST) -> set[str]:
    """The names a module defines: functions, classes, variables, arguments, attributes it sets."""
    own = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(n.name)
        elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            own.add(n.id)  # also a dataclass field: the target of an annotation in a class body
        elif isinstance(n, ast.Attribute) and isinstance(n.ctx, (ast.Store, ast.Del)):
            own.add(n.attr)
        elif isinstance(n, ast.arg):
            own.add(n.arg)
    return own


def violations(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    own = _own_names(tree)
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            found += [f"{where}:{n.lineno}: imports {a.name} from {n.module or '.'}"
                      for a in n.names if _private(a.name)]
        elif isinstance(n, ast.Attribute) and _private(n.attr) and n.attr not in own:
            found.append(f"{where}:{n.lineno}: reads {ast.unparse(n)}")
    return found


def _modules():
    for folder in SCANNED:
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_the_scan_finds_the_patterns_it_forbids():
    bad = ("from .design_reader import _fail, copy_json\n"
           "def f(design, node):\n"
           "    return design.graph._node, node._resolved, design._sources(1)\n")
    assert violations(bad, "m.py") == [
        "m.py:1: imports _fail from design_reader", "m.py:3: reads design.graph._node",
        "m.py:3: reads node._resolved", "m.py:3: reads design._sources"]
    ok = ("class A:\n"
          "    def __init__(self):\n"
          "        self._x = 1\n"
          "    def same(self, other):\n"
          "        return other._x == self._x and self.__class__ and t._replace(a=1)\n")
    assert violations(ok, "m.py") == []


def test_the_scan_covers_the_source_tree():
    names = {p.relative_to(ROOT).as_posix() for p in _modules()}
    assert {"core/design.py", "core/analysis.py", "core/fileformat.py", "gui/canvas/gestures.py"} <= names


@pytest.mark.parametrize("folder", SCANNED)
def test_no_module_reads_another_modules_private_names(folder):
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        found += violations(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert found == []
