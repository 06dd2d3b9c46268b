"""Console pages for a version's files: upload (several at once), replace and remove on a
draft, download on any version; and the original XLSForm and its XForm."""

from __future__ import annotations

import io
import re

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..attachments.responses import stored_file_response
from ..survey_files.checks import MB, FileRefused
from ..survey_files.services import attach_files, remove_file
from ..surveys.models import Survey, SurveyVersion
from ..surveys.services import get_survey
from .access import requires
from .blueprint import bp

UPLOAD_TOTAL_BYTES = 64 * MB  # several files of at most 20 MB each in one form
PROMPT_BYTES = 20 * MB
MAX_FILES_PER_UPLOAD = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LARGE_BODIES = {"console.survey_files_upload": UPLOAD_TOTAL_BYTES,
                "console.survey_prompt_record": PROMPT_BYTES}


@bp.url_value_preprocessor
def _allow_large_files(endpoint: str | None, _values: dict | None) -> None:
    """Runs before the CSRF check reads the form, so the file pages may receive more than
    the app-wide limit (the JSON batch size)."""
    if endpoint in LARGE_BODIES:
        request.max_content_length = LARGE_BODIES[endpoint]


def version_or_404(code: str, number: int) -> tuple[Survey, SurveyVersion]:
    survey = get_survey(code)
    version = next((v for v in survey.versions if v.number == number), None) if survey else None
    if version is None:
        abort(404)
    return survey, version


def _basename(name: str) -> str:
    """A file name as a browser gave it (some send the whole path), without control
    characters."""
    return re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()


def _back(code: str, number: int) -> str:
    return url_for("console.survey_preview", code=code, number=number) + "#files"


@bp.post("/surveys/<code>/versions/<int:number>/files")
@requires("surveys")
def survey_files_upload(code: str, number: int):
    _survey, version = version_or_404(code, number)
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if not uploads:
        flash(_("Choose one or more files."), "error")
        return redirect(_back(code, number))
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        flash(ngettext("Upload at most %(count)s file at once.",
                       "Upload at most %(count)s files at once.", MAX_FILES_PER_UPLOAD,
                       count=MAX_FILES_PER_UPLOAD), "error")
        return redirect(_back(code, number))
    try:
        kept, refused = attach_files(
            version, [(_basename(f.filename), f.stream) for f in uploads], current_user)
    except FileRefused as err:
        flash(str(err), "error")
        return redirect(_back(code, number))
    if kept:
        flash(_("Saved: %(names)s.", names=", ".join(kept)))
    for message in refused:
        flash(message, "error")
    return redirect(_back(code, number))


@bp.post("/surveys/<code>/versions/<int:number>/files/<name>/remove")
@requires("surveys")
def survey_file_remove(code: str, number: int, name: str):
    _survey, version = version_or_404(code, number)
    try:
        removed = remove_file(version, name, current_user)
    except FileRefused as err:
        flash(str(err), "error")
        return redirect(_back(code, number))
    if not removed:
        abort(404)
    flash(_("%(name)s was removed.", name=name))
    return redirect(_back(code, number))


@bp.get("/surveys/<code>/versions/<int:number>/files/<name>")
@requires("surveys")
def survey_file(code: str, number: int, name: str):
    """A file of the version, inline (for the page's players and the live preview) or, with
    ?download=1, as a download."""
    _survey, version = version_or_404(code, number)
    row = next((f for f in version.files if f.name == name), None)
    if row is None:
        abort(404)
    download = request.args.get("download") == "1"
    response = stored_file_response(row.sha256, row.content_type, etag=row.sha256,
                                    as_attachment=download, download_name=row.name, max_age=0)
    if response is None:
        abort(404)
    response.cache_control.private = True
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/surveys/<code>/versions/<int:number>/source")
@requires("surveys")
def survey_source(code: str, number: int):
    _survey, version = version_or_404(code, number)
    if not version.source_bytes:
        abort(404)
    name = _basename(version.source_name or "") or f"{code}-v{number}.xlsx"
    mimetype = "application/json" if name.lower().endswith(".json") else XLSX
    return _download(version.source_bytes, name, mimetype)


@bp.get("/surveys/<code>/versions/<int:number>/xform")
@requires("surveys")
def survey_xform(code: str, number: int):
    _survey, version = version_or_404(code, number)
    if not version.xform:
        abort(404)
    return _download(version.xform.encode(), f"{code}-v{number}.xml",
                     "application/xml")


def _download(data: bytes, name: str, mimetype: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=name, max_age=0)
    response.cache_control.private = True
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
