"""After `willay setup` the demo's feedback forms answer by SMS: keywords for each region,
prompts written for SMS in Spanish and Quechua that cost one SMS each, and a coordinator
who finds all of it on the console's SMS pages."""

from __future__ import annotations

import re

import pytest
from sms.resident_phone import Resident
from sms.test_console import Console
from sqlalchemy import select

from server.demo.loader import FEEDBACK, load_demo, open_demo_to_sms
from server.extensions import db
from server.sms.models import SmsSurveySettings
from server.sms.prompts_cost import prompt_costs
from server.sms.surveys import configure, load
from server.submissions.models import Submission
from server.surveys.services import get_survey

CAJAMARCA = "caj-feedback"
NUMBERED = re.compile(r"^(\d) \S", re.MULTILINE)


@pytest.fixture
def sms_demo(sms_app):
    with sms_app.app_context():
        load_demo()
        db.session.remove()
    return sms_app


def _settings(app, code: str) -> SmsSurveySettings:
    with app.app_context():
        row = db.session.get(SmsSurveySettings, get_survey(code).id)
        db.session.expunge_all()
        return row


def test_the_demo_opens_both_feedback_forms_to_sms_with_their_keywords(sms_demo):
    moquegua, cajamarca = _settings(sms_demo, FEEDBACK), _settings(sms_demo, CAJAMARCA)
    assert moquegua.enabled and moquegua.keywords == {"OPINION": None, "RIMAY": "qu"}
    assert cajamarca.enabled and cajamarca.keywords == {
        "OPINION": None, "RIMAY": "qu", "CAJAMARCA": None, "QASAMARKA": "qu"}


@pytest.mark.parametrize("code", [FEEDBACK, CAJAMARCA])
def test_the_demos_written_prompts_list_every_choice_and_fit_one_sms(sms_demo, code):
    with sms_demo.app_context():
        sms = load(get_survey(code).id)
        for question_id, by_language in sms.prompts.items():
            step = next(s for s in sms.steps if s.id == question_id)
            choices = step.question.get("choices") or []
            for language in ("es", "qu"):
                numbers = NUMBERED.findall(by_language[language])
                assert numbers == [str(i) for i in range(1, len(choices) + 1) if choices], \
                    (question_id, language)
        written = {(c.question_id, c.language): c.segments
                   for c in prompt_costs(get_survey(code).id) if c.question_id in sms.prompts}
        assert written and set(written.values()) == {1}, written


def test_setup_again_keeps_what_a_coordinator_changed(sms_demo):
    with sms_demo.app_context():
        configure(get_survey(FEEDBACK).id, False, {"WILLAKUY": "qu"})
        load_demo()  # `willay setup` run a second time
        assert open_demo_to_sms() == []
    settings = _settings(sms_demo, FEEDBACK)
    assert not settings.enabled and settings.keywords == {"WILLAKUY": "qu"}


def test_a_resident_in_cajamarca_answers_in_quechua_and_gets_a_receipt(sms_demo, phone):
    resident = Resident(sms_demo.test_client(), number="+51976543210")
    resident.send("QASAMARKA")
    assert "¿Imamantam willakuyta munanki?\n1 Yaku, qarpay" in phone.texts(resident.number)[-1]
    for answer in ("1", "0", "Bambamarca", "2", "Yakuqa manam chayamunchu", "2"):
        resident.send(answer)
    with sms_demo.app_context():
        sub = db.session.scalars(select(Submission).where(Submission.channel == "sms")).one()
        assert sub.survey_id == get_survey(CAJAMARCA).id and sub.language == "qu"
        assert sub.answers["rating"] == 2 and sub.district_ubigeo.startswith("06")
    assert sub.receipt_code in phone.texts(resident.number)[-1]


def test_the_console_sms_page_shows_the_demo_surveys_and_their_keywords(sms_demo):
    page = Console(sms_demo, "coordinator").get("/console/sms").get_data(as_text=True)
    assert "OPINION, RIMAY=qu" in page  # Moquegua's
    assert "CAJAMARCA" in page and "QASAMARKA=qu" in page  # Cajamarca's own, beside OPINION


def test_opinion_in_cajamarca_asks_the_region_then_goes_on_in_quechua(sms_demo, phone):
    """Both regions' forms answer OPINION: the resident names her region by number first
    (in the language she asks for), then answers Cajamarca's questions."""
    resident = Resident(sms_demo.test_client(), number="+51976540000")
    resident.send("OPINION")
    asked = phone.texts(resident.number)[-1]  # sent folded to GSM-7 (no accents)
    assert "¿Donde vives? Responde con el numero:\n1 Moquegua\n2 Cajamarca" in asked
    resident.send("QU")
    assert "\n1 Moquegua\n2 Cajamarca" in phone.texts(resident.number)[-1]
    assert "¿Donde vives?" not in phone.texts(resident.number)[-1]  # now in Quechua
    resident.send("7")  # not on the list: corrected, still waiting for the region
    assert "1" in phone.texts(resident.number)[-1] and "2" in phone.texts(resident.number)[-1]
    resident.send("2")
    assert "¿Imamantam willakuyta munanki?\n1 Yaku, qarpay" in phone.texts(resident.number)[-1]
    for answer in ("1", "0", "Bambamarca", "2", "Yakuqa manam chayamunchu", "2"):
        resident.send(answer)
    with sms_demo.app_context():
        sub = db.session.scalars(select(Submission).where(Submission.channel == "sms")).one()
        assert sub.survey_id == get_survey(CAJAMARCA).id and sub.language == "qu"
        assert sub.district_ubigeo.startswith("06")
    assert sub.receipt_code in phone.texts(resident.number)[-1]


def test_two_forms_of_one_region_cannot_share_a_keyword(sms_demo):
    from server.sms.surveys import KeywordTaken

    with sms_demo.app_context():
        household = get_survey("moq-household")  # Moquegua, like moq-feedback
        with pytest.raises(KeywordTaken):
            configure(household.id, False, {"OPINION": None})
