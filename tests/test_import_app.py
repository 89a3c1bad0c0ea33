"""Models in the app: File > Open (and a drop, which takes the same path) imports a model file as
an untitled design, so Save never writes over the model; a model that cannot be imported leaves
the open document as it was and says why, one line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_support import Prompts, make_window, profile  # noqa: F401  (fixture)
from archcanvas.core import fileformat
from test_import_cli import sequential

BAD = Path(__file__).parent / "data" / "bad_models"
SEED = Path(__file__).parent / "data" / "valid" / "seed_inception.json"


@pytest.fixture
def ui(qtbot, profile, monkeypatch):  # noqa: F811
    answers = Prompts(monkeypatch)
    window, features = make_window(qtbot)
    return window, features, answers


def test_opening_a_model_imports_it_untitled(ui, tmp_path):
    window, f, answers = ui
    model = sequential(tmp_path)
    assert f.files.open_path(model)
    doc = window.document
    assert answers.errors() == [] and doc.path is None
    assert [n.label for n in doc.design.nodes()] == ["pixels", "conv", "gap", "out"]
    assert doc.analysis.totals.params == 91 and doc.analysis.totals.trainable_params == 15
    assert len(window.view.scene().items()) > 4  # drawn on the canvas


def test_a_model_that_cannot_be_imported_keeps_the_open_design(ui):
    window, f, answers = ui
    assert f.files.open_path(SEED)
    before, path = fileformat.to_dict(window.document.design), window.document.path
    bad = BAD / "lambda_layer.json"
    assert f.files.open_path(bad) is False
    assert answers.errors() == [
        f'{bad}: layer "crop" (Lambda) cannot be imported: its function is Python code, which ArchCanvas never runs\n'
        f'{bad}: layer "attention" (MultiHeadAttention) cannot be imported: ArchCanvas has no MultiHeadAttention layer']
    assert fileformat.to_dict(window.document.design) == before and window.document.path == path
