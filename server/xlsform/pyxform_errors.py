"""pyxform's refusals (PyXFormError, in English) as import problems: our own message in the
console's language, located by sheet and row where pyxform's text gives them, with pyxform's
words kept as the problem's detail."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .problems import ImportProblem

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]|\brow(?: number)?\s*'?(\d+)'?", re.IGNORECASE)
_SHEET = re.compile(r"'(survey|choices|settings|entities|external_choices|osm)' sheet|"
                    r"sheet(?: named)?:? '(survey|choices|settings|entities|osm)'",
                    re.IGNORECASE)
_UNKNOWN_REF = re.compile(r"There is no survey element with this name|"
                          r"no question with this name", re.IGNORECASE)


def _message(text: str) -> str:
    lowered = text.lower()
    if "duplicate column header" in lowered or "different names for the same column" \
            in lowered:
        return _("Two columns of this sheet mean the same: keep one.")
    if "you must have a sheet named 'survey'" in lowered:
        return _("The file has no sheet named survey. An XLSForm has the sheets survey, "
                 "choices and settings.")
    if "unknown question type" in lowered:
        return _("This type is unknown.")
    if _UNKNOWN_REF.search(text):
        return _("This row refers to a question that does not exist.")
    if "reserved" in lowered and "meta" in lowered:
        return _("The name meta is reserved: choose another name.")
    if "unmatched" in lowered or "end group" in lowered or "end repeat" in lowered:
        return _("The begin and end rows of groups and repeats do not match.")
    if "list name" in lowered or "list_name" in lowered or "choices sheet" in lowered:
        return _("A choice list is missing or written wrongly.")
    if "duplicate" in lowered and "name" in lowered:
        return _("Two questions have the same name.")
    return _("The XLSForm converter (pyxform) refuses the form here.")


_SAME_COLUMN = re.compile(r"sheet: '(\w+)'\. Headers that are different names for the same "
                          r"column were found: '.+?', '(.+?)'")


_QUOTED = re.compile(r"'([^']+)'")


def from_pyxform_error(error: Exception, rows_by_type: dict[str, int] | None = None
                       ) -> ImportProblem:
    text = str(error).strip()
    same = _SAME_COLUMN.search(text)
    if same:
        return ImportProblem(_message(text), same.group(1), 1, same.group(2), detail=text)
    rows = _ROW.search(text)
    row = int(next(g for g in rows.groups() if g)) if rows else None
    if row is None and rows_by_type:  # "Unknown question type 'x'.": the row of that type
        row = next((rows_by_type[q] for q in _QUOTED.findall(text) if q in rows_by_type),
                   None)
    sheets = _SHEET.search(text)
    sheet = next(g for g in sheets.groups() if g).lower() if sheets else (
        "survey" if row is not None else None)
    return ImportProblem(_message(text), sheet, row, detail=text)
