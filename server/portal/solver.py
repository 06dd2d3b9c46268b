"""The suppression rule solved (docs/portal.md, "The suppression rule"; privacy.py holds the
figures and equations). Figures are positions in flat lists, each equation a tuple of
positions, and `touching[i]` the equations figure i is in:

- rules 1-3 run as a work-list: after a figure is hidden, only the equations around it are
  checked again;
- rule 4 propagates bounds over every equation once per round (bounds.py) and stops every
  leak it found in that round: for each, the figures the old one-figure-per-round solver
  would have hidden one after another (the nearest figure still shown, then the next…) are
  hidden until the leak's own neighbourhood no longer pins it (`_still_pinned`: it never
  says "not pinned" where a full propagation would pin it), and the next round's full
  propagation checks everything again. A round that finds no leak ends the solve."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from math import inf

from .bounds import SMALL, initial, narrow, reduce, touching_of

PROTECTED = "protected"  # hidden, no bound claimed, so that a small figure stays unknown
UNSHOWN = "unshown"  # a part never published on its own (bounds 0..infinity)


class Solver:
    """One solve of one publication: `run()` returns what is hidden and why."""

    def __init__(self, k: int, values: dict[Hashable, int],
                 equations: list[tuple[Hashable, tuple[Hashable, ...]]],
                 unshown: set[Hashable]) -> None:
        self.k = k
        self.keys = list(values)
        index = {key: i for i, key in enumerate(self.keys)}
        self.values = [values[key] for key in self.keys]
        self.equations = [(index[total], tuple(index[p] for p in parts))
                          for total, parts in equations]
        self.touching = touching_of(len(self.keys), self.equations)
        # "the smallest" figure: by value, then by key (a stable order)
        order = sorted(range(len(self.keys)), key=lambda i: (self.values[i], repr(self.keys[i])))
        self.rank = [0] * len(self.keys)
        for position, i in enumerate(order):
            self.rank[i] = position
        self.hidden: list[str | None] = [None] * len(self.keys)
        for key in unshown:
            self.hidden[index[key]] = UNSHOWN
        for i, value in enumerate(self.values):
            if self.hidden[i] is None and value < k:
                self.hidden[i] = SMALL
        self.low: list[float] = []
        self.high: list[float] = []
        self.rounds = 0

    def run(self) -> dict[Hashable, str]:
        changed: Iterable[int] = range(len(self.equations))
        while True:
            self._per_equation(changed)
            self._propagate()
            leaks = sorted((i for i, reason in enumerate(self.hidden)
                            if reason and 1 <= self.values[i] < self.k
                            and self.low[i] == self.high[i]), key=self.rank.__getitem__)
            if not leaks:
                break
            self.rounds += 1
            hid = [i for leak in leaks for i in self._repair(leak)]
            if not hid:  # pragma: no cover - a leak always has a shown figure near it
                raise RuntimeError(f"cannot protect {self.keys[leaks[0]]!r}")
            changed = sorted({e for i in hid for e in self.touching[i]})
        return {self.keys[i]: reason for i, reason in enumerate(self.hidden) if reason}

    # rules 1-3 ----------------------------------------------------------------------------

    def _per_equation(self, equations: Iterable[int]) -> None:
        """Rules 2 and 3 until every equation is safe, re-checking only the equations that
        touch a figure hidden meanwhile."""
        queue = list(equations)
        queued = set(queue)
        while queue:
            e = queue.pop()
            queued.discard(e)
            while (culprits := self._unsafe(e)):
                for i in culprits:
                    self.hidden[i] = PROTECTED
                    for other in self.touching[i]:
                        if other != e and other not in queued:
                            queued.add(other)
                            queue.append(other)

    def _unsafe(self, e: int) -> list[int]:
        """The figures to protect next for this equation (none when it is safe)."""
        total, parts = self.equations[e]
        hidden, values = self.hidden, self.values
        shown = [p for p in parts if hidden[p] is None]
        if hidden[total] is not None:
            # rule 3: the shown parts must not add up to the hidden total
            return [self._smallest(shown)] if shown and len(shown) == len(parts) else []
        if len(shown) == len(parts):
            return []
        held = [p for p in parts if hidden[p] is not None]
        remainder = values[total] - sum(values[p] for p in shown)
        if remainder == 0 or (remainder >= self.k and not self._pinned(remainder, held)):
            return []
        if shown:
            return [self._smallest(shown)]
        return [p for p in held if hidden[p] == SMALL]

    def _pinned(self, remainder: int, held: list[int]) -> bool:
        """Could a small part be told exactly from the remainder and the parts' bounds?"""
        k = self.k
        small = sum(1 for p in held if self.hidden[p] == SMALL)
        if not small:
            return False
        low = 0 if small < len(held) else max(0, remainder - (small - 1) * (k - 1))
        high = min(k - 1, remainder)
        return low == high and low >= 1

    def _smallest(self, ids: list[int]) -> int:
        return min(ids, key=self.rank.__getitem__)

    # rule 4 -------------------------------------------------------------------------------

    def _propagate(self) -> None:
        """Bounds of every figure from scratch (bounds.py), and what the round's repairs
        need: each equation with its shown members folded in, and which hidden figures
        the propagation bounded more tightly than their own bound."""
        values, hidden, k = self.values, self.hidden, self.k
        self.low, self.high = initial(values, hidden, k)
        self.reduced = [reduce(eq, values, hidden) for eq in self.equations]
        narrow(self.low, self.high, self.reduced, self.touching,
               [e for e, eq in enumerate(self.reduced) if eq[0] >= 0 or eq[3]])
        self.narrowed = [bool(reason) and (self.low[i] > 0 or self.high[i] < (
            k - 1 if reason == SMALL else inf)) for i, reason in enumerate(hidden)]
        self.touched: set[int] = set()  # figures whose state this round's repairs changed

    def _set(self, i: int, reason: str | None) -> None:
        self.hidden[i] = reason
        self.touched.add(i)

    def _repair(self, leak: int) -> list[int]:
        """Stop one leak: a small figure first loses its bound; then the nearest figures
        still shown are hidden, in the order the one-per-round solver would hide them, until
        the leak is no longer pinned. The count needed is found by doubling, then halving
        back (hiding more only widens what can be worked out). Returns what was hidden."""
        if self.touched and not self._still_pinned(leak):  # an earlier leak's repair did it
            return []
        hid: list[int] = []
        if self.hidden[leak] == SMALL:
            self._set(leak, PROTECTED)
            hid.append(leak)
            if not self._still_pinned(leak):
                return hid
        batch: list[int] = []
        step, pinned = 1, True
        while pinned:
            batch = []
            for _ in range(step):
                found = self._nearest_shown(leak)
                if found is None:
                    break
                self._set(found, PROTECTED)
                batch.append(found)
            if not batch:
                return hid  # nothing left to hide here: the next full round decides
            hid.extend(batch)
            pinned = self._still_pinned(leak)
            step *= 2
        # the shortest prefix of the last batch that is enough
        low, high = 1, len(batch)
        while low < high:
            middle = (low + high) // 2
            for i, figure in enumerate(batch):
                self._set(figure, PROTECTED if i < middle else None)
            if self._still_pinned(leak):
                low = middle + 1
            else:
                high = middle
        for i, figure in enumerate(batch):
            self._set(figure, PROTECTED if i < low else None)
        return hid[:len(hid) - len(batch) + low]

    def _still_pinned(self, leak: int) -> bool:
        """Is the leak still exact when every figure the round's propagation had narrowed
        (or that this round hid) and that is linked to the leak through such figures is
        bounded afresh, while every other figure keeps the round's bounds? Those bounds are
        at least as narrow as any later state's (hiding more only widens), so "not pinned"
        here means not pinned by a full propagation either; and a figure left out was not
        narrowed, so its bound is the same either way."""
        hidden, values, k, narrowed, touched = (self.hidden, self.values, self.k,
                                                self.narrowed, self.touched)
        region, frontier = {leak}, [leak]
        equations: set[int] = set()
        while frontier:
            reached = []
            for i in frontier:
                for e in self.touching[i]:
                    if e in equations:
                        continue
                    equations.add(e)
                    total, parts = self.equations[e]
                    for j in (total, *parts):
                        if j not in region and hidden[j] is not None and (
                                narrowed[j] or j in touched):
                            region.add(j)
                            reached.append(j)
            frontier = reached
        reduced = list(self.reduced)
        for i in touched:
            for e in self.touching[i]:
                if e in equations:
                    reduced[e] = reduce(self.equations[e], values, hidden)
        low, high = list(self.low), list(self.high)  # flat copies: cheaper than lookups
        for j in region:
            low[j] = 0 if hidden[j] else values[j]
            high[j] = (k - 1 if hidden[j] == SMALL else inf) if hidden[j] else values[j]
        narrow(low, high, reduced, self.touching, sorted(equations), equations)
        return low[leak] == high[leak]

    def _nearest_shown(self, leak: int) -> int | None:
        """The smallest shown figure in the closest equations reached from the leak through
        hidden figures (a chain of all-hidden equations can carry a published one far)."""
        seen, frontier, visited = {leak}, [leak], set()
        while frontier:
            members: set[int] = set()
            for i in frontier:
                for e in self.touching[i]:
                    if e not in visited:
                        visited.add(e)
                        total, parts = self.equations[e]
                        members.add(total)
                        members.update(parts)
            shown = [i for i in members if self.hidden[i] is None]
            if shown:
                return self._smallest(shown)
            frontier = [i for i in members if i not in seen]
            seen.update(frontier)
        return None
