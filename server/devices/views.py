from __future__ import annotations

from flask import Blueprint, current_app
from flask_babel import gettext as _

from ..api.errors import ApiError
from ..api.http import json_body
from ..extensions import limiter
from ..web.compression import compressed
from .first_day import first_day
from .schemas import PairRequestSchema, PairResponseSchema
from .services import PairingError, pair

bp = Blueprint("devices", __name__, url_prefix="/api/v1/devices")


def _pair_limit() -> str:
    return current_app.config["WILLAY"]["RATELIMIT_PAIRING"]


@bp.post("/pair")
@limiter.limit(_pair_limit)
@compressed(repeated=False)  # carries the definitions; nginx gzips only 200s, not this 201
def pair_device():
    data = PairRequestSchema().load(json_body())
    try:
        device, token = pair(data["code"])
    except PairingError as err:
        if err.reason == "used":
            raise ApiError(409, "pairing_code_used", _(
                "This code was already used. Ask your coordinator for a new one.")) from err
        if err.reason == "expired":
            raise ApiError(409, "pairing_code_expired", _(
                "This pairing code has expired. Ask your coordinator for a new one.")) from err
        raise ApiError(404, "pairing_code_unknown", _(
            "We do not know this code. Check it and try again.")) from err
    body = {"token": token, "device": {"id": device.id, "label": device.label,
                                       "promoter": device.promoter_name},
            **first_day(device)}
    return PairResponseSchema().dump(body), 201
