"""Data files shipped with ArchCanvas: the design-file schema, example designs, icons, style sheets.

A package only so that ``pip install .`` installs these files; read them with ``path(name)``.
"""

from importlib.resources import files


def path(*parts: str):
    """A ``Traversable`` for a file under resources/ (``path("examples", "googlenet.json")``)."""
    node = files(__name__)
    for part in parts:
        node = node / part
    return node
