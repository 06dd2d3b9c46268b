"""The console's export page: who may export, personal data only when allowed and asked,
area limits, the file prepared as a job (run in the request here: WILLAY_JOBS_URL=immediate;
tests/jobs runs real workers), the audit trail, and bad input."""

from __future__ import annotations

import csv
import io

import pytest
from helpers import household_item

from server.audit.models import AuditEvent
from server.extensions import db


@pytest.fixture
def app(app_factory):
    """Jobs run inside the request that asks for them."""
    return app_factory(JOBS_URL="immediate")


def export(console, data: dict):
    """Ask for an export and download its file, as the page's link would."""
    asked = console.post("/console/exports", data)
    assert asked.status_code == 303, asked.get_data(as_text=True)[:500]
    job_id = int(asked.headers["Location"].rsplit("#job-", 1)[1])
    state = console.get(f"/console/exports/jobs/{job_id}").get_json()
    assert state["status"] == "done", state
    response = console.get(state["download_url"])
    assert response.status_code == 200
    return response


@pytest.fixture
def interviews(client, demo, device_headers):
    """One interview in Moquegua province (with consent and personal answers) and one in
    General Sánchez Cerro (180200, the 'limited' coordinator's province)."""
    items = [
        household_item(answers={"district": "180101", "community": "Samegua alta",
                                "consent": "yes", "respondent_name": "Justina Ccori",
                                "respondent_phone": "951000111"}),
        household_item(answers={"district": "180201", "community": "Omate"}),
    ]
    response = client.post("/api/v1/submissions", json={"submissions": items},
                           headers=device_headers)
    assert [r["outcome"] for r in response.get_json()["results"]] == ["stored", "stored"]
    return items


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def events(app) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "export").order_by(AuditEvent.id)))


@pytest.mark.parametrize(("role", "status"), [
    (None, 302), ("viewer", 403), ("coordinator", 200), ("admin", 200)])
def test_only_roles_with_the_export_permission_reach_the_page(console_as, demo, role, status):
    console = console_as(role)
    assert console.get("/console/exports").status_code == status
    if role is not None:
        posted = console.post("/console/exports", {"survey": "moq-household"})
        assert posted.status_code == (403 if role == "viewer" else 303)


def test_viewers_cannot_export_even_by_posting(app, console_as, interviews):
    response = console_as("viewer").post("/console/exports", {
        "survey": "moq-household", "personal": "on"})
    assert response.status_code == 403 and b"Justina" not in response.get_data()
    assert events(app) == []


def test_page_offers_formats_filters_and_personal_data_to_coordinators(console_as, demo):
    page = console_as("coordinator").get("/console/exports?survey=moq-household&lang=es")
    html = page.get_data(as_text=True)
    assert 'name="personal"' in html and 'name="media"' in html
    for value in ("csv", "xlsx", "geojson", "jsonl"):
        assert f'value="{value}"' in html
    assert '<option value="moq-household" selected>' in html  # pre-filled from the list
    assert "Exportar envíos" in html


def test_default_export_is_csv_without_personal_data_and_is_audited(
        app, console_as, interviews):
    response = export(console_as("coordinator"), {"survey": "moq-household"})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".csv" in response.headers["Content-Disposition"]
    rows = rows_of(response)
    assert {r["community"] for r in rows} == {"Samegua alta", "Omate"}
    text = response.get_data().decode("utf-8-sig")
    assert "Justina" not in text and "951000111" not in text and "respondent_name" not in text
    [event] = events(app)
    assert event.actor == "coordinator@example.org" and event.user_id is not None
    assert event.details["rows"] == 2 and event.details["completed"] is True
    assert event.details["personal"] is False
    assert event.details["filters"] == {"survey": "moq-household"}


def test_personal_data_when_the_role_allows_and_the_user_asks(app, console_as, interviews):
    response = export(console_as("coordinator"), {
        "survey": "moq-household", "personal": "on", "format": "jsonl"})
    assert response.mimetype == "application/x-ndjson"
    text = response.get_data(as_text=True)
    assert "Justina Ccori" in text and "951000111" in text and '"_latitude":-17.19' in text
    assert events(app)[0].details["personal"] is True


def test_area_limits_apply_whatever_the_form_asks(app, console_as, interviews):
    limited = console_as("limited")
    rows = rows_of(export(limited, {"survey": "moq-household"}))
    assert [r["_district_ubigeo"] for r in rows] == ["180201"]
    rows = rows_of(export(limited, {"survey": "moq-household", "place": "180100"}))
    assert rows == []
    assert events(app)[0].details["filters"]["areas"] == ["180200"]


def test_bad_choices_get_a_translated_message_and_nothing_is_exported(app, console_as, demo):
    console = console_as("coordinator")
    bad_format = console.post("/console/exports?lang=es", {"format": "pdf"})
    assert bad_format.status_code == 400
    assert "Elige uno de los formatos." in bad_format.get_data(as_text=True)
    bad_date = console.post("/console/exports?lang=qu", {"from": "ayer"})
    assert bad_date.status_code == 400 and 'aria-invalid="true"' in bad_date.get_data(
        as_text=True)
    unknown = console.post("/console/exports?lang=es", {"survey": "nada"})
    assert unknown.status_code == 400
    assert "No hay ninguna encuesta con el código nada." in unknown.get_data(as_text=True)
    assert events(app) == []


def test_export_needs_the_csrf_token(app, console_as, demo):
    response = console_as("coordinator").post("/console/exports", {}, csrf=False)
    assert response.status_code == 400
    assert events(app) == []


def test_recent_exports_are_listed_for_the_user(console_as, interviews):
    console = console_as("coordinator")
    console.post("/console/exports", {"survey": "moq-household", "format": "geojson"})
    html = console.get("/console/exports?lang=es").get_data(as_text=True)
    assert "Tus últimas exportaciones" in html and "GEOJSON" in html
    assert "moq-household" in html and "/download" in html


def test_a_survey_with_repeats_downloads_as_a_zip_of_tables_in_any_language(app, console_as):
    import zipfile

    from exports.roster import DEFINITION, publish_roster, store_households

    with app.app_context():
        store_households(publish_roster({**DEFINITION, "language_names": {"en": "English"}}))
    coordinator = console_as("coordinator")
    page = coordinator.get("/console/exports").get_data(as_text=True)
    assert 'name="labels" value="en"' in page and "English" in page
    response = export(coordinator, {"survey": "roster", "format": "csv", "labels": "en"})
    assert response.mimetype == "application/zip"
    assert ".zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["roster-members.csv", "roster-vaccinations.csv",
                                          "roster.csv"]
    members = list(csv.DictReader(io.StringIO(
        archive.read("roster-members.csv").decode("utf-8-sig"))))
    assert {"Name", "PARENT_KEY", "KEY"} <= set(members[0])
    assert "Rosa" in {row["Name"] for row in members}
    bad = coordinator.post("/console/exports", {"survey": "roster", "labels": "Klingon!"})
    assert bad.status_code == 400
