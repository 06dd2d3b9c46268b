"""The console's portal pages: a coordinator makes a survey's results public, writes a
dated public update in both languages that answers residents' receipts, and lets a free-text
answer be quoted; never a personal-data answer, never outside their area, always audited."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.plans.models import Project
from server.portal.models import PublicSurvey, PublicUpdate, PublishableText, UpdateAnswer
from server.submissions.models import Submission
from server.surveys.models import Survey
from tests.helpers import feedback_item

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


@pytest.fixture
def sent(app, client, demo, link_headers):
    """Two residents' feedback in Moquegua: [0] in General Sánchez Cerro (180203), [1] in Ilo."""
    items = [feedback_item(answers={**feedback_item()["answers"], "district": district,
                                    "consent": "yes", "phone": "951234567"})
             for district in ("180203", "180301")]
    response = client.post("/api/v1/submissions", json={"submissions": items},
                           headers=link_headers)
    assert response.status_code in (200, 207), response.get_json()
    with app.app_context():
        rows = db.session.scalars(select(Submission).order_by(Submission.district_ubigeo)).all()
        return [(s.id, s.receipt_code, s.district_ubigeo) for s in rows]


def _project(app, district_prefix: str) -> Project:
    with app.app_context():
        for project in db.session.scalars(select(Project).order_by(Project.id)):
            if any(d.ubigeo.startswith(district_prefix) for d in project.districts):
                return project.id
    raise AssertionError("no demo project there")


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _mine(app) -> list[PublicUpdate]:
    """The updates these tests wrote (the demo has its own)."""
    return list(db.session.scalars(select(PublicUpdate).where(
        PublicUpdate.title_es == "Reparamos el canal")))


def _update_form(project_id: int, **extra) -> dict:
    return {"project_id": str(project_id), "on_date": "2026-11-20",
            "title_es": "Reparamos el canal", "title_qu": "Yarqata allichayku",
            "body_es": "Escuchamos que el agua no llegaba; el canal ya funciona.",
            "body_qu": "Yaku mana chayamusqanta uyariyku; yarqaqa kunan llamk'anña.",
            **extra}


def test_a_coordinator_makes_a_survey_private_and_public_again(app, console_as, demo):
    coordinator = console_as("coordinator")
    page = coordinator.get("/console/portal").get_data(as_text=True)
    # the demo's Moquegua feedback results are public (the portal's walk uses them)
    assert "moq-feedback" in page and "Hacer privado" in page
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.code == "moq-feedback"))
        assert db.session.get(PublicSurvey, survey_id) is not None
    coordinator.post(f"/console/portal/surveys/{survey_id}", {"public": "false"})
    with app.app_context():
        assert db.session.get(PublicSurvey, survey_id) is None
    page = coordinator.get("/console/portal").get_data(as_text=True)
    assert "Hacer público" in page
    done = coordinator.post(f"/console/portal/surveys/{survey_id}", {"public": "true"},
                            follow_redirects=True).get_data(as_text=True)
    assert "ahora son públicos" in done and "Hacer privado" in done
    with app.app_context():
        assert db.session.get(PublicSurvey, survey_id) is not None
    assert _actions(app)[-2:] == ["survey_made_private", "survey_made_public"]


def test_a_viewer_cannot_touch_the_portal(app, console_as, demo):
    viewer = console_as("viewer")
    assert viewer.get("/console/portal").status_code == 403
    assert viewer.post("/console/portal/updates/new", _update_form(1)).status_code == 403


