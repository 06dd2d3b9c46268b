"""Admins manage accounts: create, change role and name, deactivate, reset passwords, limit
to areas; every change is audited, bad input is shown beside its field, in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.users.models import User, user_areas

from .conftest import PASSWORD, ConsoleClient, sign_in


def _user(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _areas(app, user_id: int) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(
            select(user_areas.c.ubigeo).where(user_areas.c.user_id == user_id)))


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))
        for event in events:
            db.session.expunge(event)
        return events


NEW = {"email": "Rosa@Example.org", "name": "Rosa Quispe", "role": "coordinator",
       "password": "pachamama-2026"}


def test_an_admin_creates_an_account_that_can_sign_in(app, console_as, users):
    admin = console_as("admin")
    response = admin.post("/console/users/new", {**NEW, "areas": ["180000", "180200"]})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rosa Quispe" in page and "rosa@example.org" in page
    created = _user(app, "rosa@example.org")
    assert created.role == "coordinator" and created.active
    assert _areas(app, created.id) == ["180000", "180200"]
    listing = admin.get("/console/users").get_data(as_text=True)
    assert "rosa@example.org" in listing and "Moquegua" in listing
    event = _events(app, "user_create")[-1]
    assert event.actor == users["admin"] and event.target == "rosa@example.org"
    assert event.details["role"] == "coordinator"
    assert "pachamama" not in str(event.details)
    sign_in(app.test_client(), "rosa@example.org", "pachamama-2026")


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"email": "no-at-sign"}, "email", "Escribe un correo como nombre@ejemplo.org."),
    ({"password": "short"}, "password", "Usa al menos 10 caracteres."),
    ({"role": "boss"}, "role", "Elige uno de los roles."),
    ({"name": "   "}, "name", "Este campo es obligatorio."),
    ({"areas": ["180101"]}, "areas", "Elige departamentos o provincias de la lista."),
    ({"email": "admin@example.org"}, "email", "Ya existe un usuario con este correo."),
])
def test_bad_input_is_shown_beside_its_field_and_nothing_is_created(
        app, console_as, form, field, message):
    admin = console_as("admin")
    response = admin.post("/console/users/new", {**NEW, **form})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<span class="field-error" id="{field}-error">{message}</span>' in page
    assert f'name="{field}"' in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "rosa@example.org")) is None
        assert len(_events(app, "user_create")) == 4  # the fixture's users only


def test_errors_are_in_quechua_when_the_console_speaks_quechua(app, console_as):
    admin = console_as("admin")
    admin.post("/console/language", {"lang": "qu", "next": "/console/users"})
    page = admin.post("/console/users/new", {**NEW, "password": "short"}).get_data(as_text=True)
    assert 'lang="qu"' in page
    assert "Usa al menos" not in page
    assert 'id="password-error"' in page


def test_role_and_name_changes_are_audited(app, console_as, users):
    admin = console_as("admin")
    viewer = _user(app, users["viewer"])
    response = admin.post(f"/console/users/{viewer.id}",
                          {"name": "Vera Mamani", "role": "coordinator"})
    assert response.status_code == 302
    changed = _user(app, users["viewer"])
    assert (changed.name, changed.role) == ("Vera Mamani", "coordinator")
    event = _events(app, "user_update")[-1]
    assert event.details == {"changes": {"name": ["Viewer", "Vera Mamani"],
                                         "role": ["viewer", "coordinator"]}}
    page = admin.get("/console/audit?action=user_update").get_data(as_text=True)
    assert "Observador → Coordinador" in page


def test_an_admin_cannot_demote_or_deactivate_themself(app, console_as, users):
    admin = console_as("admin")
    me = _user(app, users["admin"])
    demote = admin.post(f"/console/users/{me.id}", {"name": "Admin", "role": "viewer"})
    assert demote.status_code == 422
    assert "No puedes cambiar tu propio rol. Pídeselo a otro administrador." in \
        demote.get_data(as_text=True)
    off = admin.post(f"/console/users/{me.id}/active", {"active": "0"})
    assert off.status_code == 422
    assert "No puedes desactivar tu propia cuenta" in off.get_data(as_text=True)
    still = _user(app, users["admin"])
    assert still.role == "admin" and still.active
    assert _events(app, "user_update") == []
    assert admin.get("/console/users").status_code == 200


def test_a_deactivated_user_is_signed_out_and_can_be_reactivated(app, console_as, users):
    admin = console_as("admin")
    coordinator = console_as("coordinator")
    assert coordinator.get("/console/").status_code == 200
    target = _user(app, users["coordinator"])
    assert admin.post(f"/console/users/{target.id}/active", {"active": "0"}).status_code == 302
    gone = coordinator.get("/console/")
    assert gone.status_code == 302 and "/console/sign-in" in gone.headers["Location"]
    again = coordinator.post("/console/sign-in", {"email": users["coordinator"],
                                                   "password": PASSWORD})
    assert again.status_code == 401
    assert admin.post(f"/console/users/{target.id}/active", {"active": "1"}).status_code == 302
    sign_in(app.test_client(), users["coordinator"])
    changes = [e.details["changes"]["active"] for e in _events(app, "user_update")]
    assert changes == [[True, False], [False, True]]


def test_a_password_reset_replaces_the_old_password(app, console_as, users):
    admin = console_as("admin")
    already_open = console_as("viewer")  # a session opened with the old password
    assert already_open.get("/console/").status_code == 200
    target = _user(app, users["viewer"])
    mismatch = admin.post(f"/console/users/{target.id}/password",
                          {"password": "nuevo-clave-123", "confirm": "nuevo-clave-124"})
    assert mismatch.status_code == 422
    assert 'id="confirm-error"' in mismatch.get_data(as_text=True)
    done = admin.post(f"/console/users/{target.id}/password",
                      {"password": "nuevo-clave-123", "confirm": "nuevo-clave-123"})
    assert done.status_code == 302
    sign_in(app.test_client(), users["viewer"], "nuevo-clave-123")
    stale = ConsoleClient(app.test_client(), None)
    assert stale.post("/console/sign-in", {"email": users["viewer"],
                                           "password": PASSWORD}).status_code == 401
    # the old session ends with the old password: the viewer is sent to sign in again
    assert already_open.get("/console/").status_code == 302
    event = _events(app, "user_update")[-1]
    assert event.details == {"changes": {"password": True}}
    assert "nuevo" not in str(event.details)


def test_areas_limit_what_a_user_sees(app, console_as, users):
    admin = console_as("admin")
    coordinator = _user(app, users["coordinator"])
    response = admin.post(f"/console/users/{coordinator.id}/areas",
                          {"areas_form": "1", "areas": ["180300", "040000"]})
    assert response.status_code == 302
    assert _areas(app, coordinator.id) == ["040000", "180300"]
    with app.app_context():
        from server.console.access import area_limits
        assert area_limits(db.session.get(User, coordinator.id)) == ("040000", "180300")
    page = admin.get(f"/console/users/{coordinator.id}").get_data(as_text=True)
    assert 'value="180300" selected' in page and 'value="040000" selected' in page
    # a district is not an area; nothing changes
    bad = admin.post(f"/console/users/{coordinator.id}/areas",
                     {"areas_form": "1", "areas": ["180301"]})
    assert bad.status_code == 422
    assert _areas(app, coordinator.id) == ["040000", "180300"]
    # none: everywhere again
    admin.post(f"/console/users/{coordinator.id}/areas", {"areas_form": "1"})
    assert _areas(app, coordinator.id) == []
    changes = [e.details["changes"]["areas"] for e in _events(app, "user_update")]
    assert changes == [[[], ["040000", "180300"]], [["040000", "180300"], []]]


def test_unknown_users_are_404(console_as):
    admin = console_as("admin")
    assert admin.get("/console/users/999999").status_code == 404
    assert admin.post("/console/users/999999/active", {"active": "0"}).status_code == 404
