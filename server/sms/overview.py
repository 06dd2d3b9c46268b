"""What the console shows about SMS: the gateway's last contact, the queue, the surveys open
to SMS, and one submission's conversation (for roles allowed personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..surveys.models import Survey
from .labels import state_label
from .models import SmsConversation, SmsInbound, SmsOutgoing, SmsSurveySettings
from .phones import masked
from .texts import folded


@dataclass(frozen=True)
class GatewayStatus:
    send_channel: str
    url: str
    login: str
    has_password: bool
    signing_key_set: bool
    generic_set: bool
    last_received: datetime | None
    last_sent: datetime | None
    queue: dict[str, int]
    failures: list[tuple[datetime, str, str]]  # when, kind, error


def gateway_status() -> GatewayStatus:
    settings = current_app.config["WILLAY"]
    counts = dict(db.session.execute(select(SmsOutgoing.status, func.count())
                                     .group_by(SmsOutgoing.status)).all())
    failures = db.session.execute(
        select(SmsOutgoing.created_at, SmsOutgoing.kind, SmsOutgoing.last_error)
        .where(SmsOutgoing.last_error.is_not(None))
        .order_by(SmsOutgoing.id.desc()).limit(10)).all()
    return GatewayStatus(
        send_channel=settings["SMS_SEND_CHANNEL"], url=settings["SMS_GATEWAY_URL"],
        login=settings["SMS_GATEWAY_LOGIN"], has_password=bool(settings["SMS_GATEWAY_PASSWORD"]),
        signing_key_set=bool(settings["SMS_GATEWAY_SIGNING_KEY"]),
        generic_set=bool(settings["SMS_GENERIC_SECRET"]),
        last_received=db.session.scalar(select(func.max(SmsInbound.arrived_at))),
        last_sent=db.session.scalar(select(func.max(SmsOutgoing.sent_at))),
        queue={s: counts.get(s, 0) for s in ("queued", "sending", "sent", "failed")},
        failures=[tuple(f) for f in failures])


def survey_rows() -> list[tuple[Survey, SmsSurveySettings | None]]:
    settings = {s.survey_id: s for s in db.session.scalars(select(SmsSurveySettings))}
    surveys = db.session.scalars(select(Survey).where(Survey.archived.is_(False))
                                 .order_by(Survey.code))
    return [(s, settings.get(s.id)) for s in surveys]


def keywords_text(settings: SmsSurveySettings | None) -> str:
    if settings is None:
        return ""
    # a stable order whatever the database kept (PostgreSQL's JSONB sorts keys its own way):
    # the keywords of any language first, then alphabetically
    words = sorted((settings.keywords or {}).items(), key=lambda kv: (kv[1] is not None, kv[0]))
    return ", ".join(f"{k}={v}" if v else k for k, v in words)


def parse_keywords(text: str) -> dict[str, str | None]:
    """'OPINION, RIMAY=qu' -> {'OPINION': None, 'RIMAY': 'qu'}."""
    out: dict[str, str | None] = {}
    for part in text.replace(";", ",").split(","):
        word, _sep, language = part.partition("=")
        if folded(word):
            out[folded(word)] = language.strip().lower() or None
    return out


@dataclass(frozen=True)
class Line:
    at: datetime  # when the server received it, or queued it (one clock for both)
    incoming: bool
    text: str
    note: str  # what went unusually (late, over a limit, not sent…), in words; "" if nothing


def conversation_for(submission_uuid: Any) -> tuple[SmsConversation | None, str, list[Line]]:
    """The conversation that made a submission, the number masked, and its messages in the
    order the server handled them. The gateway phone's clock (an incoming message's
    `received_at`) can be minutes off the server's, so it is not used to interleave."""
    conv = db.session.scalars(select(SmsConversation).where(
        SmsConversation.submission_uuid == submission_uuid)).first()
    if conv is None:
        return None, "", []
    from .models import SmsContact

    contact = db.session.get(SmsContact, conv.number_hash)
    lines = [(m.arrived_at, 0, m.id, Line(m.arrived_at, True, m.text, state_label(m.status)))
             for m in db.session.scalars(
                 select(SmsInbound).where(SmsInbound.conversation_id == conv.id))]
    lines += [(o.created_at, 1, o.id, Line(o.created_at, False, o.text,
                                           state_label(o.status)))
              for o in db.session.scalars(
                  select(SmsOutgoing).where(SmsOutgoing.conversation_id == conv.id))]
    lines.sort(key=lambda row: row[:3])
    return conv, masked(contact.number) if contact else "", [row[3] for row in lines]
