"""The durable outgoing queue. A message is a row before anything is sent, so nothing is lost
when the gateway phone is off or the server restarts; sending claims a row, so two workers
never send it twice, and failures wait with an exponential backoff."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..db_types import utcnow
from ..extensions import db
from .channel import Channel, SendError
from .gateways import sender
from .models import SmsContact, SmsOutgoing
from .segments import cost, fold_to_gsm

log = logging.getLogger(__name__)
FIRST_DELAY = 30  # seconds; doubles on each failure
MAX_DELAY = 3600
STALE_CLAIM = timedelta(minutes=10)  # a worker that died while sending


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0


def sms_text(text: str) -> str:
    """What is sent: GSM-7 where that reads faithfully, so more fits in one segment."""
    return fold_to_gsm(text.strip())


def enqueue(number_hash: str, text: str, kind: str, conversation_id: int | None = None,
            submission_id: int | None = None) -> SmsOutgoing:
    """Add a message to the queue in the caller's transaction (sent after it commits)."""
    body = sms_text(text)
    row = SmsOutgoing(number_hash=number_hash, text=body, kind=kind,
                      segments=cost(body).segments, conversation_id=conversation_id,
                      submission_id=submission_id, next_attempt_at=utcnow())
    db.session.add(row)
    return row


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def _claim(row_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(SmsOutgoing).where(SmsOutgoing.id == row_id, SmsOutgoing.status == "queued",
                                  SmsOutgoing.next_attempt_at <= now)
        .values(status="sending", next_attempt_at=now + STALE_CLAIM))
    db.session.commit()
    return result.rowcount == 1


def _release_stale(now: datetime) -> None:
    stale = (SmsOutgoing.status == "sending", SmsOutgoing.next_attempt_at <= now)
    if db.session.scalar(select(SmsOutgoing.id).where(*stale).limit(1)) is None:
        return  # the common case: read only, no write lock taken
    db.session.execute(update(SmsOutgoing).where(*stale).values(status="queued"))
    db.session.commit()


def _send_one(channel: Channel, row: SmsOutgoing, number: str, report: SendReport) -> bool:
    """True when the gateway took it; False when it should stop this round (gateway off)."""
    settings = current_app.config["WILLAY"]
    row.attempts += 1
    try:
        row.gateway_id = channel.send(number, row.text, str(row.uuid))
    except SendError as exc:
        row.last_error = str(exc)[:300]
        if exc.retry and row.attempts < settings["SMS_MAX_ATTEMPTS"]:
            row.status = "queued"
            row.next_attempt_at = utcnow() + backoff(row.attempts)
            report.retried += 1
        else:
            row.status = "failed"
            report.failed += 1
            log.warning("SMS %s failed after %s attempts: %s", row.id, row.attempts, exc)
        db.session.commit()
        return not exc.retry
    row.status, row.sent_at, row.last_error = "sent", utcnow(), None
    db.session.commit()
    report.sent += 1
    return True


def send_due(limit: int = 50, number_hash: str | None = None) -> SendReport:
    """Send what is due, oldest first; stop at the first gateway failure (the rest would fail
    the same way) — they wait for their next attempt."""
    report = SendReport()
    channel = sender()
    now = utcnow()
    _release_stale(now)
    stmt = (select(SmsOutgoing.id, SmsOutgoing.kind, SmsContact.number,
                   (SmsContact.opted_out_at.is_not(None) | SmsContact.blocked_at.is_not(None)))
            .join(SmsContact, SmsContact.number_hash == SmsOutgoing.number_hash)
            .where(SmsOutgoing.status == "queued", SmsOutgoing.next_attempt_at <= now)
            .order_by(SmsOutgoing.next_attempt_at, SmsOutgoing.id).limit(limit))
    if number_hash is not None:
        stmt = stmt.where(SmsOutgoing.number_hash == number_hash)
    due = db.session.execute(stmt).all()
    if channel is None:
        report.waiting = len(due)
        return report
    # a number that stopped or was blocked gets nothing more (the stop confirmation excepted)
    for row_id, kind, number, silenced in due:
        if not _claim(row_id, now):
            continue  # another worker has it
        row = db.session.get(SmsOutgoing, row_id)
        if silenced and kind != "stop":  # opted out or blocked after it was queued
            row.status, row.last_error = "failed", "number opted out or blocked"
            db.session.commit()
            report.failed += 1
            continue
        if not _send_one(channel, row, number, report):
            break
    report.waiting = db.session.scalar(
        select(db.func.count()).select_from(SmsOutgoing)
        .where(SmsOutgoing.status == "queued")) or 0
    return report
