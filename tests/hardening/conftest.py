"""Fixtures for the hardening tests: console users per role, signed-in clients, and a paired
device's interview to open, review and export."""

from __future__ import annotations

import uuid

import pytest
from console.conftest import PASSWORD, ROLES, ConsoleClient, sign_in
from helpers import household_item

__all__ = ["PASSWORD", "ConsoleClient", "sign_in"]


@pytest.fixture
def users(app):
    """E-mail per role: admin, coordinator, viewer."""
    from server.users.services import create_user

    with app.app_context():
        return {role: create_user(f"{role}@example.org", role.title(), role, PASSWORD).email
                for role in ROLES}


@pytest.fixture
def console_as(app, users):
    """console_as('coordinator') -> a signed-in ConsoleClient; console_as(None) -> anonymous."""

    def make(role: str | None) -> ConsoleClient:
        client = app.test_client()
        return ConsoleClient(client, None) if role is None else sign_in(client, users[role])

    return make


@pytest.fixture
def interview(app, client, demo, device_headers) -> int:
    """The id of a stored promoter interview with personal answers (consent given)."""
    from sqlalchemy import select

    from server.extensions import db
    from server.submissions.models import Submission

    item = household_item(answers={"consent": "yes", "respondent_name": "Justina Ccori",
                                   "respondent_phone": "951000111"})
    response = client.post("/api/v1/submissions", json={"submissions": [item]},
                           headers=device_headers)
    assert response.get_json()["results"][0]["outcome"] == "stored"
    with app.app_context():
        return db.session.scalar(select(Submission.id).where(
            Submission.uuid == uuid.UUID(item["uuid"])))
