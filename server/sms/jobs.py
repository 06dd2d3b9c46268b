"""The SMS channel's periodic work, run by the job queue's worker (server/jobs/tasks.py
registers it) and by `willay sms send-queue` for a set-up without a worker:

- every minute: handle incoming messages still pending (a webhook that failed half-way)
  and send what the outgoing queue has due (retries after the gateway phone was off,
  coordinators' replies);
- every 15 minutes: close conversations silent for SMS_ABANDON_HOURS, kept as partials.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app
from huey import Huey, crontab
from sqlalchemy import select

from ..extensions import db
from .conversation import close_abandoned
from .inbox import process_number
from .models import SmsInbound
from .outbox import SendReport, send_due

log = logging.getLogger(__name__)
SEND_EVERY = "*"  # crontab minutes
CLOSE_EVERY = "*/15"


@dataclass(frozen=True)
class Round:
    numbers: int  # numbers whose pending messages were handled
    closed: int  # conversations closed as abandoned
    sent: SendReport


def handle_pending() -> int:
    """Handle the messages recorded but not handled yet; returns how many numbers had some."""
    pending = list(dict.fromkeys(db.session.scalars(
        select(SmsInbound.number_hash).where(SmsInbound.status == "pending")
        .order_by(SmsInbound.id))))
    for digest in pending:
        try:
            process_number(digest)
        except Exception:  # noqa: BLE001 - one number's trouble must not stop the others
            log.exception("SMS from %s… still pending", digest[:8])
            db.session.rollback()
    return len(pending)


def close_silent() -> int:
    return close_abandoned(current_app.config["WILLAY"]["SMS_ABANDON_HOURS"])


def send_round(limit: int = 200) -> Round:
    """Pending messages handled, then the queue sent (the periodic task, every minute)."""
    numbers = handle_pending()
    report = send_due(limit=limit)
    if report.sent or report.failed or report.retried:
        log.info("SMS queue: sent %s, retry later %s, failed %s, waiting %s", report.sent,
                 report.retried, report.failed, report.waiting)
    return Round(numbers, 0, report)


def full_round(limit: int = 200) -> Round:
    """Everything at once (the CLI): pending handled, abandoned closed, the queue sent."""
    numbers = handle_pending()
    closed = close_silent()
    return Round(numbers, closed, send_due(limit=limit))


def register_sms_tasks(queue: Huey, app: Flask) -> dict:
    """The two periodic tasks on the app's queue (by name, for tests and the CLI)."""

    @queue.periodic_task(crontab(minute=SEND_EVERY), name="sms_send_queue")
    def sms_send_queue_task() -> None:
        with app.app_context():
            send_round()

    @queue.periodic_task(crontab(minute=CLOSE_EVERY), name="sms_close_abandoned")
    def sms_close_abandoned_task() -> None:
        with app.app_context():
            if closed := close_silent():
                log.info("SMS: %s abandoned conversations closed", closed)

    return {"sms_send_queue": sms_send_queue_task,
            "sms_close_abandoned": sms_close_abandoned_task}
