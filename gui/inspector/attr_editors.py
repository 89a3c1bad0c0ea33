"""The one form generator: an editor widget per declared kind, for a layer's ``Attr``s (the
inspector) and for a block's or template's ``Param``s (``param_dialog``), laid out by ``add_rows``.

A declaration needs ``name``, ``kind``, ``doc`` and, where they apply, ``min``, ``max`` and
``choices``; ``Attr`` and ``Param`` both have them. An editor shows a value it is given
(``set_value``, with the widgets' signals blocked so that showing never looks like editing),
reports what the user chose through ``edited(value)`` and shows a refusal at the field
(``show_error``: red border + a line under it). The inspector keeps no value in it: it feeds the
editor from the model after every change. A dialog, which has no model behind it, reads the
form back with ``value()``; ``live=True`` makes a text field report while it is typed in.

Kinds: int, float, float_or_none (a "none" check box + number), bool, choice, pair (two spin
boxes with a "square" link), pair_or_none (a "none" check box + pair), shape and padding2d (a
line edit taking ``28, 28, 3`` or JSON such as ``[[1, 1], [2, 2]]``), ints (a line edit taking
``64, 96, 128``), and axes, axes_or_none, floats, floats_or_none (a line edit taking JSON).
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QToolButton

from archcanvas.core.errors import AttrError
from archcanvas.core.templates.params import parse_int
from archcanvas.gui.inspector.editor_base import (  # noqa: F401  (AttrEditor, SpinBox… are used from here too)
    INT_MAX, MIXED, AttrEditor, DoubleSpinBox, SpinBox, blocked, tristate,
)
from archcanvas.gui.text import tip


class IntEditor(AttrEditor):
    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        lo = int(attr.min) if attr.min is not None else -INT_MAX
        hi = int(attr.max) if attr.max is not None else INT_MAX
        self.spin = SpinBox(lo, hi, self)
        self.spin.refused = self.spin_refused
        self.row.addWidget(self.spin)
        self.spin.valueChanged.connect(self._changed)

    def inputs(self):
        return [self.spin]

    def set_value(self, value, mixed=False):
        self.spin.set_value(0 if mixed else int(value), mixed)

    def value(self):
        return self.spin.value()

    def _changed(self, v: int) -> None:
        if not self.spin.mixed:
            self.spin.settle()
            self.edited.emit(v)


class FloatEditor(AttrEditor):
    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        lo = attr.min if attr.min is not None else -1e12
        hi = attr.max if attr.max is not None else 1e12
        self.spin = DoubleSpinBox(lo, hi, self)
        self.spin.refused = self.spin_refused
        self.spin.setSingleStep(0.01 if hi <= 1 else 0.1)
        self.row.addWidget(self.spin)
        self.spin.valueChanged.connect(self._changed)

    def inputs(self):
        return [self.spin]

    def set_value(self, value, mixed=False):
        self.spin.set_value(0.0 if mixed else float(value), mixed)

    def value(self):
        return float(self.spin.value())

    def _changed(self, v: float) -> None:
        if not self.spin.mixed:
            self.spin.settle()
            self.edited.emit(float(v))


class FloatOrNoneEditor(FloatEditor):
    """A number that may be null (ReLU's ``max_value``: no cap). Unticking "none" applies the
    attribute's ``initial`` (6 for max_value), else the bound nearest zero."""

    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        self.none = QCheckBox("none", self)
        self.none.setToolTip(tip(attr.doc))
        self.row.insertWidget(0, self.none)
        self.none.clicked.connect(self._none_clicked)

    def inputs(self):
        return [self.spin, self.none]

    def set_value(self, value, mixed=False):
        with blocked(self.none):
            self.none.setTristate(mixed)
            self.none.setCheckState(tristate(mixed, value is None))
        super().set_value(self._offered() if value is None else value, mixed)
        self.spin.setEnabled(value is not None or mixed)

    def _offered(self) -> float:
        if self.attr.initial is not None:
            return float(self.attr.initial)
        lo, hi = self.attr.min, self.attr.max
        return float(lo if lo is not None and lo > 0 else hi if hi is not None and hi < 0 else 0.0)

    def _none_clicked(self, checked: bool) -> None:
        self.edited.emit(None if checked else float(self.spin.value()))


class BoolEditor(AttrEditor):
    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        self.box = QCheckBox(self)
        self.row.addWidget(self.box)
        self.row.addStretch(1)
        self.box.clicked.connect(lambda checked: self.edited.emit(bool(checked)))

    def inputs(self):
        return [self.box]

    def set_value(self, value, mixed=False):
        with blocked(self.box):
            self.box.setTristate(mixed)
            self.box.setCheckState(tristate(mixed, value))

    def value(self):
        return self.box.isChecked()


class ChoiceEditor(AttrEditor):
    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        self.combo = QComboBox(self)
        for c in attr.choices:
            self.combo.addItem("none" if c is None else str(c), c)
        self.combo.setMaxVisibleItems(20)
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(6)
        self.row.addWidget(self.combo)
        self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemData(i)))

    def inputs(self):
        return [self.combo]

    def set_value(self, value, mixed=False):
        with blocked(self.combo):
            index = -1 if mixed else self.combo.findData(value)
            self.combo.setCurrentIndex(index)
            self.combo.setPlaceholderText(MIXED if mixed else "")

    def value(self):
        return self.combo.currentData()


