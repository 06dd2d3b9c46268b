"""The export page: choose survey, format, labels, filters, personal data and media; the file
streams back as it is written."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.http import dump_options_header

from ..api.errors import translate_errors
from ..audit.models import AuditEvent
from ..exports.options import FORMATS, LABELS, ExportFormSchema, ExportOptions
from ..exports.questions import content_languages
from ..exports.services import ExportError, start_export
from ..extensions import db
from ..i18n import content_language
from ..review.filter_options import FIELD_LABELS, filter_options
from ..submissions.filters import SubmissionFilter
from .access import area_limits, can, requires
from .blueprint import bp

FORM_SCHEMA = ExportFormSchema()
RECENT = 10


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
        download = start_export(options, user=current_user, personal_allowed=can("personal"))
    except ExportError as err:
        return _page(form, {"survey": [str(err)]}), 400
    disposition = dump_options_header("attachment", {"filename": download.filename})
    return Response(stream_with_context(download.chunks), mimetype=download.mimetype,
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store",
                             "X-Accel-Buffering": "no"})


def _page(values: Any, errors: dict | None = None) -> str:
    areas = area_limits()
    place = values.get("place") if isinstance(values.get("place"), str) else None
    recent = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export",
                                 AuditEvent.user_id == current_user.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(RECENT)).all()
    return render_template(
        "console/exports.html", values=values, errors=errors or {}, recent=recent,
        options=filter_options(content_language(), areas, place), areas=areas,
        formats=tuple(FORMATS), labels=LABELS, field_labels=FIELD_LABELS,
        other_languages=content_languages())
