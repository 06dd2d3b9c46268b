"""Batch ingest: each item judged alone; stored items are committed before the answer goes out.

Outcomes per item (docs/api.md): stored, duplicate (same UUID, same content), conflict (same
UUID, other content: the first stays, the second is kept for review) and rejected (invalid).
"""

from __future__ import annotations

import logging
import random
import time
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ..api.auth import Client
from ..api.errors import translate_errors
from ..attachments.models import Attachment
from ..codes import short_code
from ..db_types import utcnow
from ..devices.services import record_sync
from ..extensions import db
from ..peru import PERU_OFFSET
from ..places.services import district_codes
from ..rollups.hooks import record_inserted
from ..surveys.compiled import published_versions
from . import group_commit
from .answers import check_answers, instance_name
from .content import MAX_NESTING, content_hash, set_aside_implausible_times, unstorable
from .envelope import load_plain
from .indexing import plan_links, search_text
from .models import Submission, SubmissionAttachment, SubmissionConflict, SubmissionPersonal
from .schemas import KNOWN_META, ItemSchema

log = logging.getLogger(__name__)
# Each failed attempt means another request committed one of these UUIDs (or, on PostgreSQL,
# was picked as a deadlock victim's partner): with at most workers x threads requests at once,
# ten judgements settle any race the unique index decides.
ATTEMPTS = 10
# deadlock_detected, serialization_failure: PostgreSQL aborted us; judging again is safe
RETRIED_SQLSTATES = frozenset({"40P01", "40001"})
SYNC_EVERY = timedelta(seconds=60)  # how fresh a device's recorded last sync is kept
ITEM_SCHEMA = ItemSchema()  # marshmallow 4 schemas hold no per-call state: one per process


@dataclass
class ItemOutcome:
    uuid: str | None
    outcome: str
    errors: dict[str, Any] = field(default_factory=dict)
    missing_attachments: list[str] = field(default_factory=list)
    receipt: str | None = None


@dataclass
class _Item:
    """An item that passed the schema: enough to tell a replay, a conflict or a new one."""

    index: int
    raw: dict[str, Any]
    data: dict[str, Any]
    uuid: uuid_module.UUID
    content_hash: str
    attachments: list[str]


@dataclass(frozen=True)
class _Batch:
    """What every item of one request is judged against, looked up once per request."""

    client: Client
    versions: dict
    language: str
    districts: frozenset[str]
    link_survey: str | None  # a public link's survey code: the only survey it may fill
    app_version: str | None = None
    device_id: int | None = None  # read once: a commit expires the device's loaded state


@dataclass
class _New:
    item: _Item
    row: dict[str, Any]
    personal: dict[str, Any]


def _uuid_of(raw: Any) -> str | None:
    value = raw.get("uuid") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _interview_day(completed: datetime | None) -> date:
    return ((completed or datetime.now(UTC)).astimezone(UTC) + PERU_OFFSET).date()


def _load(index: int, raw: Any) -> _Item | ItemOutcome:
    if not isinstance(raw, dict):
        return ItemOutcome(None, "rejected", {"_schema": [_("Each submission must be an object.")]})
    bad = unstorable(raw)
    if bad is not None and bad.too_deep:
        return ItemOutcome(_uuid_of(raw), "rejected", {bad.path or "_schema": [
            ngettext("This is nested too deep: at most %(max)s level.",
                     "This is nested too deep: at most %(max)s levels.", MAX_NESTING,
                     max=MAX_NESTING)]})
    if bad is not None:
        return ItemOutcome(_uuid_of(raw), "rejected", {bad.path or "_schema": [
            _("This contains a character or number that cannot be stored. Type it again.")]})
    data = load_plain(raw)
    if data is None:  # not plainly valid: marshmallow says what is wrong, or loads it
        try:
            data = ITEM_SCHEMA.load(raw)
        except ValidationError as err:
            return ItemOutcome(_uuid_of(raw), "rejected", translate_errors(err.messages))
    set_aside_implausible_times(data, raw)
    return _Item(index, raw, data, data["uuid"], content_hash(data),
                 sorted(set(data["attachments"])))


