"""One submission in the console: answers with labels, media, review states and replies that
residents read on their receipt page."""

from __future__ import annotations

import hashlib
import re
import uuid

import pytest
from helpers import feedback_item, household_item
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.submissions.models import Submission, SubmissionReview

JPEG = b"\xff\xd8\xff\xe0" + b"unfinished water tank" * 50
VOICE = b"OggS" + b"yaku mana chayamunchu" * 40


def send(client, headers, item) -> dict:
    result = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=headers).get_json()["results"][0]
    assert result["outcome"] == "stored", result
    return result


def put_file(client, headers, data: bytes, content_type: str) -> str:
    sha = hashlib.sha256(data).hexdigest()
    response = client.put(f"/api/v1/attachments/{sha}", data=data, headers=headers,
                          content_type=content_type)
    assert response.status_code in (200, 201)
    return sha


def submission_id(app, item_uuid: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Submission.id).where(
            Submission.uuid == uuid.UUID(item_uuid)))


@pytest.fixture
def interview(app, client, demo, device_headers):
    """A promoter interview in district Omate (province 180200) with a photo, a voice note,
    consent and personal answers."""
    photo = put_file(client, device_headers, JPEG, "image/jpeg")
    voice = put_file(client, device_headers, VOICE, "audio/ogg")
    item = household_item(answers={
        "district": "180201", "water_problems": ["tank", "pipe"], "problem_photo": photo,
        "voice_note": voice, "consent": "yes", "respondent_name": "Juana Mamani",
        "respondent_phone": "987654321", "water_source": "spring"})
    item["attachments"] = [photo, voice]
    item["meta"]["location"] = {"lat": -16.677, "lon": -70.971, "accuracy": 8.0}
    send(client, device_headers, item)
    return {"id": submission_id(app, item["uuid"]), "photo": photo, "voice": voice}


@pytest.fixture
def feedback(app, client, link_headers):
    item = feedback_item(answers={"theme": "water", "district": "180101", "rating": 2,
                                  "comment": "No llega el agua", "consent": "no"},
                         meta={"language": "qu"})
    receipt = send(client, link_headers, item)["receipt"]
    return {"id": submission_id(app, item["uuid"]), "receipt": receipt}


def test_answers_show_with_labels_in_the_console_language(console_as, interview):
    coordinator = console_as("coordinator")
    es = coordinator.get(f"/console/submissions/{interview['id']}?lang=es").get_data(
        as_text=True)
    assert "¿De dónde obtienen principalmente el agua para tomar y cocinar?" in es
    assert "Manantial" in es or "manantial" in es.lower()  # the choice label, not "spring"
    assert "Omate, General Sanchez Cerro, Moquegua" in es
    assert "km de la capital del distrito (Omate)" in es
    assert "Juana Mamani" in es  # coordinators may see personal data
    assert f'src="/console/media/{interview["photo"]}"' in es
    assert f'<audio controls preload="none" src="/console/media/{interview["voice"]}"' in es
    assert "-16.67700, -70.97100" in es and "<svg" in es and "openstreetmap.org" in es
    qu = coordinator.get(f"/console/submissions/{interview['id']}?lang=qu").get_data(
        as_text=True)
    assert "maymantataq aswanta yakuta hurqunkichik" in qu.replace("&#39;", "'")


def test_viewers_cannot_open_a_submission_nor_its_files(console_as, interview):
    viewer = console_as("viewer")
    assert viewer.get(f"/console/submissions/{interview['id']}").status_code == 403
    assert viewer.get(f"/console/media/{interview['photo']}").status_code == 403
    assert console_as(None).get(f"/console/media/{interview['photo']}").status_code == 302


def test_media_is_served_privately_with_its_type(console_as, interview):
    coordinator = console_as("coordinator")
    photo = coordinator.get(f"/console/media/{interview['photo']}")
    assert photo.status_code == 200 and photo.data == JPEG
    assert photo.mimetype == "image/jpeg"
    assert "private" in photo.headers["Cache-Control"]
    assert "public" not in photo.headers["Cache-Control"]
    voice = coordinator.get(f"/console/media/{interview['voice']}")
    assert voice.mimetype == "audio/ogg" and voice.data == VOICE


def test_files_not_linked_to_a_visible_submission_are_not_served(app, client, console_as,
                                                                 interview, device_headers):
    loose = put_file(client, device_headers, b"\x89PNG loose file", "image/png")
    coordinator = console_as("coordinator")
    assert coordinator.get(f"/console/media/{loose}").status_code == 404
    assert coordinator.get("/console/media/not-a-hash").status_code == 404
    assert coordinator.get(f"/console/media/{interview['photo']}?conflict=x").status_code == 404


