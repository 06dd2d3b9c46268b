"""Batch ingest: each item judged alone; stored items are committed before the answer goes out.

Outcomes per item (docs/api.md): stored, duplicate (same UUID, same content), conflict (same
UUID, other content: the first stays, the second is kept for review) and rejected (invalid).
"""

from __future__ import annotations

import logging
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..api.auth import Client
from ..api.errors import translate_errors
from ..attachments.models import Attachment
from ..codes import short_code
from ..db_types import utcnow
from ..extensions import db
from ..jsonutil import digest
from ..places.services import district_codes
from ..surveys.compiled import published_versions
from .answers import check_answers
from .models import Submission, SubmissionAttachment, SubmissionConflict, SubmissionPersonal
from .schemas import ItemSchema, MetaSchema

log = logging.getLogger(__name__)
PERU = timedelta(hours=-5)  # Peru keeps UTC-5 all year
ATTEMPTS = 3
KNOWN_META = frozenset(MetaSchema._declared_fields)
ITEM_SCHEMA = ItemSchema()  # marshmallow 4 schemas hold no per-call state: one per process


@dataclass
class ItemOutcome:
    uuid: str | None
    outcome: str
    errors: dict[str, Any] = field(default_factory=dict)
    missing_attachments: list[str] = field(default_factory=list)
    receipt: str | None = None


@dataclass
class _Ready:
    index: int
    uuid: uuid_module.UUID
    content_hash: str
    row: dict[str, Any]
    personal: dict[str, Any]
    attachments: list[str]
    payload: dict[str, Any]


def _uuid_of(raw: Any) -> str | None:
    value = raw.get("uuid") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def content_hash(raw: dict[str, Any]) -> str:
    """What makes two sends 'the same submission': everything but the app version."""
    meta = {k: v for k, v in (raw.get("meta") or {}).items() if k != "app_version"}
    return digest({
        "survey": raw.get("survey"), "version": raw.get("version"),
        "answers": raw.get("answers"), "meta": meta,
        "attachments": sorted(set(raw.get("attachments") or [])),
    })


def _interview_day(completed: datetime | None) -> date:
    return ((completed or datetime.now(UTC)).astimezone(UTC) + PERU).date()


def ingest(client: Client, items: list[Any], language: str) -> list[ItemOutcome]:
    results: list[ItemOutcome | None] = [None] * len(items)
    schema = ITEM_SCHEMA
    loaded = []
    for index, raw in enumerate(items):
        try:
            if not isinstance(raw, dict):
                raise ValidationError({"_schema": [_("Each submission must be an object.")]})
            loaded.append((index, raw, schema.load(raw)))
        except ValidationError as err:
            results[index] = ItemOutcome(_uuid_of(raw), "rejected", translate_errors(err.messages))
    versions = published_versions({(data["survey"], data["version"]) for _i, _r, data in loaded})
    ready = []
    for index, raw, data in loaded:
        outcome = _prepare(client, index, raw, data, versions, language)
        if isinstance(outcome, ItemOutcome):
            results[index] = outcome
        else:
            ready.append(outcome)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            for item, outcome in _persist(client, ready).items():
                results[item] = outcome
            break
        except IntegrityError:
            # another request stored one of these UUIDs meanwhile: judge the batch again
            db.session.rollback()
            log.info("ingest race on attempt %s, retrying", attempt)
            if attempt == ATTEMPTS:
                raise
    return [r for r in results if r is not None]


