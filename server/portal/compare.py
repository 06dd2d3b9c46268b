"""Places side by side: the regions that have a plan, or the provinces of one region, on the
same indicators (docs/portal.md, "Comparing places"). Every feedback figure is read from the
place's own department publication (figures.py), so it is suppressed exactly as on the other
pages; commitments are public records and are counted as they are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..commitments.models import Commitment
from ..commitments.status import effective_status, peru_today
from ..extensions import db
from ..places.models import Place
from ..plans.models import Plan, Project, project_districts
from .figures import DepartmentFigures, Share, department_figures
from .place_facts import place_facts
from .privacy import Figure


@dataclass(frozen=True)
class OnTime:
    """Commitments fulfilled by their due date, among the commitments already due."""

    due: int
    on_time: int
    late: int

    @property
    def percent(self) -> float | None:
        return 100 * self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class PlaceRow:
    """One place's indicators, as the comparison page and its downloads show them."""

    level: str  # "department" or "province"
    place: Place
    population: int | None
    feedback: Figure
    per_thousand: float | None
    satisfaction: Share
    answered: Share
    median_days: float | None
    commitments: OnTime


def is_due(commitment: Commitment, today: date) -> bool:
    """Due: it has a due date and that date has passed, or it is already settled as
    fulfilled or late (a coordinator may set "late" before the date)."""
    if commitment.due_date is None:
        return False
    return (commitment.due_date < today
            or effective_status(commitment, today) in ("fulfilled", "late"))


def is_on_time(commitment: Commitment, today: date) -> bool:
    return (effective_status(commitment, today) == "fulfilled"
            and commitment.due_date is not None and commitment.fulfilled_on is not None
            and commitment.fulfilled_on <= commitment.due_date)


def commitments_by_place(department: str, today: date | None = None) -> dict[str, OnTime]:
    """On-time tallies for the department and each of its provinces. A commitment counts in
    every province its project serves, and once in the department."""
    today = today or peru_today()
    rows = db.session.execute(
        select(Commitment, Project.id).join(Project, Project.id == Commitment.project_id)
        .join(Plan, Plan.id == Project.plan_id).where(Plan.department_ubigeo == department))
    commitments = [(c, pid) for c, pid in rows]
    provinces: dict[int, set[str]] = defaultdict(set)
    for project_id, ubigeo in db.session.execute(
            select(project_districts.c.project_id, Place.parent_ubigeo)
            .join(Place, Place.ubigeo == project_districts.c.ubigeo)
            .where(project_districts.c.project_id.in_({pid for _c, pid in commitments}))):
        provinces[project_id].add(ubigeo)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for commitment, project_id in commitments:
        if not is_due(commitment, today):
            continue
        counts = (1, int(is_on_time(commitment, today)),
                  int(effective_status(commitment, today) == "late"))
        for place in (department, *provinces[project_id]):
            tally[place] = [a + b for a, b in zip(tally[place], counts, strict=True)]
    return defaultdict(lambda: OnTime(0, 0, 0),
                       {place: OnTime(*counts) for place, counts in tally.items()})


def place_row(level: str, place: Place, figures: DepartmentFigures,
              commitments: dict[str, OnTime]) -> PlaceRow:
    facts = place_facts(place.ubigeo)
    return PlaceRow(
        level=level, place=place, population=facts.population if facts else None,
        feedback=figures.place_count(place.ubigeo),
        per_thousand=figures.per_thousand(place.ubigeo),
        satisfaction=figures.satisfaction(("geo", place.ubigeo)),
        answered=figures.answered_in(place.ubigeo),
        median_days=figures.median_days_in(place.ubigeo),
        commitments=commitments[place.ubigeo])


def region_rows(regions: list[Place]) -> list[PlaceRow]:
    """Each region with a plan, from its own publication."""
    return [place_row("department", r, department_figures(r.ubigeo),
                      commitments_by_place(r.ubigeo)) for r in regions]


def province_rows(department: Place, provinces: list[Place]) -> tuple[PlaceRow, list[PlaceRow]]:
    """The region's own row (its publication's total) and its provinces'."""
    figures = department_figures(department.ubigeo)
    commitments = commitments_by_place(department.ubigeo)
    return (place_row("department", department, figures, commitments),
            [place_row("province", p, figures, commitments) for p in provinces])


# downloads ---------------------------------------------------------------------------------

COLUMNS = ("level", "ubigeo", "name", "department", "population", "feedback",
           "feedback_status", "per_1000", "rated", "rated_status", "satisfied",
           "satisfied_status", "satisfaction_pct", "answered", "answered_status",
           "answered_pct", "median_days_to_answer", "commitments_due", "commitments_on_time",
           "commitments_late", "on_time_pct", "k")


def _figure_cells(name: str, figure: Figure) -> dict:
    return {name: figure.value if figure.shown else None,
            f"{name}_status": figure.hidden or "shown"}


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def download_row(row: PlaceRow, k: int) -> dict:
    """A row of comparar.csv and .json: the page's figures; a hidden one is None (empty in
    the CSV) beside its status."""
    return {"level": row.level, "ubigeo": row.place.ubigeo, "name": row.place.name,
            "department": row.place.department_ubigeo,
            "population": row.population,
            **_figure_cells("feedback", row.feedback),
            "per_1000": _rounded(row.per_thousand, 3),
            **_figure_cells("rated", row.satisfaction.whole),
            **_figure_cells("satisfied", row.satisfaction.part),
            "satisfaction_pct": _rounded(row.satisfaction.percent, 1),
            **_figure_cells("answered", row.answered.part),
            "answered_pct": _rounded(row.answered.percent, 1),
            "median_days_to_answer": _rounded(row.median_days, 1),
            "commitments_due": row.commitments.due,
            "commitments_on_time": row.commitments.on_time,
            "commitments_late": row.commitments.late,
            "on_time_pct": _rounded(row.commitments.percent, 1), "k": k}
