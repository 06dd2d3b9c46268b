"""Gateways retry, messages arrive out of order, many residents write at once."""

from __future__ import annotations

import threading
from datetime import timedelta

from sms.resident_phone import Resident, signed
from sqlalchemy import func, select

from server.extensions import db
from server.sms.models import SmsConversation, SmsInbound, SmsOutgoing
from server.submissions.models import Submission


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_same_gateway_message_delivered_twice_is_processed_once(sms_app, resident, phone):
    body = resident.event("OPINION", event_id="evt-1")
    first = resident.send("OPINION", event_id="evt-1", received_at=resident.clock)
    assert first["stored"] == 1
    sent = len(phone.texts())
    again = resident.client.post("/sms/webhook/android", data=body, headers=signed(body))
    assert again.status_code == 200 and again.get_json()["duplicate"] == 1
    assert _count(sms_app, SmsInbound) == 1
    assert _count(sms_app, SmsConversation) == 1
    assert len(phone.texts()) == sent  # no second welcome


def test_an_answer_retried_after_a_newer_one_is_kept_but_not_applied(sms_app, resident, phone):
    resident.send("OPINION")
    early = resident.clock + timedelta(seconds=5)
    resident.send("3")  # received by the gateway phone after `early`
    resident.send("4", received_at=early)  # the gateway's retry of an older message
    with sms_app.app_context():
        conv = db.session.scalars(select(SmsConversation)).one()
        assert conv.answers == {"theme": "water"} and conv.step == "project"
        late = db.session.scalars(select(SmsInbound).where(SmsInbound.text == "4")).one()
        assert late.status == "late" and late.conversation_id == conv.id


def test_messages_arriving_together_are_handled_in_the_order_the_phone_got_them(
        sms_app, resident, phone):
    """Two messages in one webhook call (a gateway flushing its queue), newest first."""
    from server.sms.channel import IncomingSms
    from server.sms.inbox import process_number, record

    resident.send("OPINION")
    t1, t2 = resident.clock + timedelta(seconds=10), resident.clock + timedelta(seconds=20)
    with sms_app.app_context():
        record("android", IncomingSms("b", resident.number, "2", t2))
        _outcome, digest = record("android", IncomingSms("a", resident.number, "3", t1))
        process_number(digest)
        conv = db.session.scalars(select(SmsConversation)).one()
        # "3" (theme: water) first, then "2" (the second water project)
        assert conv.answers == {"theme": "water", "project": "MOQ-HID-007"}


def test_concurrent_conversations_from_many_numbers_each_end_in_their_submission(
        sms_app, sms_survey, phone):
    numbers = [f"+5198765430{i}" for i in range(6)]
    answers = ("OPINION", "1", "0", "Ichuña", "5", "0", "2")
    errors: list[BaseException] = []

    def talk(number: str) -> None:
        try:
            resident = Resident(sms_app.test_client(), number)
            for text in answers:
                resident.send(text)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=talk, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert _count(sms_app, Submission, Submission.channel == "sms") == len(numbers)
    assert _count(sms_app, SmsConversation, SmsConversation.state == "finished") == len(numbers)
    for number in numbers:
        assert any("ESTADO" in t for t in phone.texts(number)), number
    assert _count(sms_app, SmsOutgoing, SmsOutgoing.status != "sent") == 0


def test_a_server_restart_mid_conversation_loses_nothing(sms_app, resident, phone,
                                                          app_factory):
    for text in ("RIMAY", "3", "1"):
        resident.send(text)
    restarted = app_factory(**{k: sms_app.config["WILLAY"][k] for k in (
        "SMS_SEND_CHANNEL", "SMS_GATEWAY_URL", "SMS_GATEWAY_LOGIN", "SMS_GATEWAY_PASSWORD",
        "SMS_GATEWAY_SIGNING_KEY")})
    resident.client = restarted.test_client()
    for text in ("Carumas", "2", "0", "2"):
        resident.send(text)
    with restarted.app_context():
        sub = db.session.scalars(select(Submission)).one()
        assert sub.answers["project"] == "MOQ-RIE-002" and sub.language == "qu"
    assert sub.receipt_code in phone.texts()[-1]


def test_answers_saved_before_a_crash_in_ingest_are_stored_by_the_next_message(
        sms_app, resident, phone):
    """The answers are committed before ingest runs; if the process died there, the
    conversation is open with no question left, and the next message stores it once."""
    for text in ("OPINION", "3", "1", "Carumas", "2", "0"):
        resident.send(text)
    with sms_app.app_context():
        conv = db.session.scalars(select(SmsConversation)).one()
        conv.answers = {**conv.answers, "consent": "no"}
        conv.step = None  # where a crash between the two commits leaves it
        db.session.commit()
    resident.send("hola")
    assert _count(sms_app, Submission) == 1
    with sms_app.app_context():
        conv = db.session.scalars(select(SmsConversation)).one()
        code = db.session.scalars(select(Submission.receipt_code)).one()
        assert conv.state == "finished" and conv.receipt_code == code
    assert code in phone.texts()[-1]
