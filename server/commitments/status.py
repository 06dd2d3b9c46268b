"""Commitment status: what a coordinator sets, and "late" worked out from the due date.

Decision (docs/commitments.md): a commitment still pending or in progress after its due date
counts as late without anyone setting it, everywhere it is shown or counted; a coordinator
may also set "late" by hand (e.g. the actor announced a delay). The stored status is never
rewritten by a job, so nothing depends on one having run."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select

from ..extensions import db
from ..peru import PERU_TZ
from ..places.services import ubigeo_prefix
from ..plans.models import project_districts
from .models import Commitment

OPEN = ("pending", "in_progress")


def peru_today() -> date:
    return datetime.now(PERU_TZ).date()


def effective_status(commitment: Commitment, today: date | None = None) -> str:
    today = today or peru_today()
    if (commitment.status in OPEN and commitment.due_date is not None
            and commitment.due_date < today):
        return "late"
    return commitment.status


def late_clause(today: date | None = None) -> ColumnElement[bool]:
    """SQL: the commitment is late (set so, or open past its due date)."""
    today = today or peru_today()
    return or_(Commitment.status == "late", and_(
        Commitment.status.in_(OPEN), Commitment.due_date.is_not(None),
        Commitment.due_date < today))


def in_areas_clause(areas: tuple[str, ...]) -> ColumnElement[bool] | None:
    """SQL: the commitment's project has a district in one of the areas (None: no limit)."""
    if not areas:
        return None
    inside = or_(*(project_districts.c.ubigeo.startswith(ubigeo_prefix(a)) for a in areas))
    return Commitment.project_id.in_(select(project_districts.c.project_id).where(inside))


def count_late(areas: tuple[str, ...] = (), today: date | None = None) -> int:
    """The number of late commitments on projects in these areas: the dashboard's hook
    (server/dashboard/headline.py `commitments_late`)."""
    stmt = select(func.count()).select_from(Commitment).where(late_clause(today))
    limit = in_areas_clause(areas)
    if limit is not None:
        stmt = stmt.where(limit)
    return db.session.scalar(stmt) or 0
