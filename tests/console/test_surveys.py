"""Console survey pages: list, upload (XLSForm and JSON) into a draft, bilingual preview,
publication with its audit record, public link and QR poster, assignment to devices."""

from __future__ import annotations

import io
import json
import re
from copy import deepcopy

import pytest
from xlsform_builders import GOOD_SURVEY, good_form

from server.audit.models import AuditEvent
from server.extensions import db
from server.surveys.services import get_survey

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def convert_good_definition(app):
    from server.xlsform import import_xlsform

    with app.test_request_context():
        return import_xlsform(good_form()).definition


def _upload(console, data: bytes, filename: str = "form.xlsx", **fields):
    return console.post("/console/surveys/upload",
                        {"file": (io.BytesIO(data), filename, XLSX), **fields},
                        content_type="multipart/form-data")


def _actions(app, action):
    with app.app_context():
        return [(e.actor, e.target, e.details) for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == action))]


def test_list_shows_versions_counts_and_link_state(app, client, demo, console_as):
    from helpers import feedback_item

    response = client.post("/api/v1/submissions", json={"submissions": [feedback_item()]},
                           headers={"X-Willay-Link": demo["link"]})
    assert response.status_code == 200, response.get_json()
    page = console_as("coordinator").get("/console/surveys").get_data(as_text=True)
    feedback_row = re.search(r"<tr>\s*<td><a[^>]*>moq-feedback</a>.*?</tr>", page, re.S).group()
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                  feedback_row, re.S)]
    assert cells[0] == "moq-feedback" and cells[2].startswith("1") and cells[4] == "1"
    assert "moq-household" in page
    # the feedback came from Ilo (180301): a coordinator limited to another province
    # does not even see it counted
    limited = console_as("limited").get("/console/surveys").get_data(as_text=True)
    limited_row = re.search(r"<tr>\s*<td><a[^>]*>moq-feedback</a>.*?</tr>", limited, re.S).group()
    limited_cells = [re.sub(r"<[^>]+>", "", c).strip()
                     for c in re.findall(r"<td[^>]*>(.*?)</td>", limited_row, re.S)]
    assert limited_cells[4] == "0"


def test_only_coordinators_and_admins_manage_surveys(app, demo, console_as):
    assert console_as("viewer").get("/console/surveys").status_code == 403
    assert console_as("viewer").get("/console/surveys/moq-feedback").status_code == 403
    assert console_as(None).get("/console/surveys").status_code == 302
    assert console_as("admin").get("/console/surveys/moq-feedback").status_code == 200
    assert console_as("coordinator").get("/console/surveys/nothing").status_code == 404


def test_upload_preview_and_publish_an_xlsform(app, console_as):
    console = console_as("coordinator")
    response = _upload(console, good_form())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/console/surveys/agua-chacra/versions/1" in page  # saved as draft 1
    with app.app_context():
        survey = get_survey("agua-chacra")
        assert [(v.number, v.status) for v in survey.versions] == [(1, "draft")]
        assert survey.title == {"es": "Agua y chacra", "qu": "Yaku chakrapas"}
    preview = console.get("/console/surveys/agua-chacra/versions/1?tab=texts").get_data(
        as_text=True)
    assert "¿Cuántas personas viven en tu hogar?" in preview
    assert "¿Hayk&#39;a runam wasiykipi tiyanku?" in preview
    assert 'class="missing"' not in preview
    response = console.post("/console/surveys/agua-chacra/publish")
    assert response.status_code == 302
    with app.app_context():
        assert get_survey("agua-chacra").versions[0].status == "published"
    assert _actions(app, "survey_publish") == [
        ("coordinator@example.org", "agua-chacra", {"version": 1})]
    # a new upload to the same code becomes version 2, a draft
    assert _upload(console, good_form(), code="agua-chacra").status_code == 200
    detail = console.get("/console/surveys/agua-chacra").get_data(as_text=True)
    assert detail.count("/console/surveys/agua-chacra/versions/") == 2


def test_missing_translations_are_marked_and_only_warn(app, console_as):
    console = console_as("coordinator")
    survey = deepcopy(GOOD_SURVEY)
    survey[4][3] = ""  # the Quechua label of "people"
    response = _upload(console, good_form(survey=survey))
    assert response.status_code == 200  # kept as a draft, with its problem by row
    problems = response.get_data(as_text=True)
    assert re.search(r"<td>survey</td><td>5</td>\s*<td><code>label::Quechua \(qu\)</code>",
                     problems)
    preview = console.get("/console/surveys/agua-chacra/versions/1?tab=texts").get_data(
        as_text=True)
    assert preview.count('class="missing"') == 2  # the count at the top and the label itself
    # the phone shows the Spanish label instead: a warning, which does not block publishing
    assert 'class="warnings"' in preview
    assert re.search(r'<button type="submit" class="primary">', preview)
    console.post("/console/surveys/agua-chacra/publish")
    with app.app_context():
        assert get_survey("agua-chacra").versions[0].status == "published"
    assert [d for _a, _t, d in _actions(app, "survey_publish")] == [{"version": 1}]