class PairEditor(AttrEditor):
    """Height and width; while "square" is on, both follow one value and the value is one int."""

    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        lo = int(attr.min) if attr.min is not None else 1
        hi = int(attr.max) if attr.max is not None else INT_MAX
        self.h = SpinBox(lo, hi, self)
        self.w = SpinBox(lo, hi, self)
        self.h.setToolTip("height")
        self.w.setToolTip("width")
        self.link = QToolButton(self)
        self.link.setObjectName("squareLink")
        self.link.setText("=")
        self.link.setCheckable(True)
        self.link.setChecked(True)
        self.link.setToolTip("square: height and width move together")
        times = QLabel("×", self)
        self.row.addWidget(self.h, 1)
        self.row.addWidget(times)
        self.row.addWidget(self.w, 1)
        self.row.addWidget(self.link)
        self.h.valueChanged.connect(lambda v: self._changed(self.h, v))
        self.w.valueChanged.connect(lambda v: self._changed(self.w, v))
        self.h.refused = lambda number, reason: self.spin_refused(number, reason, self._with(self.h, number))
        self.w.refused = lambda number, reason: self.spin_refused(number, reason, self._with(self.w, number))
        self.link.toggled.connect(self._linked)

    def inputs(self):
        return [self.h, self.w]

    def set_value(self, value, mixed=False):
        if mixed:
            self.h.set_value(0, True)
            self.w.set_value(0, True)
            return
        a, b = _pair(value)
        self.h.set_value(a)
        self.w.set_value(b)
        with blocked(self.link):
            self.link.setChecked(a == b)  # a square value shows linked, an oblong one unlinked

    def value(self):
        a, b = self.h.value(), self.w.value()
        return a if self.link.isChecked() and a == b else [a, b]

    def _changed(self, spin: SpinBox, v: int) -> None:
        if spin.mixed:
            return
        spin.settle()
        if self.link.isChecked():
            other = self.w if spin is self.h else self.h
            other.settle()
            with blocked(other):
                other.setValue(v)
        if self.h.mixed or self.w.mixed:
            return
        self.edited.emit(self.value())

    def _with(self, spin: SpinBox, number: int):
        """The value with ``number`` typed into ``spin`` (both sides while linked)."""
        if self.link.isChecked():
            return number
        return [number, self.w.value()] if spin is self.h else [self.h.value(), number]

    def _linked(self, on: bool) -> None:
        if on and not self.h.mixed and self.h.value() != self.w.value():
            with blocked(self.w):
                self.w.setValue(self.h.value())
            self.edited.emit(self.value())


def _pair(value):
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), int(value[1])
    return int(value), int(value)


class PairOrNoneEditor(PairEditor):
    """A pair that may be left unset (null), e.g. pooling strides defaulting to pool_size."""

    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        self.none = QCheckBox("none", self)
        self.none.setToolTip(tip(attr.doc))
        self.row.insertWidget(0, self.none)
        self.none.clicked.connect(self._none_clicked)
        self.fallback = 1  # what "none" stands for (pooling: pool_size), set by the inspector

    def inputs(self):
        return [self.h, self.w, self.none]

    def set_value(self, value, mixed=False):
        with blocked(self.none):
            self.none.setTristate(mixed)
            self.none.setCheckState(tristate(mixed, value is None))
        if value is None and not mixed:
            # greyed out, the fields show the value in effect; unticking starts from it
            super().set_value(self.fallback)
        else:
            super().set_value(value, mixed)
        for w in (self.h, self.w, self.link):
            w.setEnabled(value is not None or mixed)

    def value(self):
        return None if self.none.isChecked() else super().value()

    def _none_clicked(self, checked: bool) -> None:
        self.edited.emit(None if checked else PairEditor.value(self))


class ListEditor(AttrEditor):
    """Shapes and 2-D padding as text: ``28, 28, 3``, ``1``, ``[1, 2]`` or ``[[1, 1], [2, 2]]``;
    a list of integers (``ints``) as ``64, 96, 128``. Live, it reports at every keystroke."""

    HINTS = {"shape": "e.g. 224, 224, 3", "ints": "integers, e.g. 64, 96, 128"}

    def __init__(self, attr, parent=None, live: bool = False):
        super().__init__(attr, parent)
        self.edit = QLineEdit(self)
        self._hint = self.HINTS.get(attr.kind, "e.g. 1 or 1, 2")
        self.edit.setPlaceholderText(self._hint)
        self.row.addWidget(self.edit)
        if live:
            self.edit.textChanged.connect(self._finished)
        else:
            self.edit.editingFinished.connect(self._finished)
        self._shown = ""

    def inputs(self):
        return [self.edit]

    def set_value(self, value, mixed=False):
        self._shown = "" if mixed else list_text(value)
        with blocked(self.edit):
            self.edit.setText(self._shown)
            self.edit.setPlaceholderText(MIXED if mixed else self._hint)

    def value(self):
        """The value typed; ``AttrError`` if the text is not one."""
        return parse_list(self.edit.text().strip(), self.attr.kind)

    def _finished(self, *_) -> None:
        text = self.edit.text().strip()
        if text == self._shown:  # back to the model's value: nothing to apply, nothing wrong
            self.show_error(None)
            return
        try:
            value = parse_list(text, self.attr.kind)
        except AttrError as err:
            self.refuse(str(err))
            return
        self.edited.emit(value)


