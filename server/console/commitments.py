"""Commitments in the console: the list, one commitment with its dated progress updates
(evidence: a file or a link), creating and editing them, and the plan's commitments CSV
import (all or nothing)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..attachments.responses import stored_file_response
from ..commitments.areas import project_allowed
from ..commitments.errors import FieldError
from ..commitments.importer import CommitmentImportError, import_commitments
from ..commitments.models import Actor, Commitment, CommitmentUpdate
from ..commitments.services import (
    add_update,
    commitment_project,
    create_commitment,
    delete_commitment,
    delete_update,
    get_commitment,
    update_commitment,
)
from ..commitments.status import OPEN, effective_status, late_clause
from ..extensions import db
from ..plans import editing
from ..plans.models import Project
from .access import area_limits, can, requires
from .blueprint import bp
from .commitment_labels import status_labels
from .commitment_schemas import CommitmentQuerySchema, CommitmentSchema, UpdateSchema, creating
from .plans import _first, _plan_or_404, _plan_page
from .plans_import import ValidationError, read_upload


def _actor_options() -> list[tuple[str, str]]:
    return [(a.code, a.name_es) for a in db.session.scalars(select(Actor).order_by(Actor.name_es))]


@bp.get("/commitments")
@requires("plans_view")
def commitments():
    query, errors = CommitmentQuerySchema().load_form(request.args)
    stmt = select(Commitment, Actor, Project).join(Actor, Actor.id == Commitment.actor_id).join(
        Project, Project.id == Commitment.project_id).order_by(
        Commitment.due_date, Commitment.code)
    if query.get("actor"):
        stmt = stmt.where(Actor.code == query["actor"])
    status = query.get("status")
    if status == "late":
        stmt = stmt.where(late_clause())
    elif status in OPEN:
        stmt = stmt.where(Commitment.status == status, ~late_clause())
    elif status:
        stmt = stmt.where(Commitment.status == status)
    rows = [] if errors else db.session.execute(stmt).all()
    return render_template("console/commitments.html", rows=rows, effective=effective_status,
                           statuses=status_labels(), actors=_actor_options(), query=query,
                           errors=errors), 400 if errors else 200


def _commitment_or_404(code: str) -> Commitment:
    commitment = get_commitment(code)
    if commitment is None:
        abort(404)
    return commitment


def _form(project: Project, commitment: Commitment | None, errors: dict, status: int):
    return render_template("console/commitment_form.html", project=project,
                           commitment=commitment, form=request.form, errors=errors,
                           actors=_actor_options(), statuses=status_labels()), status


@bp.route("/plans/<code>/projects/<project_code>/commitments/new", methods=["GET", "POST"])
@requires("plans_edit")
def commitment_new(code: str, project_code: str):
    plan = _plan_or_404(code)
    project = editing.get_project(plan, project_code)
    if project is None:
        abort(404)
    errors: dict = {}
    if request.method == "POST":
        data, errors = creating(CommitmentSchema).load_form(request.form)
        if not errors:
            try:
                made = create_commitment(project, data, current_user, area_limits())
            except FieldError as exc:
                db.session.rollback()
                errors = exc.as_errors()
            else:
                flash(_("Commitment saved."))
                return redirect(url_for("console.commitment", code=made.code))
    return _form(project, None, errors, 422 if errors else 200)


def _page(commitment: Commitment, errors: dict | None = None, status: int = 200):
    project = commitment_project(commitment)
    return render_template(
        "console/commitment.html", commitment=commitment, project=project,
        actor=db.session.get(Actor, commitment.actor_id), status_now=effective_status(commitment),
        statuses=status_labels(), form=request.form, errors=errors or {},
        may_edit=can("plans_edit") and project_allowed(project, area_limits())), status


@bp.get("/commitments/<code>")
@requires("plans_view")
def commitment(code: str):
    return _page(_commitment_or_404(code))


@bp.route("/commitments/<code>/edit", methods=["GET", "POST"])
@requires("plans_edit")
def commitment_edit(code: str):
    commitment = _commitment_or_404(code)
    project = commitment_project(commitment)
    errors: dict = {}
    if request.method == "POST":
        data, errors = CommitmentSchema().load_form(request.form)
        if not errors:
            try:
                update_commitment(commitment, data, current_user, area_limits())
            except FieldError as exc:
                db.session.rollback()
                errors = exc.as_errors()
            else:
                flash(_("Changes saved."))
                return redirect(url_for("console.commitment", code=commitment.code))
    return _form(project, commitment, errors, 422 if errors else 200)


@bp.post("/commitments/<code>/updates")
@requires("plans_edit")
def commitment_progress(code: str):
    commitment = _commitment_or_404(code)
    data, errors = UpdateSchema().load_form(request.form)
    if not errors:
        try:
            add_update(commitment, data, request.files.get("evidence"), current_user,
                       area_limits())
        except FieldError as exc:
            db.session.rollback()
            errors = exc.as_errors()
        else:
            flash(_("Progress update added."))
            return redirect(url_for("console.commitment", code=commitment.code))
    return _page(commitment, errors, 422)


@bp.get("/commitments/<code>/evidence/<int:update_id>")
@requires("plans_view")
def commitment_evidence(code: str, update_id: int):
    commitment = _commitment_or_404(code)
    update = db.session.get(CommitmentUpdate, update_id)
    if update is None or update.commitment_id != commitment.id or not update.evidence_sha256:
        abort(404)
    response = stored_file_response(update.evidence_sha256, update.evidence_type or
                                    "application/octet-stream", etag=update.evidence_sha256,
                                    max_age=3600, download_name=update.evidence_name or "evidence",
                                    as_attachment=True)
    if response is None:
        abort(404)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/plans/<code>/commitments/import")
@requires("plans_edit")
def commitment_import(code: str):
    plan = _plan_or_404(code)
    try:
        data = read_upload(request.files)
        upload = request.files["file"]
        result = import_commitments(plan, data, current_user, area_limits(),
                                    upload.filename or "")
    except ValidationError as exc:
        return _plan_page(plan, commitment_upload_error=_first(exc.messages)), 400
    except CommitmentImportError as exc:
        return _plan_page(plan, commitment_errors=exc.errors), 400
    flash(_("Commitments imported: %(created)s new, %(updated)s updated.",
            created=len(result.created), updated=len(result.updated)))
    return redirect(url_for("console.plan", code=plan.code))


def confirmed() -> bool:
    """A delete button sends confirm=yes; anything else (a bare post) deletes nothing."""
    return request.form.get("confirm") == "yes"


@bp.post("/commitments/<code>/delete")
@requires("plans_edit")
def commitment_delete(code: str):
    commitment = _commitment_or_404(code)
    if not confirmed():
        return _page(commitment, {"_form": [_("Press the delete button to confirm.")]}, 400)
    project = commitment_project(commitment)
    delete_commitment(commitment, current_user, area_limits())
    flash(_("Commitment deleted."))
    return redirect(url_for("console.project", code=project.plan.code, project_code=project.code))


@bp.post("/commitments/<code>/updates/<int:update_id>/delete")
@requires("plans_edit")
def commitment_update_delete(code: str, update_id: int):
    commitment = _commitment_or_404(code)
    update = db.session.get(CommitmentUpdate, update_id)
    if update is None or update.commitment_id != commitment.id:
        abort(404)
    if not confirmed():
        return _page(commitment, {"_form": [_("Press the delete button to confirm.")]}, 400)
    delete_update(update, current_user, area_limits())
    flash(_("Progress update deleted."))
    return redirect(url_for("console.commitment", code=commitment.code))
