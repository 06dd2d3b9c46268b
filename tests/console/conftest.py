"""Console fixtures: one user per role (and one limited to a province), and signed-in test
clients whose form posts carry the page's CSRF token, as a browser's would."""

from __future__ import annotations

import re

import pytest

PASSWORD = "correct horse battery"
ROLES = ("admin", "coordinator", "viewer")
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class ConsoleClient:
    """A Flask test client signed in to the console."""

    def __init__(self, client, user_email: str | None):
        self.client = client
        self.email = user_email
        self._token: str | None = None

    def csrf_token(self) -> str:
        if self._token is None:
            page = self.client.get("/console/sign-in", follow_redirects=True).get_data(
                as_text=True)
            self._token = _TOKEN.search(page).group(1)
        return self._token

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.client.post(url, data=data, **kwargs)


def sign_in(client, email: str, password: str = PASSWORD) -> ConsoleClient:
    console = ConsoleClient(client, email)
    response = console.post("/console/sign-in", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    console._token = None  # the session was renewed at sign-in
    return console


@pytest.fixture
def users(app):
    """E-mail per role: admin, coordinator, viewer, and 'limited' (a coordinator limited to
    the province of General Sánchez Cerro, Moquegua: 180200)."""
    from server.extensions import db
    from server.users.models import user_areas
    from server.users.services import create_user

    emails = {}
    with app.app_context():
        for role in ROLES:
            emails[role] = create_user(f"{role}@example.org", role.title(), role, PASSWORD).email
        limited = create_user("limited@example.org", "Limited", "coordinator", PASSWORD)
        db.session.execute(user_areas.insert().values(user_id=limited.id, ubigeo="180200"))
        db.session.commit()
        emails["limited"] = limited.email
    return emails


@pytest.fixture
def console_as(app, users):
    """console_as('coordinator') -> a signed-in ConsoleClient; console_as(None) -> anonymous."""

    def make(role: str | None) -> ConsoleClient:
        client = app.test_client()
        if role is None:
            return ConsoleClient(client, None)
        return sign_in(client, users[role])

    return make
