"""STOP/BAJA, ESTADO/IMAYNA, AYUDA, language keywords, blocked numbers, rate limits."""

from __future__ import annotations

from sms.resident_phone import RESIDENT, Resident
from sqlalchemy import select

from server.extensions import db
from server.sms.contacts import find_contact, set_blocked
from server.sms.models import SmsContact, SmsConversation, SmsInbound
from server.submissions.models import Submission

FEEDBACK = ("OPINION", "3", "1", "Carumas", "2", "0", "2")


def _contact(app) -> SmsContact:
    with app.app_context():
        return db.session.scalars(select(SmsContact)).one()


def test_stop_is_honoured_recorded_and_confirmed_once(sms_app, resident, phone):
    resident.send("OPINION")
    resident.send("BAJA")
    assert "Ya no recibiras mas mensajes de Willay" in phone.texts()[-1]  # GSM-7: no á
    sent = len(phone.texts())
    for text in ("3", "AYUDA", "STOP"):
        resident.send(text)
    assert len(phone.texts()) == sent  # silence after the confirmation
    contact = _contact(sms_app)
    assert contact.opted_out_at is not None
    with sms_app.app_context():
        conv = db.session.scalars(select(SmsConversation)).one()
        assert conv.state == "opted_out"
        statuses = [m.status for m in db.session.scalars(
            select(SmsInbound).order_by(SmsInbound.id))]
        assert statuses[-3:-1] == ["ignored", "ignored"]  # recorded, not answered
    resident.send("ALTA")  # the resident comes back
    assert _contact(sms_app).opted_out_at is None
    assert "Willay" in phone.texts()[-1]


def test_estado_answers_with_the_status_and_the_reply(sms_app, resident, phone):
    for text in FEEDBACK:
        resident.send(text)
    with sms_app.app_context():
        code = db.session.scalars(select(Submission.receipt_code)).one()
    resident.send(f"estado {code.lower().replace('-', '')}")
    assert phone.texts()[-1] == f"Recibo {code}: Recibido, en espera de revision."
    resident.send("ESTADO ZZZZ-ZZZZ")
    assert "No encontramos ese código".replace("ó", "o") in phone.texts()[-1]


def test_imayna_answers_in_quechua(sms_app, resident, phone):
    for text in ("RIMAY", "3", "1", "Carumas", "2", "0", "2"):
        resident.send(text)
    with sms_app.app_context():
        code = db.session.scalars(select(Submission.receipt_code)).one()
    resident.send(f"IMAYNA {code}")
    assert phone.texts()[-1].startswith(f"Chaskisqa {code}:")


def test_help_lists_the_keywords(sms_app, resident, phone):
    resident.send("AYUDA")
    assert "OPINION" in phone.texts()[-1] and "ESTADO" in phone.texts()[-1]
    resident.send("hola")  # anything else, with no conversation open
    assert "OPINION" in phone.texts()[-1]


def test_a_language_keyword_switches_and_is_remembered(sms_app, resident, phone):
    resident.send("OPINION")
    assert "¿Sobre qué tema quieres opinar?" in phone.texts()[-1]
    resident.send("QU")
    assert "¿Imamantataq willakuyta munanki?" in phone.texts()[-1]
    for text in ("3", "1", "Carumas", "2", "0", "2"):
        resident.send(text)
    assert "IMAYNA" in phone.texts()[-1]
    resident.send("OPINION")  # next time: Quechua from the start
    assert "¿Imamantataq willakuyta munanki?" in phone.texts()[-1]
    with sms_app.app_context():
        assert db.session.scalars(select(Submission.language)).one() == "qu"


def test_a_blocked_number_is_recorded_and_never_answered(sms_app, resident, phone):
    resident.send("AYUDA")
    with sms_app.app_context():
        set_blocked(find_contact("951 234 567"), True)
    sent = len(phone.texts())
    resident.send("OPINION")
    assert len(phone.texts()) == sent
    with sms_app.app_context():
        last = db.session.scalars(select(SmsInbound).order_by(SmsInbound.id.desc())).first()
        assert last.status == "ignored"


def test_rate_limits_per_number_leave_the_rest_unanswered(app_factory, phone, sms_survey):
    from sms.resident_phone import SIGNING_KEY

    app = app_factory(SMS_SEND_CHANNEL="android", SMS_GATEWAY_URL=phone.url,
                      SMS_GATEWAY_PASSWORD="p", SMS_GATEWAY_SIGNING_KEY=SIGNING_KEY,
                      SMS_LIMIT_PER_NUMBER_HOUR=3)
    flooder, other = Resident(app.test_client()), Resident(app.test_client(), "+51987000111")
    for _ in range(6):
        flooder.send("AYUDA")
    other.send("AYUDA")
    assert len(phone.texts(RESIDENT)) == 3
    assert len(phone.texts("+51987000111")) == 1
    with app.app_context():
        limited = db.session.scalars(select(SmsInbound).where(
            SmsInbound.status == "limited")).all()
        assert len(limited) == 3


def test_a_coordinator_blocks_a_number_from_the_command_line(sms_app, resident, phone):
    runner = sms_app.test_cli_runner()
    assert "never wrote" in runner.invoke(args=["sms", "block", "+51911111111"]).output
    resident.send("AYUDA")
    assert runner.invoke(args=["sms", "block", "951234567"]).output.strip() == "blocked"
    assert _contact(sms_app).blocked_at is not None
    assert runner.invoke(args=["sms", "block", "951234567", "--unblock"]).exit_code == 0
    assert _contact(sms_app).blocked_at is None
