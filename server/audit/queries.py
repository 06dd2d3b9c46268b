"""Reading the audit log: newest first, filtered, in pages by keyset (never OFFSET), so a
page costs the same on the first day and after millions of events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, func, or_, select

from ..extensions import db
from ..peru import peru_midnight
from ..textmatch import contains
from .models import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    next_before: int | None  # the `before` cursor of the next (older) page


def filtered(action: str | None = None, actor: str | None = None, since: date | None = None,
             until: date | None = None) -> Select:
    stmt = select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor:
        stmt = stmt.where(contains(func.lower(AuditEvent.actor), actor.strip().lower()))
    if since:
        stmt = stmt.where(AuditEvent.at >= peru_midnight(since))
    if until:
        stmt = stmt.where(AuditEvent.at < peru_midnight(until + timedelta(days=1)))
    return stmt


def page(stmt: Select, before: int | None = None, size: int = PAGE_SIZE) -> AuditPage:
    """Events older than the event `before` (by time, then id), newest first."""
    if before is not None:
        at = db.session.scalar(select(AuditEvent.at).where(AuditEvent.id == before))
        if at is not None:
            # `at <= :at` on its own lets the database walk the `at` index
            stmt = stmt.where(AuditEvent.at <= at, or_(
                AuditEvent.at < at, and_(AuditEvent.at == at, AuditEvent.id < before)))
        else:
            stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    return AuditPage(rows, rows[-1].id if more and rows else None)

