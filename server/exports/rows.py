"""Rows of an export, read through one server-side cursor in batches (constant memory)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import zip_longest
from operator import itemgetter
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..submissions.models import Submission
from .columns import I_ANSWERS, I_ID, I_PROJECT, I_VERSION, ROW_COLUMNS, Column, Transform
from .lookups import Lookups, personal_answers
from .media import MediaNames
from .options import ExportOptions

BATCH = 2000


def merged(answers: dict, personal: dict) -> dict:
    """The answers with the personal ones put back where they belong; inside repeats
    instance by instance, whether the personal answers mirror the repeats or not."""
    out = dict(answers)
    for key, value in personal.items():
        mine = out.get(key)
        if isinstance(value, list) and isinstance(mine, list):
            out[key] = [_merged_instance(a, p) for a, p in zip_longest(mine, value)]
        elif isinstance(value, dict) and isinstance(mine, dict):
            out[key] = merged(mine, value)
        else:
            out[key] = value
    return out


def _merged_instance(answers: Any, personal: Any) -> Any:
    if personal is None:
        return answers
    if isinstance(answers, dict) and isinstance(personal, dict):
        return merged(answers, personal)
    return personal if answers is None else answers


class RowMaker:
    """Turns a submission row and its answers into the values of the columns: the fields
    and answers are picked in C (itemgetter, map), then the few transforms run, on the
    values that are not None (an unanswered question stays empty whatever its column)."""

    def __init__(self, columns: list[Column], project_themes: dict[str, str],
                 cells: list[tuple[int, Transform]] = (),
                 hidden_names: set[int] | frozenset[int] = frozenset()):
        """`cells`: (position, function) making spreadsheet cells of exported values; they
        run after the columns' own transforms, in the same pass. Columns are row fields,
        then answers, then row fields again (KEY). `hidden_names`: versions whose interview
        name is left out (it is made of personal answers)."""
        lead = next((i for i, c in enumerate(columns) if c.field is None), len(columns))
        end = next((i for i, c in enumerate(columns) if i >= lead and c.field is not None),
                   len(columns))
        if lead < 2 or any(c.field is None for c in columns[end:]):
            raise ValueError("row fields (at least two) come before answers, or after them")
        self.fields = itemgetter(*(c.field for c in columns[:lead]))
        self.keys = [c.answer for c in columns[lead:end]]
        self.tail = [c.field for c in columns[end:]]
        steps: dict[int, Transform] = {i: c.transform for i, c in enumerate(columns)
                                       if c.transform}
        for i, cell in cells:
            steps[i] = _then(steps[i], cell) if i in steps else cell
        self.transforms = sorted(steps.items())
        self.theme_at = next(i for i, c in enumerate(columns) if c.key == "_theme")
        self.name_at = next((i for i, c in enumerate(columns) if c.key == "_instance_name"),
                            None)
        self.hidden_names = hidden_names
        self.project_themes = project_themes
        self.count = 0

    def __call__(self, row: Any, answers: dict) -> list[Any]:
        self.count += 1
        values = [*self.fields(row), *map(answers.get, self.keys)]
        if self.tail:
            values += [row[i] for i in self.tail]
        if values[self.theme_at] is None and row[I_PROJECT] is not None:
            values[self.theme_at] = self.project_themes.get(row[I_PROJECT])
        if self.name_at is not None and row[I_VERSION] in self.hidden_names:
            values[self.name_at] = None
        for i, transform in self.transforms:
            value = values[i]
            if value is not None:
                values[i] = transform(value)
        return values


class InstanceMaker:
    """The values of a repeat table's row: the instance's answers, then PARENT_KEY, KEY."""

    def __init__(self, columns: list[Column], cells: list[tuple[int, Transform]] = ()):
        self.keys = [c.answer for c in columns if c.answer is not None]
        if len(self.keys) != len(columns) - 2:
            raise ValueError("a repeat table is its answers, then PARENT_KEY and KEY")
        steps: dict[int, Transform] = {i: c.transform for i, c in enumerate(columns)
                                       if c.transform}
        for i, cell in cells:
            steps[i] = _then(steps[i], cell) if i in steps else cell
        self.transforms = sorted(steps.items())

    def __call__(self, answers: dict, parent_key: str, key: str) -> list[Any]:
        values = [*map(answers.get, self.keys), parent_key, key]
        for i, transform in self.transforms:
            value = values[i]
            if value is not None:
                values[i] = transform(value)
        return values


def _then(first: Transform, second: Transform) -> Transform:
    return lambda value: second(first(value))


def export_rows(options: ExportOptions, make: RowMaker, media: MediaNames | None = None,
                each: Callable[[Any, dict], None] | None = None
                ) -> Iterator[tuple[list[Any], Any]]:
    """(values, database row) per submission, first received first; `make.count` counts
    them. `each(row, answers)` sees every row's answers (personal ones merged in when they
    are exported) before its values go on: the repeat tables are written from it."""
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
                media.note([merged(r[I_ANSWERS] or {}, personal[r[I_ID]])
                            if r[I_ID] in personal else r[I_ANSWERS] for r in batch])
            if not (personal or each):  # the common case, without a call more than needed
                for row in batch:
                    yield make(row, row[I_ANSWERS] or {}), row
                continue
            for row in batch:
                answers = row[I_ANSWERS] or {}
                extra = personal.get(row[I_ID])
                if extra:
                    answers = merged(answers, extra)
                values = make(row, answers)
                if each is not None:
                    each(row, answers)
                yield values, row
    finally:
        result.close()


def locate(row: Any, lookups: Lookups, exact: bool) -> tuple[list[float] | None, str | None]:
    """GeoJSON coordinates [lon, lat] and their precision: the exact location only when
    personal data is exported, otherwise the district capital's."""
    if exact and row.latitude is not None and row.longitude is not None:
        return [round(row.longitude, 6), round(row.latitude, 6)], "exact"  # RFC 7946 §11.2
    district = lookups.districts.get(row.district_ubigeo)
    if district and district.latitude is not None and district.longitude is not None:
        return [district.longitude, district.latitude], "district"
    return None, None
