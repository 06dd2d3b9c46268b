"""Reading an uploaded .xlsx the way pyxform reads it, after refusing files that are not a
spreadsheet, are damaged, or would unpack to something huge.

pyxform keeps empty rows in its sheet lists so that list index + 2 is the spreadsheet row
(the header is row 1), and stops reading after a run of 60 empty rows: a sheet that declares
a million formatted empty rows costs only its real content. Content that comes after such a
run would be ignored by pyxform (and so by ODK); `stranded_rows` finds it so that it is
refused rather than silently left out."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import DefinitionData, get_xlsform

MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
MAX_ROWS = 20000  # per sheet, counted as pyxform reads it
_GAP_SCANNED = 5000  # empty rows looked through for stranded content after pyxform stops


class UnreadableFile(ValueError):
    """The upload is not an .xlsx file we can read; the message says why, translated."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


def _not_xlsx() -> UnreadableFile:
    return UnreadableFile(_("This is not an .xlsx file. Save the form as Excel workbook "
                            "(.xlsx) and upload it again."))


def _damaged(detail: str | None = None) -> UnreadableFile:
    return UnreadableFile(_("The file is damaged and cannot be opened. Save it again as "
                            ".xlsx and upload it again."), detail)


def check_zip(data: bytes) -> None:
    if not data.startswith(b"PK"):
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _damaged() from err
    if "xl/workbook.xml" not in names:
        raise _not_xlsx()
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("The file is too large once unpacked (at most %(mb)s MB).",
                               mb=MAX_UNPACKED_BYTES // (1024 * 1024)))


@dataclass
class Workbook:
    sheets: DefinitionData  # pyxform's reading: row dicts of text by header as written
    sheet_names: dict[str, str]  # lower-case name -> as written
    stranded: dict[str, int]  # lower-case sheet name -> first row pyxform did not read


def read_workbook(data: bytes, fallback_name: str | None = None) -> Workbook:
    """Raises UnreadableFile."""
    check_zip(data)
    try:
        sheets = get_xlsform(data, file_type=".xlsx")
    except PyXFormError as err:
        raise _damaged(str(err)) from err
    except Exception as err:  # openpyxl raises many kinds of errors on a broken file
        raise _damaged() from err
    sheets.fallback_form_name = fallback_name
    for name in ("survey", "choices", "settings", "entities", "osm", "external_choices"):
        rows = getattr(sheets, name) or []
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(_("The sheet %(sheet)s has too many rows (at most %(max)s).",
                                   sheet=name, max=MAX_ROWS))
    names = {n.lower(): n for n in sheets.sheet_names or []}
    return Workbook(sheets, names, stranded_rows(data, sheets, names))


def stranded_rows(data: bytes, sheets: DefinitionData, names: dict[str, str]) -> dict[str, int]:
    """Sheets with content below the 60 empty rows where pyxform stopped reading."""
    found: dict[str, int] = {}
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # pyxform could read it; this extra look is best effort
        return found
    try:
        for lower in ("survey", "choices", "settings"):
            if lower not in names or getattr(sheets, lower) is None:
                continue
            read_until = len(getattr(sheets, lower)) + 1  # last spreadsheet row pyxform kept
            empty = 0
            rows = book[names[lower]].iter_rows(min_row=read_until + 1, values_only=True)
            for number, values in enumerate(rows, start=read_until + 1):
                if any(v is not None and str(v).strip() for v in values):
                    found[lower] = number
                    break
                empty += 1
                if empty > _GAP_SCANNED:
                    break
    finally:
        book.close()
    return found
