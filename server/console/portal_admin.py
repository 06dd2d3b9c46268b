"""Console pages for the public portal: which surveys' results are public, the coordinators'
public updates on projects (es and qu, an optional photo, the receipts they answer), and
free-text answers marked publishable. Rules live in server/portal/authoring.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..commitments.areas import plan_allowed
from ..extensions import db
from ..i18n import content_language
from ..plans.models import Plan, Project
from ..portal.authoring import (
    AuthoringError,
    OutsideAreas,
    UpdateData,
    answered_receipts,
    delete_update,
    project_in_areas,
    public_survey_ids,
    save_update,
    set_publishable,
    set_survey_public,
    updates_for,
)
from ..portal.models import PublicUpdate
from ..review.listing import get_visible
from ..submissions.models import Submission
from ..surveys.models import Survey
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import area_limits, requires
from .blueprint import bp
from .portal_schemas import PublicFlagSchema, PublicUpdateSchema, PublishableSchema


def _projects() -> list[tuple[Plan, list[Project]]]:
    areas = area_limits()
    grouped = []
    for plan in db.session.scalars(select(Plan).order_by(Plan.code)):
        mine = [p for p in sorted(plan.projects, key=lambda p: p.code)
                if project_in_areas(p, areas)]
        if mine:
            grouped.append((plan, mine))
    return grouped


def _survey_allowed(survey: Survey, areas: tuple[str, ...]) -> bool:
    """A survey's public results speak for its whole department (a survey of no plan: for
    everywhere), like plan-wide edits."""
    if not areas:
        return True
    plan = db.session.get(Plan, survey.plan_id) if survey.plan_id else None
    return plan is not None and plan_allowed(plan, areas)


@bp.get("/portal")
@requires("publish")
def portal():
    areas = area_limits()
    surveys = [s for s in db.session.scalars(select(Survey).order_by(Survey.code))
               if _survey_allowed(s, areas)]
    projects = {p.id: p for _plan, ps in _projects() for p in ps}
    return render_template("console/portal.html", surveys=surveys, public=public_survey_ids(),
                           updates=updates_for(area_limits()), projects=projects,
                           lang=content_language(),
                           k=current_app.config["WILLAY"].get("PORTAL_K", 5))


@bp.post("/portal/surveys/<int:survey_id>")
@requires("publish")
def portal_survey(survey_id: int):
    survey = db.session.get(Survey, survey_id) or abort(404)
    if not _survey_allowed(survey, area_limits()):
        abort(403)
    data, errors = PublicFlagSchema().load_form(request.form)
    if errors:
        abort(400)
    if set_survey_public(survey, data["public"], by=current_user):
        flash(_("The results of %(survey)s are now public in the portal.", survey=survey.code)
              if data["public"] else
              _("The results of %(survey)s are no longer public.", survey=survey.code))
    return redirect(url_for("console.portal"))


def _update_page(update: PublicUpdate | None, form, errors: dict, status: int = 200):
    return render_template("console/public_update_form.html", update=update, form=form,
                           errors=errors, projects=_projects(),
                           lang=content_language()), status


def _form_of(update: PublicUpdate) -> dict:
    return {"project_id": str(update.project_id), "on_date": update.on_date.isoformat(),
            "title_es": update.title_es, "title_qu": update.title_qu,
            "body_es": update.body_es, "body_qu": update.body_qu,
            "receipts": " ".join(answered_receipts(update))}


def _save(update: PublicUpdate | None):
    data, errors = PublicUpdateSchema().load_form(request.form)
    if not errors:
        try:
            saved = save_update(update, UpdateData(**data), request.files.get("photo"),
                                by=current_user, areas=area_limits())
        except AuthoringError as err:
            errors = {err.field: [err.message]}
        except OutsideAreas:
            abort(403)
        else:
            flash(_("Public update saved. It shows on the project's public page."))
            return redirect(url_for("console.public_update", update_id=saved.id))
    return _update_page(update, request.form, errors, 422)


@bp.route("/portal/updates/new", methods=["GET", "POST"])
@requires("publish")
def public_update_new():
    if request.method == "POST":
        return _save(None)
    return _update_page(None, {"project_id": request.args.get("project", "")}, {})


@bp.route("/portal/updates/<int:update_id>", methods=["GET", "POST"])
@requires("publish")
def public_update(update_id: int):
    update = db.session.get(PublicUpdate, update_id) or abort(404)
    if not project_in_areas(db.session.get(Project, update.project_id), area_limits()):
        abort(404)
    if request.method == "POST":
        return _save(update)
    return _update_page(update, _form_of(update), {})


@bp.post("/portal/updates/<int:update_id>/delete")
@requires("publish")
def public_update_delete(update_id: int):
    update = db.session.get(PublicUpdate, update_id) or abort(404)
    try:
        delete_update(update, by=current_user, areas=area_limits())
    except OutsideAreas:
        abort(404)
    flash(_("Public update deleted."))
    return redirect(url_for("console.portal"))


@bp.post("/submissions/<int:submission_id>/publishable")
@requires("publish")
def submission_publishable(submission_id: int):
    submission: Submission = get_visible(submission_id, area_limits()) or abort(404)
    data, errors = PublishableSchema().load_form(request.form)
    if errors:
        abort(400)
    try:
        if set_publishable(submission, data["question"], data["publishable"], by=current_user):
            flash(_("This answer may now be quoted in the portal, without contact details "
                    "or exact location.") if data["publishable"] else
                  _("This answer is no longer quoted in the portal."))
    except AuthoringError as err:
        flash(err.message, "error")
    return redirect(url_for("console.submission", submission_id=submission_id) + "#answers-h")
