"""Console sessions live on the server: a copy of the cookie is worth nothing after sign-out,
deactivation or a new password, and sessions end when idle or old. Console pages and API
answers with personal data are never kept by browsers or proxies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from server.audit.models import AuditEvent
from server.db_types import utcnow
from server.extensions import db
from server.submissions.models import Submission
from server.users.models import User
from server.users.services import reset_password, update_user

from .conftest import PASSWORD, ConsoleClient, sign_in


def replay(app, console: ConsoleClient) -> ConsoleClient:
    """Another client holding a copy of this one's cookie (same address and User-Agent)."""
    thief = ConsoleClient(app.test_client(), console.email)
    thief._token = console.csrf_token()  # the form token, stolen with the cookie
    thief.client.set_cookie("session", console.client.get_cookie("session").value)
    return thief


def audit_count(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action))


def signed_out(response) -> bool:
    return response.status_code == 302 and "/console/sign-in" in response.headers["Location"]


def test_a_cookie_replayed_after_sign_out_opens_nothing_and_changes_nothing(
        app, console_as, interview):
    coordinator = console_as("coordinator")
    copy = replay(app, coordinator)
    assert copy.get(f"/console/submissions/{interview}").status_code == 200  # a live copy works
    assert coordinator.post("/console/sign-out").status_code == 302

    assert signed_out(copy.get(f"/console/submissions/{interview}"))
    assert signed_out(copy.post(f"/console/submissions/{interview}/review",
                                {"status": "spam", "comment": "replayed"}))
    export = copy.post("/console/exports", {"survey": "moq-household", "personal": "on"})
    assert signed_out(export) and b"Justina" not in export.get_data()
    with app.app_context():
        assert db.session.get(Submission, interview).status == "new"
    assert audit_count(app, "review") == 0 and audit_count(app, "export") == 0


def test_signing_out_ends_only_that_session(app, users):
    laptop, phone = (sign_in(app.test_client(), users["coordinator"]) for _ in range(2))
    laptop.post("/console/sign-out")
    assert signed_out(laptop.get("/console/"))
    assert phone.get("/console/").status_code == 200


def test_deactivation_ends_sessions_for_good_even_after_reactivation(app, console_as, users):
    coordinator = console_as("coordinator")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == users["coordinator"]))
        update_user(user, by=None, active=False)
        assert signed_out(coordinator.get("/console/"))
        update_user(user, by=None, active=True)
    assert signed_out(coordinator.get("/console/"))  # the old cookie stays dead
    assert sign_in(app.test_client(), users["coordinator"]).get("/console/").status_code == 200


def test_a_new_password_ends_every_open_session(app, console_as, users):
    coordinator = console_as("coordinator")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == users["coordinator"]))
        reset_password(user, "another long password", by=None)
    assert signed_out(coordinator.get("/console/"))
    assert sign_in(app.test_client(), users["coordinator"],
                   "another long password").get("/console/").status_code == 200


def age_sessions(app, *, idle: timedelta = timedelta(0), age: timedelta = timedelta(0)) -> None:
    from server.users.models import ConsoleSession

    with app.app_context():
        now = utcnow()
        db.session.execute(update(ConsoleSession).values(last_seen_at=now - idle,
                                                         created_at=now - age))
        db.session.commit()


def test_a_session_ends_after_two_idle_hours(app, console_as):
    coordinator = console_as("coordinator")
    age_sessions(app, idle=timedelta(minutes=119), age=timedelta(hours=3))
    assert coordinator.get("/console/").status_code == 200  # and this use renews it
    age_sessions(app, idle=timedelta(minutes=121), age=timedelta(hours=3))
    assert signed_out(coordinator.get("/console/"))
    page = coordinator.get("/console/sign-in?lang=es").get_data(as_text=True)
    assert "Tu sesión venció. Vuelve a ingresar." in page


def test_a_session_ends_twelve_hours_after_sign_in_even_if_used(app, console_as):
    coordinator = console_as("coordinator")
    age_sessions(app, idle=timedelta(minutes=1), age=timedelta(hours=11, minutes=59))
    assert coordinator.get("/console/").status_code == 200
    age_sessions(app, idle=timedelta(minutes=1), age=timedelta(hours=12, minutes=1))
    assert signed_out(coordinator.get("/console/"))


def test_the_timeouts_are_configurable(app_factory):
    app = app_factory(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    from server.users.services import create_user

    with app.app_context():
        create_user("admin@example.org", "Admin", "admin", PASSWORD)
    admin = sign_in(app.test_client(), "admin@example.org")
    age_sessions(app, idle=timedelta(minutes=6))
    assert signed_out(admin.get("/console/"))
    admin = sign_in(app.test_client(), "admin@example.org")
    age_sessions(app, age=timedelta(minutes=61))
    assert signed_out(admin.get("/console/"))


def test_the_cookie_carries_no_user_data_only_a_server_side_token(app, console_as):
    from server.users.models import ConsoleSession

    coordinator = console_as("coordinator")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsoleSession)) == 1
    coordinator.post("/console/sign-out")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsoleSession)) == 0


@pytest.mark.parametrize("path", ["/console/sign-in", "/console/", "/console/submissions",
                                  "/console/exports", "/console/users", "/console/audit",
                                  "/console/no-such-page"])
def test_console_pages_are_never_stored(console_as, interview, path):
    response = console_as("admin").get(path)
    assert "no-store" in response.headers["Cache-Control"], path


def test_a_submission_page_and_its_photos_are_never_stored(console_as, interview):
    admin = console_as("admin")
    response = admin.get(f"/console/submissions/{interview}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "no-store" in admin.post("/console/exports", {
        "survey": "moq-household", "personal": "on"}).headers["Cache-Control"]


def test_api_answers_with_tokens_or_replies_are_never_stored(app, client, demo, link_headers):
    from helpers import feedback_item

    from server.devices.services import enrol_device

    with app.app_context():
        code = enrol_device("Phone", "Rosa").code
    assert client.post("/api/v1/devices/pair", json={"code": code}).headers[
        "Cache-Control"] == "no-store"
    receipt = client.post("/api/v1/submissions", json={"submissions": [feedback_item()]},
                          headers=link_headers).get_json()["results"][0]["receipt"]
    assert client.get(f"/api/v1/receipts/{receipt}").headers["Cache-Control"] == "no-store"
    # what may be cached still says how (places, surveys)
    assert "max-age" in client.get("/api/v1/places").headers["Cache-Control"]
