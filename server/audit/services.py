"""Recording audit events. The caller's transaction carries the event, so an action and
its record are committed (or rolled back) together."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from ..extensions import db
from .models import AuditEvent


def record(action: str, *, user: Any = None, actor: str | None = None, target: str = "",
           details: dict[str, Any] | None = None) -> AuditEvent:
    """Add an event to the session (the caller commits). `user` is a User or None (CLI)."""
    ip = request.remote_addr if has_request_context() else None
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        actor=actor if actor is not None else (getattr(user, "email", None) or "cli"),
        action=action, target=target[:200], details=details or None, ip=ip,
    )
    db.session.add(event)
    return event
