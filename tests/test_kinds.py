"""The layers' attributes and the templates' parameters share one kind system (core.kinds): the
same checks, the same bound, the same way of quoting the value refused."""

import re
from pathlib import Path

import pytest

from archcanvas.core.errors import AttrError
from archcanvas.core.kinds import INT_MAX
from archcanvas.core.layers.spec import Attr
from archcanvas.core.templates.params import Param

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value", [True, 2.5, "3", None, INT_MAX + 1, 0])
def test_an_int_attribute_and_an_int_parameter_refuse_the_same_values(value):
    attr, param = Attr("n", "int", 1, min=1), Param("n", "int", 1, min=1)
    with pytest.raises(AttrError) as a:
        attr.validate(value)
    if isinstance(value, str):  # a parameter also takes the text a person typed
        assert param.validate(value) == 3
        return
    with pytest.raises(AttrError) as p:
        param.validate(value)
    shown = str(a.value).rsplit(", got ", 1)[1]
    assert str(p.value).endswith(f", got {shown}") and str(p.value).startswith("n: must be ")


def test_float_kinds_refuse_the_same_values_and_quote_them_alike():
    attr, param = Attr("rate", "float", 0.5, min=0.0, max=1.0), Param("rate", "float", 0.5, min=0.0, max=1.0)
    for bad in (float("nan"), float("inf"), 1.5, -0.1, False, [0.5], None):
        with pytest.raises(AttrError) as a:
            attr.validate(bad)
        with pytest.raises(AttrError) as p:
            param.validate(bad)
        assert str(a.value).rsplit(", got ", 1)[1] == str(p.value).rsplit(", got ", 1)[1]
    with pytest.raises(AttrError, match=r'^rate: must be a number from 0 to 1, got null$'):
        param.validate(None)
    with pytest.raises(AttrError, match=r'^must be a number of at least 0.0 and at most 1.0, got "0\\n5"$'):
        attr.validate("0\n5")


def test_each_shared_helper_is_defined_once():
    sources = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
               for folder in ("core", "gui") for p in (ROOT / folder).rglob("*.py")}
    for pattern in (r"^INT_MAX\s*=", r"^def _?is_int\(", r"^def show\(", r"^_?FLOAT_MAX\s*="):
        where = [name for name, text in sources.items() if re.search(pattern, text, re.M)]
        assert len(where) == 1, (pattern, where)
    assert not any('"nothing"' in text for text in sources.values())  # None is written null
