"""Creating coordinator accounts and checking their passwords."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .models import ROLES, User

MIN_PASSWORD = 10


class UserError(ValueError):
    pass


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, name: str, role: str, password: str) -> User:
    email = normalize_email(email)
    if "@" not in email:
        raise UserError("invalid e-mail address")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password must have at least {MIN_PASSWORD} characters")
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise UserError("a user with that e-mail already exists")
    user = User(email=email, name=name.strip(), role=role,
                password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