def ingest(client: Client, items: list[Any], language: str,
           app_version: str | None = None) -> list[ItemOutcome]:
    """`app_version`: what a device reported (X-Willay-App); its last sync is recorded in
    the same transaction as the items (one commit, one fsync, per request)."""
    results: list[ItemOutcome | None] = [None] * len(items)
    loaded: list[_Item] = []
    for index, raw in enumerate(items):
        outcome = _load(index, raw)
        if isinstance(outcome, ItemOutcome):
            results[index] = outcome
        else:
            loaded.append(outcome)
    batch = _Batch(client, published_versions({(i.data["survey"], i.data["version"])
                                               for i in loaded}), language, district_codes(),
                   client.survey.code if client.survey is not None else None, app_version,
                   client.device_id)
    with group_commit.in_flight():
        for attempt in range(1, ATTEMPTS + 1):
            try:
                for index, outcome in _judge_and_store(batch, loaded, attempt > 1).items():
                    results[index] = outcome
                break
            except (IntegrityError, OperationalError) as err:
                db.session.rollback()
                if attempt == ATTEMPTS or not _judge_again(err):
                    raise
                # another request stored one of these UUIDs meanwhile: judge the batch again
                log.info("ingest race on attempt %s, judging again: %s", attempt,
                         type(err.orig))
                time.sleep(random.uniform(0, 0.01 * attempt))  # let the winner finish first
    return [r for r in results if r is not None]


def _judge_again(err: SQLAlchemyError) -> bool:
    if isinstance(err, IntegrityError):
        return True  # the unique index on uuid settled a race: the next judgement sees it
    return getattr(err.orig, "sqlstate", None) in RETRIED_SQLSTATES


def _take_write_lock() -> tuple[str | None, bool]:
    """SQLite: hold the write lock from the last look-up to the commit, so no other request
    can store one of these UUIDs in between (PostgreSQL relies on the unique index).

    Returns the database file when group commit applies (group_commit.py), and whether this
    commit's sync is deferred (shared): not when this is the process's only ingest request,
    which syncs at its commit as FULL does (nobody to share with)."""
    if db.session.get_bind().dialect.name != "sqlite":
        return None, False
    session = db.session
    connection = session.connection()
    if session.new or session.dirty or session.deleted \
            or connection.connection.dbapi_connection.in_transaction:
        # whatever the request wrote before (a device's last-seen time) is committed first;
        # otherwise the reads so far took no lock, and a commit would only expire the
        # loaded device, costing a query to load it again
        session.commit()
        connection = session.connection()
    grouped = group_commit.database_file(connection)
    deferred = grouped is not None and not group_commit.alone()
    if deferred:
        group_commit.defer_sync(connection)
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    return grouped, deferred


# built once (per request, building the statement cost as much as running it)
_KNOWN = select(Submission.uuid, Submission.content_hash, Submission.receipt_code,
                Submission.channel, Submission.device_id, Submission.survey_id).where(
    Submission.uuid.in_(bindparam("uuids", expanding=True)))


def _known(batch: _Batch, items: list[_Item]) -> dict[uuid_module.UUID, tuple[str, str | None]]:
    """Stored UUIDs among the items: their content hash, and the receipt the caller may see."""
    if not items:
        return {}
    return {row.uuid: (row.content_hash, _receipt_for(batch.client, row))
            for row in db.session.connection().execute(
                _KNOWN, {"uuids": list({i.uuid for i in items})})}


