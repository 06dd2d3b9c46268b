"""Every public figure, in one place: pages, downloads and the API read them from here.

A department's figures are built from grouped counts (counts.py) into one Publication
(publication.py) whose suppression is solved (privacy.py, docs/portal.md) and stored
(store.py) by a background job; pages read the stored solution only. Callers get `Figure`s:
a value, or why it is hidden; a share or a rate exists only when every figure it is made of
is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g

from .place_facts import place_facts
from .privacy import Figure
from .publication import GOOD, SCALE
from .store import Stored, solution


@dataclass(frozen=True)
class Share:
    """part of whole, when both are shown (percent 0-100), else None."""

    part: Figure
    whole: Figure

    @property
    def percent(self) -> float | None:
        if not (self.part.shown and self.whole.shown) or not self.whole.value:
            return None
        return 100 * self.part.value / self.whole.value


def portal_k() -> int:
    return current_app.config["WILLAY"]["PORTAL_K"]


class DepartmentFigures:
    """The stored solved publication of one department (one consistent state)."""

    def __init__(self, department: str, stored: Stored) -> None:
        self.department = department
        self.solution = stored.solution
        self.k = stored.solution.k
        self.solved_at: datetime = stored.solved_at
        self.checked_at: datetime = stored.checked_at  # last found up to date

    def _figure(self, key: tuple) -> Figure:
        return self.solution.figure(key)

    # places ---------------------------------------------------------------------------------

    def place_count(self, ubigeo: str) -> Figure:
        return self._figure(("geo", ubigeo))

    def per_thousand(self, ubigeo: str) -> float | None:
        """Feedback items per 1,000 inhabitants (population: area × 2020 density)."""
        count = self.place_count(ubigeo)
        facts = place_facts(ubigeo)
        if not count.shown or facts is None or not facts.population:
            return None
        return 1000 * count.value / facts.population

    def themes(self, ubigeo: str) -> list[tuple[int, Figure]]:
        """A department's or district's items by plan theme."""
        return [(theme, self._figure(("theme", ("geo", ubigeo), theme)))
                for theme in self.solution.themes]

    # ratings (a scope is ("geo", ubigeo), ("proj", id) or ("pd", id, district)) -------------

    def ratings(self, scope: tuple) -> list[tuple[int, Figure]]:
        """Ratings 5 to 1 (departments, districts and whole projects only)."""
        return [(value, self._figure(("rate", scope, value))) for value in reversed(SCALE)]

    def rated(self, scope: tuple) -> Figure:
        return self._figure(("rated", scope))

    def satisfaction(self, scope: tuple) -> Share:
        """Ratings of 4 or 5 among the items that carry a rating."""
        return Share(self._figure(("sat", scope)), self.rated(scope))

    # projects -------------------------------------------------------------------------------

    def project_count(self, project_id: int) -> Figure:
        return self._figure(("proj", project_id))

    def project_in_district(self, project_id: int, ubigeo: str) -> Figure:
        return self._figure(("pd", project_id, ubigeo))

    def months(self, project_id: int) -> list[tuple[str, Figure]]:
        scope = ("proj", project_id)
        return [(month, self._figure(("month", scope, month)))
                for month in self.solution.months(project_id)]

    def answered(self, project_id: int) -> Share:
        scope = ("proj", project_id)
        return Share(self._figure(("answered", scope)), self._figure(scope))

    def median_days_to_answer(self, project_id: int) -> float | None:
        """Only beside a shown count of answered items (so from k answers or more)."""
        if not self.answered(project_id).part.shown:
            return None
        return self.solution.median_days(project_id)

    # places side by side (the comparison page: a department and its provinces) -------------

    def answered_in(self, ubigeo: str) -> Share:
        scope = ("geo", ubigeo)
        return Share(self._figure(("answered", scope)), self._figure(scope))

    def median_days_in(self, ubigeo: str) -> float | None:
        """Only beside a shown count of answered items (so from k answers or more)."""
        if not self.answered_in(ubigeo).part.shown:
            return None
        return self.solution.place_answer_days.get(ubigeo)

    # open data ----------------------------------------------------------------------------

    def published_rows(self) -> list[dict]:
        """Every figure the pages show, one row each, in a stable order: the downloads.
        `value` is empty when hidden; `status` says why (shown, small, protected)."""
        rows = []
        for key in sorted(self.solution.published_keys(), key=repr):
            if key[0] not in _MEASURES:
                continue
            scope = key[1] if key[0] in _MEASURES_OF_SCOPE else key
            place, project = _scope_place_project(scope)
            figure = self._figure(key)
            rows.append({
                "department": self.department, "measure": _MEASURES[key[0]],
                "ubigeo": place or "", "project_id": project if project is not None else "",
                "detail": "" if len(key) < 3 or key[0] in ("pd",) else str(key[2]),
                "value": figure.value if figure.shown else "",
                "status": figure.hidden or "shown", "k": self.k})
        return rows




_MEASURES = {"geo": "feedback", "proj": "feedback", "pd": "feedback", "rate": "rating",
             "rated": "rated", "sat": "satisfied", "unsat": "not_satisfied",
             "month": "feedback_by_month", "theme": "feedback_by_theme",
             "answered": "answered"}
_MEASURES_OF_SCOPE = {"rate", "rated", "sat", "unsat", "month", "theme", "answered"}


def _scope_place_project(scope: tuple) -> tuple[str | None, int | None]:
    if scope[0] == "geo":
        return scope[1], None
    if scope[0] == "proj":
        return None, scope[1]
    if scope[0] == "pd":
        return scope[2], scope[1]
    return None, None


def department_figures(department: str) -> DepartmentFigures:
    """The department's stored publication (store.py), read at most once per request."""
    per_request = g.setdefault("portal_figures", {})
    if department not in per_request:
        per_request[department] = DepartmentFigures(department, solution(department))
    return per_request[department]


def figures_checked_at() -> datetime | None:
    """When the figures this request showed were last found up to date (the oldest)."""
    found = g.get("portal_figures") or {}
    return min((f.checked_at for f in found.values()), default=None)


__all__ = ["GOOD", "DepartmentFigures", "Share", "department_figures",
           "figures_checked_at", "portal_k"]
