"""Reading the sheets of an .xlsx file into plain rows of text, refusing files that are not
a spreadsheet, are damaged, or would unpack to something huge."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import load_workbook

MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
MAX_ROWS = 3000
MAX_COLUMNS = 200


class UnreadableFile(ValueError):
    """The upload is not an .xlsx file we can read; the message says why, translated."""


@dataclass
class Sheet:
    name: str
    headers: list[str]  # as written, stripped; "" for an empty header cell
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, header -> text)
    header_row: int = 1


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _check_zip(data: bytes) -> None:
    if not data.startswith(b"PK"):
        raise UnreadableFile(_("This is not an .xlsx file. Save the form as Excel workbook "
                               "(.xlsx) and upload it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise UnreadableFile(_("The file is damaged and cannot be opened. Save it again "
                               "as .xlsx and upload it again.")) from err
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(_("This is not an .xlsx file. Save the form as Excel workbook "
                               "(.xlsx) and upload it again."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("The file is too large once unpacked (at most %(mb)s MB).",
                               mb=MAX_UNPACKED_BYTES // (1024 * 1024)))


def read_workbook(data: bytes) -> dict[str, Sheet]:
    """Sheets by lower-case name. Raises UnreadableFile."""
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds of errors on a broken file
        raise UnreadableFile(_("The file is damaged and cannot be opened. Save it again "
                               "as .xlsx and upload it again.")) from err
    try:
        return {ws.title.strip().lower(): _read_sheet(ws) for ws in workbook.worksheets}
    except UnreadableFile:
        raise
    except Exception as err:
        raise UnreadableFile(_("The file is damaged and cannot be opened. Save it again "
                               "as .xlsx and upload it again.")) from err
    finally:
        workbook.close()


def _read_sheet(ws) -> Sheet:
    name = ws.title.strip().lower()
    headers: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            raise UnreadableFile(_("The sheet %(sheet)s has too many rows (at most %(max)s).",
                                   sheet=name, max=MAX_ROWS))
        texts = [_text(v) for v in values[:MAX_COLUMNS]]
        if headers is None:
            if any(texts):
                headers, header_row = texts, number
            continue
        if not any(texts):
            continue
        row = {h: texts[i] for i, h in enumerate(headers) if h and i < len(texts) and texts[i]}
        rows.append((number, row))
    return Sheet(name=name, headers=headers or [], rows=rows, header_row=header_row)
