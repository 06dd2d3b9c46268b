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
    assert "Omate, General Sánchez Cerro, Moquegua" in es
    assert "km de la capital del distrito (Omate)" in es
    assert "Juana Mamani" in es  # coordinators may see personal data
    assert f'src="/console/media/{interview["photo"]}"' in es
    voice = f'src="/console/media/{interview["voice"]}"'
    assert f'<audio controls preload="metadata" data-settle-duration {voice}' in es
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


# --- repeats, calculations, newer types and interview names (tests/exports/roster.py) ---

@pytest.fixture
def roster_detail(app):
    from exports.roster import publish_roster, store_households

    with app.app_context():
        uuids = store_households(publish_roster())
    return {name: submission_id(app, value) for name, value in uuids.items()}


def table_rows(html: str, table_id: str) -> list[str]:
    """The instance numbers of a repeat table, in order."""
    table = html[html.index(f'<table class="repeat" id="repeat-{table_id}">'):]
    table = table[:table.index("</table>")]
    return re.findall(r'<th scope="row"[^>]*>([\d.]+)</th>', table)


def test_repeats_show_as_nested_tables_with_labels(console_as, roster_detail):
    page = console_as("coordinator").get(
        f"/console/submissions/{roster_detail['Quispe']}?lang=es").get_data(as_text=True)
    # the interview's name heads the page, the survey's title under it
    assert re.search(r'<h1 class="instance-name">Quispe — Carumas', page)
    assert '<p class="subtitle">Padrón de hogares</p>' in page
    assert "<title>Quispe — Carumas" in page
    # one table per repeat, a row per instance; the nested one names its member
    assert table_rows(page, "members") == ["1", "2"]
    assert table_rows(page, "vaccinations") == ["1.1", "1.2", "2.1"]
    members = page[page.index('id="repeat-members"'):page.index('id="repeat-vaccinations"')]
    assert "<caption>Persona" in members and ">Nombre<" in members
    assert "Rosa" in members and "Juan" in members and "Mujer" in members
    vaccinations = page[page.index('id="repeat-vaccinations"'):]
    vaccinations = vaccinations[:vaccinations.index("</table>")]
    assert "<caption>Vacuna" in vaccinations and "Persona" in vaccinations
    assert "BCG" in vaccinations and "=1+2" in vaccinations and "01/05/1980" in vaccinations
    # calculated values are shown and marked
    assert 'class="badge calculated"' in members and ">46<" in members.replace("\n", "")
    # the village's label comes from the list attached to the version
    assert "<dd>Carumas</dd>" in page.replace("\n", "")
    # a group heads its answers; notes are not answers
    assert 'class="group-heading">Jefe de hogar<' in page and "Gracias" not in page


def test_newer_types_are_readable(console_as, roster_detail):
    from exports.roster import PDF_SHA, VIDEO_SHA

    page = console_as("coordinator").get(
        f"/console/submissions/{roster_detail['Quispe']}?lang=es").get_data(as_text=True)
    flat = " ".join(page.split())
    assert "<dd> 10:15 </dd>" in flat or "<dd>10:15</dd>" in flat
    assert "02/12/2026 10:15 a" in flat  # the datetime, in Peru's time
    assert "7750001" in flat and "<dd>7</dd>" in flat  # barcode, range
    assert ('<video class="review-video" controls preload="none" '
            f'src="/console/media/{VIDEO_SHA}"') in page
    assert f'href="/console/media/{PDF_SHA}" download' in page and "application/pdf" in page
    assert "OK" not in re.findall(r"<dd>([^<]*)</dd>", page)  # acknowledge is said in words


def test_personal_answers_and_locations_in_repeats_follow_the_role(app, roster_detail):
    from server.review.detail import submission_detail
    from server.submissions.models import Submission

    with app.test_request_context("/?lang=es"):
        sub = db.session.get(Submission, roster_detail["Quispe"])
        hidden = submission_detail(sub, "es", with_personal=False)
        shown = submission_detail(sub, "es", with_personal=True)

    def columns(detail, repeat):
        return [c.id for page in detail.pages for block in page.blocks
                for r in block.repeats if r.id == repeat for c in r.columns]

    def texts(detail):
        return {a.text for page in detail.pages for a in page.every_answer()}

    assert "m_where" not in columns(hidden, "members")  # an exact location
    assert "987654321" not in texts(hidden)
    assert not any("-17.1" in text for text in texts(hidden))
    assert "m_where" in columns(shown, "members")
    assert {"987654321", "-17.10000, -70.90000 (± 5 m)"} <= texts(shown)


def test_an_interview_name_made_of_personal_answers_needs_the_permission(app):
    from exports.roster import CONDORI, DEFINITION, publish_roster, store_submission

    from server.review.detail import submission_detail
    from server.review.list_rows import list_rows

    with app.test_request_context("/?lang=es"):
        definition = {**DEFINITION, "instance_name": "concat(${phone}, ' ', ${HH_name})"}
        sub = store_submission(publish_roster(definition, code="named"), CONDORI,
                               {"phone": "955555555"}, "955555555 Condori")
        assert submission_detail(sub, "es", with_personal=False).instance_name == ""
        assert submission_detail(sub, "es", with_personal=True).instance_name == (
            "955555555 Condori")
        assert list_rows([sub], "es", with_personal=False)[0].instance_name == ""
        assert list_rows([sub], "es", with_personal=True)[0].instance_name == (
            "955555555 Condori")


def test_old_single_table_submissions_show_as_before(console_as, interview):
    page = console_as("coordinator").get(
        f"/console/submissions/{interview['id']}?lang=es").get_data(as_text=True)
    assert '<table class="repeat"' not in page and 'class="instance-name"' not in page
    assert page.count('<dl class="answers">') >= 1


@pytest.mark.browser
def test_the_detail_fits_a_320_pixel_phone(console_as, roster_detail, browser):
    """Repeat tables become stacked cards: nothing makes the page wider than the phone."""
    from pathlib import Path

    html = console_as("coordinator").get(
        f"/console/submissions/{roster_detail['Quispe']}?lang=es").get_data(as_text=True)
    css = (Path(__file__).resolve().parents[2] / "server/static/console.css").read_text()
    html = re.sub(r'<link rel="stylesheet" href="[^"]*console\.css[^"]*">',
                  f"<style>{css}</style>", html)
    html = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())  # media and scripts are not needed
    page.set_content(html, wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    cell = page.locator("#repeat-members td").first
    assert cell.evaluate("e => getComputedStyle(e, '::before').content").strip('"') == "Nombre"
    assert page.locator("#repeat-vaccinations").is_visible()
    context.close()
