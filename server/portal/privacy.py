"""Small-count suppression over the whole set of figures the portal publishes.

Every figure is a count of submissions under a key (a district's feedback, a project's
ratings of 4, …). The portal publishes a fixed set of them, tied by equations (a province's
count is the sum of its districts'; a project's is the sum of its districts' cells; a
count is the sum of its ratings…). Hiding the small figures alone is not enough: a total
minus the figures shown beside it gives back a hidden one. So, in one pass over every
equation, until nothing changes (docs/portal.md, "The suppression rule"):

1. a figure below k is hidden as *small* ("fewer than k"), zeros included;
2. in each equation whose total is shown, the hidden parts together (the remainder) must
   be 0 or at least k, and no *small* part may be pinned to one value by the bounds
   (a small part lies in 0..k-1; a *protected* one is shown as "hidden" and claims no
   bound); otherwise the smallest part still shown is hidden as *protected*; when no part
   is left to hide, the equation's small parts become *protected* (their bound withheld);
3. an equation whose total is hidden must keep at least one part hidden, or the shown
   parts would add up to it;
4. then, subtracting published figures from each other again and again (bounds carried
   through every equation, `propagate`), no hidden figure below k may come out exact:
   if one does, its bound is dropped, or else the nearest figure still shown is protected
   (the smallest of those in the closest equations, reached from the leak through hidden
   figures), and everything is checked again. Each round hides one more figure, and with
   every figure hidden nothing is pinned, so the solver always ends.

A figure hidden once is hidden on every page, chart, download and API answer, because all
of them read the same solved publication.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from math import inf

SMALL = "small"  # fewer than k submissions
PROTECTED = "protected"  # hidden, no bound claimed, so that a small figure stays unknown
UNSHOWN = "unshown"  # a part never published on its own (bounds 0..infinity)

Key = Hashable


@dataclass(frozen=True)
class Figure:
    value: int | None  # None when hidden
    hidden: str | None  # None, SMALL or PROTECTED

    @property
    def shown(self) -> bool:
        return self.hidden is None


class Publication:
    """Figures and the equations between them; `solve()` decides what is hidden."""

    def __init__(self, k: int) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k
        self.values: dict[Key, int] = {}
        self.equations: list[tuple[Key, tuple[Key, ...]]] = []
        self.unshown: set[Key] = set()
        self.hidden: dict[Key, str] = {}
        self._solved = False

    def add(self, key: Key, value: int, *, shown: bool = True) -> None:
        self.values[key] = self.values.get(key, 0) + int(value)
        if not shown:
            self.unshown.add(key)
        self._solved = False

    def set(self, key: Key, value: int, *, shown: bool = True) -> None:
        self.values[key] = int(value)
        if not shown:
            self.unshown.add(key)
        self._solved = False

    def equation(self, total: Key, parts: Iterable[Key]) -> None:
        parts = tuple(parts)
        for key in (total, *parts):
            self.values.setdefault(key, 0)
        self.equations.append((total, parts))
        self._solved = False

    def value(self, key: Key) -> int:
        return self.values.get(key, 0)

    def figure(self, key: Key) -> Figure:
        if not self._solved:
            self.solve()
        if key not in self.values:
            return Figure(None, SMALL)  # never counted: no submission
        reason = self.hidden.get(key)
        if reason == UNSHOWN:
            reason = PROTECTED
        return Figure(None if reason else self.values[key], reason)

    # the solver ---------------------------------------------------------------------------

    def solve(self) -> dict[Key, str]:
        k = self.k
        hidden = {key: UNSHOWN for key in self.unshown}
        for key, value in self.values.items():
            if key not in hidden and value < k:
                hidden[key] = SMALL
        while True:
            self._per_equation(hidden)
            leak = self._first_leak(hidden)
            if leak is None:
                break
            self._stop(leak, hidden)
        self.hidden = hidden
        self._solved = True
        return hidden

    def _per_equation(self, hidden: dict[Key, str]) -> None:
        changed = True
        while changed:
            changed = False
            for total, parts in self.equations:
                while (culprits := self._unsafe(total, parts, hidden)):
                    hidden.update(dict.fromkeys(culprits, PROTECTED))
                    changed = True

    def _first_leak(self, hidden: dict[Key, str]) -> Key | None:
        """A hidden figure below k that subtracting published figures pins down (rule 4)."""
        bounds = propagate(self, hidden)
        leaks = [key for key in hidden if 1 <= self.values[key] < self.k
                 and bounds[key][0] == bounds[key][1]]
        return min(leaks, key=repr) if leaks else None

    def _stop(self, leak: Key, hidden: dict[Key, str]) -> None:
        """Drop the leaking figure's bound, or else hide the nearest shown figure: the
        smallest one in the closest equations reached from the leak through hidden figures
        (a chain of all-hidden equations can carry a published figure a long way)."""
        if hidden[leak] == SMALL:
            hidden[leak] = PROTECTED
            return
        seen, frontier = {leak}, [leak]
        while frontier:
            around = [eq for eq in self.equations
                      if any(key == eq[0] or key in eq[1] for key in frontier)]
            members = {key for total, parts in around for key in (total, *parts)}
            shown = [key for key in members if key not in hidden]
            if shown:
                hidden[self._smallest(shown)] = PROTECTED
                return
            frontier = [key for key in members if key not in seen]
            seen.update(frontier)
        raise RuntimeError(f"cannot protect {leak!r}")  # pragma: no cover

    def _unsafe(self, total: Key, parts: tuple[Key, ...], hidden: dict[Key, str]) -> list[Key]:
        """The figures to protect next for this equation (none when it is safe)."""
        shown = [p for p in parts if p not in hidden]
        held = [p for p in parts if p in hidden]
        if total in hidden:
            # rule 3: the shown parts must not add up to the hidden total
            return [self._smallest(shown)] if shown and not held else []
        if not held:
            return []
        remainder = self.values[total] - sum(self.values[p] for p in shown)
        if remainder == 0 or (remainder >= self.k and not self._pinned(remainder, held,
                                                                        hidden)):
            return []
        if shown:
            return [self._smallest(shown)]
        return [p for p in held if hidden[p] == SMALL]

    def _pinned(self, remainder: int, held: list[Key], hidden: dict[Key, str]) -> bool:
        """Could a small part be told exactly from the remainder and the parts' bounds?"""
        k = self.k
        small = [p for p in held if hidden[p] == SMALL]
        if not small:
            return False
        unbounded = any(hidden[p] != SMALL for p in held)
        low = 0 if unbounded else max(0, remainder - (len(small) - 1) * (k - 1))
        high = min(k - 1, remainder)
        return low == high and low >= 1

    def _smallest(self, keys: list[Key]) -> Key:
        return min(keys, key=lambda key: (self.values[key], repr(key)))