def test_a_public_update_in_both_languages_answers_receipts(app, console_as, sent):
    coordinator = console_as("coordinator")
    project_id = _project(app, "1802")
    codes = f"{sent[0][1].lower()}, {sent[1][1]}"
    response = coordinator.post("/console/portal/updates/new", _update_form(
        project_id, receipts=codes, photo=(io.BytesIO(JPEG), "canal.jpg", "image/jpeg")),
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        [update] = _mine(app)
        assert (update.title_qu, update.on_date.isoformat()) == ("Yarqata allichayku",
                                                                 "2026-11-20")
        assert update.photo_type == "image/jpeg" and len(update.photo_sha256) == 64
        answered = set(db.session.scalars(select(UpdateAnswer.submission_id).where(
            UpdateAnswer.update_id == update.id)))
        assert answered == {sent[0][0], sent[1][0]}
        update_id = update.id
    page = coordinator.get(f"/console/portal/updates/{update_id}").get_data(as_text=True)
    assert sent[0][1] in page and sent[1][1] in page  # the form shows what it answers
    listing = coordinator.get("/console/portal").get_data(as_text=True)
    assert "Reparamos el canal" in listing
    # editing keeps one answer per receipt and can drop the photo
    coordinator.post(f"/console/portal/updates/{update_id}", _update_form(
        project_id, receipts=sent[0][1], remove_photo="true"))
    with app.app_context():
        update = db.session.get(PublicUpdate, update_id)
        assert update.photo_sha256 is None
        assert set(db.session.scalars(select(UpdateAnswer.submission_id).where(
            UpdateAnswer.update_id == update_id))) == {sent[0][0]}
    coordinator.post(f"/console/portal/updates/{update_id}/delete")
    with app.app_context():
        assert _mine(app) == []
    assert [a for a in _actions(app) if a.startswith("public_update")] == [
        "public_update_created", "public_update_updated", "public_update_deleted"]


SPANISH_UNKNOWN = "No hay ningún aporte con estos códigos de constancia"


@pytest.mark.parametrize("lang", ["es_PE", "qu"])
def test_wrong_input_is_told_beside_its_field_and_saves_nothing(app, console_as, sent, lang):
    coordinator = console_as("coordinator")
    coordinator.post("/console/language", {"lang": lang})
    project_id = _project(app, "1802")
    cases = [
        _update_form(project_id, receipts="ZZZZ-9999"),
        _update_form(project_id, receipts="not-a-code"),
        _update_form(project_id, title_qu=""),
        _update_form(project_id, photo=(io.BytesIO(b"%PDF-1.4"), "x.pdf", "application/pdf")),
        _update_form(project_id, photo=(io.BytesIO(b"not a jpeg"), "x.jpg", "image/jpeg")),
        _update_form(987654),
        _update_form(project_id, on_date="2026-13-40"),
    ]
    for form in cases:
        response = coordinator.post("/console/portal/updates/new", form,
                                    content_type="multipart/form-data")
        assert response.status_code == 422, form
        page = response.get_data(as_text=True)
        assert 'class="field-error"' in page
        assert "Traceback" not in page
    response = coordinator.post("/console/portal/updates/new",
                                _update_form(project_id, receipts="ZZZZ-9999"))
    page = response.get_data(as_text=True)
    assert "ZZZZ-9999" in page  # the code to fix is named, in the page's language
    assert (SPANISH_UNKNOWN in page) == (lang == "es_PE")
    with app.app_context():
        assert _mine(app) == []


def test_a_coordinator_limited_to_a_province_speaks_only_for_its_projects(app, console_as,
                                                                         sent):
    limited = console_as("limited")  # General Sánchez Cerro (180200)
    outside = _project(app, "1803")  # Ilo
    inside = _project(app, "1802")
    assert limited.post("/console/portal/updates/new",
                        _update_form(outside)).status_code == 403
    page = limited.get("/console/portal/updates/new").get_data(as_text=True)
    assert f'value="{inside}"' in page and f'value="{outside}"' not in page
    # a receipt from Ilo is not theirs to answer
    response = limited.post("/console/portal/updates/new",
                            _update_form(inside, receipts=sent[1][1]))
    assert response.status_code == 422
    # the unlimited coordinator's update on Ilo is not listed nor open to them
    console_as("coordinator").post("/console/portal/updates/new", _update_form(outside))
    with app.app_context():
        [ilo_update] = [u.id for u in _mine(app)]
    assert "Reparamos el canal" not in limited.get("/console/portal").get_data(as_text=True)
    assert limited.get(f"/console/portal/updates/{ilo_update}").status_code == 404
    limited.post(f"/console/portal/updates/{ilo_update}/delete")
    with app.app_context():
        assert db.session.get(PublicUpdate, ilo_update) is not None


def test_free_text_may_be_quoted_but_personal_data_never(app, console_as, sent):
    coordinator = console_as("coordinator")
    submission_id = sent[0][0]
    page = coordinator.get(f"/console/submissions/{submission_id}").get_data(as_text=True)
    assert page.count("Permitir citar en el portal") == 1  # the comment, not the phone
    coordinator.post(f"/console/submissions/{submission_id}/publishable",
                     {"question": "comment", "publishable": "true"})
    refused = coordinator.post(f"/console/submissions/{submission_id}/publishable",
                               {"question": "phone", "publishable": "true"},
                               follow_redirects=True).get_data(as_text=True)
    assert "no son datos personales" in refused
    with app.app_context():
        assert set(db.session.scalars(select(PublishableText.question).where(
            PublishableText.submission_id == submission_id))) == {"comment"}
    page = coordinator.get(f"/console/submissions/{submission_id}").get_data(as_text=True)
    assert "Citado en el portal" in page and "Dejar de citar" in page
    coordinator.post(f"/console/submissions/{submission_id}/publishable",
                     {"question": "comment", "publishable": "false"})
    with app.app_context():
        assert db.session.scalars(select(PublishableText).where(
            PublishableText.submission_id == submission_id)).all() == []
    assert [a for a in _actions(app) if a.startswith("text_made")] == [
        "text_made_publishable", "text_made_private"]
