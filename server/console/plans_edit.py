"""Plans created and edited in the console: a plan, its themes, its projects, and each
project's page with its reported progress history and its commitments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..commitments.areas import plan_allowed, project_allowed
from ..commitments.errors import FieldError
from ..commitments.models import Actor, Commitment, ProgressReport
from ..commitments.status import effective_status
from ..extensions import db
from ..places.models import Place
from ..plans import editing
from ..plans.models import Plan, Project
from .access import area_limits, can, requires
from .blueprint import bp
from .commitment_labels import status_labels
from .commitment_schemas import PlanSchema, ProgressSchema, ProjectSchema, ThemeSchema, creating
from .plans import _plan_or_404


def _departments() -> list[tuple[str, str]]:
    return [(p.ubigeo, p.name) for p in db.session.scalars(
        select(Place).where(Place.level == "department").order_by(Place.name))]


def _districts(plan: Plan) -> list[tuple[str, str]]:
    """The districts a project of this plan may have: its department's, or all."""
    stmt = select(Place).where(Place.level == "district").order_by(Place.ubigeo)
    if plan.department_ubigeo:
        stmt = stmt.where(Place.ubigeo.startswith(plan.department_ubigeo[:2]))
    return [(p.ubigeo, p.name) for p in db.session.scalars(stmt)]


def _run(action, errors: dict):
    """Run a service; (result, errors) with the service's refusal as a field error."""
    try:
        return action(), errors
    except FieldError as exc:
        db.session.rollback()
        return None, exc.as_errors()


@bp.route("/plans/new", methods=["GET", "POST"])
@requires("plans_edit")
def plan_new():
    errors: dict = {}
    if request.method == "POST":
        data, errors = creating(PlanSchema).load_form(request.form)
        if not errors:
            plan, errors = _run(lambda: editing.create_plan(data, current_user, area_limits()),
                                errors)
            if plan is not None:
                flash(_("Plan created. Now add its themes and projects."))
                return redirect(url_for("console.plan_edit", code=plan.code))
    return render_template("console/plan_form.html", plan=None, form=request.form,
                           errors=errors, departments=_departments(),
                           theme_errors={}), 422 if errors else 200


def _plan_form(plan: Plan, errors: dict | None = None, theme_errors: dict | None = None,
               status: int = 200):
    return render_template("console/plan_form.html", plan=plan, form=request.form,
                           errors=errors or {}, theme_errors=theme_errors or {},
                           departments=_departments(),
                           allowed=plan_allowed(plan, area_limits())), status


@bp.route("/plans/<code>/edit", methods=["GET", "POST"])
@requires("plans_edit")
def plan_edit(code: str):
    plan = _plan_or_404(code)
    if request.method == "GET":
        return _plan_form(plan)
    data, errors = PlanSchema().load_form(request.form)
    if not errors:
        _done, errors = _run(lambda: editing.update_plan(plan, data, current_user,
                                                         area_limits()), errors)
        if not errors:
            flash(_("Changes saved."))
            return redirect(url_for("console.plan_edit", code=plan.code))
    return _plan_form(plan, errors=errors, status=422)


@bp.post("/plans/<code>/themes")
@requires("plans_edit")
def theme_new(code: str):
    plan = _plan_or_404(code)
    data, errors = creating(ThemeSchema).load_form(request.form)
    if not errors:
        _theme, errors = _run(lambda: editing.create_theme(plan, data, current_user,
                                                           area_limits()), errors)
        if not errors:
            flash(_("Theme added."))
            return redirect(url_for("console.plan_edit", code=plan.code))
    return _plan_form(plan, theme_errors=errors, status=422)


@bp.route("/plans/<code>/themes/<theme_code>", methods=["GET", "POST"])
@requires("plans_edit")
def theme_edit(code: str, theme_code: str):
    plan = _plan_or_404(code)
    theme = editing.get_theme(plan, theme_code)
    if theme is None:
        abort(404)
    errors: dict = {}
    if request.method == "POST":
        data, errors = ThemeSchema().load_form(request.form)
        if not errors:
            _done, errors = _run(lambda: editing.update_theme(theme, data, current_user,
                                                              area_limits()), errors)
            if not errors:
                flash(_("Changes saved."))
                return redirect(url_for("console.plan_edit", code=plan.code))
    return render_template("console/theme_form.html", plan=plan, theme=theme,
                           form=request.form, errors=errors), 422 if errors else 200


