"""A pinned baseline: the totals at one moment, and how the current totals differ from them.

Pure Python (no Qt) so the wording is tested on its own: ``delta_text(120_422_400, 12_443_648)``
is ``"−89.7%"``. The minus sign is U+2212, as typeset numbers use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MINUS = "\u2212"
KEYS = ("params", "trainable_params", "non_trainable_params", "macs", "flops", "activations", "layers")


def delta_text(old: int, new: int) -> str:
    """The change from ``old`` to ``new`` as people read it: "−89.7%", "+12%", "×15", "same"."""
    if old == new:
        return "same"
    if old == 0:
        return "new"  # nothing to divide by: the cost appeared since the pin
    ratio = new / old
    if ratio >= 10:
        return f"×{ratio:.0f}" if ratio >= 100 else f"×{ratio:.1f}"
    pct = (ratio - 1) * 100
    sign = "+" if pct > 0 else MINUS
    mag = abs(pct)
    digits = 0 if mag >= 99.95 else 1
    text = f"{mag:.{digits}f}"
    if text == "0.0":
        text = "<0.1"  # a tiny change still shows that something changed
    return f"{sign}{text}%"


def direction(old: int, new: int) -> int:
    """−1 when the cost went down (good), +1 when it went up, 0 when unchanged."""
    return (new > old) - (new < old)


@dataclass(frozen=True)
class Baseline:
    """Totals pinned from a design (its name and the wall-clock time, to say what it was)."""

    totals: dict
    design_name: str
    pinned_at: float = field(default_factory=time.time)
    complete: bool = True  # False: pinned while some layers were not computed (partial sums)
    other_design: bool = False  # True once another design is open: the cards name the pinned one

    @classmethod
    def pin(cls, totals: dict, design_name: str, complete: bool = True) -> "Baseline":
        return cls({k: int(totals[k]) for k in KEYS if k in totals}, design_name, complete=complete)

    def comparable(self, complete: bool) -> bool:
        """A delta means something only between two complete sets of totals: partial sums
        leave layers out, and "−99.6%" would read as a saving."""
        return self.complete and complete

    def delta(self, key: str, now: int) -> str:
        return delta_text(self.totals.get(key, 0), now)

    def against(self) -> str:
        """What the cards say a change is against: "pin", or the pinned design's name once
        another design is open, so two designs compared never pass for one design's edits."""
        if not self.other_design:
            return "pin"
        name = str(self.design_name)
        return name if len(name) <= 14 else name[:13] + "…"

    def stamp(self) -> str:
        return time.strftime("%H:%M:%S", time.localtime(self.pinned_at))

    def describe(self) -> str:
        return f"{self.design_name!s} at {self.stamp()}" + ("" if self.complete else " (partial)")
