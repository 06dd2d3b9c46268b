"""Who may do what in the console: sign-in sessions (Flask-Login), roles and area limits.

Roles (least privilege):
- admin: everything, including users, devices and the audit log;
- coordinator: surveys, plans, review, replies, exports (personal data when asked);
- viewer: dashboards and aggregates only: no personal data, no raw submissions, no exports.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import LoginManager, current_user
from sqlalchemy import select

from ..extensions import db
from ..users.models import User, user_areas

login_manager = LoginManager()
login_manager.login_view = "console.sign_in"
login_manager.session_protection = "strong"

# permission -> roles holding it
PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard": frozenset({"admin", "coordinator", "viewer"}),
    "plans_view": frozenset({"admin", "coordinator", "viewer"}),
    "plans_edit": frozenset({"admin", "coordinator"}),
    "surveys": frozenset({"admin", "coordinator"}),
    "submissions": frozenset({"admin", "coordinator"}),
    "review": frozenset({"admin", "coordinator"}),
    "export": frozenset({"admin", "coordinator"}),
    "personal": frozenset({"admin", "coordinator"}),
    "devices": frozenset({"admin"}),
    "users": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
}


@login_manager.user_loader
def _load_user(key: str) -> User | None:
    user_id, _dot, fingerprint = key.partition(".")
    if not user_id.isdigit() or len(user_id) > 9:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.password_fingerprint != fingerprint:
        return None  # gone, deactivated, or its password changed since this session began
    return user


def can(permission: str, user: Any = None) -> bool:
    user = user if user is not None else current_user
    return bool(getattr(user, "is_authenticated", False)) and user.role in PERMISSIONS[permission]


def requires(permission: str) -> Callable:
    """View decorator: anonymous visitors go to sign-in, signed-in users without the
    permission get 403."""
    if permission not in PERMISSIONS:
        raise KeyError(permission)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("console.sign_in", next=request.full_path))
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.willay_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorate


def area_limits(user: Any = None) -> tuple[str, ...]:
    """The department/province ubigeos a user is limited to; () means everywhere."""
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return ()
    return tuple(sorted(db.session.scalars(
        select(user_areas.c.ubigeo).where(user_areas.c.user_id == user.id))))
