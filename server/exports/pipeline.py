"""One export's machinery, put together once: the columns of every table, the row makers,
the walk that writes repeat rows as the submissions stream by, and the writers.

| format  | a survey without repeats   | a survey with repeats                                |
|---------|----------------------------|------------------------------------------------------|
| csv     | one CSV                    | a ZIP: `<survey>.csv` and `<survey>-<repeat>.csv`    |
| xlsx    | sheet `data`               | sheet `data` and one sheet per repeat                |
| jsonl   | one object per submission  | the same, each repeat a list of its instances        |
| geojson | one feature per submission | the same (repeats are not part of a map)             |

With media the data files and the media go into one ZIP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..attachments.services import media_store
from .archive import zip_chunks
from .columns import Column, ColumnBuilder
from .lookups import load_lookups
from .media import MediaNames, console_media_base
from .options import FORMATS, ExportOptions
from .questions import MEDIA_TYPES, Layout
from .repeats import CsvSpool, RepeatWalker
from .rows import InstanceMaker, RowMaker, export_rows, locate
from .writers import (
    converters,
    csv_chunks,
    geojson_chunks,
    jsonl_chunks,
    protected_positions,
    separator_for,
)

TABLE_FORMATS = ("csv", "xlsx")  # the formats that write repeats as tables of their own
PROGRESS_EVERY = 2000  # rows between two progress reports


def _told(source: Iterator, progress: Callable[[int], None]) -> Iterator:
    """The rows of `source`, telling `progress` how many went by."""
    count = 0
    for count, item in enumerate(source, 1):  # noqa: B007 - count is read after the loop
        if not count % PROGRESS_EVERY:
            progress(count)
        yield item
    progress(count)


class Pipeline:
    def __init__(self, options: ExportOptions, layout: Layout, zipped: bool,
                 progress: Callable[[int], None] | None = None):
        """`progress(rows)`: told the number of submissions written so far, every
        PROGRESS_EVERY rows and at the end (background jobs show it)."""
        self.options, self.layout, self.zipped = options, layout, zipped
        self.progress = progress
        self.lookups = load_lookups()
        personal = options.personal
        # every export names media files as in the ZIP and links them to the console; the
        # ZIP with media also collects them
        media_keys = [q.id for t in layout.tables for q in t.questions
                      if q.type in MEDIA_TYPES and (personal or not q.personal)]
        self.media: MediaNames | None = None
        if media_keys or options.media:
            self.media = MediaNames(media_keys, console_media_base(), collect=options.media,
                                    repeats=[t.id for t in layout.tables if t.id])
        builder = ColumnBuilder(options, self.lookups, layout, self.media)
        tabular = options.format in TABLE_FORMATS
        self.repeats = layout.repeats if tabular else []
        self.columns = builder.main_columns(keys=bool(self.repeats),
                                            nested=options.format == "jsonl")
        separator = separator_for(options.labels)
        protect = options.format == "csv"  # XLSX text cells are typed: no apostrophes

        def cells(columns: list[Column], protect: bool = protect) -> list:
            return converters(columns, separator, protect=protect) if tabular else []

        # the main CSV is neutralised by its writer, a chunk of rows at a time
        self.make = RowMaker(self.columns, self.lookups.project_themes,
                             cells(self.columns, protect=False),
                             frozenset() if personal else frozenset(layout.personal_names))
        self.repeat_columns = {t.id or "": builder.repeat_columns(t) for t in self.repeats}
        self.sinks: dict[str, Callable[[list], None]] = {}
        self.walker: RepeatWalker | None = None
        if self.repeats:
            makers = {key: InstanceMaker(columns, cells(columns))
                      for key, columns in self.repeat_columns.items()}
            self.walker = RepeatWalker(layout, makers, self.sinks)
        self.spools: list[CsvSpool] = []
        self.source: Iterator | None = None

    @property
    def count(self) -> int:
        return self.make.count

    def repeat_counts(self) -> dict[str, int]:
        counts = self.walker.counts if self.walker else {}
        return {key: counts.get(key, 0) for key in self.repeat_columns}

    def _name(self, repeat: str | None = None, extension: str | None = None) -> str:
        base = self.options.filter.survey or "submissions"
        return f"{base}-{repeat}.csv" if repeat else (
            f"{base}.{extension or FORMATS[self.options.format][0]}")

    def chunks(self) -> Iterator[bytes]:
        options = self.options
        self.source = source = export_rows(options, self.make, self.media, each=self.walker)
        if self.progress is not None:
            source = _told(source, self.progress)
        entries: list[tuple[str, Iterator[bytes]]]
        if options.format == "csv":
            entries = [(self._name(), csv_chunks(self.columns, source,
                                                 protect=protected_positions(self.columns)))]
            for key, columns in self.repeat_columns.items():
                spool = CsvSpool([c.header for c in columns])
                self.spools.append(spool)
                self.sinks[key] = spool.write
                entries.append((self._name(key), spool.chunks()))
        elif options.format == "xlsx":
            from .xlsx import xlsx_chunks  # xlsxwriter loads with the first XLSX export

            entries = [(self._name(), xlsx_chunks(self.columns, source,
                                                  self.repeat_columns.items(), self.sinks))]
        elif options.format == "jsonl":
            entries = [(self._name(), jsonl_chunks(self.columns, source))]
        else:
            lookups, exact = self.lookups, options.personal
            entries = [(self._name(), geojson_chunks(
                self.columns, source, lambda row: locate(row, lookups, exact)))]
        if not self.zipped:
            return entries[0][1]
        return zip_chunks(entries, self.media if options.media else None, media_store())

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
        if self.media is not None:
            self.media.close()
        for spool in self.spools:
            spool.close()
