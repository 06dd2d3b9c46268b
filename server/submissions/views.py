from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext

from ..api.auth import APP_VERSION_HEADER, current_client
from ..api.errors import ApiError
from ..api.http import json_body
from ..api.json_provider import json_response
from ..extensions import limiter
from ..i18n import content_language
from ..portal.services import public_update_link
from .ingest import ingest
from .receipts import find_receipt
from .schemas import (
    BatchSchema,
    ReceiptSchema,
    StatusRequestSchema,
    StatusResultSchema,
)
from .status import held_status

bp = Blueprint("submissions", __name__, url_prefix="/api/v1")
BATCH = BatchSchema()


@bp.post("/submissions")
def post_submissions():
    client = current_client()
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(422, "invalid", _("Send an object with a list “submissions”."))
    items = BATCH.load(body)["submissions"] if "submissions" in body else None
    if items is None:
        raise ApiError(422, "invalid", _("Send an object with a list “submissions”."))
    limit = current_app.config["WILLAY"]["MAX_BATCH_ITEMS"]
    if len(items) > limit:
        raise ApiError(413, "too_large", ngettext(
            "Send at most %(max)s submission at a time.",
            "Send at most %(max)s submissions at a time.", limit, max=limit), {"max_items": limit})
    outcomes = ingest(client, items, content_language(),
                      request.headers.get(APP_VERSION_HEADER))
    # each outcome has BatchResultSchema's fields already (the schema documents the answer)
    return json_response({"results": [vars(o) for o in outcomes]})


@bp.post("/submissions/status")
def post_status():
    client = current_client()
    data = StatusRequestSchema().load(json_body())
    return StatusResultSchema().dump({"submissions": held_status(client, data["uuids"])})


def _receipt_limit() -> str:
    return current_app.config["WILLAY"]["RATELIMIT_RECEIPTS"]


@bp.get("/receipts/<code>")
@limiter.limit(_receipt_limit)
def get_receipt(code: str):
    view = find_receipt(code, content_language())
    if view is None:
        raise ApiError(404, "receipt_unknown", _(
            "We could not find that receipt code. Check it and try again."))
    return ReceiptSchema().dump({**vars(view), "public_update": public_update_link(view.receipt)})
