"""The columns of the submissions list, looked up once per page (no query per row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..devices.models import Device
from ..exports.questions import uses_personal_answers
from ..extensions import db
from ..places.services import names_by_code
from ..submissions.models import Submission
from ..surveys.models import Survey
from .display import definitions, excerpt, localized


@dataclass(frozen=True)
class ListRow:
    id: int
    received_at: datetime
    survey: str
    district: str
    channel: str
    promoter: str
    status: str
    language: str
    excerpt: str
    instance_name: str = ""  # the interview's readable name, when the survey gives one


def list_rows(rows: list[Submission], lang: str, with_personal: bool = False) -> list[ListRow]:
    """`with_personal`: show interview names made of personal answers too."""
    if not rows:
        return []
    titles = {sid: localized(title, lang, code) for sid, code, title in db.session.execute(
        select(Survey.id, Survey.code, Survey.title).where(
            Survey.id.in_({r.survey_id for r in rows})))}
    places = names_by_code({r.district_ubigeo for r in rows})
    device_ids = {r.device_id for r in rows if r.device_id}
    devices = {d.id: d for d in db.session.scalars(
        select(Device).where(Device.id.in_(device_ids)))} if device_ids else {}
    defs = definitions({r.version_id for r in rows})
    out = []
    for r in rows:
        device = devices.get(r.device_id) if r.device_id else None
        place = places.get(r.district_ubigeo)
        out.append(ListRow(
            id=r.id, received_at=r.received_at, survey=titles.get(r.survey_id, ""),
            district=place.name if place else r.district_ubigeo, channel=r.channel,
            promoter=(device.promoter_name or device.label) if device else "",
            status=r.status, language=r.language,
            excerpt=excerpt(defs.get(r.version_id), r.answers or {}),
            instance_name=r.instance_name if r.instance_name and (
                with_personal or not uses_personal_answers(defs.get(r.version_id) or {}))
            else ""))
    return out
