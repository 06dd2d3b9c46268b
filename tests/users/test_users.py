"""Coordinator accounts: roles, hashed passwords, clear refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.extensions import db
from server.users.models import User
from server.users.services import UserError, authenticate, create_user


def test_passwords_are_hashed_and_checked(app):
    with app.app_context():
        create_user("Ana@Example.org", "Ana Flores", "coordinator", "quinua-y-maiz-2026")
        user = db.session.scalar(select(User))
        assert user.email == "ana@example.org"
        assert "quinua" not in user.password_hash and user.password_hash.startswith("scrypt:")
        assert authenticate("ANA@example.org", "quinua-y-maiz-2026").id == user.id
        assert authenticate("ana@example.org", "wrong-password-123") is None
        user.active = False
        db.session.commit()
        assert authenticate("ana@example.org", "quinua-y-maiz-2026") is None


@pytest.mark.parametrize(("email", "role", "password", "problem"), [
    ("nobody", "viewer", "long-enough-pw", "e-mail"),
    ("a@b.pe", "boss", "long-enough-pw", "role"),
    ("a@b.pe", "viewer", "short", "at least"),
])
def test_bad_accounts_are_refused(app, email, role, password, problem):
    with app.app_context(), pytest.raises(UserError, match=problem):
        create_user(email, "X", role, password)


def test_an_email_is_used_once(app):
    with app.app_context():
        create_user("a@b.pe", "A", "viewer", "long-enough-pw")
        with pytest.raises(UserError, match="already exists"):
            create_user("A@B.pe", "A2", "admin", "long-enough-pw")


def test_cli_creates_a_user(app, runner):
    result = runner.invoke(args=["users", "create", "c@b.pe", "--name", "C", "--role", "admin",
                                 "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "c@b.pe")) == "admin"
