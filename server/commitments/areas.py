"""Area limits for editing: a coordinator limited to departments or provinces edits only
the projects with a district there, the plans of a whole department they cover, and the
actors placed there. No limits: everything."""

from __future__ import annotations

from collections.abc import Iterable

from ..plans.models import Plan, Project
from ..submissions.filters import in_areas
from .errors import OutsideAreas
from .models import Actor


def project_allowed(project: Project, areas: tuple[str, ...]) -> bool:
    return not areas or any(in_areas(d.ubigeo, areas) for d in project.districts)


def districts_allowed(ubigeos: Iterable[str], areas: tuple[str, ...]) -> bool:
    return all(in_areas(u, areas) for u in ubigeos)


def plan_allowed(plan: Plan | None, areas: tuple[str, ...], department: str | None = None) -> bool:
    """Plan-wide edits (its name, themes, new projects) need the whole department."""
    department = department if plan is None else plan.department_ubigeo
    return not areas or (department is not None and in_areas(department, areas))


def actor_allowed(actor: Actor | None, areas: tuple[str, ...], place: str | None = None) -> bool:
    place = place if actor is None else actor.place_ubigeo
    return not areas or (place is not None and in_areas(place, areas))


def require(allowed: bool) -> None:
    if not allowed:
        raise OutsideAreas()