def list_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(json.dumps(_plain(v)) if isinstance(v, (list, tuple)) else str(v) for v in value)
    return str(value)


def _plain(v):
    return [_plain(x) for x in v] if isinstance(v, (list, tuple)) else v


_NOTHING = object()


def parse_ints(text: str) -> list[int]:
    """``"64, 96 128"`` or ``"[64, 96, 128]"`` -> ``[64, 96, 128]``; ``ValueError`` names the bad item."""
    items = text.replace("[", " ").replace("]", " ").replace(",", " ").split()
    if not items:
        raise ValueError("enter integers separated by commas")
    out = []
    for item in items:
        try:
            out.append(parse_int(item))
        except ValueError:
            raise ValueError(f"{item!r} is not an integer") from None
    return out


def parse_list(text: str, kind: str):
    """The JSON value a user typed for a shape or padding, or the integers of an ``ints``;
    ``AttrError`` if it is not one."""
    if kind == "ints":
        try:
            return parse_ints(text)
        except ValueError as err:
            raise AttrError(str(err)) from None
    if not text:
        raise AttrError("enter " + ("a shape such as 224, 224, 3" if kind == "shape" else "a padding such as 1 or 1, 2"))
    value = _NOTHING
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            pass  # "[1, 1], [2, 2]": the rows of a padding without the outer brackets
    if value is _NOTHING:
        try:
            value = json.loads(f"[{text}]")
        except json.JSONDecodeError:
            raise AttrError(f"cannot read {text!r}: use integers separated by commas") from None
    if kind == "padding2d" and isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


class ValueEditor(ListEditor):
    """Axes and number lists as text: ``-1``, ``1, 2``; "none" (or nothing) is null where allowed."""

    def __init__(self, attr, parent=None):
        super().__init__(attr, parent)
        self._hint = "e.g. -1 or 1, 2" if attr.kind.startswith("axes") else "e.g. 0.5 or 0.5, 0.2, 0.1"
        if attr.kind.endswith("_or_none"):
            self._hint += ", or none"
        self.edit.setPlaceholderText(self._hint)

    def set_value(self, value, mixed=False):
        self._shown = "" if mixed else ("none" if value is None else list_text(value))
        with blocked(self.edit):
            self.edit.setText(self._shown)
            self.edit.setPlaceholderText(MIXED if mixed else self._hint)

    def _finished(self) -> None:
        text = self.edit.text().strip()
        if text == self._shown:
            self.show_error(None)
            return
        if text.lower() in ("", "none", "null") and self.attr.kind.endswith("_or_none"):
            self.edited.emit(None)
            return
        try:
            value = json.loads(text if text.startswith("[") else f"[{text}]")
        except json.JSONDecodeError:
            self.show_error(f"cannot read {text!r}: use numbers separated by commas")
            return
        self.edited.emit(value[0] if isinstance(value, list) and len(value) == 1 else value)


EDITORS = {
    "int": IntEditor,
    "float": FloatEditor,
    "float_or_none": FloatOrNoneEditor,
    "bool": BoolEditor,
    "choice": ChoiceEditor,
    "pair": PairEditor,
    "pair_or_none": PairOrNoneEditor,
    "shape": ListEditor,
    "padding2d": ListEditor,
    "axes": ValueEditor,
    "axes_or_none": ValueEditor,
    "floats": ValueEditor,
    "floats_or_none": ValueEditor,
    "ints": ListEditor,
}


def make_editor(attr, parent=None, live: bool = False) -> AttrEditor:
    """The editor for ``attr``'s kind (an ``Attr`` or a ``Param``); ``live``: text fields report
    as they are typed in (a dialog's OK follows them), not on Enter or focus out."""
    cls = EDITORS.get(attr.kind, ListEditor)
    return cls(attr, parent, live=True) if live and issubclass(cls, ListEditor) else cls(attr, parent)


def add_rows(form: QFormLayout, specs, parent, live: bool = False) -> dict[str, AttrEditor]:
    """One labelled row per declaration in ``specs`` ("kernel size:" beside its editor); the
    editors by name. The inspector's attribute form and the parameter dialog are both made here."""
    editors = {}
    for spec in specs:
        editor = make_editor(spec, parent, live=live)
        label = QLabel(spec.name.replace("_", " ") + ":", parent)
        label.setToolTip(tip(spec.doc or ""))
        form.addRow(label, editor)
        editors[spec.name] = editor
    return editors
