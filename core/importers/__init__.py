"""Model files as designs: Keras (``.keras``, ``to_json()`` text, ``.h5``, TF.js ``model.json``) and
ONNX, read as data and never executed, built into an ordinary ``Design`` through its public API.

``read_any(path)`` is the one reader behind every command and the app's Open: a design file is
loaded as before; a model file is imported. What cannot be imported raises ``ModelImportError``,
whose ``lines`` say each problem on one line (one per unsupported layer).
"""

from __future__ import annotations

import os

from ..quote import escape
from ..errors import ArchCanvasError

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5", ".onnx")
# A model's JSON text (config.json, to_json(), TF.js model.json with a weights manifest) stays far
# below this; the cap keeps a 100 MB file from being parsed into gigabytes of Python objects.
MAX_JSON_BYTES = 32 * 2**20
MAX_ONNX_BYTES = 1024 * 2**20  # an .onnx file carries its weights; ResNet50's is about 100 MB


class ModelImportError(ArchCanvasError):
    """A model file that cannot become a design; ``lines`` holds one message per problem."""

    def __init__(self, lines: list[str]):
        self.lines = [escape(line) for line in lines]
        # one message per line, each escaped on its own: the breaks between them are meant
        Exception.__init__(self, "\n".join(self.lines))


def fail(source: str, message: str):
    raise ModelImportError([f"{source}: {message}"])


def is_model_path(path) -> bool:
    """A file name the importer reads (JSON is decided by its content, so ``.json`` counts)."""
    return os.fspath(path).lower().endswith(MODEL_SUFFIXES + (".json",))


def read_any(path):
    """The design in ``path``: a design file, or a model file imported as a design."""
    return open_any(path)[0]


def open_any(path):
    """``(design, imported)``: ``imported`` is true for a model file (which the app must never
    save over: its design is a new, untitled document)."""
    from ..fileformat import load
    from .sources import read_model_source

    shown = os.fspath(path)
    kind, payload = read_model_source(shown)
    if kind == "design":
        return load(shown), False
    return import_payload(kind, payload, shown), True


def import_payload(kind: str, payload, shown: str):
    """A design from what ``read_model_source`` found: a Keras config dict or an ONNX model."""
    from ..layout import place_unpositioned

    if kind == "keras":
        from .keras_graph import design_from_keras
        design = design_from_keras(payload, shown)
    else:
        from .onnx_graph import design_from_onnx
        design = design_from_onnx(payload, shown)
    place_unpositioned(design)
    return design


def import_model(path):
    """Import a model file (never a design file) as a design."""
    from .sources import read_model_source

    shown = os.fspath(path)
    kind, payload = read_model_source(shown)
    if kind == "design":
        fail(shown, "this is an ArchCanvas design, not a model file; open it directly")
    return import_payload(kind, payload, shown)


__all__ = ["ModelImportError", "MODEL_SUFFIXES", "is_model_path", "read_any", "open_any", "import_model"]
