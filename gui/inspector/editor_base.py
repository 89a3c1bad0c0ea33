"""What every attribute editor is made of: the base ``AttrEditor`` (a row of widgets, an error
line under it, ``edited(value)``), spin boxes that can show "mixed" when several selected nodes
disagree, and ``blocked`` to show a value without it looking like an edit. The editors for
each kind of attribute are in ``gui.inspector.attr_editors``.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from decimal import Decimal

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

from archcanvas.core.kinds import INT_MAX  # noqa: F401  (the editors' spin box bound, re-exported)
from archcanvas.gui.text import tip

MIXED = "mixed"


@contextmanager
def blocked(*widgets):
    blockers = [QSignalBlocker(w) for w in widgets]
    try:
        yield
    finally:
        for b in blockers:
            b.unblock()


def mark(widget: QWidget, invalid: bool) -> None:
    if widget.property("invalid") != invalid:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class _Mixable:
    """Spin boxes that can show "mixed" (several nodes disagree) until the user picks a value.

    The mixed state sits one step below the real minimum, shown with Qt's special-value text,
    so any step or typed number leaves it; the editors ignore a change *to* that sentinel.
    Their size hints ignore the width of the largest value (2147483647): the inspector is narrow.

    Typing is never corrected behind the user's back. Qt's spin boxes drop a keystroke they
    cannot accept ("-4" becomes 4 when the minimum is 1), clamp (99,999,999,999 becomes the
    maximum) or quietly revert ("0"). Here any text may be typed; when it is committed (Enter,
    focus out) and is not a number in range, ``refused(number, reason)`` is called instead:
    ``number`` is the value typed (so the layer can say why it refuses it) or None with
    ``reason`` when the text is no number at all. The box then shows the model's value again.
    """

    refused = None  # set by the editor: refused(number | None, reason: str)

    def _setup(self, lo, hi) -> None:
        self._lo, self._hi = lo, hi
        self.setRange(lo, hi)
        self.setKeyboardTracking(False)  # one edit per Enter / focus-out / arrow, not per keystroke
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    @property
    def mixed(self) -> bool:
        return self.minimum() < self._lo and self.value() == self.minimum()

    def set_value(self, value, mixed: bool = False) -> None:
        with blocked(self):
            if mixed:
                self.setRange(self._lo - self.singleStep(), self._hi)
                self.setSpecialValueText(MIXED)
                self.setValue(self.minimum())
            else:
                self.setSpecialValueText("")
                self.setRange(self._lo, self._hi)
                self.setValue(value)

    def settle(self) -> None:
        """Leave the mixed state after the user chose a value."""
        if self.minimum() < self._lo and self.value() >= self._lo:
            with blocked(self):
                self.setSpecialValueText("")
                self.setRange(self._lo, self._hi)

    # typing: accept every keystroke, judge on commit ----------------------------------------
    def validate(self, text: str, pos: int):
        state = super().validate(text, pos)
        state = state[0] if isinstance(state, tuple) else state
        if state == QValidator.State.Acceptable:
            return state, text, pos
        return QValidator.State.Intermediate, text, pos

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._judge()
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        self._judge()
        super().focusOutEvent(event)

    def _judge(self) -> None:
        """Before Qt interprets the text: say why a number out of range or a non-number is refused."""
        text = self.cleanText().strip()
        if self.refused is None or (self.specialValueText() and self.text() == self.specialValueText()):
            return
        if text == self.textFromValue(self.value()).strip():
            return  # unchanged
        number = self._number(text)
        if number is None:
            kind = "a whole number" if isinstance(self, QSpinBox) else "a number"
            self.refused(None, f"enter {kind}" if not text else f"{text!r} is not {kind}")
        elif number < self._lo:
            self.refused(number, f"must be at least {self._show(self._lo)}, got {self._show(number)}")
        elif number > self._hi:
            self.refused(number, f"must be at most {self._show(self._hi)}, got {self._show(number)}")
        elif super().validate(self.text(), 0)[0] != QValidator.State.Acceptable:
            self.setValue(number)  # "1,000" or "1e-3": a number Qt would not read, and revert

    def _show(self, number) -> str:
        return f"{number:,}" if isinstance(number, int) else exact_float_text(number)

    def _number(self, text: str):
        plain = text.replace(",", "").replace("_", "").replace(" ", "").replace("\u2212", "-")
        try:
            number = int(plain) if isinstance(self, QSpinBox) else float(plain)
        except ValueError:
            return None
        return number if math.isfinite(number) else None

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 64), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 96), hint.height())


class SpinBox(_Mixable, QSpinBox):
    def __init__(self, lo: int, hi: int, parent=None):
        super().__init__(parent)
        self._setup(lo, hi)
        self.setAccelerated(True)


class DoubleSpinBox(_Mixable, QDoubleSpinBox):
    """Shows a float exactly, in the fewest digits that give it back: ``0.001`` (not
    ``0.001000``), ``0.0000001`` (not ``0``), ``0.00001001`` (not ``1.001e-05`` or ``1e-05``).

    QDoubleSpinBox rounds every value to ``decimals()`` places, so the spin box keeps as many
    as Qt allows; the text is the shortest positional form of the value instead."""

    def __init__(self, lo: float, hi: float, parent=None):
        super().__init__(parent)
        self.setDecimals(MAX_DECIMALS)
        self._setup(lo, hi)

    def textFromValue(self, value: float) -> str:
        return exact_float_text(value)


MAX_DECIMALS = 323  # Qt's ceiling (DBL_MAX_10_EXP + DBL_DIG): no double is rounded at this


def exact_float_text(value: float) -> str:
    """The shortest positional decimal that reads back as ``value`` (``repr``'s digits, no exponent)."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class AttrEditor(QWidget):
    """Base: a row with the editing widgets and an error line under them."""

    edited = Signal(object)
    refused = Signal(str)  # the field refused what was typed before it became a value (shown already)

    def __init__(self, attr, parent=None):
        super().__init__(parent)
        self.attr = attr
        self.setObjectName(f"attr_{attr.name}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)
        outer.addLayout(self.row)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        self.setToolTip(tip(attr.doc))

    def inputs(self) -> list[QWidget]:
        """The widgets to mark red on an error."""
        raise NotImplementedError

    def set_value(self, value, mixed: bool = False) -> None:
        raise NotImplementedError

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        for w in self.inputs():
            mark(w, bool(message))

    def spin_refused(self, number, reason: str, value=None) -> None:
        """What a spin box calls when it refuses typed text (see ``_Mixable``). A number past a
        bound the attribute declares goes out as an edit (``value``, else ``number``), so the
        layer refuses it in its own words; anything else is refused here, with ``reason``."""
        lo, hi = getattr(self.attr, "min", None), getattr(self.attr, "max", None)
        if number is not None and ((lo is not None and number < lo) or (hi is not None and number > hi)):
            self.edited.emit(number if value is None else value)
        else:
            self.refuse(reason)

    def refuse(self, reason: str) -> None:
        self.show_error(reason)
        self.refused.emit(reason)

    @property
    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


def tristate(mixed, value):
    if mixed:
        return Qt.PartiallyChecked
    return Qt.Checked if value else Qt.Unchecked
