"""The outgoing queue: durable, retried with backoff while the gateway phone is off, nothing
lost across a restart; the real `android-sms-gateway` client talks to the phone stand-in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from server.db_types import utcnow
from server.extensions import db
from server.sms.models import SmsOutgoing
from server.sms.outbox import backoff, send_due


def _rows(app) -> list[SmsOutgoing]:
    with app.app_context():
        rows = list(db.session.scalars(select(SmsOutgoing).order_by(SmsOutgoing.id)))
        db.session.expunge_all()
        return rows


def _make_due(app) -> None:
    with app.app_context():
        db.session.execute(update(SmsOutgoing).where(SmsOutgoing.status == "queued")
                           .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_the_real_client_sends_through_the_gateway_api(sms_app, resident, phone):
    resident.send("OPINION")
    request = phone.requests()[-1]
    assert request["path"] == "/3rdparty/v1/messages"
    assert request["auth"].startswith("Basic ")  # login and password of the gateway app
    assert request["body"]["phoneNumbers"] == ["+51951234567"]
    rows = _rows(sms_app)
    assert {r.status for r in rows} == {"sent"}
    assert request["body"]["id"] == str(rows[-1].uuid)  # our id: a resend is recognisable


def test_the_gateway_off_messages_wait_and_go_out_when_it_is_back(
        sms_app, sms_survey, resident, phone, app_factory):
    phone.stop()
    resident.send("OPINION")  # the webhook is answered; the question waits in the queue
    rows = _rows(sms_app)
    assert rows and all(r.status == "queued" for r in rows)
    first = rows[0]
    assert first.attempts == 1 and first.last_error.startswith("gateway unreachable")
    assert first.next_attempt_at - utcnow() > backoff(1) - timedelta(seconds=5)
    # only the first message was tried: the rest wait, the gateway being down
    assert [r.attempts for r in rows[1:]] == [0] * (len(rows) - 1)
    with sms_app.app_context():
        assert send_due().sent == 0  # nothing due yet: the backoff is respected
    _make_due(sms_app)
    with sms_app.app_context():
        report = send_due()
    assert report.sent == 0 and report.retried == 1
    assert _rows(sms_app)[0].attempts == 2
    assert backoff(2) == 2 * backoff(1)

    # the server restarts (a new app on the same database) and the phone comes back
    phone.start()
    _make_due(sms_app)
    restarted = app_factory(**{k: sms_app.config["WILLAY"][k] for k in (
        "SMS_SEND_CHANNEL", "SMS_GATEWAY_URL", "SMS_GATEWAY_LOGIN", "SMS_GATEWAY_PASSWORD",
        "SMS_GATEWAY_SIGNING_KEY")})
    result = restarted.test_cli_runner().invoke(args=["sms", "send-queue"])
    assert result.exit_code == 0, result.output
    assert f"sent {len(rows)}" in result.output
    assert "¿Sobre qué tema quieres opinar?" in phone.texts()[-1]
    assert {r.status for r in _rows(sms_app)} == {"sent"}


def test_a_message_the_gateway_refuses_is_failed_not_retried_forever(
        app_factory, sms_survey, phone):
    from server.sms.outbox import enqueue
    from server.sms.phones import number_hash

    app = app_factory(SMS_SEND_CHANNEL="android", SMS_GATEWAY_URL=phone.url + "/nowhere/",
                      SMS_GATEWAY_PASSWORD="p", SMS_MAX_ATTEMPTS=2)
    with app.app_context():
        from server.sms.inbox import ensure_contact

        digest = number_hash("+51951234567")
        ensure_contact(digest, "+51951234567")
        enqueue(digest, "Hola", "test")
        db.session.commit()
    phone.stop()
    with app.app_context():
        send_due()
    _make_due(app)
    with app.app_context():
        report = send_due()
    assert report.failed == 1
    assert _rows(app)[0].status == "failed"  # kept, visible, not sent again


def test_without_a_gateway_configured_messages_stay_queued(app_factory, sms_survey):
    from sms.resident_phone import SIGNING_KEY, Resident

    app = app_factory(SMS_GATEWAY_SIGNING_KEY=SIGNING_KEY)
    Resident(app.test_client()).send("OPINION")
    rows = _rows(app)
    assert rows and {r.status for r in rows} == {"queued"} and rows[0].attempts == 0
