"""The totals strip: params, MACs, FLOPs, weight and activation memory, and the change against
a pinned baseline. Readable units on the face, exact values on hover.

When some layers are not computed (an error, or below one) the sums leave them out: the cards
then say "partial", a line under them names the problem, and no change against the pin is shown
(nor when the pin itself was partial), since a sum with layers missing would read as a saving."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from archcanvas.core import report
from archcanvas.core.units import exact, human, human_bytes
from archcanvas.gui.text import count

from archcanvas.gui.cost_panel.baseline import Baseline, direction
from archcanvas.gui.theme import current_scheme
from archcanvas.gui.theme.chart import scheme_colors

# (key in the totals dict, title, the baseline key it is compared on, formatter)
CARDS = (
    ("params", "Params", "params", human),
    ("macs", "MACs", "macs", human),
    ("flops", "FLOPs", "flops", human),
    ("weight_bytes", "Weights", "params", human_bytes),
    ("activation_bytes", "Activations", "activations", human_bytes),
)


def partial_text(design, analysis) -> str:
    """Why the totals leave layers out, naming the first problem; "" when every layer counts."""
    if analysis.ok:
        return ""
    missing = sum(1 for r in analysis.results.values() if r.error or r.blocked_by)
    lines = report.problem_lines(design, analysis)
    more = len(analysis.problems) - 1
    return (f"Partial totals: {missing:,} of {count(len(analysis.results), 'layer')} not computed. "
            + (" ".join(lines[0].split()) if lines else "") + (f" (and {count(more, 'more problem')})" if more > 0 else ""))


class _Card(QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("totalsCard")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(0)
        self.title = QLabel(title)
        self.value = QLabel("–")
        self.sub = QLabel("")
        self.sub_role = "same"  # which scheme colour the line under the value has
        for w in (self.title, self.value, self.sub):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            lay.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_colors(self, c: dict[str, str]) -> None:
        self.setStyleSheet(f"#totalsCard {{ background: {c['card']}; border: 1px solid {c['card_border']};"
                           " border-radius: 6px; }")
        self.title.setStyleSheet(f"color: {c['card_title']}; font-size: 8pt;")
        self.value.setStyleSheet(f"font-size: 13pt; font-weight: 600; color: {c['card_value']};")
        self.set_sub_role(self.sub_role, c)

    def set_sub_role(self, role: str, c: dict[str, str]) -> None:
        self.sub_role = role
        color = c["card_title"] if role == "same" else c[role]
        self.sub.setStyleSheet(f"color: {color}; font-size: 8pt;" + ("" if role == "same" else " font-weight: 600;"))


class TotalsView(QWidget):
    """Five cards in a row, and the line that says why the totals are partial when they are.
    ``set_totals`` takes ``core.report.totals(analysis, dtype)``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        lay = QHBoxLayout()
        lay.setSpacing(6)
        outer.addLayout(lay)
        self.cards: dict[str, _Card] = {}
        for key, title, _, _ in CARDS:
            card = self.cards[key] = _Card(title)
            lay.addWidget(card, 1)
        self.partial_label = QLabel("")
        self.partial_label.setObjectName("totalsPartial")
        self.partial_label.setWordWrap(True)
        self.partial_label.hide()
        outer.addWidget(self.partial_label)
        self.totals: dict = {}
        self.partial = ""
        self.colors: dict[str, str] = {}
        self.set_scheme(current_scheme())

    def set_scheme(self, scheme: str) -> None:
        self.colors = scheme_colors(scheme)
        for card in self.cards.values():
            card.set_colors(self.colors)
        self.partial_label.setStyleSheet(f"color: {self.colors['error']}; font-size: 8pt; font-weight: 600;")

    def set_totals(self, totals: dict, dtype: str, baseline: Baseline | None, partial: str = "") -> None:
        """``partial``: why the totals leave layers out ("" when every layer is computed)."""
        self.totals = dict(totals)
        self.partial = partial
        self.partial_label.setText(partial)
        self.partial_label.setVisible(bool(partial))
        compare = baseline is not None and baseline.comparable(not partial)
        for key, title, base_key, fmt in CARDS:
            card = self.cards[key]
            value = totals[key]
            card.value.setText(("≥ " if partial else "") + fmt(value))
            if key in ("weight_bytes", "activation_bytes"):
                card.title.setText(f"{title} ({dtype})")
            tips = [f"{title}: {exact(value)}" + (" bytes" if fmt is human_bytes else "")]
            if key == "params":
                tips += [f"trainable: {exact(totals['trainable_params'])}",
                         f"non-trainable: {exact(totals['non_trainable_params'])}"]
            elif key == "weight_bytes":
                tips.append(f"{exact(totals['params'])} params as {dtype}")
            elif key == "activation_bytes":
                tips.append(f"{exact(totals['activations'])} output elements of all layers as {dtype}")
            elif key == "flops":
                tips.append("2 × MACs plus elementwise work (bias, activation, norm, pooling)")
            sub, role = self._sub(key, base_key, totals, baseline if compare else None)
            if partial:
                sub, role = "partial", "error"
                tips.append("partial: the layers not computed are left out")
            elif baseline is not None and not compare:
                sub, role = "pin was partial", "same"
            if baseline is not None:
                old = baseline.totals.get(base_key, 0)
                tips.append(f"pinned ({baseline.describe()}): {exact(old)}"
                            + ("" if compare else " — not compared: only complete totals are"))
            card.sub.setText(sub)
            if role != card.sub_role:
                card.set_sub_role(role, self.colors)
            card.setToolTip("\n".join(tips))

    @staticmethod
    def _sub(key, base_key, totals, baseline):
        if baseline is not None:
            old, new = baseline.totals.get(base_key, 0), totals[base_key]
            role = {-1: "good", 1: "bad", 0: "same"}[direction(old, new)]
            return f"{baseline.delta(base_key, new)} vs {baseline.against()}", role
        if key == "params":
            return f"{human(totals['trainable_params'])} trainable", "same"
        if key == "macs":
            return "mult-adds", "same"
        if key == "flops":
            return count(totals["layers"], "layer"), "same"
        if key == "weight_bytes":
            return "params × bytes", "same"
        return "all layer outputs", "same"

    # read back what is shown (tests, status bar) -------------------------------------------
    def value_text(self, key: str) -> str:
        return self.cards[key].value.text()

    def sub_text(self, key: str) -> str:
        return self.cards[key].sub.text()

    def partial_text(self) -> str:
        return self.partial_label.text() if not self.partial_label.isHidden() else ""

    def tooltip(self, key: str) -> str:
        return self.cards[key].toolTip()