def propagate(pub: Publication, hidden: dict[Key, str], rounds: int = 100) -> dict:
    """What a reader of every published figure can bound: shown figures are exact, small
    ones lie in 0..k-1, hidden ones in 0..infinity; each equation narrows its members from
    the others' bounds, until nothing narrows."""
    bounds: dict[Key, tuple[float, float]] = {}
    for key, value in pub.values.items():
        reason = hidden.get(key)
        bounds[key] = ((value, value) if reason is None
                       else (0, pub.k - 1) if reason == SMALL else (0, inf))
    for _round in range(rounds):
        changed = False
        for total, parts in pub.equations:
            low = sum(bounds[p][0] for p in parts)
            high = sum(bounds[p][1] for p in parts)
            t_low, t_high = bounds[total]
            narrowed = (max(t_low, low), min(t_high, high))
            if narrowed != bounds[total]:
                bounds[total], changed = narrowed, True
                t_low, t_high = narrowed
            for part in parts:
                p_low, p_high = bounds[part]
                new = (max(p_low, t_low - (high - p_high)), min(p_high, t_high - (low - p_low)))
                if new != (p_low, p_high):
                    bounds[part], changed = new, True
                    low += new[0] - p_low
                    high += new[1] - p_high
        if not changed:
            break
    return bounds
