"""Media clean-up from the console (admins): start it as a background job, as a dry run
first, follow its progress, read its report. The work is server/attachments/cleanup.py."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from ..api.errors import translate_errors
from ..extensions import db
from ..jobs.models import Job
from ..jobs.services import request_job, start
from .access import requires
from .blueprint import bp
from .job_status import status_json

RECENT = 5


class CleanupFormSchema(Schema):
    dry_run = fields.Boolean(load_default=False, truthy={"on", "1", "true"})
    grace_days = fields.Integer(required=True, validate=validate.Range(min=1, max=3650))


@bp.route("/media-cleanup", methods=["GET", "POST"])
@requires("maintenance")
def media_cleanup():
    if request.method == "GET":
        return _page()
    try:
        choice = CleanupFormSchema().load(
            {k: v for k, v in request.form.items() if k in ("dry_run", "grace_days")})
    except ValidationError as err:
        return _page(translate_errors(err.messages)), 400
    running = _live()
    if running is not None:
        flash(_("A media clean-up is already under way: follow it below."), "warning")
        return redirect(url_for("console.media_cleanup", _anchor=f"job-{running.id}"), 303)
    job, _created = request_job("media_cleanup", {**choice, "actor": current_user.email},
                                user=current_user, shared=False)
    start(job)
    return redirect(url_for("console.media_cleanup", _anchor=f"job-{job.id}"), 303)


@bp.route("/media-cleanup/jobs/<int:job_id>")
@requires("maintenance")
def media_cleanup_status(job_id: int):
    job = db.get_or_404(Job, job_id)
    if job.kind != "media_cleanup":
        return jsonify({"error": "not_found"}), 404
    response = jsonify(status_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response


def _live() -> Job | None:
    return db.session.scalar(select(Job).where(
        Job.kind == "media_cleanup", Job.status.in_(("queued", "running"))).limit(1))


def _page(errors: dict | None = None):
    jobs = list(db.session.scalars(select(Job).where(Job.kind == "media_cleanup")
                                   .order_by(Job.id.desc()).limit(RECENT)))
    return render_template("console/media_cleanup.html", jobs=jobs, errors=errors or {},
                           grace_days=current_app.config["WILLAY"]["MEDIA_GRACE_DAYS"],
                           status_json=status_json)
