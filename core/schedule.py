"""The execution order that minimizes peak activation memory (core/memory.py's model).

Where a design branches (Inception modules, DenseNet blocks) the order of the branches changes
which tensors are live together. The search is a dynamic programme over the sets of steps
already run: what is live after a set does not depend on the order that ran it, so the best
peak to reach each set is enough (the peak of an order is a maximum, and a maximum is monotone).
The sets grow one step at a time, level by level; a chain has one set per level, a module of k
parallel branches of length n about n^k. When a level holds more than ``limit`` sets, only the
``limit`` best are kept (a beam search) and the result says it is not proven minimal; past a
budget of candidates tried in all, the design's own order is kept, also marked not exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from .memory import Plan, simulate

LIMIT = 20_000
BUDGET = 4_000_000  # ready-list entries copied in all; well under a second of Python


@dataclass(frozen=True)
class Schedule:
    steps: list[str]  # step ids in the best order found
    peak: int  # elements
    default_peak: int  # elements, in the design's own order
    exact: bool  # False when the search had to drop candidates (beam)

    @property
    def saving(self) -> int:
        return self.default_peak - self.peak


def best_order(p: Plan, limit: int = LIMIT, budget: int = BUDGET) -> Schedule:
    """The order of ``p``'s steps with the smallest peak. ``limit``: sets kept per level;
    ``budget``: ready-list entries copied in all (extensions × ready steps), after which the design's own order is kept
    (``exact`` False): a report of a very wide design must stay quick."""
    ids = p.order
    index = {s: i for i, s in enumerate(ids)}
    n = len(ids)
    deps = [0] * n
    succ: list[list[int]] = [[] for _ in range(n)]
    for i, sid in enumerate(ids):
        for t in p.steps[sid].inputs:
            deps[i] |= 1 << index[t]
            succ[index[t]].append(i)
    users = {index[t]: sum(1 << index[c] for c in cs) for t, cs in p.consumers.items()}
    size = [p.steps[s].size for s in ids]
    grow = [size[i] - size[index[p.steps[s].overwrite]] if p.steps[s].overwrite else size[i]
            for i, s in enumerate(ids)]
    ins = [[index[t] for t in p.steps[s].inputs] for s in ids]

    _, during, _ = simulate(p, ids)
    default_peak = max(during.values(), default=0)
    keep = Schedule(list(ids), default_peak, default_peak, False)
    # set of steps run -> (best peak so far, live elements, steps ready to run)
    states = {0: (0, 0, tuple(i for i in range(n) if not deps[i]))}
    parent: dict[int, tuple[int, int]] = {}
    exact, work = True, 0
    for _ in range(n):
        nxt: dict[int, tuple] = {}
        for done, (peak, live, ready) in states.items():
            work += len(ready) * len(ready)  # each extension copies the ready list
            if work > budget:
                return keep
            for i in ready:
                now = done | 1 << i
                new_peak = max(peak, live + max(0, grow[i]))
                old = nxt.get(now)
                if old is not None and new_peak >= old[0]:
                    continue
                freed = sum(size[t] for t in ins[i] if not users[t] & ~now)
                more = tuple(j for j in succ[i] if not deps[j] & ~now)
                nxt[now] = (new_peak, live + size[i] - freed, tuple(r for r in ready if r != i) + more)
                parent[now] = (done, i)
        if len(nxt) > limit:
            exact = False
            nxt = dict(sorted(nxt.items(), key=lambda kv: kv[1][:2])[:limit])
        states = nxt
    full = (1 << n) - 1
    best = states[full][0] if n else 0
    if best >= default_peak:  # no gain: keep the design's own order
        return Schedule(list(ids), default_peak, default_peak, exact)
    order, done = [], full
    while done:
        done, i = parent[done]
        order.append(ids[i])
    return Schedule(order[::-1], best, default_peak, exact)
