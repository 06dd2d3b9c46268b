"""Plans in the console: the list, a plan's themes and projects with residents' feedback
beside the officially reported progress, and the projects CSV import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..dashboard.cache import PENDING, cached_figures
from ..dashboard.plan_view import plan_rows
from ..dashboard.projects import plan_feedback_counts, project_figures
from ..extensions import db
from ..plans.models import Plan, Project
from ..submissions.filters import SubmissionFilter
from .access import area_limits, can, requires
from .blueprint import bp
from .plans_import import ProjectImportError, ValidationError, import_plan_projects, read_upload


@bp.get("/plans")
@requires("plans_view")
def plans():
    flt = SubmissionFilter(areas=area_limits())
    listed = list(db.session.scalars(select(Plan).order_by(Plan.code)))
    ids = {plan.code: plan.id for plan in listed}
    counts = cached_figures(("plans", tuple(ids.items()), flt),
                            lambda: plan_feedback_counts(ids, flt))
    shown = {} if counts is PENDING else {code: format_number(n) for code, n in counts.items()}
    return render_template("console/plans.html", plans=listed, counts=shown,
                           pending=counts is PENDING)


@bp.get("/plans/<code>")
@requires("plans_view")
def plan(code: str):
    return _plan_page(_plan_or_404(code))


@bp.post("/plans/<code>/import")
@requires("plans_edit")
def plan_import(code: str):
    plan = _plan_or_404(code)
    try:
        data = read_upload(request.files)
        upload = request.files["file"]
        result = import_plan_projects(plan, data, current_user, upload.filename or "",
                                      area_limits())
    except ValidationError as exc:
        return _plan_page(plan, upload_error=_first(exc.messages)), 400
    except ProjectImportError as exc:
        return _plan_page(plan, import_errors=exc.errors), 400
    flash(_("Projects imported: %(created)s new, %(updated)s updated.",
            created=len(result.created), updated=len(result.updated)))
    return redirect(url_for("console.plan", code=plan.code))


def _plan_or_404(code: str) -> Plan:
    plan = db.session.scalar(select(Plan).where(Plan.code == code).options(
        selectinload(Plan.themes), selectinload(Plan.projects).selectinload(Project.districts),
    )) if len(code) <= 40 else None
    if plan is None:
        abort(404)
    return plan


def _first(messages) -> str:
    while isinstance(messages, dict | list) and messages:
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return str(messages)


def _plan_page(plan: Plan, upload_error: str | None = None, import_errors=None,
               commitment_upload_error: str | None = None, commitment_errors=None):
    flt = SubmissionFilter(areas=area_limits())
    codes = tuple(p.code for p in plan.projects)
    figures = cached_figures(("plan", plan.id, codes, flt),
                             lambda: project_figures(codes, flt))
    pending = figures is PENDING
    return render_template(
        "console/plan.html", plan=plan, themes=plan_rows(plan, None if pending else figures),
        pending=pending, areas=flt.areas,
        can_import=can("plans_edit"), can_list=can("submissions"),
        upload_error=upload_error, import_errors=import_errors or [],
        commitment_upload_error=commitment_upload_error,
        commitment_errors=commitment_errors or [])
