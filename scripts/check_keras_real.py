"""Check the Keras importer against real model files that other people committed (not in the test
suite: a fresh clone has no ../shared). Run by hand:

    python scripts/check_keras_real.py [FOLDER]   (default: ../shared/keras-real beside the repo)

For every file in FOLDER/expected.json: import it, analyse it, and compare params, trainable and
non-trainable params and the output shape with the expected figures. Files listed in REFUSED must
be refused, with an error line naming each layer that cannot be imported. Exit 1 on any mismatch.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archcanvas.core.analysis import analyze
from archcanvas.core.importers import ModelImportError, import_model

# file -> the layers whose refusal must be named
REFUSED = {"07_triplet-siamese-shared.json": ["Lambda"], "15_efficientnetb0-mha.json": ["MultiHeadAttention"]}


def check(folder: Path) -> int:
    expected = json.loads((folder / "expected.json").read_text())
    bad = 0
    for name, want in expected.items():
        try:
            design = import_model(folder / name)
        except ModelImportError as err:
            classes = REFUSED.get(name)
            ok = classes is not None and all(any(f"({c})" in line for line in err.lines) for c in classes)
            bad += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: refused, {len(err.lines)} line(s)")
            for line in err.lines:
                print(f"       {line}")
            continue
        if name in REFUSED:
            print(f"FAIL {name}: imported, but must be refused naming {REFUSED[name]}")
            bad += 1
            continue
        a = analyze(design)
        if not a.ok:
            print(f"FAIL {name}: the design cannot be computed: {[r.message for r in a.problems][:3]}")
            bad += 1
            continue
        t = a.totals
        last = a[a.order[-1]].shape
        got = {"params": t.params, "trainable_params": t.trainable_params,
               "non_trainable_params": t.non_trainable_params, "output_shape": [None, *last]}
        diff = {k: (v, want[k]) for k, v in got.items() if v != want[k]}
        bad += bool(diff)
        print(f"{'FAIL' if diff else 'ok  '} {name}: {t.params:,} params ({t.trainable_params:,} trainable), "
              f"output {list(last)}, {len(design)} nodes" + (f"  MISMATCH (got, expected): {diff}" if diff else ""))
    print(f"{len(expected) - bad} of {len(expected)} as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1].parent / "shared" / "keras-real"
    sys.exit(check(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/keras-real")
                   if not default.is_dir() else default))
