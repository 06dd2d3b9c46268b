"""The export page: choose survey, format, labels, filters, personal data and media. Asking
starts a background job (server/jobs) shared with anyone asking for the same export; the
page shows its progress and the coordinator downloads the file from "your recent exports"
while it is kept (WILLAY_EXPORT_KEEP_DAYS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from marshmallow import ValidationError

from ..api.errors import translate_errors
from ..db_types import utcnow
from ..exports.options import FORMATS, LABELS, ExportFormSchema, ExportOptions
from ..exports.questions import content_languages
from ..exports.services import ExportError
from ..extensions import db
from ..i18n import content_language
from ..jobs.export_job import record_download, request_export
from ..jobs.models import Job
from ..review.filter_options import FIELD_LABELS, filter_options
from ..submissions.filters import SubmissionFilter
from .access import area_limits, can, requires
from .blueprint import bp
from .export_queries import recent_exports, requested_by, survey_choices
from .job_status import status_json

FORM_SCHEMA = ExportFormSchema()


@bp.route("/exports", methods=["GET", "POST"])
@requires("export")
def exports():
    if request.method == "GET":
        return _page(request.args)
    form = request.form
    try:
        choice = FORM_SCHEMA.load(form)
        submission_filter = SubmissionFilter.from_args(form, areas=area_limits())
    except ValidationError as err:
        return _page(form, translate_errors(err.messages)), 400
    options = ExportOptions(submission_filter, **choice)
    try:
        job = request_export(options, user=current_user, personal_allowed=can("personal"))
    except ExportError as err:
        db.session.rollback()
        return _page(form, {"survey": [str(err)]}), 400
    days = current_app.config["WILLAY"]["EXPORT_KEEP_DAYS"]
    flash(ngettext("Your export is being prepared. It stays in your recent exports for "
                   "%(num)s day.", "Your export is being prepared. It stays in your recent "
                   "exports for %(num)s days.", days))
    return redirect(url_for("console.exports", job=job.id, _anchor=f"job-{job.id}"), 303)


@bp.route("/exports/jobs/<int:job_id>")
@requires("export")
def export_status(job_id: int):
    """The progress of one of this user's exports (polled by the page)."""
    job = _own_job(job_id)
    response = jsonify(status_json(job, url_for("console.export_download", job_id=job.id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/exports/jobs/<int:job_id>/download")
@requires("export")
def export_download(job_id: int):
    job = _own_job(job_id)
    kept = (job.status == "done" and job.file_path and Path(job.file_path).is_file()
            and (job.expires_at is None or job.expires_at > utcnow()))
    if not kept:
        flash(_("This export is no longer available. Ask for it again."), "error")
        return redirect(url_for("console.exports"), 303)
    record_download(job, current_user)
    response = send_file(job.file_path, mimetype=job.mimetype, as_attachment=True,
                         download_name=job.file_name, max_age=0, conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response


def _own_job(job_id: int) -> Job:
    """Only those who asked for an export see it (its file may hold personal data)."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != "export" or not requested_by(job, current_user):
        abort(404)
    return job


def _page(values: Any, errors: dict | None = None) -> str:
    areas = area_limits()
    place = values.get("place") if isinstance(values.get("place"), str) else None
    lang = content_language()
    options = filter_options(lang, areas, place)
    options["surveys"] = survey_choices(lang, areas)
    return render_template(
        "console/exports.html", values=values, errors=errors or {},
        recent=recent_exports(current_user), options=options, areas=areas,
        formats=tuple(FORMATS), labels=LABELS, field_labels=FIELD_LABELS,
        other_languages=content_languages(), status_json=status_json)
