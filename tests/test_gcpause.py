"""``gc_paused``: no collection inside the block; what it leaves alive is not walked by the young
collections after it, and a cycle made inside is still freed by a full collection."""

from __future__ import annotations

import gc
import weakref

from archcanvas.core.gcpause import gc_paused, young_limit


class _Cell:
    pass


def test_a_block_that_leaves_many_objects_alive_hands_them_to_the_oldest_generation():
    gc.collect()
    many = young_limit()
    with gc_paused():
        assert not gc.isenabled()
        kept = [{"i": i} for i in range(4 * many)]
        a, b = _Cell(), _Cell()
        a.other, b.other = b, a  # a cycle, garbage once the block is over
        gone = weakref.ref(a)
        del a, b
        assert gc.get_count()[0] > many
    assert gc.isenabled()
    assert gc.get_count()[0] < many  # the young generation is empty: its next collection walks none of them
    assert gc.get_freeze_count() == 0  # and nothing stays frozen
    assert gone() is not None
    gc.collect()
    assert gone() is None  # the cycle is freed by a full collection, as ever
    assert len(kept) == 4 * many


def test_a_small_block_leaves_the_collector_as_it_was_and_nesting_is_a_no_op():
    gc.collect()
    many = young_limit()
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
        few = [[] for _ in range(10)]
    assert gc.isenabled() and 10 <= gc.get_count()[0] < many
    assert len(few) == 10
