"""XLSX through XlsxWriter in constant-memory mode: each row is flushed to a temporary file
as it is written; the finished workbook is then streamed from disk and deleted.

The main table is the sheet `data`; each repeat has its own sheet, named by the repeat's id,
written in the same pass (each sheet keeps its own temporary file, so rows of different
sheets may interleave). A table longer than a sheet continues on `data2`, `members2`…"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import xlsxwriter

from .columns import Column

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
MAX_TEXT = 32_767  # Excel's limit per cell
MAX_SHEET_NAME = 31  # Excel's limit
READ_CHUNK = 256 * 1024
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {"history"}  # Excel keeps it for change tracking


class SheetNames:
    """Sheet names as Excel wants them: at most 31 characters, none of []:*?/\\, unique
    without regard to letter case."""

    def __init__(self) -> None:
        self.used: set[str] = set(RESERVED_SHEET_NAMES)

    def claim(self, wanted: str) -> str:
        base = _NOT_IN_SHEET_NAMES.sub("_", wanted).strip("'") or "sheet"
        name, n = base[:MAX_SHEET_NAME], 1
        while name.lower() in self.used:
            n += 1
            suffix = f"~{n}"
            name = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        self.used.add(name.lower())
        return name


class SheetSeries:
    """One table's sheets: the first one is made at once (so the workbook lists the tables
    in order, and an empty table still has its headers); more when a sheet is full."""

    def __init__(self, workbook: Any, names: SheetNames, base: str, headers: list[str],
                 bold: Any):
        self.workbook, self.names, self.base = workbook, names, base
        self.headers, self.bold = headers, bold
        self.sheets = 0
        self.count = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self.sheets += 1
        wanted = self.base if self.sheets == 1 else (
            self.base[:MAX_SHEET_NAME - len(str(self.sheets))] + str(self.sheets))
        self.sheet = self.workbook.add_worksheet(self.names.claim(wanted))
        self.sheet.write_row(0, 0, self.headers, self.bold)
        self.sheet.freeze_panes(1, 0)
        self.line = 1

    def write(self, values: list[Any]) -> None:
        if self.line == MAX_ROWS:
            self._new_sheet()
        sheet, line = self.sheet, self.line
        for col, cell in enumerate(values):
            if cell is None or cell == "":
                continue
            if isinstance(cell, str):
                sheet.write_string(line, col, cell[:MAX_TEXT])
            elif isinstance(cell, int | float) and not isinstance(cell, bool):
                sheet.write_number(line, col, cell)
            else:  # an answer of an unexpected shape: its JSON text
                sheet.write_string(line, col, json.dumps(cell, ensure_ascii=False)[:MAX_TEXT])
        self.line += 1
        self.count += 1


def write_workbook(path: str, columns: list[Column], rows: Iterable[tuple[list, Any]],
                   repeats: Iterable[tuple[str, list[Column]]] = (),
                   sinks: dict[str, Callable[[list], None]] | None = None) -> int:
    """Write the workbook. Cells are typed: text is written as text, never as a formula, so
    the values come without the CSV's protective apostrophe (`converters(..., protect=
    False)`). `repeats`: (repeat id, columns) of the repeat sheets; their writers are put in
    `sinks` by id before the first main row is read, for the repeat walk to call. Returns
    the main table's row count."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": os.path.dirname(
        path), "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    names = SheetNames()
    main = SheetSeries(workbook, names, "data", [c.header for c in columns], bold)
    for repeat_id, repeat_columns in repeats:
        series = SheetSeries(workbook, names, repeat_id, [c.header for c in repeat_columns],
                             bold)
        if sinks is not None:
            sinks[repeat_id] = series.write
    for values, _row in rows:
        main.write(values)
    workbook.close()
    return main.count


def xlsx_chunks(columns: list[Column], rows: Iterable[tuple[list, Any]],
                repeats: Iterable[tuple[str, list[Column]]] = (),
                sinks: dict[str, Callable[[list], None]] | None = None) -> Iterator[bytes]:
    fd, path = tempfile.mkstemp(prefix="willay-export-", suffix=".xlsx")
    os.close(fd)
    try:
        write_workbook(path, columns, rows, repeats, sinks)
        with open(path, "rb") as workbook:
            while chunk := workbook.read(READ_CHUNK):
                yield chunk
    finally:
        os.unlink(path)
