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

from ..audit.models import AuditEvent
from ..audit.services import record
from ..db_types import utcnow
from ..extensions import db
from ..peru import PERU_TZ
from .options import FORMATS, ExportOptions
from .pipeline import TABLE_FORMATS, Pipeline
from .questions import Layout, metadata_layout, survey_layout

log = logging.getLogger(__name__)


class ExportError(Exception):
    """The export cannot run as asked; the message is translated for the user."""


@dataclass
class ExportDownload:
    filename: str
    mimetype: str
    chunks: Iterator[bytes]
    event_id: int


def zipped(options: ExportOptions, layout: Layout) -> bool:
    """A ZIP with media, or a CSV of a survey with repeats (one CSV per table)."""
    return options.media or (options.format == "csv" and bool(layout.repeats))


def filename_for(options: ExportOptions, now: datetime | None = None,
                 layout: Layout | None = None) -> str:
    stamp = (now or utcnow()).astimezone(PERU_TZ).strftime("%Y%m%d-%H%M")
    base = f"willay-{options.filter.survey or 'submissions'}-{stamp}"
    packed = options.media or (layout is not None and zipped(options, layout))
    extension = "zip" if packed else FORMATS[options.format][0]
    return f"{base}.{extension}"


def export_layout(options: ExportOptions) -> Layout:
    """The tables and columns of this export; ExportError for an unknown survey."""
    return _layout(options)


def _layout(options: ExportOptions) -> Layout:
    survey = options.filter.survey
    if not survey:
        return metadata_layout()
    layout = survey_layout(survey, options.filter.version)
    if layout is None:
        raise ExportError(_("There is no survey with the code %(code)s.", code=survey))
    return layout


def start_export(options: ExportOptions, *, user: Any = None, actor: str | None = None,
                 personal_allowed: bool = False) -> ExportDownload:
    """Personal data (answers marked personal, exact locations, interview names made of
    personal answers) goes out only when it was asked for and `personal_allowed` (the
    role's permission, or the server's own CLI)."""
    options = allowed_options(options, personal_allowed)
    layout = _layout(options)
    event = record("export", user=user, actor=actor, target=options.filter.survey or "",
                   details=audit_details(options, layout))
    db.session.commit()
    filename = filename_for(options, layout=layout)
    mimetype = "application/zip" if zipped(options, layout) else FORMATS[options.format][1]
    return ExportDownload(filename, mimetype, _stream(options, layout, event.id), event.id)


def allowed_options(options: ExportOptions, personal_allowed: bool) -> ExportOptions:
    """The options with personal data dropped unless the role allows it."""
    if options.personal and not personal_allowed:
        return ExportOptions(options.filter, options.format, options.labels, False,
                             options.media)
    return options


def audit_details(options: ExportOptions, layout: Layout) -> dict[str, Any]:
    """What the audit log keeps of an export when it is asked for (rows once written)."""
    details = {"format": options.format, "labels": options.labels,
               "filters": options.filter.as_record(), "personal": options.personal,
               "media": options.media, "rows": None, "completed": False}
    if layout.repeats and options.format in TABLE_FORMATS:
        details["repeat_rows"] = None  # rows of each repeat's table, once written
    return details


def _stream(options: ExportOptions, layout: Layout, event_id: int) -> Iterator[bytes]:
    pipeline: Pipeline | None = None
    completed = False
    try:
        pipeline = Pipeline(options, layout, zipped(options, layout))
        yield from pipeline.chunks()
        completed = True
    finally:
        if pipeline is not None:
            pipeline.close()  # its server-side cursor, before the transaction ends
        _finish(event_id, pipeline.count if pipeline else 0,
                pipeline.repeat_counts() if pipeline and pipeline.repeats else None,
                completed)


def _finish(event_id: int, rows: int, repeat_rows: dict[str, int] | None,
            completed: bool) -> None:
    try:
        db.session.rollback()  # end the long read transaction (and its cursor) first
        event = db.session.get(AuditEvent, event_id)
        if event is not None:
            details = {**(event.details or {}), "rows": rows, "completed": completed}
            if repeat_rows is not None:
                details["repeat_rows"] = repeat_rows
            event.details = details
            db.session.commit()
    except Exception:  # noqa: BLE001 - the export already went out; its start is recorded
        log.exception("could not complete audit event %s", event_id)
        db.session.rollback()
    if not completed:
        log.warning("export %s stopped after %s rows", event_id, rows)
