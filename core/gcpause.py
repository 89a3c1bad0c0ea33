"""``gc_paused()``: no cyclic garbage collection while a block builds many objects at once.

Reading a design and a full analysis create tens of thousands of small containers (JSON objects,
nodes, results) that form no reference cycles, so the cycle collector finds nothing to free in
them; but CPython starts a collection every few hundred new containers, and from time to time a
full one, which walks every object alive, the half-built design included. That made reading grow
faster than the design: 10.6 µs a layer at 1,000 layers, 22.7 µs at 20,000, and 11 µs at both
with the collector paused. Reference counting still frees everything as usual; a cycle made
meanwhile is collected after the block.

A block that leaves more new objects alive than a young collection's worth (a design read, an undo
that puts 5,000 layers and their canvas items back) would have them all walked by the collection
that starts as soon as the collector is on again: 35 to 75 ms before the canvas repaints after such
an undo, and a tenth of reading MobileNetV2's file, for nothing. They go straight to the oldest
generation instead (Python's documented ``gc.freeze()`` then ``gc.unfreeze()``: nothing stays
frozen), where only a full collection looks at them, and a cycle among them is freed there.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (nested blocks and a collector already off: no-op)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > young_limit():  # the young collection would start at once
            gc.freeze()
            gc.unfreeze()  # every tracked object into the oldest generation, none examined
        gc.enable()


def young_limit() -> int:
    """New containers beyond which CPython starts a young collection (its first threshold)."""
    return gc.get_threshold()[0]