def _judge_and_store(batch: _Batch, items: list[_Item],
                     look_again: bool = False) -> dict[int, ItemOutcome]:
    """Replays and conflicts are recognised before any re-validation, so an interview that is
    already stored is never turned away because a rule or the date changed meanwhile.

    New items are checked before the write lock is taken (checking is the slow part). The
    first attempt then stores them without looking again: if another request stored one of
    these UUIDs in between, the unique index refuses the insert and `ingest` judges the batch
    again, this time (`look_again`) looking the UUIDs up under the write lock.
    """
    # a link fills only its own survey, whatever UUID it sends: checked before the replay
    # look-up, so a link can neither read nor contest another channel's submissions
    outcomes = _outside_link(batch, items)
    items = [i for i in items if i.index not in outcomes]
    known = _known(batch, items)
    prepared: dict[uuid_module.UUID, _New | ItemOutcome] = {}
    for item in items:
        if item.uuid not in known and item.uuid not in prepared:
            prepared[item.uuid] = _checked(batch, item)
    database, deferred = _take_write_lock()
    if look_again:
        known = _known(batch, items)
    now = utcnow()
    new: list[_New] = []
    conflicts: list[_Item] = []
    for item in items:
        prior = known.get(item.uuid)
        if prior is None:
            ready = prepared.pop(item.uuid, None) or _checked(batch, item)
            if isinstance(ready, ItemOutcome):
                outcomes[item.index] = ready
                continue
            receipt = short_code(8)
            ready.row.update(content_hash=item.content_hash, receipt_code=receipt,
                             received_at=now)
            known[item.uuid] = (item.content_hash, receipt)
            new.append(ready)
            outcomes[item.index] = ItemOutcome(str(item.uuid), "stored", receipt=receipt)
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
        _record_conflicts(batch, conflicts, now)
    missing = _missing_attachments({h for i in items for h in i.attachments})
    for item in items:
        if outcomes[item.index].outcome != "rejected":
            outcomes[item.index].missing_attachments = [h for h in item.attachments
                                                        if h in missing]
    wrote = bool(new or conflicts)
    if _sync_worth_recording(batch):
        # last, so that on PostgreSQL the device's row is locked only until the commit
        record_sync(batch.client.device, batch.app_version, commit=False)
        wrote = True
    db.session.commit()
    if database is not None and (deferred or not wrote):
        # the answer waits for its rows on disk; a request that wrote nothing synced nothing
        # at its commit, yet may answer about another request's rows not synced yet
        group_commit.wait_durable(database)
    return outcomes


def _sync_worth_recording(batch: _Batch) -> bool:
    """The console shows a device's last sync to the minute and its app version: a phone
    sending one interview per request (or retrying) updates its row at most once a
    minute, unless its app version changed."""
    device = batch.client.device
    if device is None:
        return False
    reported = (batch.app_version or "").strip()[:40]
    if reported and reported != device.app_version:
        return True
    return device.last_sync_at is None or utcnow() - device.last_sync_at >= SYNC_EVERY


def _outside_link(batch: _Batch, items: list[_Item]) -> dict[int, ItemOutcome]:
    if batch.link_survey is None:
        return {}
    return {i.index: ItemOutcome(str(i.uuid), "rejected", {"survey": [
        _("This link is for another survey.")]})
        for i in items if i.data["survey"] != batch.link_survey}


def _receipt_for(client: Client, row: Any) -> str | None:
    """A stored submission's receipt, only for the channel (and device) that made it."""
    if client.channel == "device":
        mine = row.channel == "device" and row.device_id == client.device_id
    else:
        mine = row.channel == "public" and row.survey_id == client.survey.id
    return row.receipt_code if mine else None


def _checked(batch: _Batch, item: _Item) -> _New | ItemOutcome:
    try:
        return _prepare(batch, item)
    except (SQLAlchemyError, OSError):
        raise  # the database or disk failing is not the item's fault: the phone retries
    except Exception:  # noqa: BLE001 - one item's surprise must not sink the batch
        log.exception("could not check submission %s", item.uuid)
        return ItemOutcome(str(item.uuid), "rejected", {"_schema": [
            _("The server could not check this submission. It stays on the phone; tell your "
              "coordinator.")]})


