"""The inspector: the selected layers' name and attributes as widgets generated from the layer type.

The form is data-driven (pyqtgraph's ``generateUi`` idea): one editor per ``Attr`` of the
selected type, chosen by the attribute's kind (``gui.inspector.attr_editors``, the one form generator, which
the parameter dialog uses too); above it the layer's
name and group, or with nothing selected the design's name (``gui.inspector_names``). Several selected nodes
of one type are edited together; a field where they disagree shows "mixed".

Data flows one way. A field edit becomes a ``SetAttr`` (or ``Rename``) command pushed on the
document; the fields are then refilled from the model when the document reports the change,
with the widgets' signals blocked, so showing a value never counts as an edit. The inspector
never reads a value back from its widgets. A value the layer refuses -- out of range, or against a
rule across attributes such as ``groups`` dividing ``filters`` -- is shown at its field and not
applied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from archcanvas.core import events
from archcanvas.core.errors import AttrError, DesignError
from archcanvas.core.quote import escape
from archcanvas.core.report import DTYPE_BYTES
from archcanvas.core.shapes import fmt_shape
from archcanvas.core.units import exact, human, human_bytes
from archcanvas.gui.inspector.attr_editors import AttrEditor, add_rows
from archcanvas.gui.document.commands import SetAttr
from archcanvas.gui.inspector.names import NameFields
from archcanvas.gui.text import count, doc_html


def shown_value(node, attr):
    """The value a field shows for ``node``: its explicit value, else the default (normalized)."""
    if attr.name in node.attrs:
        value = node.attrs[attr.name]
    else:
        value = attr.start_value if attr.required else attr.default
    try:
        return attr.validate(value)
    except AttrError:
        return value


def error_attr(message: str, names) -> str | None:
    """The attribute a node's error is about, or None. ``AttrError`` messages start with the
    attribute's name and a colon (core's contract); this is the one place that relies on it."""
    head, sep, _ = message.partition(":")
    return head if sep and head in names else None


def _strip(name: str, message: str) -> str:
    prefix = f"{name}: "
    return message[len(prefix):] if message.startswith(prefix) else message


class Inspector(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("inspector")
        self.document = document
        self.ids: list[str] = []
        self.type_name: str | None = None
        self.editors: dict[str, AttrEditor] = {}
        self._stale = False
        # values the layer refused, per attribute: the inspector's state, the fields only show it
        self._user_errors: dict[str, str] = {}
        self._build()
        document.selection_changed.connect(self.show_nodes)
        document.design_changed.connect(self._on_design_changed)
        document.analysis_updated.connect(self._on_analysis_updated)
        document.design_replaced.connect(self._on_design_replaced)
        document.dtype_changed.connect(self._on_dtype_changed)
        self.show_nodes(document.selection)

    def _on_design_replaced(self) -> None:
        self.show_nodes(self.document.selection)

    def _on_dtype_changed(self, _dtype: str) -> None:
        if self.ids:
            self._fill_results()
        else:
            self._show_design()

    # building ----------------------------------------------------------------------------
    def _build(self) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)  # never cut a field off unseen
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("inspectorBody")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)

        self.placeholder = QLabel("Select a layer on the canvas to see and edit its attributes.", body)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setWordWrap(True)

        self.names = NameFields(self.document, body)
        self.name_edit, self.design_name_edit = self.names.name_edit, self.names.design_name_edit
        self.group_row, self.group_combo = self.names.group_row, self.names.group_combo
        self.type_label = QLabel(body)
        self.type_label.setObjectName("typeLabel")
        self.doc_label = QLabel(body)
        self.doc_label.setObjectName("docLabel")
        self.doc_label.setWordWrap(True)
        for w in (self.name_edit, self.design_name_edit, self.type_label, self.group_row, self.doc_label):
            layout.addWidget(w)

        self.attr_box = QGroupBox("Attributes", body)
        self.attr_form = QFormLayout(self.attr_box)
        self._form_style(self.attr_form)
        # a narrow dock puts a wide field (pool size: two spin boxes and the link) under its
        # label instead of cutting it off at the dock's edge
        self.attr_form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        layout.addWidget(self.attr_box)

        self.result_box = QGroupBox("Output and cost", body)
        form = QFormLayout(self.result_box)
        self._form_style(form)
        self.results: dict[str, QLabel] = {}
        for key, title in (("shape", "Output shape"), ("params", "Parameters"), ("trainable", "Trainable"),
                           ("non_trainable", "Non-trainable"), ("macs", "MACs"), ("flops", "FLOPs"),
                           ("activations", "Activations")):
            label = QLabel(self.result_box)
            label.setObjectName(f"result_{key}")
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            form.addRow(title + ":", label)
            self.results[key] = label
        self.problem = QLabel(self.result_box)
        self.problem.setObjectName("nodeError")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        layout.addWidget(self.result_box)
        layout.addWidget(self.placeholder)  # under the design's totals when nothing is selected
        layout.addStretch(1)

    @staticmethod
    def _form_style(form: QFormLayout) -> None:
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)

    def _rebuild_form(self, layer) -> None:
        while self.attr_form.rowCount():
            self.attr_form.removeRow(0)
        self.editors = add_rows(self.attr_form, layer.attrs if layer else (), self.attr_box)
        for name, editor in self.editors.items():
            editor.edited.connect(lambda value, name=name: self.edit(name, value))
            editor.refused.connect(lambda reason, name=name: self._refused(name, reason))
        self.attr_box.setVisible(bool(self.editors))

    # showing -----------------------------------------------------------------------------
    @property
    def design(self):
        return self.document.design

    def show_nodes(self, ids) -> None:
        """Show ``ids`` (the selection); rebuilds the form only when the layer type changes."""
        self.ids = [n for n in ids if n in self.design]
        nodes = [self.design.node(n) for n in self.ids]
        types = {n.type for n in nodes}
        type_name = next(iter(types)) if len(types) == 1 else None
        if type_name != self.type_name or not self.editors and type_name:
            self.type_name = type_name
            self._rebuild_form(nodes[0].layer if type_name else None)
        empty = not nodes
        self.names.show(self.ids)
        self.attr_box.setVisible(bool(self.editors) and not empty)
        if empty:
            self._show_design()
            return
        self.placeholder.hide()
        for w in (self.type_label, self.doc_label, self.result_box):
            w.show()
        self.result_box.setTitle("Output and cost")
        self._fill_header(nodes, types)
        self._fill_fields()
        self._fill_results()

    def _show_design(self) -> None:
        """Nothing selected: the design as a whole (its totals), and how to start."""
        design, analysis = self.design, self.document.analyzer.analysis
        has_nodes = len(design) > 0
        self.placeholder.setText("Select a layer on the canvas to see and edit its attributes."
                                 if has_nodes else
                                 "Drag a layer, block or template from the palette onto the canvas, "
                                 "or double-click it, to start.")
        self.placeholder.show()
        for w in (self.type_label, self.doc_label, self.result_box):
            w.setVisible(has_nodes)
        self.names.fill_design_name()
        if not has_nodes:
            return
        groups = len(design.groups())
        self.type_label.setText(f"Design “{design.name}”")
        self.doc_label.setText(count(len(design), "layer") + (f" in {count(groups, 'group')}" if groups else ""))
        self.result_box.setTitle("Design totals")
        sinks = [n for n in analysis.order if n in design and not design.graph.out_degree(n)]
        shapes = [analysis.results[n].shape for n in sinks if n in analysis.results]
        shape_text = ", ".join(fmt_shape(s) if s is not None else "—" for s in shapes) or "—"
        t = analysis.totals
        problems = len(analysis.problems)
        message = f"{problems} layer{'s' if problems != 1 else ''} with a problem: see the Problems list" \
            if problems else ""
        self._show_numbers(shape_text, t.trainable_params, t.non_trainable_params, t.macs, t.flops,
                           t.activations, message)

    def _fill_header(self, nodes, types) -> None:
        single = len(nodes) == 1
        if len(types) == 1:
            layer = nodes[0].layer
            groups = {n.group for n in nodes}
            group = next(iter(groups)) if len(groups) == 1 else "mixed"
            count = f"{len(nodes)} × " if not single else ""
            self.type_label.setText(f"{count}{layer.name} · {layer.category}" + (f" · group {group}" if group else ""))
            self.doc_label.setText(doc_html(layer.doc))
        else:
            self.type_label.setText(f"{len(nodes)} layers of {len(types)} types")
            self.doc_label.setText("Select layers of one type to edit their attributes together.")

    def _fill_fields(self) -> None:
        self._stale = False
        nodes = [self.design.node(n) for n in self.ids]
        self._user_errors.clear()  # the fields show the model again
        for editor in self.editors.values():
            values = [shown_value(n, editor.attr) for n in nodes]
            if editor.attr.none_means and hasattr(editor, "fallback"):
                editor.fallback = self._fallback(nodes[0], editor.attr.none_means)
            mixed = any(v != values[0] for v in values[1:])
            editor.set_value(values[0], mixed)
        self._show_errors()

    @staticmethod
    def _fallback(node, other: str):
        attr = next((a for a in node.layer.attrs if a.name == other), None)
        value = shown_value(node, attr) if attr is not None else 1
        return value if isinstance(value, (int, list, tuple)) else 1

    def _node_errors(self) -> dict[str, str]:
        """The shown nodes' errors about one attribute (``groups: ...``), by attribute."""
        results = self.document.analyzer.analysis.results
        errors: dict[str, str] = {}
        for n in self.ids:
            r = results.get(n)
            name = error_attr(r.error, self.editors) if r and r.error else None
            if name is not None:
                errors.setdefault(name, _strip(name, r.error))
        return errors

    def _show_errors(self) -> None:
        """Each field shows the value it refused, else its nodes' error about it, else nothing."""
        shown = {**self._node_errors(), **self._user_errors}
        for name, editor in self.editors.items():
            editor.show_error(shown.get(name))

    def _fill_results(self) -> None:
        results = [self.document.analyzer.analysis.results.get(n) for n in self.ids]
        results = [r for r in results if r is not None]
        shapes = {r.shape for r in results}
        if len(shapes) == 1:
            shape = next(iter(shapes))
            shape_text = fmt_shape(shape) if shape is not None else "—"
        else:
            shape_text = "mixed"
        messages = [(r.id, r.message) for r in results if r.message]
        if len(self.ids) == 1:
            text = messages[0][1] if messages else ""
        else:
            text = "\n".join(f"{escape(self.design.node(i).label)}: {m}" for i, m in messages[:5])
        self._show_numbers(shape_text, *(sum(getattr(r, key) for r in results) for key in
                                         ("trainable", "non_trainable", "macs", "flops", "activations")), text)

    def _show_numbers(self, shape_text, trainable, non_trainable, macs, flops, activations, message):
        def both(n: int) -> str:
            return exact(n) + (f"  ({human(n)})" if n >= 1000 else "")

        self.results["shape"].setText(shape_text)
        for key, value in (("params", trainable + non_trainable), ("trainable", trainable),
                           ("non_trainable", non_trainable), ("macs", macs), ("flops", flops)):
            self.results[key].setText(both(value))
        dtype = self.document.dtype
        self.results["activations"].setText(
            f"{exact(activations)}  ({human_bytes(activations * DTYPE_BYTES[dtype])})")
        self.results["activations"].setToolTip(f"Activation memory counted as {dtype} "
                                               "(“Memory as” in the cost panel)")
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    # following the model -----------------------------------------------------------------
    def _on_design_changed(self, batch) -> None:
        # the batch is delivered after all its edits: the list of groups is read once, not once
        # for each layer regrouped (grouping 5,000 layers while another is selected)
        regrouped = False
        for e in batch:
            regrouped = self._on_design_event(e) or regrouped
        if regrouped:
            self.names.fill_group()  # the list of groups changed

    def _on_design_event(self, e: events.Event) -> bool:
        """Follow one event; True when it changes the list of groups of an unselected layer."""
        kind = type(e)
        if kind is events.DesignRenamed:
            if not self.ids:
                self._show_design()
            return False
        node_id = getattr(e, "id", None)
        if kind is events.GroupChanged and self.ids and node_id not in self.ids:
            return True
        if node_id not in self.ids:
            return False
        if kind in (events.Renamed, events.GroupChanged):
            nodes = [self.design.node(n) for n in self.ids]
            self.names.fill_nodes()
            self._fill_header(nodes, {n.type for n in nodes})
        elif kind is events.AttrsChanged and not self._stale:
            # several nodes may change in one command: refill once, when its analysis is out
            # (or on the next turn of the event loop, for an edit made outside a command)
            self._stale = True
            QTimer.singleShot(0, self._flush)
        return False

    def _on_analysis_updated(self, changed) -> None:
        if self._stale:
            self._flush()
        elif not self.ids:
            self._show_design()
        elif self.ids and not changed.isdisjoint(self.ids):
            self._fill_results()
            self._show_errors()

    def _flush(self) -> None:
        if self._stale:
            self.show_nodes(self.ids)

    # editing -----------------------------------------------------------------------------
    def edit(self, name: str, value) -> bool:
        """Apply ``name = value`` to the shown nodes as one command; False (and the reason shown
        at the field) if the layer refuses it."""
        editor = self.editors[name]
        if self._unchanged(editor.attr, value):  # e.g. the current item picked again: no undo step
            self._user_errors.pop(name, None)
            self._show_errors()
            return True
        try:
            self._check_rules(name, value)
            command = SetAttr(self.document, self.ids, name, value)
        except (AttrError, DesignError) as err:
            self._user_errors[name] = _strip(name, str(err))
            self._show_errors()
            return False
        self._user_errors.pop(name, None)
        self._show_errors()
        self.document.push(command)
        return True

    def _refused(self, name: str, reason: str) -> None:
        """The field refused typed text itself ("abc", a number past its limits): keep showing
        why until the fields are refilled from the model, as for a value the layer refuses."""
        self._user_errors[name] = reason

    def _unchanged(self, attr, value) -> bool:
        try:
            new = attr.validate(value)
        except AttrError:
            return False
        return all(shown_value(self.design.node(n), attr) == new for n in self.ids)

    def _check_rules(self, name: str, value) -> None:
        """Refuse a value that breaks a rule across attributes, unless the node was broken already."""
        for n in self.ids:
            node = self.design.node(n)
            try:
                node.layer.resolve({**node.attrs, name: value})
            except AttrError as err:
                try:
                    node.layer.resolve(node.attrs)
                except AttrError:
                    continue
                raise err