def test_a_form_with_errors_is_not_saved_and_lists_every_row(app, console_as):
    console = console_as("coordinator")
    survey = deepcopy(GOOD_SURVEY)
    survey[2][0] = "geotrace"  # still refused: lines on a map
    survey[6][7] = "jr:choice-name(${problems}, 'x')"
    response = _upload(console, good_form(survey=survey))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r"<td>survey</td><td>3</td>\s*<td><code>type</code>", page)
    assert re.search(r"<td>survey</td><td>7</td>\s*<td><code>relevant</code>", page)
    with app.app_context():
        assert get_survey("agua-chacra") is None


def test_bad_files_get_a_clear_message_never_a_500(app, console_as):
    console = console_as("coordinator")
    for data, name in ((b"hello", "form.xlsx"), (good_form()[:700], "form.xlsx"),
                       (b"\x00" * 10, "photo.jpg"), (b"{broken", "s.json")):
        response = _upload(console, data, name)
        assert response.status_code == 422, name
        assert 'class="problem-error"' in response.get_data(as_text=True)
    response = console.post("/console/surveys/upload", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    big = _upload(console, b"PK" + b"0" * (1536 * 1024))
    assert big.status_code == 422 and "1 MB" in big.get_data(as_text=True)
    huge = _upload(console, b"PK" + b"0" * (3 * 1024 * 1024))  # beyond the app's own limit
    assert huge.status_code == 413
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "survey_draft")) == 0


def test_json_definitions_need_a_code(app, console_as, convert_good_definition):
    console = console_as("coordinator")
    data = json.dumps(convert_good_definition).encode()
    response = _upload(console, data, "survey.json")
    assert response.status_code == 422 and "form_id" in response.get_data(as_text=True)
    assert _upload(console, data, "survey.json", code="from-json").status_code == 200
    with app.app_context():
        assert get_survey("from-json").versions[0].definition == convert_good_definition


def test_public_link_open_close_renew_and_poster(app, demo, console_as):
    console = console_as("coordinator")
    detail = console.get("/console/surveys/moq-feedback").get_data(as_text=True)
    assert f"http://127.0.0.1:8000/app/#/f/{demo['link']}" in detail
    console.post("/console/surveys/moq-feedback/link", {"action": "close"})
    with app.app_context():
        assert get_survey("moq-feedback").public_link_open is False
    assert console.get("/console/surveys/moq-feedback/poster").status_code == 302
    console.post("/console/surveys/moq-feedback/link", {"action": "renew"})
    with app.app_context():
        survey = get_survey("moq-feedback")
        token = survey.public_token
        assert token and token != demo["link"] and survey.public_link_open
    poster = console.get("/console/surveys/moq-feedback/poster?lang=qu")
    text = poster.get_data(as_text=True)
    assert poster.status_code == 200 and '<html lang="qu">' in text
    assert "<svg" in text and f"/app/#/f/{token}" in text
    assert "Tell us" not in text  # the invitation is translated
    assert console.get("/console/surveys/moq-feedback/poster?lang=en").status_code == 404
    assert [d["action"] for _a, _t, d in _actions(app, "survey_link")] == ["close", "renew"]
    # the old token no longer opens anything
    old = console.client.get("/api/v1/surveys", headers={"X-Willay-Link": demo["link"]})
    assert old.status_code == 401


def test_assignment_to_devices(app, client, demo, console_as):
    from server.devices.services import enrol_device

    def pair(label):
        with app.app_context():
            code = enrol_device(label, "Rosa").code
        body = client.post("/api/v1/devices/pair", json={"code": code}).get_json()
        return {"Authorization": f"Bearer {body['token']}"}, body["device"]["id"]

    def codes(headers):
        return {s["id"] for s in client.get("/api/v1/surveys",
                                            headers=headers).get_json()["surveys"]}

    (first, first_id), (second, _second_id) = pair("A"), pair("B")
    console = console_as("coordinator")
    detail = console.get("/console/surveys/moq-household").get_data(as_text=True)
    assert f'name="devices" value="{first_id}"' in detail
    console.post("/console/surveys/moq-household/devices", {"devices": [str(first_id)]})
    assert "moq-household" in codes(first) and "moq-household" not in codes(second)
    detail = console.get("/console/surveys/moq-household").get_data(as_text=True)
    assert f'value="{first_id}" checked' in detail
    console.post("/console/surveys/moq-household/devices", {})  # none ticked: every device
    assert "moq-household" in codes(second)
    assert [d["devices"] for _a, _t, d in _actions(app, "survey_assign")] == [[first_id], []]
