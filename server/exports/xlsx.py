"""XLSX through XlsxWriter in constant-memory mode: each row is flushed to a temporary file
as it is written; the finished workbook is then streamed from disk and deleted."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import xlsxwriter

from .columns import Column

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
MAX_TEXT = 32_767  # Excel's limit per cell
READ_CHUNK = 256 * 1024


def write_workbook(path: str, columns: list[Column], rows: Iterable[tuple[list, Any]]) -> int:
    """Write the workbook; more rows than a sheet holds continue on a second sheet. Cells
    are typed: text is written as text, never as a formula, so the values come without the
    CSV's protective apostrophe (`converters(..., protect=False)`). Returns the row count."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": os.path.dirname(
        path), "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    headers = [c.header for c in columns]
    sheet, line, count, sheets = None, MAX_ROWS, 0, 0
    for values, _row in rows:
        if line == MAX_ROWS:
            sheets += 1
            sheet = workbook.add_worksheet(f"data{sheets if sheets > 1 else ''}")
            sheet.write_row(0, 0, headers, bold)
            sheet.freeze_panes(1, 0)
            line = 1
        for col, cell in enumerate(values):
            if cell is None or cell == "":
                continue
            if isinstance(cell, str):
                sheet.write_string(line, col, cell[:MAX_TEXT])
            elif isinstance(cell, int | float) and not isinstance(cell, bool):
                sheet.write_number(line, col, cell)
            else:  # an answer of an unexpected shape: its JSON text
                sheet.write_string(line, col, json.dumps(cell, ensure_ascii=False)[:MAX_TEXT])
        line += 1
        count += 1
    if sheet is None:
        sheet = workbook.add_worksheet("data")
        sheet.write_row(0, 0, headers, bold)
    workbook.close()
    return count


def xlsx_chunks(columns: list[Column], rows: Iterable[tuple[list, Any]]) -> Iterator[bytes]:
    fd, path = tempfile.mkstemp(prefix="willay-export-", suffix=".xlsx")
    os.close(fd)
    try:
        write_workbook(path, columns, rows)
        with open(path, "rb") as workbook:
            while chunk := workbook.read(READ_CHUNK):
                yield chunk
    finally:
        os.unlink(path)
