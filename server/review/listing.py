"""The console's submissions list: keyset pagination, newest first, and a capped count.

Pages are addressed by the (received_at, id) of the row at their edge, never by OFFSET: a page
deep in a million rows costs the same as the first one (index ix_submissions_received_id), and
rows arriving meanwhile shift nothing, so no row is lost or shown twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from marshmallow import EXCLUDE
from marshmallow import fields as mf
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..api.schema_base import BaseSchema
from ..api.validators import FullMatch
from ..extensions import db
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission

PAGE_SIZE = 50
# counting every match of a broad filter over a million rows costs more than the page itself:
# we count up to this many and then say "more than"
COUNT_CAP = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TOKEN = r"^\d{1,16}-\d{1,18}$"  # µs since 1970 (up to year 2286), row id


@dataclass(frozen=True)
class Cursor:
    """The position of one row in the list order: its received_at and id."""

    received_at: datetime
    id: int

    @classmethod
    def of(cls, submission: Submission) -> Cursor:
        return cls(submission.received_at, submission.id)

    @classmethod
    def parse(cls, token: str) -> Cursor:
        micros, row_id = (int(part) for part in token.split("-"))
        return cls(EPOCH + timedelta(microseconds=micros), row_id)

    @property
    def token(self) -> str:
        micros = (self.received_at.astimezone(UTC) - EPOCH) // timedelta(microseconds=1)
        return f"{micros}-{self.id}"

    def older(self) -> ColumnElement[bool]:
        s, t = Submission, self.received_at
        # the leading "<=" lets the database walk the (received_at, id) index from here
        return and_(s.received_at <= t, or_(s.received_at < t, s.id < self.id))

    def newer(self) -> ColumnElement[bool]:
        s, t = Submission, self.received_at
        return and_(s.received_at >= t, or_(s.received_at > t, s.id > self.id))


class PageArgsSchema(BaseSchema):
    class Meta:
        unknown = EXCLUDE

    after = mf.String(validate=FullMatch(_TOKEN))
    before = mf.String(validate=FullMatch(_TOKEN))


@dataclass(frozen=True)
class Page:
    rows: list[Submission]
    next: Cursor | None  # link "older" (after=)
    previous: Cursor | None  # link "newer" (before=)


def _newest_first(stmt):
    return stmt.order_by(Submission.received_at.desc(), Submission.id.desc())


def _any(filt: SubmissionFilter, condition: ColumnElement[bool]) -> bool:
    inner = filt.apply(select(Submission.id)).where(condition)
    return bool(db.session.scalar(select(exists(inner))))


def list_page(filt: SubmissionFilter, after: Cursor | None = None,
              before: Cursor | None = None, size: int | None = None) -> Page:
    size = size or PAGE_SIZE
    base = filt.apply(select(Submission))
    if before is not None:
        stmt = base.where(before.newer()).order_by(Submission.received_at, Submission.id)
        found = list(db.session.scalars(stmt.limit(size + 1)))
        rows = list(reversed(found[:size]))
        newer = len(found) > size
        older = bool(rows) and _any(filt, Cursor.of(rows[-1]).older())
    else:
        stmt = _newest_first(base if after is None else base.where(after.older()))
        found = list(db.session.scalars(stmt.limit(size + 1)))
        rows = found[:size]
        older = len(found) > size
        newer = after is not None and bool(rows) and _any(filt, Cursor.of(rows[0]).newer())
    return Page(rows=rows,
                next=Cursor.of(rows[-1]) if older else None,
                previous=Cursor.of(rows[0]) if newer else None)


def capped_count(filt: SubmissionFilter, cap: int | None = None) -> tuple[int, bool]:
    """(count, more): the number of matches, or (cap, True) when there are more than cap."""
    cap = cap or COUNT_CAP
    limited = filt.apply(select(Submission.id)).limit(cap + 1).subquery()
    count = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return (cap, True) if count > cap else (count, False)


def get_visible(submission_id: int, areas: tuple[str, ...]) -> Submission | None:
    """A submission by id, or None when it does not exist or lies outside the user's areas."""
    stmt = SubmissionFilter(areas=areas).apply(select(Submission)).where(
        Submission.id == submission_id)
    return db.session.scalar(stmt)
