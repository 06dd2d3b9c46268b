"""The console's SMS pages: set-up and queue, a test message, survey settings and prompt
costs, and a submission's conversation only for roles allowed personal data."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.sms.models import SmsContact, SmsSurveySettings
from server.submissions.models import Submission

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Console:
    def __init__(self, app, role: str) -> None:
        from server.users.services import create_user

        with app.app_context():
            create_user(f"{role}@example.org", role.title(), role, PASSWORD)
        self.client = app.test_client()
        self.token = self._token("/console/sign-in")
        response = self.post("/console/sign-in", {"email": f"{role}@example.org",
                                                  "password": PASSWORD})
        assert response.status_code == 302
        self.token = self._token("/console/")

    def _token(self, url: str) -> str:
        return _TOKEN.search(self.client.get(url, follow_redirects=True).get_data(
            as_text=True)).group(1)

    def get(self, url: str):
        return self.client.get(url)

    def post(self, url: str, data: dict):
        return self.client.post(url, data={**data, "csrf_token": self.token})


@pytest.fixture
def coordinator(sms_app, sms_survey):
    return Console(sms_app, "coordinator")


def _finished_feedback(resident) -> None:
    for text in ("OPINION", "3", "1", "Carumas", "2", "Canal roto", "2"):
        resident.send(text)


def test_the_sms_page_shows_the_gateway_and_sends_a_test_message(coordinator, phone):
    page = coordinator.get("/console/sms").get_data(as_text=True)
    assert "SMS Gateway for Android" in page and phone.url in page
    assert "gateway-password" not in page  # credentials are never shown
    response = coordinator.post("/console/sms/test", {"number": "987 654 321",
                                                      "text": "Prueba de Willay"})
    assert response.status_code == 302
    assert phone.texts("+51987654321") == ["Prueba de Willay"]


def test_survey_settings_save_prompts_and_show_their_cost(sms_app, coordinator, sms_survey):
    page = coordinator.get(f"/console/sms/surveys/{sms_survey}").get_data(as_text=True)
    assert "voice_note" in page  # an audio question: skipped by SMS
    assert "GSM-7" in page
    response = coordinator.post(f"/console/sms/surveys/{sms_survey}", {
        "enabled": "on", "keywords": "opinión, rimay=qu",
        "prompt_theme_es": "Tema: 1 Servicios 2 Produccion 3 Agua 4 Ambiente"})
    assert response.status_code == 302
    with sms_app.app_context():
        settings = db.session.get(SmsSurveySettings, sms_survey)
        assert settings.keywords == {"OPINION": None, "RIMAY": "qu"}
        assert settings.prompts == {"theme": {"es": "Tema: 1 Servicios 2 Produccion 3 Agua "
                                                    "4 Ambiente"}}
    page = coordinator.get(f"/console/sms/surveys/{sms_survey}").get_data(as_text=True)
    assert "Tema: 1 Servicios" in page


def test_opening_a_survey_without_keywords_is_refused(coordinator, sms_survey):
    response = coordinator.post(f"/console/sms/surveys/{sms_survey}",
                                {"enabled": "on", "keywords": ""})
    assert response.status_code == 422


def test_the_conversation_is_shown_to_personal_data_roles_only(sms_app, coordinator,
                                                               resident):
    _finished_feedback(resident)
    with sms_app.app_context():
        sub_id = db.session.scalars(select(Submission.id)).one()
    detail = coordinator.get(f"/console/submissions/{sub_id}").get_data(as_text=True)
    assert f"/console/sms/conversations/{sub_id}" in detail
    page = coordinator.get(f"/console/sms/conversations/{sub_id}").get_data(as_text=True)
    assert "Canal roto" in page and "Carumas" in page
    assert "951234567" not in page and "+51 ••• ••• 567" in page
    viewer = Console(sms_app, "viewer")
    assert viewer.get(f"/console/sms/conversations/{sub_id}").status_code == 403
    assert viewer.get("/console/sms").status_code == 403
    response = coordinator.post(f"/console/sms/conversations/{sub_id}/block",
                                {"action": "block"})
    assert response.status_code == 302
    with sms_app.app_context():
        assert db.session.scalars(select(SmsContact)).one().blocked_at is not None


def test_the_reply_form_says_whether_the_reply_also_goes_by_sms(sms_app, coordinator,
                                                                resident, phone):
    """A coordinator answering SMS feedback is told the answer also reaches the phone (in
    the resident's language), and after saving that it was sent; once the number has left
    with STOP, the page says the reply is not sent by SMS."""
    for text in ("RIMAY", "3", "1", "Carumas", "2", "Yarqaqa p'akisqam", "2"):
        resident.send(text)
    with sms_app.app_context():
        sub_id = db.session.scalars(select(Submission)).one().id
    page = coordinator.get(f"/console/submissions/{sub_id}").get_data(as_text=True)
    assert "la respuesta también le llega al poblador por SMS. Su idioma: Quechua." in page
    saved = coordinator.client.post(f"/console/submissions/{sub_id}/reply", data={
        "reply_es": "Gracias, el canal se repara en marzo.", "reply_qu": "",
        "csrf_token": coordinator.token}, follow_redirects=True).get_data(as_text=True)
    assert "y la recibirá por SMS" in saved
    resident.send("STOP")
    page = coordinator.get(f"/console/submissions/{sub_id}").get_data(as_text=True)
    assert "la respuesta no se envía por SMS" in page
    assert "la respuesta también le llega" not in page
    saved = coordinator.client.post(f"/console/submissions/{sub_id}/reply", data={
        "reply_es": "Gracias, ya empezó la obra.", "reply_qu": "",
        "csrf_token": coordinator.token}, follow_redirects=True).get_data(as_text=True)
    assert "Respuesta guardada. El poblador la verá con su código de constancia." in saved, \
        re.findall(r"flash[^>]*>([^<]*)", saved)
    assert "y la recibirá por SMS" not in saved
