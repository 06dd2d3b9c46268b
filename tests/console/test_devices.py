"""Admins enrol promoter phones (code + QR on screen), see them sync, revoke them; the CLI
does the same and both leave audit rows."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from server.audit.models import AuditEvent
from server.db_types import utcnow
from server.devices.models import Device
from server.extensions import db
from tests.helpers import household_item

PAIR = "/api/v1/devices/pair"
CODE = re.compile(r'<p class="pairing-code"[^>]*>([A-Z0-9-]+)</p>')


def _events(app, action: str) -> list[tuple[str, str, dict]]:
    with app.app_context():
        return [(e.actor, e.target, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def _enrol(admin, label="Celular 3", promoter="Rosa Mamani") -> tuple[str, str]:
    response = admin.post("/console/devices/new", {"label": label, "promoter": promoter})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    return CODE.search(page).group(1), page


def test_enrolment_shows_a_code_and_a_qr_that_pair_the_phone(app, client, console_as, users):
    admin = console_as("admin")
    code, page = _enrol(admin)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert f"http://127.0.0.1:8000/app/#pair={code}" in page
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'viewBox="' in svg and "<path" in svg and "<script" not in svg
    assert "Válido hasta" in page and "(hora del Perú)" in page
    assert client.post(PAIR, json={"code": code}).status_code == 201
    with app.app_context():
        device = db.session.scalar(select(Device))
        assert (device.label, device.promoter_name, device.state) == (
            "Celular 3", "Rosa Mamani", "paired")
        admin_id = device.created_by_id
    assert admin_id is not None
    [(actor, target, details)] = _events(app, "device_enrol")
    assert actor == users["admin"] and target.startswith("device ")
    assert details == {"label": "Celular 3", "promoter": "Rosa Mamani"}
    assert code not in str(details)


def test_the_qr_encodes_the_pairing_link(console_as):
    """Decode the SVG's modules back into the text (segno draws one path per dark run)."""
    import segno

    code, page = _enrol(console_as("admin"))
    expected = segno.make(f"http://127.0.0.1:8000/app/#pair={code}", error="m")
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert expected.svg_inline(scale=6, border=4, omitsize=True, dark="#000", light="#fff",
                               title="Código QR") == svg


def test_the_list_shows_state_sync_time_and_app_version(app, client, console_as, demo):
    admin = console_as("admin")
    code, _page = _enrol(admin, "Celular 1", "Rosa")
    token = client.post(PAIR, json={"code": code}).get_json()["token"]
    sent = client.post("/api/v1/submissions", json={"submissions": [household_item()]},
                       headers={"Authorization": f"Bearer {token}", "X-Willay-App": "1.4.2"})
    assert sent.status_code in (200, 207), sent.get_json()
    _enrol(admin, "Celular 2", "Juan")
    page = admin.get("/console/devices").get_data(as_text=True)
    row1 = re.search(r"<tr>\s*<td>Celular 1</td>.*?</tr>", page, re.S).group(0)
    assert "Vinculado" in row1 and "1.4.2" in row1 and "Rosa" in row1
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", row1)
    row2 = re.search(r"<tr>\s*<td>Celular 2</td>.*?</tr>", page, re.S).group(0)
    assert "Esperando vinculación" in row2 and "Código válido hasta" in row2


def test_revoking_asks_first_then_stops_the_phone(app, client, console_as, users, demo):
    admin = console_as("admin")
    code, _page = _enrol(admin)
    token = client.post(PAIR, json={"code": code}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/surveys", headers=headers).status_code == 200
    with app.app_context():
        device_id = db.session.scalar(select(Device.id))
    confirm = admin.get(f"/console/devices/{device_id}/revoke")
    assert confirm.status_code == 200
    assert "¿Revocar Celular 3?" in confirm.get_data(as_text=True)
    assert client.get("/api/v1/surveys", headers=headers).status_code == 200  # not yet
    done = admin.post(f"/console/devices/{device_id}/revoke")
    assert done.status_code == 302
    assert client.get("/api/v1/surveys", headers=headers).status_code == 401
    listing = admin.get("/console/devices").get_data(as_text=True)
    assert "Celular revocado: Celular 3." in listing and "Revocado" in listing
    again = admin.post(f"/console/devices/{device_id}/revoke", follow_redirects=True)
    assert "Este celular ya estaba revocado." in again.get_data(as_text=True)
    assert [(a, t) for a, t, _d in _events(app, "device_revoke")] == [
        (users["admin"], f"device {device_id}")]


def test_a_new_code_for_a_revoked_or_waiting_device_but_not_a_paired_one(app, client,
                                                                          console_as):
    admin = console_as("admin")
    first, _page = _enrol(admin)
    with app.app_context():
        device_id = db.session.scalar(select(Device.id))
    response = admin.post(f"/console/devices/{device_id}/code")
    second = CODE.search(response.get_data(as_text=True)).group(1)
    assert second != first
    assert client.post(PAIR, json={"code": first}).status_code == 404
    assert client.post(PAIR, json={"code": second}).status_code == 201
    paired = admin.post(f"/console/devices/{device_id}/code", follow_redirects=True)
    assert "Revócalo primero" in paired.get_data(as_text=True)
    admin.post(f"/console/devices/{device_id}/revoke")
    third = CODE.search(admin.post(f"/console/devices/{device_id}/code").get_data(
        as_text=True)).group(1)
    assert client.post(PAIR, json={"code": third}).status_code == 201
    details = [d for _a, _t, d in _events(app, "device_enrol")]
    assert [d.get("previous_state") for d in details] == [None, "waiting", "revoked"]


def test_an_expired_code_is_shown_as_waiting_and_can_be_renewed(app, console_as):
    admin = console_as("admin")
    _enrol(admin)
    with app.app_context():
        device = db.session.scalar(select(Device))
        device.pairing_expires_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    page = admin.get("/console/devices").get_data(as_text=True)
    assert "Nuevo código de vinculación" in page


def test_bad_enrolment_input_is_shown_and_nothing_is_made(app, console_as):
    admin = console_as("admin")
    response = admin.post("/console/devices/new", {"label": "  ", "promoter": "x" * 121})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<span class="field-error" id="label-error">Este campo es obligatorio.</span>' in page
    assert "Usa como máximo 120 caracteres." in page
    with app.app_context():
        assert db.session.scalar(select(Device)) is None


def test_unknown_devices_are_404(console_as):
    admin = console_as("admin")
    assert admin.get("/console/devices/424242/revoke").status_code == 404
    assert admin.post("/console/devices/424242/revoke").status_code == 404
    assert admin.post("/console/devices/424242/code").status_code == 404


def test_the_cli_records_enrolment_and_revocation(app, runner):
    enrolled = runner.invoke(args=["devices", "enrol", "Tablet", "--promoter", "Ana"])
    assert enrolled.exit_code == 0, enrolled.output
    device_id = int(re.search(r"device (\d+)", enrolled.output).group(1))
    revoked = runner.invoke(args=["devices", "revoke", str(device_id)])
    assert revoked.exit_code == 0, revoked.output
    with app.app_context():
        rows = list(db.session.execute(select(
            AuditEvent.action, AuditEvent.user_id, AuditEvent.actor, AuditEvent.target)
            .order_by(AuditEvent.id)))
    assert [tuple(r) for r in rows] == [
        ("device_enrol", None, "cli", f"device {device_id}"),
        ("device_revoke", None, "cli", f"device {device_id}")]
