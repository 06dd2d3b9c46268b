"""Issue 9 bullets that had no test of their own: the language guessed from the first
message and remembered for the number, the global rate limit, and an SMS resident's phone
number never in an export (it is the sender, not an answer she chose to give)."""

from __future__ import annotations

from pathlib import Path

from sms.resident_phone import Resident
from sqlalchemy import select

from server.extensions import db
from server.sms.models import SmsContact, SmsInbound


def test_a_first_message_in_quechua_is_answered_in_quechua_and_remembered(
        sms_app, sms_survey, phone):
    resident = Resident(sms_app.test_client(), number="+51961000001")
    resident.send("Opinion, allillanchu")  # OPINION has no language of its own
    assert "Sapa tapuyta huk SMS-wan kutichiy" in phone.texts(resident.number)[0]
    with sms_app.app_context():
        assert db.session.scalars(select(SmsContact.language)).one() == "qu"
    resident.send("OPINION")  # a new start: the number's language is remembered
    assert "¿Imamantataq willakuyta munanki?" in phone.texts(resident.number)[-1]


def test_over_the_global_limit_messages_are_recorded_and_not_answered(
        app_factory, sms_app, sms_survey, phone):
    limited = app_factory(SMS_LIMIT_GLOBAL_MINUTE=2, **{
        k: sms_app.config["WILLAY"][k] for k in (
            "SMS_SEND_CHANNEL", "SMS_GATEWAY_URL", "SMS_GATEWAY_LOGIN", "SMS_GATEWAY_PASSWORD",
            "SMS_GATEWAY_SIGNING_KEY")})
    numbers = [f"+5196200000{i}" for i in range(4)]
    for number in numbers:
        Resident(limited.test_client(), number=number).send("OPINION")
    answered = [n for n in numbers if phone.texts(n)]
    assert len(answered) < len(numbers)
    with limited.app_context():
        states = list(db.session.scalars(select(SmsInbound.status).order_by(SmsInbound.id)))
    assert "limited" in states and len(states) == len(numbers)  # every one recorded


def test_an_sms_residents_number_is_in_no_export(sms_app, sms_survey, phone, tmp_path):
    resident = Resident(sms_app.test_client(), number="+51963456789")
    for text in ("OPINION", "3", "1", "Carumas", "2", "Canal roto", "2"):
        resident.send(text)
    runner = sms_app.test_cli_runner()
    for extra in ((), ("--personal",)):
        target = Path(tmp_path) / "feedback.csv"
        result = runner.invoke(args=["export", "--survey", "moq-feedback", "--format", "csv",
                                     "--output", str(target), *extra])
        assert result.exit_code == 0, result.output
        exported = target.read_bytes().decode("utf-8-sig")
        assert "Canal roto" in exported  # her feedback is there, beside everyone's
        assert "963456789" not in exported and "963 456 789" not in exported
