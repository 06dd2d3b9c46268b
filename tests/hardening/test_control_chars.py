"""NUL and other control characters are refused at the door with a clear 400: in API
addresses (JSON error), in console addresses and form fields (a page in the reader's
language). Nothing is stored, nothing reaches the database (NUL made PostgreSQL fail)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.audit.models import AuditEvent
from server.devices.models import Device
from server.extensions import db
from server.users.models import User

REFUSED_PAGE = "contiene caracteres de control invisibles"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("url", [
    "/api/v1/surveys?link=abc%00def",  # unauthenticated
    "/api/v1/places?q=ich%00una", "/api/v1/places?q=ichu%01na", "/api/v1/places?parent=18%000000",
    "/api/v1/places/bulk/18%000000", "/api/v1/surveys/moq%00household",
    "/api/v1/surveys/moq-household/versions/1/files/a%00.csv", "/api/v1/receipts/K7M4%00QX9P",
    "/api/v1/places?q=ichu%7Fna", "/api/v1/places?q%00=ichuna",
])
def test_api_addresses_with_control_characters_get_a_json_400(client, demo, url):
    response = client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "malformed"
    assert "caracteres de control" in error["message"]


def test_a_link_header_with_control_characters_is_refused(client, demo):
    response = client.get("/api/v1/surveys", headers={"X-Willay-Link": "abc\x01def"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "malformed"


def test_attachment_addresses_and_uploads_are_checked_too(client, device_headers):
    response = client.put("/api/v1/attachments/" + "a" * 63 + "%00", data=b"x",
                          headers=device_headers, content_type="image/jpeg")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "malformed"


def test_the_sign_in_email_with_a_nul_gets_a_page_and_no_audit_row(app, console_as):
    response = console_as(None).post("/console/sign-in?lang=es", {
        "email": "admin\x00@example.org", "password": "whatever whatever"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert REFUSED_PAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "sign_in_failed")) == 0


@pytest.mark.parametrize("url", [
    "/console/submissions?q=agua%00", "/console/submissions?q=agua%0A",
    "/console/?q=agua%00", "/console/audit?actor=admin%00", "/console/surveys/moq%00household",
    "/console/plans/PDRC%00MOQ", "/console/media/" + "a" * 64 + "%0A",
])
def test_console_addresses_with_control_characters_get_a_400_page(console_as, demo, url):
    response = console_as("admin").get(url + ("&" if "?" in url else "?") + "lang=es")
    assert response.status_code == 400, url
    assert response.mimetype == "text/html"
    assert "caracteres de control invisibles" in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "form", "model"), [
    ("/console/devices/new", {"label": "Celular\x00 3", "promoter": "Rosa"}, Device),
    ("/console/devices/new", {"label": "Celular 3", "promoter": "Ro\x1bsa"}, Device),
    ("/console/users/new", {"name": "Ana\x00", "email": "ana@example.org", "role": "viewer",
                            "password": "a long password"}, User),
    ("/console/users/new", {"name": "Ana", "email": "ana\x00@example.org", "role": "viewer",
                            "password": "a long password"}, User),
])
def test_console_forms_with_control_characters_store_nothing(app, console_as, url, form, model):
    before = count(app, model)
    response = console_as("admin").post(url + "?lang=es", form)
    assert response.status_code == 400
    assert REFUSED_PAGE in response.get_data(as_text=True)
    assert count(app, model) == before


def test_an_export_form_with_a_nul_exports_nothing(app, console_as, demo):
    response = console_as("coordinator").post("/console/exports?lang=es",
                                              {"survey": "moq-household\x00", "format": "csv"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export")) == 0


def test_line_breaks_and_tabs_in_a_comment_are_kept(app, console_as, interview):
    response = console_as("coordinator").post(f"/console/submissions/{interview}/review", {
        "status": "flagged", "comment": "Foto borrosa.\r\n\tVolver a la casa."})
    assert response.status_code == 302


def test_the_refusal_is_logged_escaped(client, caplog):
    with caplog.at_level("INFO"):
        assert client.get("/api/v1/places/bulk/18%000000").status_code == 400
    assert caplog.records and all("\x00" not in r.getMessage() for r in caplog.records)
    assert any("\\x00" in r.getMessage() for r in caplog.records)
