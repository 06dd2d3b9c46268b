"""Console pages for surveys: list, upload (XLSForm or JSON) into a draft, bilingual
preview, publication, versions, public link and QR poster, assignment to devices."""

from __future__ import annotations

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from ..i18n import content_language
from ..survey_files.checks import LIMITS
from ..survey_files.services import carry_files, file_states, missing_files
from ..surveys.definition import validate_definition
from ..surveys.files import version_file_problems
from ..surveys.models import Survey, SurveyVersion
from ..surveys.services import (
    DefinitionInvalid,
    assign_devices,
    assigned_device_ids,
    change_public_link,
    get_survey,
    publish_with_audit,
    save_uploaded_draft,
)
from ..xlsform import ImportProblem, ImportResult, import_file
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import area_limits, requires
from .blueprint import bp
from .survey_forms import DevicesSchema, LinkActionSchema, PosterSchema, UploadSchema
from .survey_live import live_preview  # with the routes of a version's files and prompts
from .survey_preview import build_preview
from .survey_queries import (
    assignable_devices,
    public_url,
    submission_counts_by_version,
    survey_rows,
)

UPLOAD_MAX_BYTES = 1024 * 1024  # XLSForms are tens of KB; above the app limit: 413


def _upload_limit() -> int:
    return min(UPLOAD_MAX_BYTES, current_app.config.get("MAX_CONTENT_LENGTH") or UPLOAD_MAX_BYTES)


def _survey_or_404(code: str) -> Survey:
    survey = get_survey(code)
    if survey is None:
        abort(404)
    return survey


