"""Example code in the documentation runs: doctests in core, and every ```python block in docs/."""

import doctest
import re
from pathlib import Path

import pytest

from archcanvas.core import shapes, units

ROOT = Path(__file__).parent.parent
BLOCKS = [(p.name, i, code) for p in sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
          for i, code in enumerate(re.findall(r"```python\n(.*?)```", p.read_text(encoding="utf-8"), re.S))]


@pytest.mark.parametrize("module", [shapes, units], ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name,index,code", BLOCKS, ids=[f"{n}#{i}" for n, i, _ in BLOCKS])
def test_python_examples_in_the_docs_run(name, index, code):
    exec(compile(code, f"{name} example {index}", "exec"), {})


def test_the_docs_have_examples_to_run():
    assert BLOCKS