def test_a_limited_coordinator_cannot_reach_other_provinces(app, client, console_as,
                                                            interview, feedback,
                                                            device_headers):
    limited = console_as("limited")  # province 180200: the interview is there
    assert limited.get(f"/console/submissions/{interview['id']}").status_code == 200
    assert limited.get(f"/console/media/{interview['photo']}").status_code == 200
    elsewhere = put_file(client, device_headers, JPEG + b"ilo", "image/jpeg")
    item = household_item(answers={"district": "180301", "water_problems": ["tank"],
                                   "problem_photo": elsewhere})
    item["attachments"] = [elsewhere]
    send(client, device_headers, item)
    assert limited.get(f"/console/media/{elsewhere}").status_code == 404
    assert console_as("coordinator").get(f"/console/media/{elsewhere}").status_code == 200
    # the feedback is from Moquegua province (180101)
    assert limited.get(f"/console/submissions/{feedback['id']}").status_code == 404
    response = limited.post(f"/console/submissions/{feedback['id']}/review",
                            {"status": "spam"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Submission, feedback["id"]).status == "new"


def test_a_review_step_is_recorded_shown_and_audited(app, console_as, interview):
    coordinator = console_as("coordinator")
    url = f"/console/submissions/{interview['id']}"
    response = coordinator.post(url + "/review", {"status": "flagged",
                                                 "comment": "Foto borrosa"})
    assert response.status_code == 302
    page = coordinator.get(url + "?lang=es").get_data(as_text=True)
    assert "Foto borrosa" in page and "Marcado" in page
    coordinator.post(url + "/review", {"status": "verified", "comment": ""})
    with app.app_context():
        steps = db.session.scalars(select(SubmissionReview).order_by(SubmissionReview.id)).all()
        assert [(s.from_status, s.to_status) for s in steps] == [("new", "flagged"),
                                                                ("flagged", "verified")]
        assert db.session.get(Submission, interview["id"]).status == "verified"
        audits = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review")).all()
        assert len(audits) == 2 and audits[0].details["to"] == "flagged"
        assert audits[0].actor == "coordinator@example.org"


def test_states_for_residents_only_are_refused_for_interviews(app, console_as, interview):
    coordinator = console_as("coordinator")
    url = f"/console/submissions/{interview['id']}"
    for status, code in (("answered", 409), ("closed", 409), ("new", 409), ("lost", 400)):
        response = coordinator.post(url + "/review", {"status": status})
        assert response.status_code == code, status
        assert 'role="alert"' in response.get_data(as_text=True)
    too_long = coordinator.post(url + "/review", {"status": "spam", "comment": "x" * 2001})
    assert too_long.status_code == 400
    reply = coordinator.post(url + "/reply", {"reply_es": "Gracias"})
    assert reply.status_code == 400
    with app.app_context():
        assert db.session.get(Submission, interview["id"]).status == "new"
        assert db.session.scalar(select(SubmissionReview.id)) is None


def test_a_post_without_csrf_token_changes_nothing(app, console_as, feedback):
    coordinator = console_as("coordinator")
    response = coordinator.post(f"/console/submissions/{feedback['id']}/review",
                                {"status": "spam"}, csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Submission, feedback["id"]).status == "new"


def test_a_reply_reaches_the_resident_in_their_language(app, client, console_as, feedback):
    coordinator = console_as("coordinator")
    url = f"/console/submissions/{feedback['id']}"
    response = coordinator.post(url + "/reply", {
        "reply_es": "La municipalidad revisará el reservorio esta semana.",
        "reply_qu": "Munisipyum kay simanapi tanquita qhawanqa."})
    assert response.status_code == 302
    code = feedback["receipt"]
    qu = client.get(f"/api/v1/receipts/{code}", headers={"Accept-Language": "qu"}).get_json()
    assert qu["response"]["text"] == "Munisipyum kay simanapi tanquita qhawanqa."
    assert qu["response"]["language"] == "qu" and qu["status"] == "answered"
    assert qu["status_label"] == "Kutichisqañam: kutichiyta ñawinchay"
    es = client.get(f"/api/v1/receipts/{code}?lang=es").get_json()
    assert es["response"]["text"] == "La municipalidad revisará el reservorio esta semana."
    assert es["status_label"] == "Respondido: lee la respuesta"
    page = coordinator.get(url + "?lang=es").get_data(as_text=True)
    assert "Respondido el" in page and "Coordinator" in page
    with app.app_context():
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reply"))
        assert audit.details["languages"] == ["es", "qu"]
        steps = db.session.scalars(select(SubmissionReview)).all()
        assert [(s.from_status, s.to_status) for s in steps] == [("new", "answered")]


def test_a_reply_in_one_language_is_shown_in_any(app, client, console_as, feedback):
    coordinator = console_as("coordinator")
    coordinator.post(f"/console/submissions/{feedback['id']}/reply",
                     {"reply_es": "Ya lo estamos viendo.", "reply_qu": "  "})
    qu = client.get(f"/api/v1/receipts/{feedback['receipt']}?lang=qu").get_json()
    assert qu["response"] == {"text": "Ya lo estamos viendo.", "language": "es",
                              "responded_at": qu["response"]["responded_at"]}


def test_replying_to_closed_feedback_keeps_it_closed(app, client, console_as, feedback):
    coordinator = console_as("coordinator")
    url = f"/console/submissions/{feedback['id']}"
    assert coordinator.post(url + "/review", {"status": "closed"}).status_code == 302
    coordinator.post(url + "/reply", {"reply_qu": "Allichasqañam."})
    receipt = client.get(f"/api/v1/receipts/{feedback['receipt']}?lang=qu").get_json()
    assert receipt["status"] == "closed" and receipt["response"]["text"] == "Allichasqañam."
    empty = coordinator.post(url + "/reply", {"reply_es": " ", "reply_qu": ""})
    assert empty.status_code == 400
    assert "Escribe la respuesta" in coordinator.post(
        url + "/reply?lang=es", {"reply_es": ""}).get_data(as_text=True)


def test_the_history_lists_every_step_with_who(app, console_as, feedback):
    coordinator = console_as("coordinator")
    url = f"/console/submissions/{feedback['id']}"
    coordinator.post(url + "/review", {"status": "spam", "comment": "publicidad"})
    console_as("admin").post(url + "/review", {"status": "new", "comment": "no era spam"})
    page = coordinator.get(url + "?lang=es").get_data(as_text=True)
    history = page[page.index("Historial"):]
    assert re.search(r"Coordinator.*Recibido.*Spam / no válido.*publicidad", history, re.S)
    assert re.search(r"Admin.*Spam / no válido.*Recibido.*no era spam", history, re.S)
