"""Conflicts recorded by the sync API (a second, different payload under a stored UUID):
listed for coordinators, compared with the stored submission, resolved with a note.

Nothing is ever overwritten: resolving records the coordinators' decision (docs/console-review.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..db_types import utcnow
from ..extensions import db
from ..submissions.filters import SubmissionFilter, in_areas
from ..submissions.models import Submission, SubmissionConflict, SubmissionPersonal
from ..surveys.models import Survey, SurveyVersion
from ..users.models import User
from .display import answer_text, localized, location_text, questions
from .formatting import peru_datetime
from .services import ReviewRefused

LIST_LIMIT = 300


@dataclass(frozen=True)
class ConflictRow:
    conflict: SubmissionConflict
    submission: Submission


@dataclass(frozen=True)
class Difference:
    label: str
    stored: str
    other: str
    differs: bool


def _visible(areas: tuple[str, ...]):
    stmt = select(SubmissionConflict, Submission).join(
        Submission, Submission.uuid == SubmissionConflict.uuid)
    return SubmissionFilter(areas=areas).apply(stmt)


def conflict_list(areas: tuple[str, ...]) -> list[ConflictRow]:
    """Unresolved first (newest first), then the resolved ones."""
    stmt = _visible(areas).order_by(SubmissionConflict.resolved_at.is_not(None),
                                    SubmissionConflict.received_at.desc(),
                                    SubmissionConflict.id.desc()).limit(LIST_LIMIT)
    return [ConflictRow(c, s) for c, s in db.session.execute(stmt)
            if _payload_in_areas(c, areas)]


def get_conflict(conflict_id: int, areas: tuple[str, ...]) -> ConflictRow | None:
    row = db.session.execute(_visible(areas).where(SubmissionConflict.id == conflict_id)).first()
    if row is None:
        return None
    return ConflictRow(*row) if _payload_in_areas(row[0], areas) else None


def _payload_in_areas(conflict: SubmissionConflict, areas: tuple[str, ...]) -> bool:
    """The conflicting payload was sent by a phone: it may name a district outside the
    areas of the stored submission."""
    meta = (conflict.payload or {}).get("meta")
    claimed = meta.get("district") if isinstance(meta, dict) else None
    return claimed is None or in_areas(claimed, areas)


def resolved_by_name(conflict: SubmissionConflict) -> str:
    if conflict.resolved_by_id is None:
        return ""
    user = db.session.get(User, conflict.resolved_by_id)
    return (user.name or user.email) if user else ""


def _payload_version(payload: dict) -> SurveyVersion | None:
    survey, number = payload.get("survey"), payload.get("version")
    if not isinstance(survey, str) or not isinstance(number, int):
        return None
    return db.session.scalar(select(SurveyVersion).join(Survey).where(
        Survey.code == survey, SurveyVersion.number == number))


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else None
    return None


def _time_text(value: Any) -> str:
    instant = _instant(value)
    if instant is not None:
        return peru_datetime(instant)
    return "" if value is None else str(value)


def compare(row: ConflictRow, lang: str, with_personal: bool) -> list[Difference]:
    """The stored submission beside the conflicting payload, field by field."""
    sub, payload = row.submission, row.conflict.payload or {}
    stored_def = db.session.get(SurveyVersion, sub.version_id)
    other_version = _payload_version(payload)
    stored_answers = dict(sub.answers or {})
    other_answers = dict(payload.get("answers") or {})
    if with_personal:
        personal = db.session.get(SubmissionPersonal, sub.id)
        stored_answers.update(personal.answers if personal else {})
        other_answers.update(row.conflict.personal or {})
    defs = [d.definition for d in (stored_def, other_version) if d is not None]
    by_id: dict[str, dict] = {}
    for definition in defs:
        for _page, q in questions(definition):
            by_id.setdefault(q["id"], q)
    order = list(by_id) + [k for k in {**stored_answers, **other_answers} if k not in by_id]
    meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
    location = meta.get("location") if isinstance(meta.get("location"), dict) else {}
    stored_version = stored_def.number if stored_def else ""
    out = [
        Difference(_("Version"), str(stored_version), str(payload.get("version", "")),
                   str(stored_version) != str(payload.get("version", ""))),
        Difference(_("Language"), sub.language, str(meta.get("language", "")),
                   sub.language != meta.get("language")),
        Difference(_("District"), sub.district_ubigeo, str(meta.get("district") or ""),
                   bool(meta.get("district")) and sub.district_ubigeo != meta.get("district")),
        Difference(_("Started"), _time_text(sub.started_at), _time_text(meta.get("started_at")),
                   sub.started_at != _instant(meta.get("started_at"))),
        Difference(_("Completed"), _time_text(sub.completed_at),
                   _time_text(meta.get("completed_at")),
                   sub.completed_at != _instant(meta.get("completed_at"))),
    ]
    if with_personal:
        stored_loc = location_text(sub.latitude, sub.longitude, sub.location_accuracy)
        other_loc = location_text(location.get("lat"), location.get("lon"),
                                  location.get("accuracy"))
        out.append(Difference(_("Location"), stored_loc, other_loc, stored_loc != other_loc))
    for qid in order:
        q = by_id.get(qid, {"id": qid})
        if q.get("type") == "note" or (q.get("personal") and not with_personal):
            continue
        old, new = stored_answers.get(qid), other_answers.get(qid)
        if old in (None, "", []) and new in (None, "", []):
            continue
        out.append(Difference(localized(q.get("label"), lang, qid),
                              answer_text(q, old, lang, {}), answer_text(q, new, lang, {}),
                              _normal(old) != _normal(new)))
    stored_files = sorted(link.sha256 for link in sub.attachment_links)
    other_files = sorted(f for f in payload.get("attachments") or () if isinstance(f, str))
    out.append(Difference(_("Attachments"), str(len(stored_files)), str(len(other_files)),
                          stored_files != other_files))
    return out


def _normal(value: Any) -> Any:
    """Compare as the sync API does: order of selected options and 4 vs 4.0 do not matter."""
    if isinstance(value, list):
        return sorted(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def resolve(conflict_id: int, note: str, user: Any, areas: tuple[str, ...]) -> SubmissionConflict:
    """Mark a conflict resolved with the coordinators' note. The stored submission stays."""
    try:
        row = db.session.execute(_visible(areas).where(SubmissionConflict.id == conflict_id)
                                 .with_for_update(of=SubmissionConflict)).first()
        if row is None:
            raise ReviewRefused(_("This conflict no longer exists."))
        conflict, submission = row
        if conflict.resolved_at is not None:
            raise ReviewRefused(_("This conflict was already resolved."))
        note = note.strip()
        if not note:
            raise ReviewRefused(_("Write a note that says what was decided."))
        conflict.resolved_note = note
        conflict.resolved_at = utcnow()
        conflict.resolved_by_id = getattr(user, "id", None)
        record("conflict_resolve", user=user, target=f"submission:{submission.uuid}", details={
            "conflict": conflict.id, "submission": submission.id, "note": note,
            "decision": "keep_stored"})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return conflict
