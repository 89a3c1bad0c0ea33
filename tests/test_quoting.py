"""A name from a file is quoted on one line, every character visible: in the loader's messages,
the design's refusals, the CLI's error lines, the status bar and the problems list."""

import pytest
from PySide6.QtCore import QPointF

from archcanvas.core import cli
from archcanvas.core import fileformat as ff
from archcanvas.core.design import Design
from archcanvas.core.errors import CycleError, FormatError
from archcanvas.core.quote import escape, quote, show

# "MaxPooling2D" with one byte flipped ("i" -> "\"): the JSON escape \n, a real line break once read
DAMAGED = """{
  "format": "archcanvas.design", "version": 1, "name": "t",
  "nodes": [{"id": "in", "type": "Input", "attrs": {"shape": [8, 8, 3]}},
            {"id": "p", "type": "MaxPool\\ng2D", "attrs": {}}],
  "edges": [{"source": "in", "target": "p"}]
}"""
MESSAGE = ('nodes[1].type: unknown layer type "MaxPool\\ng2D" '
           '(did you mean "MaxPooling2D" or "GlobalMaxPooling2D"?)')


def test_escape_writes_control_characters_and_line_breaks_as_escapes():
    assert escape("conv 1 × 2") == "conv 1 × 2"
    assert escape("MaxPool\ng2D") == "MaxPool\\ng2D"
    assert escape("a\tb\rc\x07d\x1b[2J") == "a\\tb\\rc\\x07d\\x1b[2J"
    assert escape("x\x85y\u2028z\u202eq") == "x\\x85y\\u2028z\\u202eq"  # NEL, line separator, bidi override
    assert escape("\u00a0no-break") == "\u00a0no-break"  # visible enough: a space
    assert quote("a\nb") == '"a\\nb"'
    assert [show(v) for v in (None, True, "6\n4", [1, "x"], 2.5, {"a": 1})] == [
        "null", "true", '"6\\n4"', '[1, "x"]', "2.5", "an object"]


def test_a_type_name_broken_by_a_damaged_byte_is_quoted_on_one_line():
    with pytest.raises(FormatError) as err:
        ff.loads(DAMAGED, source="damaged.json")
    assert str(err.value) == "damaged.json: " + MESSAGE


def test_the_design_quotes_a_name_with_a_line_break_escaped():
    d = Design()
    d.add_node("Add", "a", name="first\nsecond")
    with pytest.raises(CycleError) as err:
        d.connect("a", "a")
    assert str(err.value) == "cannot connect first\\nsecond to itself"


def test_the_cli_error_line_names_the_damaged_type_escaped(tmp_path, capsys):
    path = tmp_path / "damaged.json"
    path.write_text(DAMAGED, encoding="utf-8")
    assert cli.main(["report", str(path)]) == 1
    assert capsys.readouterr().err == f"error: {path}: {MESSAGE}\n"


def test_the_status_bar_and_problems_list_show_names_on_one_line(window):
    d = Design("t")
    d.add_node("Conv2D", "c", name="conv\nbroken")
    window.document.set_design(d)
    assert window.problems.item(0).text() == "conv\\nbroken (Conv2D): needs an input, has 0"
    window.place("layer:Add", QPointF(300, 0))
    window.document.design.rename("add", "sum\x1b[2J")
    window.show_message(f"cannot connect {window.document.design.node('add').label} to itself")
    assert window.status_text() == "cannot connect sum\\x1b[2J to itself"
