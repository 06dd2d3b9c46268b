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

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..users import sessions
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
    "publish": frozenset({"admin", "coordinator"}),  # the public portal's content
    "personal": frozenset({"admin", "coordinator"}),
    "devices": frozenset({"admin"}),
    "users": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
    "maintenance": frozenset({"admin"}),  # media clean-up and other server upkeep
}


# the flask session key holding the server-side session's token (server/users/sessions.py)
SESSION_TOKEN = "willay_session"


@login_manager.user_loader
def _load_user(key: str) -> User | None:
    if not key.isdigit() or len(key) > 9:
        return None
    user = db.session.get(User, int(key))
    if user is None or not user.active:
        return None
    if not sessions.resume(session.get(SESSION_TOKEN), user.id):
        # signed out elsewhere, timed out, or ended by a new password or deactivation
        session.pop(SESSION_TOKEN, None)
        session.pop("_user_id", None)
        flash(_("Your session has expired. Sign in again."))
        return None
    return user


def start_session(user: User) -> None:
    """Sign in: a fresh cookie (nothing carried over from before) bound to a new server-side
    session. The caller commits."""
    sessions.end(session.get(SESSION_TOKEN))
    lang = session.get("lang")  # the language chosen on the sign-in page stays
    session.clear()
    if lang:
        session["lang"] = lang
    session[SESSION_TOKEN] = sessions.begin(user.id)
    login_user(user)


def end_session() -> None:
    """Sign out: the server forgets the session, so a kept copy of the cookie opens nothing.
    The chosen language survives. The caller commits."""
    sessions.end(session.get(SESSION_TOKEN))
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


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