def _prepare(client: Client, index: int, raw: dict, data: dict, versions: dict,
             language: str) -> _Ready | ItemOutcome:
    uid = str(data["uuid"])
    compiled = versions.get((data["survey"], data["version"]))
    if compiled is None:
        return ItemOutcome(uid, "rejected", {"survey": [
            _("This survey or version is not published on the server.")]})
    if not client.may_fill(compiled.survey_id):
        return ItemOutcome(uid, "rejected", {"survey": [_("This link is for another survey.")]})
    meta = data["meta"]
    districts = district_codes()
    checked = check_answers(compiled, data["answers"], set(data["attachments"]),
                            districts, language, _interview_day(meta.get("completed_at")))
    district = meta.get("district") or (checked.places[0] if checked.places else None)
    if district is None:
        checked.error("meta.district", _("Choose the district of this interview."))
    elif district not in districts:
        checked.error("meta.district", _("Choose a district."))
    if checked.errors:
        return ItemOutcome(uid, "rejected", checked.errors)
    location = meta.get("location") or {}
    extra = {k: v for k, v in (raw.get("meta") or {}).items() if k not in KNOWN_META}
    row = {
        "uuid": data["uuid"], "survey_id": compiled.survey_id, "version_id": compiled.version_id,
        "channel": client.channel, "device_id": client.device.id if client.device else None,
        "answers": checked.answers, "language": meta["language"], "district_ubigeo": district,
        "started_at": meta.get("started_at"), "completed_at": meta.get("completed_at"),
        "latitude": location.get("lat"), "longitude": location.get("lon"),
        "location_accuracy": location.get("accuracy"), "consent": meta.get("consent"),
        "app_version": meta.get("app_version"), "extra_meta": extra or None,
    }
    return _Ready(index, data["uuid"], content_hash(raw), row, checked.personal,
                  sorted(set(data["attachments"])), raw)


def _persist(client: Client, ready: list[_Ready]) -> dict[int, ItemOutcome]:
    outcomes: dict[int, ItemOutcome] = {}
    if not ready:
        return outcomes
    known = {row.uuid: (row.content_hash, row.receipt_code) for row in db.session.execute(
        select(Submission.uuid, Submission.content_hash, Submission.receipt_code)
        .where(Submission.uuid.in_({r.uuid for r in ready})))}
    now = utcnow()
    new: list[_Ready] = []
    conflicts: list[_Ready] = []
    for item in ready:
        prior = known.get(item.uuid)
        if prior is None:
            item.row.update(content_hash=item.content_hash, receipt_code=short_code(8),
                            received_at=now)
            known[item.uuid] = (item.content_hash, item.row["receipt_code"])
            new.append(item)
            outcomes[item.index] = ItemOutcome(str(item.uuid), "stored",
                                               receipt=item.row["receipt_code"])
        elif prior[0] == item.content_hash:
            outcomes[item.index] = ItemOutcome(str(item.uuid), "duplicate", receipt=prior[1])
        else:
            conflicts.append(item)
            outcomes[item.index] = ItemOutcome(str(item.uuid), "conflict", {"uuid": [
                _("Another submission with this identifier is already stored. This one was "
                  "kept aside for a coordinator to review.")]})
    if new:
        _insert_new(new)
    if conflicts:
        _record_conflicts(client, conflicts, now)
    missing = _missing_attachments({h for r in ready for h in r.attachments})
    for item in ready:
        if outcomes[item.index].outcome != "conflict":
            outcomes[item.index].missing_attachments = [h for h in item.attachments if h in missing]
    db.session.commit()
    return outcomes


def _insert_new(new: list[_Ready]) -> None:
    table = Submission.__table__
    rows = [i.row for i in new]
    if not any(i.personal or i.attachments for i in new):
        db.session.execute(insert(table), rows)  # Core executemany: the fast path
        return
    ids = {row.uuid: row.id for row in db.session.execute(
        insert(table).returning(table.c.id, table.c.uuid), rows)}
    personal = [{"submission_id": ids[i.uuid], "answers": i.personal} for i in new if i.personal]
    if personal:
        db.session.execute(insert(SubmissionPersonal), personal)
    links = [{"submission_id": ids[i.uuid], "sha256": h} for i in new for h in i.attachments]
    if links:
        db.session.execute(insert(SubmissionAttachment), links)


def _record_conflicts(client: Client, conflicts: list[_Ready], now: datetime) -> None:
    already = {tuple(row) for row in db.session.execute(
        select(SubmissionConflict.uuid, SubmissionConflict.content_hash)
        .where(SubmissionConflict.uuid.in_({c.uuid for c in conflicts})))}
    rows = []
    for item in conflicts:
        if (item.uuid, item.content_hash) in already:
            continue
        already.add((item.uuid, item.content_hash))
        rows.append({"uuid": item.uuid, "content_hash": item.content_hash, "payload": item.payload,
                     "channel": client.channel, "received_at": now,
                     "device_id": client.device.id if client.device else None})
    if rows:
        db.session.execute(insert(SubmissionConflict), rows)


def _missing_attachments(hashes: set[str]) -> set[str]:
    if not hashes:
        return set()
    have = set(db.session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(hashes))))
    return hashes - have
