"""What a reader of every published figure can work out: interval propagation over the
equations of a publication (docs/portal.md, "The suppression rule", rule 4).

Figures are positions in flat lists. A shown figure is exact, a small one lies in 0..k-1,
any other hidden one in 0..infinity; each equation narrows its members from the others'
bounds, until nothing narrows. The solver (solver.py) and the tests' attacker ask the same
question: which hidden figures come out exact."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from math import inf

SMALL = "small"  # fewer than k submissions: bounded by 0..k-1

Equation = tuple[int, tuple[int, ...]]
# an equation with its shown members folded into constants: (total or -1 when the total is
# shown, the shown total's value, the shown parts' sum, the hidden parts)
Reduced = tuple[int, int, int, tuple[int, ...]]
LONG = 12  # hidden parts


def reduce(equation: Equation, values: Sequence[int], hidden: Sequence[str | None]) -> Reduced:
    total, parts = equation
    held = tuple(p for p in parts if hidden[p] is not None)
    offset = sum(values[p] for p in parts if hidden[p] is None)
    if hidden[total] is None:
        return -1, values[total], offset, held
    return total, 0, offset, held


def initial(values: Sequence[int], hidden: Sequence[str | None], k: int
            ) -> tuple[list[float], list[float]]:
    low: list[float] = [v if reason is None else 0
                        for v, reason in zip(values, hidden, strict=True)]
    high: list[float] = [v if reason is None else k - 1 if reason == SMALL else inf
                         for v, reason in zip(values, hidden, strict=True)]
    return low, high


def narrow(low, high, reduced: Sequence[Reduced], touching: Sequence[Sequence[int]],
           queue: list[int], allowed: Collection[int] | None = None) -> None:
    """Narrow `low`/`high` (lists, or dicts over a region) with the equations in `queue`, and
    again with each equation (of `allowed`, when given) touching a figure that narrowed,
    until nothing narrows: a work-list, so an equation is looked at again only when one of
    its members changed. Infinite upper bounds are counted, never subtracted (inf - inf)."""
    # long equations (a department's districts) wait until the short ones are done, so
    # that one look takes in many narrowed parts at once
    queued = set(queue)
    short = [e for e in queue if len(reduced[e][3]) <= LONG]
    long = [e for e in queue if len(reduced[e][3]) > LONG]
    while short or long:
        e = short.pop() if short else long.pop()
        queued.discard(e)
        total, t_value, offset, parts = reduced[e]
        if total < 0:
            t_low = t_high = t_value
        else:
            t_low, t_high = low[total], high[total]
        lows = highs = offset
        unbounded = 0
        for p in parts:
            lows += low[p]
            h = high[p]
            if h == inf:
                unbounded += 1
            else:
                highs += h
        narrowed = []
        if total >= 0:
            new_low = max(t_low, lows)
            new_high = t_high if unbounded else min(t_high, highs)
            if new_low != t_low or new_high != t_high:
                low[total], high[total] = t_low, t_high = new_low, new_high
                narrowed.append(total)
        for p in parts:
            p_low, p_high = low[p], high[p]
            if p_low == p_high:
                continue
            if p_high == inf:
                others_high = inf if unbounded > 1 else highs
            else:
                others_high = inf if unbounded else highs - p_high
            new_low = max(p_low, t_low - others_high)
            new_high = min(p_high, t_high - (lows - p_low))
            if new_low != p_low or new_high != p_high:
                low[p], high[p] = new_low, new_high
                lows += new_low - p_low
                if p_high == inf:
                    if new_high != inf:
                        unbounded -= 1
                        highs += new_high
                else:
                    highs += new_high - p_high
                narrowed.append(p)
        for i in narrowed:
            for other in touching[i]:
                if other not in queued and (allowed is None or other in allowed):
                    queued.add(other)
                    (short if len(reduced[other][3]) <= LONG else long).append(other)


def propagate(values: Sequence[int], hidden: Sequence[str | None],
              equations: Sequence[Equation], touching: Sequence[Sequence[int]], k: int
              ) -> tuple[list[float], list[float]]:
    """The bounds of every figure, from scratch (equations whose members are all shown
    carry nothing and are never looked at)."""
    low, high = initial(values, hidden, k)
    reduced = [reduce(eq, values, hidden) for eq in equations]
    queue = [e for e, eq in enumerate(reduced) if eq[0] >= 0 or eq[3]]
    narrow(low, high, reduced, touching, queue)
    return low, high


def touching_of(n: int, equations: Sequence[Equation]) -> list[list[int]]:
    """For each figure, the equations it is a member of."""
    touching: list[list[int]] = [[] for _ in range(n)]
    for e, (total, parts) in enumerate(equations):
        for i in {total, *parts}:
            touching[i].append(e)
    return touching
