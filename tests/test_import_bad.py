"""The bad-model corpus (tests/data/bad_models/, written by scripts/make_bad_models.py): every file
gets its one-line messages (expected.json; ``{path}`` stands for the file's path), exit 1, and no
output file, from ``archcanvas import`` and from ``archcanvas report`` alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archcanvas.core.cli import main

BAD = Path(__file__).parent / "data" / "bad_models"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def test_the_corpus_is_complete():
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.iterdir() if p.name != "expected.json")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import_refuses_with_the_expected_lines(capsys, tmp_path, name):
    if name.endswith(".onnx"):
        pytest.importorskip("onnx")
    if name.endswith(".h5") and name != "not_hdf5.h5":
        pytest.importorskip("h5py")
    path, out = BAD / name, tmp_path / "out.json"
    want = ["error: " + line.replace("{path}", str(path)) for line in EXPECTED[name]]
    assert run(capsys, "import", str(path), "-o", str(out)) == (1, "", want)
    assert not out.exists()
    assert run(capsys, "report", str(path)) == (1, "", want)


def test_a_100_mb_json_model_is_refused_unread(capsys, tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.write(b'{"class_name": "Functional", "config": {"layers": [')
        f.truncate(100 * 2**20)  # sparse: nothing is written, the size is what is checked
    code, out, err = run(capsys, "import", str(path), "-o", str(tmp_path / "o.json"))
    assert (code, out, err) == (1, "", [f"error: {path}: too large for a model's JSON (104,857,600 bytes; "
                                        "the limit is 32 MiB)"])


def test_a_design_file_is_not_a_model_to_import(capsys, tmp_path):
    seed = Path(__file__).parent / "data" / "valid" / "seed_inception.json"
    code, _, err = run(capsys, "import", str(seed), "-o", str(tmp_path / "o.json"))
    assert (code, err) == (1, [f"error: {seed}: this is an ArchCanvas design, not a model file; open it directly"])
