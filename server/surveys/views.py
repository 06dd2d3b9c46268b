from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from ..api.auth import current_client
from ..api.errors import ApiError
from ..api.http import cached_json
from ..attachments.responses import stored_file_response
from ..jsonutil import digest
from .schemas import SurveyDetailSchema, SurveyListSchema, summary
from .services import get_survey, published_version, surveys_for_client, version_file

bp = Blueprint("surveys", __name__, url_prefix="/api/v1/surveys")
MAX_VERSION = 1_000_000  # larger numbers cannot exist and overflow SQLite's integers


def _refuse_closed_link(client) -> None:  # noqa: ANN001
    if client.channel == "public" and (client.survey.archived or
                                       not client.survey.public_link_open):
        raise ApiError(410, "link_closed", _("This form is closed. Thank you for your interest."))


@bp.get("")
def list_surveys():
    client = current_client()
    _refuse_closed_link(client)
    fillable = surveys_for_client(client.channel, client.survey, client.device_id)
    items = [summary(s, v) for s, v in fillable]
    payload = SurveyListSchema().dump({"surveys": items})
    return cached_json(payload, digest(payload))


def _fillable(code: str):
    client = current_client()
    _refuse_closed_link(client)
    for survey, version in surveys_for_client(client.channel, client.survey, client.device_id):
        if survey.code == code:
            return survey, version
    raise ApiError(404, "not_found", _("This survey does not exist or is not open to you."))


@bp.get("/<code>")
def get_latest(code: str):
    survey, version = _fillable(code)
    payload = SurveyDetailSchema().dump(
        summary(survey, version) | {"definition": version.definition}
    )
    return cached_json(payload, version.digest)


def _published(code: str, number: int):
    """A published version this client may fill, by number (older ones included: a phone
    finishes drafts on the version they were started with). A closed link still reads it."""
    client = current_client()
    survey = get_survey(code)
    version = published_version(survey, number) if survey and number <= MAX_VERSION else None
    if survey is None or version is None or not client.may_fill(survey.id):
        raise ApiError(404, "not_found", _("This survey does not exist or is not open to you."))
    return survey, version


@bp.get("/<code>/versions/<int:number>")
def get_version(code: str, number: int):
    """An older published version, for a device finishing drafts started on it."""
    survey, version = _published(code, number)
    payload = SurveyDetailSchema().dump(
        summary(survey, version) | {"definition": version.definition}
    )
    return cached_json(payload, version.digest, max_age=86400)


@bp.get("/<code>/versions/<int:number>/files/<name>")
def get_version_file(code: str, number: int, name: str):
    """A file of a published version (a choice list, a label's image, audio or video).
    Its content never changes under this address: cached for good, revalidated by hash."""
    _survey, version = _published(code, number)
    row = version_file(version, name)
    if row is not None and request.if_none_match.contains(row.sha256):
        response = current_app.response_class(status=304)
    else:
        response = stored_file_response(row.sha256, row.content_type, conditional=False) \
            if row is not None else None
    if response is None:
        raise ApiError(404, "file_not_found", _("This survey version has no such file."))
    response.set_etag(row.sha256)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
