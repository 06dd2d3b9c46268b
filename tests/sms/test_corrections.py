"""Each answer is checked against the survey's rules; a short correction in the resident's
language asks again, and nothing wrong is kept."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.sms.models import SmsConversation


def _conv(app) -> SmsConversation:
    with app.app_context():
        return db.session.scalars(select(SmsConversation)).one()


def test_wrong_answers_get_a_correction_and_the_question_stays(sms_app, resident, phone):
    resident.send("OPINION")
    resident.send("7")
    assert phone.texts()[-1] == "Responde con un numero del 1 al 4."
    resident.send("0")  # the theme is required: no skipping
    assert phone.texts()[-1] == "Esta pregunta es obligatoria."
    resident.send("Agua")  # not a number, not a whole label
    assert _conv(sms_app).step == "theme"
    resident.send("3")
    resident.send("1")
    resident.send("Torrata")  # a typo: the closest district of Moquegua
    assert _conv(sms_app).answers["district"] == "180106"
    resident.send("9")
    assert "1 (muy malo)" in phone.texts()[-1] and "5 (muy bueno)" in phone.texts()[-1]
    assert _conv(sms_app).step == "rating"


def test_a_district_name_shared_by_several_places_is_chosen_from_a_short_list(
        sms_app, resident, phone):
    resident.send("OPINION")
    resident.send("1")
    resident.send("0")
    resident.send("laque")  # Coalaque and Matalaque, both in General Sánchez Cerro
    offer = phone.texts()[-1]
    assert offer.startswith("¿Cual es? Responde con su numero:")
    assert "1 Coalaque (" in offer and "2 Matalaque (" in offer
    conv = _conv(sms_app)
    assert conv.step == "district" and len(conv.offered) >= 2
    resident.send("2")
    assert _conv(sms_app).answers["district"] == "180207"


def test_a_district_outside_the_surveys_department_is_refused(sms_app, resident, phone):
    resident.send("OPINION")
    resident.send("1")
    resident.send("0")
    resident.send("150101")  # Lima: the form asks for Moquegua's districts
    assert phone.texts()[-1].startswith("No encontramos ese distrito")
    resident.send("180101")
    assert _conv(sms_app).answers["district"] == "180101"


def test_the_surveys_own_constraint_message_is_the_correction(sms_app, resident, phone):
    for text in ("RIMAY", "1", "0", "Ilo", "4", "0", "1"):
        resident.send(text)
    resident.send("12345")
    assert phone.texts()[-1] == ("Silular yupayqa 9 yupayniyuqmi, 9-wantaq qallarin; kay hina: "
                                 "951234567.")
    assert _conv(sms_app).step == "phone"
