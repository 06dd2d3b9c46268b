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
   through every equation, bounds.py), no hidden figure below k may come out exact: if one
   does, its bound is dropped, or else the nearest figures still shown are protected (the
   smallest of those in the closest equations, reached from the leak through hidden
   figures) until it is no longer pinned, and everything is checked again (solver.py:
   every leak of a round is stopped in that round). With every figure hidden nothing is
   pinned, so the solver always ends.

A figure hidden once is hidden on every page, chart, download and API answer, because all
of them read the same solved publication.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from . import bounds
from .bounds import SMALL
from .solver import PROTECTED, UNSHOWN, Solver

Key = Hashable
__all__ = ["PROTECTED", "SMALL", "UNSHOWN", "Figure", "Publication", "propagate"]


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

    # the solver (solver.py) -------------------------------------------------------------

    def solve(self) -> dict[Key, str]:
        solver = Solver(self.k, self.values, self.equations, self.unshown)
        self.hidden = solver.run()
        self.rounds = solver.rounds
        self._solved = True
        return self.hidden


def propagate(pub: Publication, hidden: dict[Key, str]) -> dict[Key, tuple[float, float]]:
    """What a reader can bound of each figure, given what is hidden (bounds.py)."""
    keys = list(pub.values)
    index = {key: i for i, key in enumerate(keys)}
    state: list[str | None] = [None] * len(keys)
    for key, reason in hidden.items():
        state[index[key]] = reason
    equations = [(index[t], tuple(index[p] for p in parts)) for t, parts in pub.equations]
    low, high = bounds.propagate([pub.values[key] for key in keys], state, equations,
                                 bounds.touching_of(len(keys), equations), pub.k)
    return {key: (low[i], high[i]) for i, key in enumerate(keys)}
