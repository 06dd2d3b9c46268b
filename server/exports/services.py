"""Running an export: check what may be exported, record it in the audit log, stream it.

The audit event is committed before the first byte leaves (no export escapes the log) and
completed with the number of rows when streaming ends, or marked incomplete if the download
was cut off."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..attachments.services import media_store
from ..audit.models import AuditEvent
from ..audit.services import record
from ..db_types import utcnow
from ..extensions import db
from ..peru import PERU_TZ
from .archive import zip_chunks
from .columns import ColumnBuilder
from .lookups import load_lookups
from .options import FORMATS, ExportOptions
from .questions import Question, survey_questions
from .rows import MediaCollector, RowMaker, export_rows, locate
from .writers import converters, csv_chunks, geojson_chunks, jsonl_chunks, separator_for
from .xlsx import xlsx_chunks

log = logging.getLogger(__name__)


class ExportError(Exception):
    """The export cannot run as asked; the message is translated for the user."""


@dataclass
class ExportDownload:
    filename: str
    mimetype: str
    chunks: Iterator[bytes]
    event_id: int


def filename_for(options: ExportOptions, now: datetime | None = None) -> str:
    stamp = (now or utcnow()).astimezone(PERU_TZ).strftime("%Y%m%d-%H%M")
    base = f"willay-{options.filter.survey or 'submissions'}-{stamp}"
    extension = "zip" if options.media else FORMATS[options.format][0]
    return f"{base}.{extension}"


def _questions(options: ExportOptions) -> list[Question]:
    survey = options.filter.survey
    if not survey:
        return []
    questions = survey_questions(survey, options.filter.version)
    if questions is None:
        raise ExportError(_("There is no survey with the code %(code)s.", code=survey))
    return questions


def start_export(options: ExportOptions, *, user: Any = None, actor: str | None = None,
                 personal_allowed: bool = False) -> ExportDownload:
    """Personal data (answers marked personal, exact locations) goes out only when it was
    asked for and `personal_allowed` (the role's permission, or the server's own CLI)."""
    if options.personal and not personal_allowed:
        options = ExportOptions(options.filter, options.format, options.labels, False,
                                options.media)
    questions = _questions(options)
    details = {"format": options.format, "labels": options.labels,
               "filters": options.filter.as_record(), "personal": options.personal,
               "media": options.media, "rows": None, "completed": False}
    event = record("export", user=user, actor=actor, target=options.filter.survey or "",
                   details=details)
    db.session.commit()
    filename = filename_for(options)
    mimetype = "application/zip" if options.media else FORMATS[options.format][1]
    return ExportDownload(filename, mimetype, _stream(options, questions, event.id, filename),
                          event.id)


def _stream(options: ExportOptions, questions: list[Question], event_id: int,
            filename: str) -> Iterator[bytes]:
    make: RowMaker | None = None
    source: Iterator | None = None
    media: MediaCollector | None = None
    completed = False
    try:
        lookups = load_lookups()
        if options.media:
            media = MediaCollector([q.id for q in questions if q.type in ("photo", "audio")
                                    and (options.personal or not q.personal)])
        columns = ColumnBuilder(options, lookups, media.name if media else None).columns(
            questions)
        cells = []
        if options.format in ("csv", "xlsx"):  # XLSX text cells are typed: no apostrophes
            cells = converters(columns, separator_for(options.labels),
                               protect=options.format == "csv")
        make = RowMaker(columns, lookups.project_themes, cells)
        source = export_rows(options, make, media)
        data = _format_chunks(options, columns, source, lookups)
        if media is not None:
            data_name = filename.rsplit(".", 1)[0] + "." + FORMATS[options.format][0]
            data = zip_chunks(data_name, data, media, media_store().path_for)
        yield from data
        completed = True
    finally:
        if source is not None:
            source.close()  # its server-side cursor, before the transaction ends
        if media is not None:
            media.close()
        _finish(event_id, make.count if make else 0, completed)


def _format_chunks(options: ExportOptions, columns, rows, lookups) -> Iterator[bytes]:
    if options.format == "csv":
        return csv_chunks(columns, rows)
    if options.format == "xlsx":
        return xlsx_chunks(columns, rows)
    if options.format == "jsonl":
        return jsonl_chunks(columns, rows)
    exact = options.personal
    return geojson_chunks(columns, rows, lambda row: locate(row, lookups, exact))


def _finish(event_id: int, rows: int, completed: bool) -> None:
    try:
        db.session.rollback()  # end the long read transaction (and its cursor) first
        event = db.session.get(AuditEvent, event_id)
        if event is not None:
            event.details = {**(event.details or {}), "rows": rows, "completed": completed}
            db.session.commit()
    except Exception:  # noqa: BLE001 - the export already went out; its start is recorded
        log.exception("could not complete audit event %s", event_id)
        db.session.rollback()
    if not completed:
        log.warning("export %s stopped after %s rows", event_id, rows)

