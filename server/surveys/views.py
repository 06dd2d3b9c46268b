from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _

from ..api.auth import current_client
from ..api.errors import ApiError
from ..api.http import cached_json
from ..jsonutil import digest
from .schemas import SurveyDetailSchema, SurveyListSchema, summary
from .services import get_survey, published_version, surveys_for_client

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


@bp.get("/<code>/versions/<int:number>")
def get_version(code: str, number: int):
    """An older published version, for a device finishing drafts started on it."""
    client = current_client()
    survey = get_survey(code)
    version = published_version(survey, number) if survey and number <= MAX_VERSION else None
    if survey is None or version is None or not client.may_fill(survey.id):
        raise ApiError(404, "not_found", _("This survey does not exist or is not open to you."))
    payload = SurveyDetailSchema().dump(
        summary(survey, version) | {"definition": version.definition}
    )
    return cached_json(payload, version.digest, max_age=86400)
