"""The job queue's worker runs the SMS queue by itself: every minute it sends what waited
while the gateway phone was off (and handles messages left pending), every 15 minutes it
closes abandoned conversations. Same tasks on the immediate and on the SQLite back end."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sms.resident_phone import RESIDENT
from sqlalchemy import select, update

from server.db_types import utcnow
from server.extensions import db
from server.jobs.queue import job_queue
from server.sms.channel import IncomingSms
from server.sms.inbox import record
from server.sms.models import SmsConversation, SmsInbound, SmsOutgoing

SMS_KEYS = ("SMS_SEND_CHANNEL", "SMS_GATEWAY_URL", "SMS_GATEWAY_LOGIN", "SMS_GATEWAY_PASSWORD",
            "SMS_GATEWAY_SIGNING_KEY", "SMS_GENERIC_SECRET", "SMS_SEND_TIMEOUT")


@pytest.fixture(params=["immediate", "sqlite"])
def worker_app(request, sms_app, app_factory, tmp_path):
    """The same database and gateway as sms_app, with a job queue of either back end."""
    url = "immediate" if request.param == "immediate" else \
        f"sqlite:///{tmp_path / 'queue' / 'jobs.sqlite3'}"
    return app_factory(JOBS_URL=url, **{k: sms_app.config["WILLAY"][k] for k in SMS_KEYS})


def run_periodic(app, name: str) -> None:
    """What the worker does when the task's minute comes: the task put on the queue, then
    taken from it and run (the immediate back end runs it as it is put)."""
    queue = job_queue(app)
    queue.willay_tasks[name]()
    if not queue.immediate:
        task = queue.dequeue()
        assert task is not None and task.name == name
        queue.execute(task)


def _rows(app) -> list[tuple[str, int]]:
    with app.app_context():
        return list(db.session.execute(select(SmsOutgoing.status, SmsOutgoing.attempts)
                                       .order_by(SmsOutgoing.id)).all())


def _a_minute_later(app) -> None:
    with app.app_context():
        db.session.execute(update(SmsOutgoing).where(SmsOutgoing.status == "queued")
                           .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_the_worker_is_due_every_minute_for_the_queue_and_every_15_for_abandoned(worker_app):
    queue = job_queue(worker_app)
    due = {t.name for t in queue.read_periodic(datetime(2026, 12, 3, 10, 7))}
    assert "sms_send_queue" in due and "sms_close_abandoned" not in due
    due = {t.name for t in queue.read_periodic(datetime(2026, 12, 3, 10, 15))}
    assert {"sms_send_queue", "sms_close_abandoned"} <= due


def test_messages_that_waited_for_the_phone_go_out_with_the_next_minutes_task(
        worker_app, sms_app, resident, phone):
    phone.stop()
    resident.send("OPINION")
    waiting = _rows(sms_app)
    assert waiting and {status for status, _n in waiting} == {"queued"}
    run_periodic(worker_app, "sms_send_queue")  # still off: tried, kept, nothing lost
    assert {status for status, _n in _rows(sms_app)} == {"queued"}
    assert sum(n for _s, n in _rows(sms_app)) > sum(n for _s, n in waiting)
    phone.start()
    _a_minute_later(sms_app)
    run_periodic(worker_app, "sms_send_queue")
    assert {status for status, _n in _rows(sms_app)} == {"sent"}
    assert "¿Sobre qué tema quieres opinar?" in phone.texts()[-1]


def test_a_message_left_pending_is_answered_by_the_next_minutes_task(
        worker_app, sms_app, sms_survey, phone):
    with sms_app.app_context():  # stored by a webhook that failed before handling it
        record("android", IncomingSms("late-1", RESIDENT, "RIMAY", utcnow()))
    assert phone.texts() == []
    run_periodic(worker_app, "sms_send_queue")
    assert "¿Imamantataq willakuyta munanki?" in phone.texts()[-1]
    with sms_app.app_context():
        assert db.session.scalars(select(SmsInbound.status)).one() == "processed"


def test_a_silent_conversation_is_closed_by_the_task_and_kept_as_a_partial(
        worker_app, sms_app, resident, phone):
    resident.send("OPINION")
    resident.send("3")  # one answer given, then silence
    hours = sms_app.config["WILLAY"]["SMS_ABANDON_HOURS"]
    run_periodic(worker_app, "sms_close_abandoned")
    with sms_app.app_context():
        assert db.session.scalars(select(SmsConversation.state)).one() == "open"
        db.session.execute(update(SmsConversation).values(
            last_message_at=utcnow() - timedelta(hours=hours, minutes=1)))
        db.session.commit()
    run_periodic(worker_app, "sms_close_abandoned")
    with sms_app.app_context():
        conv = db.session.scalars(select(SmsConversation)).one()
        assert conv.state == "abandoned" and conv.partial and conv.answers == {"theme": "water"}
