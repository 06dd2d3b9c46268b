"""Console sessions held on the server: begun at sign-in, checked on every request, ended by
sign-out, deactivation, a new password, inactivity (WILLAY_SESSION_IDLE_MINUTES) or age
(WILLAY_SESSION_MAX_HOURS).

The session cookie only carries a random token. A copy of the cookie is worth nothing once
the row is gone, so replaying it after sign-out opens nothing. Callers commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_

from ..db_types import utcnow
from ..extensions import db
from .models import ConsoleSession

# last_seen_at is written at most this often, so browsing costs about one write a minute
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta]:
    willay = current_app.config["WILLAY"]
    return (timedelta(minutes=willay["SESSION_IDLE_MINUTES"]),
            timedelta(hours=willay["SESSION_MAX_HOURS"]))


def _expired(row: ConsoleSession, now: datetime) -> bool:
    idle, lifetime = _limits()
    return now - row.last_seen_at > idle or now - row.created_at > lifetime


def begin(user_id: int) -> str:
    """A new session for this user; returns the token to keep in the cookie. Sessions that
    ran out (anyone's) are swept here, so the table only holds live ones."""
    now = utcnow()
    idle, lifetime = _limits()
    db.session.execute(delete(ConsoleSession).where(or_(
        ConsoleSession.last_seen_at < now - idle, ConsoleSession.created_at < now - lifetime)))
    token = secrets.token_urlsafe(32)
    db.session.add(ConsoleSession(token_hash=_hash(token), user_id=user_id, created_at=now,
                                  last_seen_at=now))
    return token


def resume(token: object, user_id: int) -> bool:
    """Whether this token is a live session of this user; marks it as used."""
    if not isinstance(token, str) or not token:
        return False
    row = db.session.get(ConsoleSession, _hash(token))
    if row is None or row.user_id != user_id:
        return False
    now = utcnow()
    if _expired(row, now):
        db.session.delete(row)
        return False
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return True


def end(token: object) -> None:
    if isinstance(token, str) and token:
        db.session.execute(delete(ConsoleSession).where(
            ConsoleSession.token_hash == _hash(token)))


def end_all(user_id: int) -> None:
    """End every session of a user: deactivated, or given a new password (the admin who sets
    their own password signs in again with it, like everyone else)."""
    db.session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
