"""A small dialog generated from a block's or template's parameters (``core.templates.Param``).

Parameters are declared as data (name, kind, default, range, choices, doc), and the form is made
by the same generator as the inspector's (``attr_editors.add_rows``): a spin box with the
declared range for ``int``, a double spin box for ``float``, a combo box for ``choice`` and a
line edit for ``ints`` (``64, 96, 128, 16, 32, 32``). Each field's faults are shown under it, as
in the inspector: the line edit's as they are typed, a spin box's when the number is entered.
OK stays disabled while any field is invalid, so a dialog never returns a value its block
would refuse.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from archcanvas.core.errors import ArchCanvasError
from archcanvas.gui.inspector.attr_editors import AttrEditor, add_rows, parse_ints  # noqa: F401  (parse_ints: tests)
from archcanvas.gui.text import doc_html


_READ = object()  # validate what the field holds


class ParamField(QObject):
    """One parameter's editor (``widget``; ``editor`` is its input, ``error`` the line under
    it); ``value()`` is the validated value or raises ``ValueError`` with the reason."""

    validity_changed = Signal()

    def __init__(self, param, widget: AttrEditor):
        super().__init__(widget)
        self.param = param
        self.widget = widget
        self.editor = widget.inputs()[0]
        self.editor.setObjectName(f"param_{param.name}")
        self.error = widget.error
        widget.set_value(param.default)
        widget.edited.connect(self._check)
        widget.refused.connect(lambda _reason: self.validity_changed.emit())
        self._check()

    def value(self):
        """The validated value (what the block's ``Param.validate`` returns)."""
        return self._validated(_READ)

    def _validated(self, raw):
        try:
            if raw is _READ:
                raw = self.widget.value()
            validated = self.param.validate(raw)
        except (ArchCanvasError, ValueError, TypeError) as err:
            message = str(err)
            prefix = f"{self.param.name}: "  # the label beside the field already names it
            raise ValueError(message[len(prefix):] if message.startswith(prefix) else message) from None
        return raw if validated is None else validated

    def _check(self, value=None):
        """After an edit: the value chosen (a number typed past the field's range is one, though
        the spin box cannot hold it), judged by the parameter."""
        try:
            self._validated(_READ if value is None else value)
        except ValueError as err:
            self.widget.show_error(str(err))
        else:
            self.widget.show_error(None)
        self.validity_changed.emit()

    @property
    def valid(self) -> bool:
        return self.error.isHidden()


class ParamForm(QWidget):
    """The parameters' fields, made by ``add_rows``; ``values()`` returns ``{name: value}``."""

    validity_changed = Signal(bool)

    def __init__(self, params, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        params = list(params)
        editors = add_rows(form, params, self, live=True)
        self.fields: dict[str, ParamField] = {}
        for p in params:
            field = self.fields[p.name] = ParamField(p, editors[p.name])
            field.validity_changed.connect(lambda: self.validity_changed.emit(self.valid))

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
