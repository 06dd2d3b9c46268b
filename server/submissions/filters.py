"""The one set of submission filters shared by the console list, the dashboard, the exports
and `willay export`: parsed from query arguments by a schema, applied to a SELECT."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, validate
from marshmallow import fields as mf
from sqlalchemy import Select, or_, select

from ..api.schema_base import BaseSchema
from ..codes import normalize_code
from ..peru import peru_midnight
from ..places.names import search_key
from ..places.services import ubigeo_prefix
from ..plans.models import Project, Theme
from ..surveys.models import Survey, SurveyVersion
from ..textmatch import contains
from .models import CHANNELS, STATUSES, Submission

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
# interview times outside these years are stored empty (docs/api.md): no filter needs more,
# and year 9999 would overflow the day arithmetic
PLAUSIBLE_DATE = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31),
                                error=_l("Enter a date between 2000 and 2100."))


class FilterSchema(BaseSchema):
    class Meta:
        unknown = EXCLUDE

    survey = mf.String(validate=validate.Length(max=64))
    version = mf.Integer(validate=validate.Range(min=1, max=1_000_000))
    date_from = mf.Date(data_key="from", validate=PLAUSIBLE_DATE)
    date_to = mf.Date(data_key="to", validate=PLAUSIBLE_DATE)
    place = mf.String(validate=validate.Regexp(r"^\d{6}\Z"))
    theme = mf.String(validate=validate.Length(max=40))
    project = mf.String(validate=validate.Length(max=40))
    status = mf.String(validate=validate.OneOf(STATUSES))
    language = mf.String(validate=validate.OneOf(("es", "qu")))
    channel = mf.String(validate=validate.OneOf(CHANNELS))
    device = mf.Integer(validate=validate.Range(min=1, max=MAX_ID))
    q = mf.String(validate=validate.Length(max=200))


@dataclass(frozen=True)
class SubmissionFilter:
    survey: str | None = None
    version: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None  # a department, province or district ubigeo
    theme: str | None = None
    project: str | None = None
    status: str | None = None
    language: str | None = None
    channel: str | None = None
    device: int | None = None
    q: str | None = None
    # the signed-in user's area limits (department/province ubigeos); () = everywhere
    areas: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args: Any, areas: tuple[str, ...] = ()) -> SubmissionFilter:
        """Raises marshmallow.ValidationError with translated messages on bad input. Empty
        values (a form's blank select) count as "no filter"."""
        present = {k: v for k, v in dict(args).items() if v not in ("", None)}
        data = FilterSchema().load(present)
        return cls(**data, areas=areas)

    def as_args(self) -> dict[str, str]:
        """Query arguments that reproduce this filter (for links, pagination, exports)."""
        keys = {"date_from": "from", "date_to": "to"}
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "areas" and value not in (None, ""):
                out[keys.get(f.name, f.name)] = value.isoformat() if isinstance(
                    value, date) else str(value)
        return out

    def as_record(self) -> dict[str, Any]:
        """What the audit log keeps of this filter."""
        record: dict[str, Any] = dict(self.as_args())
        if self.areas:
            record["areas"] = list(self.areas)
        return record

    def apply(self, stmt: Select) -> Select:
        s = Submission
        if self.survey:
            stmt = stmt.where(s.survey_id == select(Survey.id).where(
                Survey.code == self.survey).scalar_subquery())
        if self.version:
            stmt = stmt.where(s.version_id.in_(select(SurveyVersion.id).where(
                SurveyVersion.number == self.version)))
        if self.date_from:
            stmt = stmt.where(s.received_at >= peru_midnight(self.date_from))
        if self.date_to:
            stmt = stmt.where(s.received_at < peru_midnight(self.date_to + timedelta(days=1)))
        if self.place:
            stmt = stmt.where(s.district_ubigeo.like(ubigeo_prefix(self.place) + "%"))
        if self.areas:
            stmt = stmt.where(or_(*(s.district_ubigeo.like(ubigeo_prefix(a) + "%")
                                    for a in self.areas)))
        if self.project:
            stmt = stmt.where(s.project_code == self.project)
        if self.theme:
            theme_projects = select(Project.code).join(Theme, Project.theme_id == Theme.id).where(
                Theme.code == self.theme)
            stmt = stmt.where(or_(s.theme_code == self.theme, s.project_code.in_(theme_projects)))
        if self.status:
            stmt = stmt.where(s.status == self.status)
        if self.language:
            stmt = stmt.where(s.language == self.language)
        if self.channel:
            stmt = stmt.where(s.channel == self.channel)
        if self.device:
            stmt = stmt.where(s.device_id == self.device)
        if self.q and search_key(self.q):
            text_match = contains(s.search_text, search_key(self.q))
            # a resident on the phone reads their receipt code: XXXX-XXXX, any case or dashes
            receipt = normalize_code(self.q)
            stmt = stmt.where(or_(text_match, s.receipt_code == receipt) if receipt
                              else text_match)
        return stmt


def in_areas(ubigeo: str | None, areas: tuple[str, ...]) -> bool:
    """Whether a district lies in one of the areas (no areas: everywhere)."""
    if not areas:
        return True
    return isinstance(ubigeo, str) and any(ubigeo.startswith(ubigeo_prefix(a)) for a in areas)


