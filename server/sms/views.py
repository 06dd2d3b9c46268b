"""Webhook endpoints of the SMS gateways (docs/api.md, "SMS webhooks"). They live outside
/api/v1: gateways, not Willay's apps, call them; errors are still the API's JSON."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from ..api.errors import ApiError
from ..extensions import db
from .channel import PayloadError, SignatureError
from .conversation import close_abandoned
from .gateways import CHANNELS, channel
from .inbox import process_number, record
from .outbox import send_due

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")


@bp.post("/webhook/<name>")
def webhook(name: str):
    gateway = channel(name) if name in CHANNELS else None
    if gateway is None:
        raise ApiError(404, "not_found", _("Not found."))
    body = request.get_data(cache=False)
    try:
        messages = gateway.parse(request.headers, body)
    except SignatureError as exc:
        log.warning("SMS webhook %s refused: %s", name, exc)
        raise ApiError(401, "signature_invalid", _(
            "The signature of this message is not valid or too old.")) from exc
    except PayloadError as exc:
        raise ApiError(422, "invalid", _("Some data is not valid."), {"payload": str(exc)}) \
            from exc
    counts = {"stored": 0, "duplicate": 0, "ignored": 0}
    numbers = []
    for sms in messages:
        outcome, digest = record(gateway.name, sms)
        counts[outcome] += 1
        if digest and outcome == "stored":
            numbers.append(digest)
    for digest in dict.fromkeys(numbers):
        # a failure here leaves the message pending, handled by the next webhook or CLI run
        try:
            process_number(digest)
        except Exception:  # noqa: BLE001 - the message is stored; say so to the gateway
            log.exception("SMS from %s… stored but not handled yet", digest[:8])
            db.session.rollback()
    close_abandoned(current_app.config["WILLAY"]["SMS_ABANDON_HOURS"])
    if numbers:
        send_due(limit=20)
    return counts
