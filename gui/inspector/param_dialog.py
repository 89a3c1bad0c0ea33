"""A small dialog generated from a block's or template's parameters (``core.templates.Param``).

Parameters are declared as data (name, kind, default, range, choices, doc) and this module turns
them into a form, as pyqtgraph's ``generateUi`` does: a spin box with the declared range for
``int``, a double spin box for ``float``, a combo box for ``choice`` and a line edit for ``ints``
(``64, 96, 128, 16, 32, 32``) whose faults are shown under the field. OK stays disabled while any
field is invalid, so a dialog never returns a value its block would refuse.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit,
    QSpinBox, QVBoxLayout, QWidget,
)

from archcanvas.core.errors import ArchCanvasError
from archcanvas.core.templates.params import parse_int
from archcanvas.core.kinds import INT_MAX
from archcanvas.gui.text import doc_html



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


def _show(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "none" if value is None else str(value)


class ParamField(QWidget):
    """One parameter's editor with its error line; ``value()`` raises ``ValueError`` if invalid."""

    validity_changed = Signal()

    def __init__(self, param, parent=None):
        super().__init__(parent)
        self.param = param
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.editor = self._make_editor(param)
        self.editor.setObjectName(f"param_{param.name}")
        self.editor.setToolTip(param.doc or "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        self._check()

    def _make_editor(self, p) -> QWidget:
        lo = p.min if getattr(p, "min", None) is not None else None
        hi = p.max if getattr(p, "max", None) is not None else None
        if p.kind == "int":
            w = QSpinBox(self)
            w.setRange(int(lo) if lo is not None else -INT_MAX, int(hi) if hi is not None else INT_MAX)
            w.setValue(int(p.default))
            w.valueChanged.connect(self._check)
        elif p.kind == "float":
            w = QDoubleSpinBox(self)
            w.setDecimals(3)
            w.setSingleStep(0.05 if hi is not None and hi <= 10 else 1.0)
            w.setRange(float(lo) if lo is not None else -1e9, float(hi) if hi is not None else 1e9)
            w.setValue(float(p.default))
            w.valueChanged.connect(self._check)
        elif p.kind == "choice":
            w = QComboBox(self)
            for c in p.choices:
                w.addItem(_show(c), c)
            w.setCurrentIndex(max(0, list(p.choices).index(p.default)) if p.default in p.choices else 0)
            w.currentIndexChanged.connect(self._check)
        else:  # "ints" and anything typed as text
            w = QLineEdit(_show(p.default), self)
            w.setPlaceholderText("integers, e.g. " + _show(p.default))
            w.textChanged.connect(self._check)
        return w

    def raw_value(self):
        w = self.editor
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QDoubleSpinBox):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentData()
        return parse_ints(w.text()) if self.param.kind == "ints" else w.text()

    def value(self):
        """The validated value (what the block's ``Param.validate`` returns)."""
        raw = self.raw_value()
        try:
            validated = self.param.validate(raw)
        except (ArchCanvasError, ValueError, TypeError) as err:
            message = str(err)
            prefix = f"{self.param.name}: "  # the label beside the field already names it
            raise ValueError(message[len(prefix):] if message.startswith(prefix) else message) from None
        return raw if validated is None else validated

    def _check(self, *_):
        try:
            self.value()
        except ValueError as err:
            self.error.setText(str(err))
            self.error.show()
            self.editor.setProperty("invalid", True)
        else:
            self.error.hide()
            self.editor.setProperty("invalid", False)
        # re-apply the style sheet so the red border follows the property
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)
        self.validity_changed.emit()

    @property
    def valid(self) -> bool:
        return self.error.isHidden()


class ParamForm(QWidget):
    """A form of ``ParamField``s; ``values()`` returns ``{name: value}``."""

    validity_changed = Signal(bool)

    def __init__(self, params, parent=None):
        super().__init__(parent)
        self.fields: dict[str, ParamField] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        for p in params:
            field = ParamField(p, self)
            label = QLabel(p.name.replace("_", " ") + ":", self)
            label.setToolTip(p.doc or "")
            form.addRow(label, field)
            field.validity_changed.connect(lambda: self.validity_changed.emit(self.valid))
            self.fields[p.name] = field

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.fields.values())

    def values(self) -> dict:
        return {name: f.value() for name, f in self.fields.items()}


class ParamDialog(QDialog):
    """``ParamDialog(title, doc, params)``; after ``exec()`` is accepted, ``values()`` holds the result."""

    def __init__(self, title: str, doc: str, params, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("paramDialog")
        layout = QVBoxLayout(self)
        if doc:
            intro = QLabel(doc_html(doc), self)
            intro.setTextFormat(Qt.RichText)
            intro.setWordWrap(True)
            intro.setObjectName("dialogDoc")
            layout.addWidget(intro)
        self.form = ParamForm(list(params), self)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, Qt.Horizontal, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.form.validity_changed.connect(self._update_ok)
        self._update_ok(self.form.valid)
        self.setMinimumWidth(360)

    def _update_ok(self, valid: bool) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(valid)

    def values(self) -> dict:
        return self.form.values()


def ask_params(parent, title: str, doc: str, params) -> dict | None:
    """Show the dialog modally; the chosen values, or None if cancelled (or nothing to ask)."""
    params = list(params)
    if not params:
        return {}
    dialog = ParamDialog(title, doc, params, parent)
    return dialog.values() if dialog.exec() == QDialog.Accepted else None
