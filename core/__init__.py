"""ArchCanvas core: design model, layer catalogue, shape inference and cost rules.

Pure Python: nothing in this package imports Qt or the ``gui`` package.
"""

__version__ = "0.1.0"
