"""The bad-file corpus (tests/data/bad/) and the message each file must get.

``{known_types}`` in an expected message stands for the catalogue's type list, so adding a
layer type does not touch the corpus."""

import json
from pathlib import Path

from archcanvas.core import layers

BAD = Path(__file__).parent / "data" / "bad"


def expected_messages() -> dict:
    text = (BAD / "expected.json").read_text(encoding="utf-8")
    return json.loads(text.replace("{known_types}", ", ".join(layers.REGISTRY)))
