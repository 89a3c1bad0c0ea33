"""The totals strip: params, MACs, FLOPs, weight and activation memory, and the change against
a pinned baseline. Readable units on the face, exact values on hover."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core.units import exact, human, human_bytes

from .baseline import Baseline, direction

# (key in the totals dict, title, the baseline key it is compared on, formatter)
CARDS = (
    ("params", "Params", "params", human),
    ("macs", "MACs", "macs", human),
    ("flops", "FLOPs", "flops", human),
    ("weight_bytes", "Weights", "params", human_bytes),
    ("activation_bytes", "Activations", "activations", human_bytes),
)
_GOOD, _BAD, _SAME = "#1B7F3B", "#B3261E", "#707070"


class _Card(QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("totalsCard")
        self.setStyleSheet("#totalsCard { background: #F6F7F9; border: 1px solid #E1E4E8;"
                           " border-radius: 6px; }")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(0)
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #5F6368; font-size: 8pt;")
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 13pt; font-weight: 600; color: #202124;")
        self.sub = QLabel("")
        self.sub.setStyleSheet("color: #5F6368; font-size: 8pt;")
        for w in (self.title, self.value, self.sub):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            lay.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class TotalsView(QWidget):
    """Five cards in a row. ``set_totals`` takes ``core.report.totals(analysis, dtype)``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.cards: dict[str, _Card] = {}
        for key, title, _, _ in CARDS:
            card = self.cards[key] = _Card(title)
            lay.addWidget(card, 1)
        self.totals: dict = {}

    def set_totals(self, totals: dict, dtype: str, baseline: Baseline | None) -> None:
        self.totals = dict(totals)
        for key, title, base_key, fmt in CARDS:
            card = self.cards[key]
            value = totals[key]
            card.value.setText(fmt(value))
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
            sub, color = self._sub(key, base_key, totals, baseline)
            if baseline is not None:
                old = baseline.totals.get(base_key, 0)
                tips.append(f"pinned ({baseline.describe()}): {exact(old)}")
            card.sub.setText(sub)
            card.sub.setStyleSheet(f"color: {color}; font-size: 8pt;"
                                   + (" font-weight: 600;" if color != _SAME else ""))
            card.setToolTip("\n".join(tips))

    @staticmethod
    def _sub(key, base_key, totals, baseline):
        if baseline is not None:
            old, new = baseline.totals.get(base_key, 0), totals[base_key]
            color = {-1: _GOOD, 1: _BAD, 0: _SAME}[direction(old, new)]
            return f"{baseline.delta(base_key, new)} vs pin", color
        if key == "params":
            return f"{human(totals['trainable_params'])} trainable", _SAME
        if key == "macs":
            return "mult-adds", _SAME
        if key == "flops":
            return f"{totals['layers']} layers", _SAME
        if key == "weight_bytes":
            return "params × bytes", _SAME
        return "all layer outputs", _SAME

    # read back what is shown (tests, status bar) -------------------------------------------
    def value_text(self, key: str) -> str:
        return self.cards[key].value.text()

    def sub_text(self, key: str) -> str:
        return self.cards[key].sub.text()

    def tooltip(self, key: str) -> str:
        return self.cards[key].toolTip()
