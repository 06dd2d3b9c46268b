"""The dashboard's headline figures: what needs a coordinator's attention today.

Counts come from the rollups (server/rollups), limited to the user's areas; only the
overdue figure's last, partial day is counted on the (status, received_at) index. Figures
computed elsewhere (commitments late) plug in through a hook that returns None while that
part is missing: a None figure is not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import format_number, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..commitments.status import count_late
from ..db_types import utcnow
from ..extensions import db
from ..peru import peru_midnight
from ..places.services import ubigeo_prefix
from ..review.services import RESIDENT_CHANNELS
from ..rollups.keys import peru_day
from ..rollups.models import SubmissionRollup
from ..rollups.queries import counted
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission

# resident feedback still without an answer: not answered, closed or spam
WAITING_STATES = ("new", "verified", "flagged")


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    count: int
    href_args: dict[str, str]  # the submissions list that shows these items ({} = no link)
    alert: bool = False

    @property
    def count_text(self) -> str:
        return format_number(self.count)


def _in_areas(stmt, areas: tuple[str, ...]):
    if areas:
        stmt = stmt.where(or_(*(Submission.district_ubigeo.like(ubigeo_prefix(a) + "%")
                                for a in areas)))
    return stmt


def _count(areas: tuple[str, ...], *conditions) -> int:
    stmt = select(func.count()).select_from(Submission).where(*conditions)
    return int(db.session.scalar(_in_areas(stmt, areas)) or 0)


def commitments_late(areas: tuple[str, ...]) -> int | None:
    """The number of late commitments in these areas (server/commitments/status.py: set so,
    or still open after the due date); a hook, so that the tile can be left out (None)."""
    return count_late(areas)


def overdue_days() -> int:
    return max(1, int(current_app.config["WILLAY"].get("ANSWER_OVERDUE_DAYS", 7)))


def _rollup_count(areas: tuple[str, ...], *conditions, before=None) -> int:
    """From the rollups; `before`: only what arrived before that Peru day."""
    flt = SubmissionFilter(areas=areas, date_to=before - timedelta(days=1) if before else None)
    return counted(SubmissionRollup, flt, *conditions)


def _overdue(areas: tuple[str, ...], cutoff) -> int:
    """Waiting since before `cutoff`: whole Peru days from the rollups, the cutoff's own day
    from the submissions (an index range of one day)."""
    r = SubmissionRollup
    day = peru_day(cutoff)
    whole_days = _rollup_count(areas, r.status.in_(WAITING_STATES),
                               r.channel.in_(RESIDENT_CHANNELS), before=day)
    return whole_days + _count(
        areas, Submission.status.in_(WAITING_STATES), Submission.channel.in_(RESIDENT_CHANNELS),
        Submission.received_at >= peru_midnight(day), Submission.received_at < cutoff)


def headline_figures(areas: tuple[str, ...],
                     late_hook: Callable[[tuple[str, ...]], int | None] = commitments_late,
                     ) -> list[Headline]:
    days = overdue_days()
    r = SubmissionRollup
    cutoff = utcnow() - timedelta(days=days)
    waiting = (r.status.in_(WAITING_STATES), r.channel.in_(RESIDENT_CHANNELS))
    figures = [
        Headline("new", str(_l("New items waiting for review")),
                 _rollup_count(areas, r.status == "new"), {"status": "new"}),
        Headline("waiting", str(_l("Residents waiting for an answer")),
                 _rollup_count(areas, *waiting), {}),
        Headline("overdue", ngettext("Answers overdue (more than %(num)s day)",
                                     "Answers overdue (more than %(num)s days)", days),
                 _overdue(areas, cutoff), {}, alert=True),
    ]
    late = late_hook(areas)
    if late is not None:
        figures.append(Headline("late", str(_l("Commitments late")), late, {}, alert=True))
    return figures
