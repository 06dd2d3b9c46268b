"""Coordinator accounts: creating them, changing role/name/active, area limits, passwords.

Every change made here is recorded in the audit log in the same transaction (`by` is the
acting User, or None for the CLI)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..extensions import db
from ..places.models import Place
from . import sessions
from .models import ROLES, User, user_areas

MIN_PASSWORD = 10
AREA_LEVELS = ("department", "province")


class UserError(ValueError):
    """A refused account change. `code` lets a page show a translated message beside `field`."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password must have at least {MIN_PASSWORD} characters",
                        code="password_short", field="password")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}", code="role", field="role")


def create_user(email: str, name: str, role: str, password: str, *, by: Any = None,
                areas: Iterable[str] = ()) -> User:
    email = normalize_email(email)
    if "@" not in email:
        raise UserError("invalid e-mail address", code="email", field="email")
    _check_role(role)
    _check_password(password)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise UserError("a user with that e-mail already exists", code="email_taken",
                        field="email")
    chosen = _valid_areas(areas)
    user = User(email=email, name=name.strip(), role=role,
                password_hash=_hash(password))
    db.session.add(user)
    db.session.flush()
    _write_areas(user, chosen)
    record("user_create", user=by, target=user.email,
           details={"role": role, "name": user.name, "areas": chosen})
    db.session.commit()
    return user


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["WILLAY"]["PASSWORD_HASH"])


# checked when no account matches, so a wrong e-mail takes as long as a wrong password and
# the sign-in page does not tell which e-mails have accounts
_NO_ACCOUNT: dict[str, str] = {}  # by hash method, so it costs what a real check costs


def _no_account() -> str:
    method = current_app.config["WILLAY"]["PASSWORD_HASH"]
    if method not in _NO_ACCOUNT:
        _NO_ACCOUNT[method] = generate_password_hash("no account has this password", method)
    return _NO_ACCOUNT[method]


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.active:
        check_password_hash(_no_account(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))


def update_user(user: User, *, by: Any, name: str | None = None, role: str | None = None,
                active: bool | None = None) -> dict[str, list]:
    """Change what was given; returns {field: [before, after]} for what really changed.
    Nobody can demote or deactivate themself: another admin must do it, so an admin never
    locks everyone out by mistake."""
    is_self = by is not None and getattr(by, "id", None) == user.id
    if role is not None:
        _check_role(role)
        if is_self and role != user.role:
            raise UserError("you cannot change your own role", code="self_role", field="role")
    if active is not None and is_self and not active:
        raise UserError("you cannot deactivate yourself", code="self_deactivate",
                        field="active")
    changes: dict[str, list] = {}
    for field, value in (("name", name.strip() if name is not None else None), ("role", role),
                         ("active", active)):
        if value is not None and getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if changes.get("active") == [True, False]:
        sessions.end_all(user.id)  # a reactivated account must sign in again
    if changes:
        record("user_update", user=by, target=user.email, details={"changes": changes})
    db.session.commit()
    return changes


def user_area_codes(user: User) -> list[str]:
    return sorted(db.session.scalars(
        select(user_areas.c.ubigeo).where(user_areas.c.user_id == user.id)))


def set_areas(user: User, ubigeos: Iterable[str], *, by: Any) -> list[str]:
    """Limit a user to these departments/provinces (none: everywhere)."""
    after = _valid_areas(ubigeos)
    before = user_area_codes(user)
    _write_areas(user, after)
    if before != after:
        record("user_update", user=by, target=user.email,
               details={"changes": {"areas": [before, after]}})
    db.session.commit()
    return after


def _valid_areas(ubigeos: Iterable[str]) -> list[str]:
    wanted = sorted(set(ubigeos))
    if wanted:
        known = set(db.session.scalars(select(Place.ubigeo).where(
            Place.ubigeo.in_(wanted), Place.level.in_(AREA_LEVELS))))
        unknown = [code for code in wanted if code not in known]
        if unknown:
            raise UserError(f"not a department or province: {', '.join(unknown)}",
                            code="areas", field="areas")
    return wanted


def _write_areas(user: User, wanted: list[str]) -> None:
    db.session.execute(delete(user_areas).where(user_areas.c.user_id == user.id))
    if wanted:
        db.session.execute(user_areas.insert(),
                           [{"user_id": user.id, "ubigeo": code} for code in wanted])


def reset_password(user: User, password: str, *, by: Any) -> None:
    """Set a new password chosen by an admin (never stored or logged in clear)."""
    _check_password(password)
    user.password_hash = _hash(password)
    sessions.end_all(user.id)
    record("user_update", user=by, target=user.email, details={"changes": {"password": True}})
    db.session.commit()
