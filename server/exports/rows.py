"""Rows of an export, read through one server-side cursor in batches (constant memory)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..submissions.models import Submission
from .columns import I_ANSWERS, I_ID, I_PROJECT, ROW_COLUMNS, Column, Transform
from .lookups import Lookups, media_types, personal_answers
from .options import ExportOptions

BATCH = 2000
EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/webm": ".webm",
    "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/aac": ".aac",
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/3gpp": ".3gp", "audio/amr": ".amr",
}


class MediaCollector:
    """Notes, in a temporary file rather than in memory, which media files the exported rows
    refer to, so the ZIP can add them after the data file."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        self.spool = tempfile.TemporaryFile("w+", encoding="ascii")
        self.types: dict[str, str] = {}

    def note(self, answers: list[dict]) -> None:
        hashes = {a.get(k) for a in answers for k in self.keys}
        self.types = media_types({h for h in hashes if isinstance(h, str)})
        for sha, content_type in self.types.items():
            self.spool.write(f"{sha}\t{content_type}\n")

    def name(self, sha: str) -> str:
        """The file's path in the ZIP; a file the server does not hold keeps its bare hash."""
        content_type = self.types.get(sha)
        return f"media/{sha}{EXTENSIONS.get(content_type, '')}" if content_type else sha

    def files(self) -> Iterator[tuple[str, str]]:
        """(sha256, name in the ZIP) for each noted file; a file may come more than once."""
        self.spool.seek(0)
        for line in self.spool:
            sha, content_type = line.rstrip("\n").split("\t")
            yield sha, f"media/{sha}{EXTENSIONS.get(content_type, '')}"

    def close(self) -> None:
        self.spool.close()


class RowMaker:
    """Turns a submission row and its answers into the values of the columns: the fields
    and answers are picked in C (itemgetter, map), then the few transforms run."""

    def __init__(self, columns: list[Column], project_themes: dict[str, str],
                 cells: list[tuple[int, Transform]] = ()):
        """`cells`: (position, function) making spreadsheet cells of exported values; they
        run after the columns' own transforms, in the same pass."""
        fields = [c.field for c in columns if c.field is not None]
        self.keys = [c.answer for c in columns if c.answer is not None]
        if [c.key for c in columns[:len(fields)]] != [
                c.key for c in columns if c.field is not None]:
            raise ValueError("row fields must come before answers")
        self.fields = itemgetter(*fields)
        steps: dict[int, Transform] = {i: c.transform for i, c in enumerate(columns)
                                       if c.transform}
        for i, cell in cells:
            steps[i] = _then(steps[i], cell) if i in steps else cell
        self.transforms = sorted(steps.items())
        self.theme_at = next(i for i, c in enumerate(columns) if c.key == "_theme")
        self.project_themes = project_themes
        self.count = 0

    def __call__(self, row: Any, answers: dict) -> list[Any]:
        self.count += 1
        values = [*self.fields(row), *map(answers.get, self.keys)]
        if values[self.theme_at] is None and row[I_PROJECT] is not None:
            values[self.theme_at] = self.project_themes.get(row[I_PROJECT])
        for i, transform in self.transforms:
            values[i] = transform(values[i])
        return values


def _then(first: Transform, second: Transform) -> Transform:
    return lambda value: second(first(value))


def export_rows(options: ExportOptions, make: RowMaker,
                media: MediaCollector | None = None) -> Iterator[tuple[list[Any], Any]]:
    """(values, database row) per submission, first received first; `make.count` counts
    them."""
    # every submissions index ends in received_at, so this order never needs a sort: rows
    # stream from the first one, whatever the filter
    stmt = options.filter.apply(select(*ROW_COLUMNS)).order_by(Submission.received_at,
                                                                 Submission.id)
    # Core rows, not ORM objects; on PostgreSQL a server-side cursor, BATCH rows at a time
    connection = db.session.connection()
    result = connection.execution_options(yield_per=BATCH).execute(stmt)
    try:
        for batch in result.partitions():
            personal = personal_answers([r[I_ID] for r in batch]) if options.personal else {}
            if media is not None:
                # personal photos and voice notes belong in the ZIP when personal data does
                media.note([{**(r[I_ANSWERS] or {}), **personal.get(r[I_ID], {})}
                            for r in batch])
            for row in batch:
                answers = row[I_ANSWERS] or {}
                extra = personal.get(row[I_ID])
                if extra:
                    answers = {**answers, **extra}
                yield make(row, answers), row
    finally:
        result.close()


def locate(row: Any, lookups: Lookups, exact: bool) -> tuple[list[float] | None, str | None]:
    """GeoJSON coordinates [lon, lat] and their precision: the exact location only when
    personal data is exported, otherwise the district capital's."""
    if exact and row.latitude is not None and row.longitude is not None:
        return [row.longitude, row.latitude], "exact"
    district = lookups.districts.get(row.district_ubigeo)
    if district and district.latitude is not None and district.longitude is not None:
        return [district.longitude, district.latitude], "district"
    return None, None
