"""Sign-in hardening: clear refusals that are audited, rate limits, cookie flags, CSRF on
every form, sign-out, no open redirects, and deactivated accounts lose their session."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from server.audit.models import AuditEvent
from server.extensions import db, limiter
from server.users.models import User

from .conftest import PASSWORD, ConsoleClient, sign_in


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_wrong_password_gets_a_401_page_and_an_audit_row(app, console_as, users):
    anonymous = console_as(None)
    response = anonymous.post("/console/sign-in", {"email": " Admin@Example.org ",
                                                   "password": "not-the-password"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Correo o contraseña incorrectos." in page
    assert 'value=" Admin@Example.org "' in page  # kept, so only the password is retyped
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "sign_in_failed"))
        assert (event.actor, event.user_id, event.ip) == ("admin@example.org", None, "127.0.0.1")
    assert anonymous.get("/console/").status_code == 302


def test_sign_in_attempts_are_rate_limited(app_factory, users_in):
    app = app_factory(RATELIMIT_SIGN_IN="3 per minute")
    with app.app_context():
        limiter.reset()
    users_in(app)
    anonymous = ConsoleClient(app.test_client(), None)
    for _ in range(3):
        assert anonymous.post("/console/sign-in", {
            "email": "admin@example.org", "password": "guess-guess-guess"}).status_code == 401
    blocked = anonymous.post("/console/sign-in", {"email": "admin@example.org",
                                                  "password": PASSWORD})
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "<html" in page and "Demasiados intentos" in page
    # looking at the form is not an attempt
    assert anonymous.get("/console/sign-in").status_code == 200
    assert _count(app, AuditEvent, AuditEvent.action == "sign_in") == 0


def test_the_session_cookie_is_httponly_and_samesite(app, users):
    client = app.test_client()
    sign_in(client, users["admin"])
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure  # plain http in development


def test_in_production_the_cookie_is_secure_only_and_forms_work_over_https(app_factory,
                                                                          users_in):
    """A browser sends no Referer here (Referrer-Policy: no-referrer): forms must not need it."""
    app = app_factory(ENV="production", SECRET_KEY="s" * 40)
    users_in(app)
    client = app.test_client()
    https = "https://willay.example"
    form = client.get("/console/sign-in", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', form).group(1)
    response = client.post("/console/sign-in", base_url=https, data={
        "email": "admin@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[-300:]
    header = response.headers["Set-Cookie"]
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, console_as):
    admin = console_as("admin")
    before = _count(app, User)
    response = admin.post("/console/users/new", {
        "email": "new@example.org", "name": "New", "role": "admin",
        "password": "long-enough-pw"}, csrf=False)
    assert response.status_code == 400
    assert "Este formulario venció o no vino de este sitio." in response.get_data(as_text=True)
    assert _count(app, User) == before
    forged = admin.post("/console/users/new", {
        "email": "new@example.org", "name": "New", "role": "admin",
        "password": "long-enough-pw", "csrf_token": "forged"})
    assert forged.status_code == 400
    assert _count(app, User) == before
    # signing in needs the token too (no login CSRF)
    assert console_as(None).post("/console/sign-in", {
        "email": "admin@example.org", "password": PASSWORD}, csrf=False).status_code == 400


def test_sign_out_ends_the_session(app, console_as, users):
    admin = console_as("admin")
    assert admin.get("/console/").status_code == 200
    assert admin.get("/console/sign-out").status_code == 405  # a link cannot sign you out
    response = admin.post("/console/sign-out")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/console/sign-in")
    back = admin.get("/console/")
    assert back.status_code == 302 and "/console/sign-in" in back.headers["Location"]
    assert _count(app, AuditEvent, AuditEvent.action == "sign_out") == 1


@pytest.mark.parametrize("target", [
    "https://evil.example/console/", "//evil.example/", "/\\evil.example/",
    "\\\\evil.example", "javascript:alert(1)", "/%5Cevil.example",
])
def test_next_never_leads_to_another_site(app, users, target):
    console = ConsoleClient(app.test_client(), None)
    response = console.client.post("/console/sign-in", query_string={"next": target}, data={
        "email": users["admin"], "password": PASSWORD, "csrf_token": console.csrf_token()})
    assert response.status_code == 302
    # browsers read a backslash as a slash: "/\\host" would be another site
    location = response.headers["Location"].replace("\\", "/")
    assert location.startswith("/") and not location.startswith("//"), location


def test_next_on_this_site_is_followed(app, users):
    console = ConsoleClient(app.test_client(), None)
    response = console.client.post(
        "/console/sign-in", query_string={"next": "/console/users?x=1"},
        data={"email": users["admin"], "password": PASSWORD,
              "csrf_token": console.csrf_token()})
    assert response.headers["Location"] == "/console/users?x=1"


def test_a_deactivated_users_session_stops_working(app, console_as, users):
    coordinator = console_as("coordinator")
    assert coordinator.get("/console/").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == users["coordinator"]))
        user.active = False
        db.session.commit()
    response = coordinator.get("/console/")
    assert response.status_code == 302 and "/console/sign-in" in response.headers["Location"]


@pytest.fixture
def users_in():
    """Create the role users in another app built by app_factory."""
    from server.users.services import create_user

    def make(app) -> None:
        with app.app_context():
            for role in ("admin", "coordinator", "viewer"):
                create_user(f"{role}@example.org", role.title(), role, PASSWORD)

    return make
