"""Plans created and edited in the console: a plan, its themes, its projects, and the
projects' dated progress reports (with their source). Each change is committed with its
audit event; area limits are checked here (server/commitments/areas.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..commitments.areas import districts_allowed, plan_allowed, project_allowed, require
from ..commitments.errors import FieldError
from ..commitments.models import ProgressReport
from ..commitments.tx import commit
from ..extensions import db
from ..places.models import Place
from .models import Plan, Project, Theme
from .services import get_plan


def _names(data: dict[str, Any], prefix: str) -> dict[str, str]:
    names = {"es": data[f"{prefix}_es"].strip()}
    if (data.get(f"{prefix}_qu") or "").strip():
        names["qu"] = data[f"{prefix}_qu"].strip()
    return names


def _department(data: dict[str, Any]) -> str | None:
    ubigeo = data.get("department")
    if not ubigeo:
        return None
    place = db.session.get(Place, ubigeo)
    if place is None or place.level != "department":
        raise FieldError("department", _("Choose a department from the list."))
    return ubigeo


def create_plan(data: dict[str, Any], user: Any, areas: tuple[str, ...]) -> Plan:
    department = _department(data)
    require(plan_allowed(None, areas, department))
    code = data["code"].strip()
    if get_plan(code) is not None:
        raise FieldError("code", _("A plan with this code already exists."))
    plan = Plan(code=code, name=_names(data, "name"), department_ubigeo=department,
                period=(data.get("period") or "").strip() or None)
    db.session.add(plan)
    record("plan_create", user=user, target=code, details={"department": department})
    commit(_("A plan with this code already exists."))
    return plan


def update_plan(plan: Plan, data: dict[str, Any], user: Any,
                areas: tuple[str, ...]) -> list[str]:
    require(plan_allowed(plan, areas))
    department = _department(data)
    require(plan_allowed(None, areas, department))
    values = {"name": _names(data, "name"), "department_ubigeo": department,
              "period": (data.get("period") or "").strip() or None}
    changed = [k for k, v in values.items() if getattr(plan, k) != v]
    for name in changed:
        setattr(plan, name, values[name])
    if changed:
        record("plan_update", user=user, target=plan.code, details={"changed": changed})
        commit()
    return changed


def _theme_values(data: dict[str, Any]) -> dict[str, Any]:
    description = {k: (data.get(f"description_{k}") or "").strip() for k in ("es", "qu")}
    return {"name": _names(data, "name"),
            "description": {k: v for k, v in description.items() if v} or None}


def get_theme(plan: Plan, code: str) -> Theme | None:
    return next((t for t in plan.themes if t.code == code), None)


def create_theme(plan: Plan, data: dict[str, Any], user: Any, areas: tuple[str, ...]) -> Theme:
    require(plan_allowed(plan, areas))
    code = data["code"].strip()
    if get_theme(plan, code) is not None:
        raise FieldError("code", _("This plan already has a theme with this code."))
    position = max((t.position for t in plan.themes), default=-1) + 1
    theme = Theme(code=code, position=position, **_theme_values(data))
    plan.themes.append(theme)
    record("theme_create", user=user, target=f"{plan.code}/{code}")
    commit(_("This plan already has a theme with this code."))
    return theme


def update_theme(theme: Theme, data: dict[str, Any], user: Any,
                 areas: tuple[str, ...]) -> list[str]:
    require(plan_allowed(theme.plan, areas))
    values = _theme_values(data)
    changed = [k for k, v in values.items() if getattr(theme, k) != v]
    for name in changed:
        setattr(theme, name, values[name])
    if changed:
        record("theme_update", user=user, target=f"{theme.plan.code}/{theme.code}",
               details={"changed": changed})
        commit()
    return changed


def get_project(plan: Plan, code: str) -> Project | None:
    if len(code) > 40:
        return None
    return db.session.scalar(select(Project).where(Project.plan_id == plan.id,
                                                   Project.code == code))


def _project_values(plan: Plan, data: dict[str, Any], areas: tuple[str, ...]) -> dict[str, Any]:
    theme = get_theme(plan, data["theme"])
    if theme is None:
        raise FieldError("theme", _("Choose one of the plan's themes."))
    codes = sorted(set(data["districts"]))
    districts = list(db.session.scalars(select(Place).where(
        Place.ubigeo.in_(codes), Place.level == "district")))
    if len(districts) != len(codes):
        raise FieldError("districts", _("Choose districts from the list."))
    if not districts_allowed(codes, areas):
        raise FieldError("districts", _("You may only choose districts of your areas."))
    return {"name_es": data["name_es"].strip(), "name_qu": data["name_qu"].strip(),
            "responsible": (data.get("responsible") or "").strip(), "theme": theme,
            "districts": districts}


def create_project(plan: Plan, data: dict[str, Any], user: Any,
                   areas: tuple[str, ...]) -> Project:
    require(plan_allowed(plan, areas))  # a new project is a plan-wide edit
    values = _project_values(plan, data, areas)
    code = data["code"].strip()
    if get_project(plan, code) is not None:
        raise FieldError("code", _("This plan already has a project with this code."))
    project = Project(plan=plan, code=code, progress_pct=0, **values)
    db.session.add(project)
    record("project_create", user=user, target=f"{plan.code}/{code}")
    commit(_("This plan already has a project with this code."))
    return project


def update_project(project: Project, data: dict[str, Any], user: Any,
                   areas: tuple[str, ...]) -> list[str]:
    require(project_allowed(project, areas))
    values = _project_values(project.plan, data, areas)
    changed = []
    for name, value in values.items():
        current = getattr(project, name)
        same = ({p.ubigeo for p in current} == {p.ubigeo for p in value}
                if name == "districts" else current == value)
        if not same:
            setattr(project, name, value)
            changed.append(name)
    if changed:
        record("project_update", user=user, target=f"{project.plan.code}/{project.code}",
               details={"changed": changed})
        commit()
    return changed


def progress_history(project: Project) -> list[ProgressReport]:
    return list(db.session.scalars(select(ProgressReport).where(
        ProgressReport.project_id == project.id).order_by(
        ProgressReport.on_date.desc(), ProgressReport.id.desc())))


def add_progress(project: Project, data: dict[str, Any], user: Any,
                 areas: tuple[str, ...]) -> ProgressReport:
    """A dated, sourced progress figure; the project shows the latest one by date."""
    require(project_allowed(project, areas))
    report = ProgressReport(project_id=project.id, on_date=data["on_date"],
                            progress_pct=data["progress_pct"], source=data["source"].strip())
    db.session.add(report)
    db.session.flush()
    latest = progress_history(project)[0]
    project.progress_pct = latest.progress_pct
    record("project_progress", user=user, target=f"{project.plan.code}/{project.code}",
           details={"date": report.on_date.isoformat(), "progress": report.progress_pct})
    commit()
    return report


def delete_progress(project: Project, report: ProgressReport, user: Any,
                    areas: tuple[str, ...]) -> None:
    """Remove a report typed by mistake; the project shows the latest one left (or keeps
    its figure when none is left)."""
    require(project_allowed(project, areas))
    record("project_progress_delete", user=user, target=f"{project.plan.code}/{project.code}",
           details={"date": report.on_date.isoformat(), "progress": report.progress_pct})
    db.session.delete(report)
    db.session.flush()
    left = progress_history(project)
    if left:
        project.progress_pct = left[0].progress_pct
    commit()