def _project_form(plan: Plan, project: Project | None, errors: dict, status: int):
    chosen = (set(request.form.getlist("districts")) if request.method == "POST"
              else {d.ubigeo for d in project.districts} if project else set())
    return render_template("console/project_form.html", plan=plan, project=project,
                           form=request.form, errors=errors, districts=_districts(plan),
                           chosen=chosen), status


@bp.route("/plans/<code>/projects/new", methods=["GET", "POST"])
@requires("plans_edit")
def project_new(code: str):
    plan = _plan_or_404(code)
    errors: dict = {}
    if request.method == "POST":
        data, errors = creating(ProjectSchema).load_form(request.form, lists=("districts",))
        if not errors:
            project, errors = _run(lambda: editing.create_project(
                plan, data, current_user, area_limits()), errors)
            if project is not None:
                flash(_("Project created."))
                return redirect(url_for("console.project", code=plan.code,
                                        project_code=project.code))
    return _project_form(plan, None, errors, 422 if errors else 200)


def _project_or_404(plan: Plan, project_code: str) -> Project:
    project = editing.get_project(plan, project_code)
    if project is None:
        abort(404)
    return project


def _project_page(plan: Plan, project: Project, errors: dict | None = None,
                  progress_errors: dict | None = None, status: int = 200):
    commitments = list(db.session.scalars(select(Commitment).where(
        Commitment.project_id == project.id).order_by(Commitment.due_date, Commitment.code)))
    actors = {a.id: a for a in db.session.scalars(select(Actor).where(
        Actor.id.in_({c.actor_id for c in commitments})))}
    may_edit = can("plans_edit") and project_allowed(project, area_limits())
    return render_template(
        "console/project.html", plan=plan, project=project, form=request.form,
        errors=errors or {}, progress_errors=progress_errors or {},
        history=editing.progress_history(project), commitments=commitments, actors=actors,
        effective=effective_status, statuses=status_labels(), may_edit=may_edit,
        districts=_districts(plan) if may_edit else [],
        chosen=(set(request.form.getlist("districts")) if errors
                else {d.ubigeo for d in project.districts})), status


@bp.get("/plans/<code>/projects/<project_code>")
@requires("plans_view")
def project(code: str, project_code: str):
    plan = _plan_or_404(code)
    return _project_page(plan, _project_or_404(plan, project_code))


@bp.post("/plans/<code>/projects/<project_code>")
@requires("plans_edit")
def project_update(code: str, project_code: str):
    plan = _plan_or_404(code)
    project = _project_or_404(plan, project_code)
    data, errors = ProjectSchema().load_form(request.form, lists=("districts",))
    if not errors:
        _done, errors = _run(lambda: editing.update_project(project, data, current_user,
                                                            area_limits()), errors)
        if not errors:
            flash(_("Changes saved."))
            return redirect(url_for("console.project", code=plan.code, project_code=project.code))
    return _project_page(plan, project, errors=errors, status=422)


@bp.post("/plans/<code>/projects/<project_code>/progress")
@requires("plans_edit")
def project_progress(code: str, project_code: str):
    plan = _plan_or_404(code)
    project = _project_or_404(plan, project_code)
    data, errors = ProgressSchema().load_form(request.form)
    if not errors:
        _done, errors = _run(lambda: editing.add_progress(project, data, current_user,
                                                          area_limits()), errors)
        if not errors:
            flash(_("Progress recorded."))
            return redirect(url_for("console.project", code=plan.code, project_code=project.code))
    return _project_page(plan, project, progress_errors=errors, status=422)


@bp.post("/plans/<code>/projects/<project_code>/progress/<int:report_id>/delete")
@requires("plans_edit")
def project_progress_delete(code: str, project_code: str, report_id: int):
    plan = _plan_or_404(code)
    project = _project_or_404(plan, project_code)
    report = db.session.get(ProgressReport, report_id)
    if report is None or report.project_id != project.id:
        abort(404)
    if request.form.get("confirm") != "yes":
        return _project_page(plan, project, progress_errors={
            "_form": [_("Press the delete button to confirm.")]}, status=400)
    editing.delete_progress(project, report, current_user, area_limits())
    flash(_("Progress report deleted."))
    return redirect(url_for("console.project", code=plan.code, project_code=project.code))