def _version_or_404(survey: Survey, number: int) -> SurveyVersion:
    version = next((v for v in survey.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.get("/surveys")
@requires("surveys")
def surveys():
    return render_template("console/surveys.html", rows=survey_rows(area_limits()),
                           lang=content_language())


@bp.get("/surveys/upload")
@requires("surveys")
def survey_upload_form():
    return render_template("console/survey_upload.html", result=None, code=None,
                           limit_mb=_upload_limit() / (1024 * 1024), field_errors={})


@bp.post("/surveys/upload")
@requires("surveys")
def survey_upload():
    limit = _upload_limit()
    data, field_errors = UploadSchema().load_form(request.form)
    result = _import_upload(limit)
    code = data.get("code") or result.code
    if code == "upload":  # the form_id of the XLSForm goes through the same check
        field_errors = {"code": [_("Not a valid value.")]}
    version = None
    if not field_errors and result.readable:
        if code is None:
            result.problems.insert(0, ImportProblem(_(
                "Give the survey a code (in the XLSForm: form_id on the settings sheet).")))
        else:
            version = save_uploaded_draft(code, result.definition, user=current_user,
                                          for_promoters=data.get("for_promoters", False),
                                          source=(result.source_name, result.source_bytes,
                                                  result.xform))
            carry_files(version)  # files the new spreadsheet still uses stay attached
            # "not among the survey's files" is judged before files come: say instead which
            # files are still to upload on the version page (some may have been carried)
            result.problems = [p for p in result.problems if not _file_problem(p)]
    return render_template("console/survey_upload.html", result=result, version=version,
                           code=code, limit_mb=limit / (1024 * 1024),
                           missing=missing_files(version) if version is not None else [],
                           field_errors=field_errors), 200 if version is not None else 422


def _file_problem(problem: ImportProblem) -> bool:
    """A file the definition names that is not stored (choices_from.file, media.*.*)."""
    path = problem.path or ""
    return problem.is_error and (path.endswith(".file") or ".media." in path)


def _import_upload(limit: int) -> ImportResult:
    """The uploaded file, read (up to `limit` bytes) and converted."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(_("Choose an XLSForm (.xlsx) or JSON file."))
    content = upload.read(limit + 1)
    if len(content) > limit:
        return _refused(_("The uploaded file is too large (at most %(mb)s MB).",
                          mb=f"{limit / (1024 * 1024):g}"))
    return import_file(upload.filename, content)


def _refused(message: str) -> ImportResult:
    return ImportResult(None, problems=[ImportProblem(message)])


@bp.get("/surveys/<code>")
@requires("surveys")
def survey_detail(code: str):
    survey = _survey_or_404(code)
    assigned = assigned_device_ids(survey)
    return render_template(
        "console/survey_detail.html", survey=survey, lang=content_language(),
        versions=list(reversed(survey.versions)),
        counts=submission_counts_by_version(survey, area_limits()),
        link=public_url(survey.public_token) if survey.public_token else None,
        devices=assignable_devices(), assigned=assigned,
        limit_mb=_upload_limit() / (1024 * 1024))


@bp.get("/surveys/<code>/versions/<int:number>")
@requires("surveys")
def survey_preview(code: str, number: int):
    """The version page: its files and downloads, then the live preview (first tab) or
    every text side by side (?tab=texts)."""
    survey = _survey_or_404(code)
    version = _version_or_404(survey, number)
    problems = []
    if version.status == "draft":
        problems, columns = version_file_problems(version)
        problems += validate_definition(version.definition, file_columns=columns)
    tab = "texts" if request.args.get("tab") == "texts" else "try"
    return render_template("console/survey_preview.html", survey=survey, version=version,
                           preview=build_preview(version.definition), problems=problems, tab=tab,
                           live=live_preview(version, request.args.get("lang")),
                           files=file_states(version), upload_limits=LIMITS)


@bp.post("/surveys/<code>/publish")
@requires("surveys")
def survey_publish(code: str):
    survey = _survey_or_404(code)
    draft = survey.versions[-1] if survey.versions else None
    missing = missing_files(draft) if draft is not None and draft.status == "draft" else []
    if missing:  # checked here too, so the message names the files in the console's words
        flash(_("Upload the files this form uses before publishing: %(names)s.",
                names=", ".join(missing)), "error")
        return redirect(url_for("console.survey_preview", code=code, number=draft.number)
                        + "#files")
    try:
        version = publish_with_audit(survey, current_user)
    except DefinitionInvalid as err:
        flash(ngettext("The draft has %(count)s problem: fix it and upload it again.",
                       "The draft has %(count)s problems: fix them and upload it again.",
                       len(err.problems), count=len(err.problems)), "error")
        return redirect(url_for("console.survey_preview", code=code,
                                number=survey.versions[-1].number))
    except ValueError:
        flash(_("There is no draft to publish."), "error")
        return redirect(url_for("console.survey_detail", code=code))
    flash(_("Version %(number)s is published.", number=version.number))
    return redirect(url_for("console.survey_detail", code=code))


@bp.post("/surveys/<code>/link")
@requires("surveys")
def survey_link(code: str):
    survey = _survey_or_404(code)
    data, errors = LinkActionSchema().load_form(request.form)
    if errors:
        flash(_("Not a valid value."), "error")
    else:
        change_public_link(survey, data["action"], current_user)
        flash({"open": _("The public link is open."),
               "close": _("The public link is closed to new forms."),
               "renew": _("The old link no longer works. Share the new one.")}[data["action"]])
    return redirect(url_for("console.survey_detail", code=code) + "#link")


@bp.post("/surveys/<code>/devices")
@requires("surveys")
def survey_devices(code: str):
    survey = _survey_or_404(code)
    data, errors = DevicesSchema().load_form(request.form, lists=("devices",))
    if errors:
        flash(_("Choose devices from the list."), "error")
    else:
        assign_devices(survey, set(data["devices"]), current_user)
        flash(_("The assignment is saved."))
    return redirect(url_for("console.survey_detail", code=code) + "#devices")


@bp.get("/surveys/<code>/poster")
@requires("surveys")
def survey_poster(code: str):
    survey = _survey_or_404(code)
    data, errors = PosterSchema().load_form(request.args)
    if errors:
        abort(404)
    if not survey.public_token or not survey.public_link_open:
        flash(_("Open the public link first."), "error")
        return redirect(url_for("console.survey_detail", code=code) + "#link")
    url = public_url(survey.public_token)
    qr = segno.make(url, error="m").svg_inline(border=2, omitsize=True, title=url)
    lang = data["lang"]
    title = survey.title.get(lang) or next(iter(survey.title.values()), survey.code)
    with force_locale("qu" if lang == "qu" else "es_PE"):
        return render_template("console/survey_poster.html", survey=survey, url=url, qr=qr,
                               title=title, lang=lang)