def _prepare(batch: _Batch, item: _Item) -> _New | ItemOutcome:
    data, uid, client, districts = item.data, str(item.uuid), batch.client, batch.districts
    compiled = batch.versions.get((data["survey"], data["version"]))
    if compiled is None:
        return ItemOutcome(uid, "rejected", {"survey": [
            _("This survey or version is not published on the server.")]})
    if not client.may_fill(compiled.survey_id):  # _outside_link already turned these away
        return ItemOutcome(uid, "rejected", {"survey": [_("This link is for another survey.")]})
    meta = data["meta"]
    day = _interview_day(meta.get("completed_at"))
    checked = check_answers(compiled, data["answers"], set(item.attachments),
                            districts, batch.language, day, meta.get("completed_at"))
    district = meta.get("district") or (checked.places[0] if checked.places else None)
    if district is None:
        checked.error("meta.district", _("Choose the district of this interview."))
    elif district not in districts:
        checked.error("meta.district", _("Choose a district."))
    if checked.errors:
        return ItemOutcome(uid, "rejected", checked.errors)
    location = meta.get("location") or {}
    extra = {k: v for k, v in (item.raw.get("meta") or {}).items() if k not in KNOWN_META}
    if "clock_suspect" in data:
        extra["clock_suspect"] = data["clock_suspect"]
    row = {
        "uuid": item.uuid, "survey_id": compiled.survey_id, "version_id": compiled.version_id,
        "channel": client.channel, "device_id": batch.device_id,
        "answers": checked.answers, "language": meta["language"], "district_ubigeo": district,
        "started_at": meta.get("started_at"), "completed_at": meta.get("completed_at"),
        "latitude": location.get("lat"), "longitude": location.get("lon"),
        "location_accuracy": location.get("accuracy"), "consent": meta.get("consent"),
        "app_version": meta.get("app_version"), "extra_meta": extra or None,
        "instance_name": meta.get("instance_name") or instance_name(
            compiled, checked.answers, day, meta.get("completed_at")),
        **plan_links(checked.answers), "search_text": search_text(compiled, checked.answers),
    }
    return _New(item, row, checked.personal)


def _insert_new(new: list[_New]) -> None:
    """Rows go in sorted by UUID: two requests holding the same new UUIDs in other orders
    then wait for each other instead of deadlocking (PostgreSQL locks index entries)."""
    table = Submission.__table__
    # Core statements on the session's connection: the ORM's execute adds nothing for them
    connection = db.session.connection()
    new = sorted(new, key=lambda n: n.item.uuid)
    rows = [n.row for n in new]
    # the rollups (server/rollups) count the new rows in this same transaction
    record_inserted(connection, rows)
    if not any(n.personal or n.item.attachments for n in new):
        connection.execute(insert(table), rows)  # Core executemany: the fast path
        return
    ids = {row.uuid: row.id for row in connection.execute(
        insert(table).returning(table.c.id, table.c.uuid), rows)}
    personal = [{"submission_id": ids[n.item.uuid], "answers": n.personal}
                for n in new if n.personal]
    if personal:
        db.session.execute(insert(SubmissionPersonal), personal)
    links = [{"submission_id": ids[n.item.uuid], "sha256": h}
             for n in new for h in n.item.attachments]
    if links:
        db.session.execute(insert(SubmissionAttachment), links)


def _record_conflicts(batch: _Batch, conflicts: list[_Item], now: datetime) -> None:
    already = {tuple(row) for row in db.session.execute(
        select(SubmissionConflict.uuid, SubmissionConflict.content_hash)
        .where(SubmissionConflict.uuid.in_({c.uuid for c in conflicts})))}
    rows = []
    for item in sorted(conflicts, key=lambda c: (c.uuid, c.content_hash)):  # as _insert_new
        if (item.uuid, item.content_hash) in already:
            continue
        already.add((item.uuid, item.content_hash))
        payload, personal = _split_personal(item, batch.versions)
        rows.append({"uuid": item.uuid, "content_hash": item.content_hash, "payload": payload,
                     "personal": personal, "channel": batch.client.channel, "received_at": now,
                     "device_id": batch.device_id})
    if rows:
        db.session.execute(insert(SubmissionConflict), rows)


def _split_personal(item: _Item, versions: dict) -> tuple[dict, dict | None]:
    """The conflicting payload with its personal answers kept apart, as for submissions."""
    compiled = versions.get((item.data["survey"], item.data["version"]))
    answers = item.raw.get("answers") or {}
    # without its version we cannot tell which answers are personal: keep them all apart
    personal_ids = {q.id for q in compiled.questions if q.personal} if compiled else set(answers)
    personal = {k: v for k, v in answers.items() if k in personal_ids}
    payload = {**item.raw, "answers": {k: v for k, v in answers.items() if k not in personal}}
    return payload, personal or None


def _missing_attachments(hashes: set[str]) -> set[str]:
    if not hashes:
        return set()
    have = set(db.session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(hashes))))
    return hashes - have
