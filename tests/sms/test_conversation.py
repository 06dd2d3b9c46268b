"""A whole conversation by SMS ends in an ordinary submission (channel sms) and a receipt SMS."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.sms.models import SmsConversation, SmsOutgoing
from server.submissions.models import Submission, SubmissionPersonal


def _submission(app) -> Submission | None:
    with app.app_context():
        return db.session.scalars(select(Submission).where(Submission.channel == "sms")).first()


def test_a_whole_conversation_in_spanish_ends_in_a_submission_and_a_receipt(
        sms_app, resident, phone):
    resident.send("Opinión")
    first = phone.texts()[-1]
    assert "¿Sobre qué tema quieres opinar?" in first
    assert "produccion" in first  # folded to GSM-7: one segment of 160, not 70
    assert "1 Agua, caminos" in first
    resident.send("3")  # water
    assert "Carumas" in phone.texts()[-1]  # the water projects only
    resident.send("1")  # MOQ-RIE-002
    assert "distrito" in phone.texts()[-1]
    resident.send("carumas")
    assert "(1-5)" in phone.texts()[-1] or "1 = muy mal" in phone.texts()[-1]
    resident.send("2")
    resident.send("El canal sigue roto desde enero")
    resident.send("2")  # consent: no -> the phone question is never asked
    receipt_sms = phone.texts()[-1]
    sub = _submission(sms_app)
    assert sub is not None, phone.texts()
    assert sub.receipt_code in receipt_sms
    assert sub.language == "es"
    assert sub.answers["theme"] == "water" and sub.answers["project"] == "MOQ-RIE-002"
    assert sub.district_ubigeo == "180102" or sub.answers["district"].startswith("18")
    assert sub.answers["rating"] == 2 and sub.answers["consent"] == "no"
    assert "ESTADO " + sub.receipt_code in receipt_sms


def test_a_whole_conversation_in_quechua(sms_app, resident, phone):
    resident.send("RIMAY")
    assert "¿Imamantataq willakuyta munanki?" in phone.texts()[-1]
    for answer in ("1", "0", "Ichuña", "4", "Yakuqa manam chayamunchu", "1", "951234567"):
        resident.send(answer)
    sub = _submission(sms_app)
    assert sub is not None, phone.texts()
    assert sub.language == "qu" and sub.answers["theme"] == "services"
    assert "project" not in sub.answers
    assert sub.receipt_code in phone.texts()[-1]
    with sms_app.app_context():
        personal = db.session.get(SubmissionPersonal, sub.id)
        assert personal.answers == {"phone": "951234567"}
        conv = db.session.scalars(select(SmsConversation)).one()
        assert conv.state == "finished" and conv.answers == {}
        kinds = [o.kind for o in db.session.scalars(select(SmsOutgoing).order_by(SmsOutgoing.id))]
        assert kinds[-1] == "receipt"
