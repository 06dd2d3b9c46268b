"""Reading the settings and choices sheets and the column headers of every sheet: the parts
of an XLSForm that the survey sheet's questions refer to."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .columns import Column, parse_header
from .locations import Location, SourceMap
from .problems import ProblemList
from .reader import Sheet

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
TEXT_FIELDS = ("label", "hint", "constraint_message")
IGNORED_TEXT_FIELDS = ("guidance_hint", "required_message", "media::image", "media::audio",
                       "media::video", "media::big-image", "image", "audio", "video",
                       "big-image")
KNOWN = frozenset({"type", "name", "required", "relevant", "constraint", "appearance",
                   "personal", "list_name", "form_id", "form_title", "default_language",
                   "version"})
# columns that change what is asked or stored: carrying a form without them would be wrong
UNSUPPORTED = frozenset({"default", "calculation", "trigger", "read_only", "readonly",
                         "repeat_count", "parameters", "choice_filter"})
YES = frozenset({"yes", "true", "true()", "1"})
NO = frozenset({"no", "false", "false()", "0"})

Choice = tuple[int, dict, dict[str, str]]  # (row, choice, definition field -> column)


class SheetParser:
    """State shared by the parts of a conversion: problems, source map, languages."""

    def __init__(self, sheets: dict[str, Sheet]):
        self.sheets = sheets
        self.problems = ProblemList()
        self.source = SourceMap()
        self.default_language = "es"
        self.languages: set[str] = set()
        self.suppressed: set[str] = set()  # paths whose problem is already reported better
        self.dropped: set[str] = set()  # names of rows refused for their type

    # -- columns -----------------------------------------------------------------------
    def columns(self, sheet: Sheet) -> dict[str, Column]:
        """Header -> parsed column; reports duplicates, foreign languages, unknown columns."""
        parsed: dict[str, Column] = {}
        seen: dict[tuple[str, str | None], str] = {}
        for header in sheet.headers:
            if not header:
                continue
            column = parse_header(header)
            if column.unknown_language:
                self.problems.notice(_("The language “%(language)s” is not Spanish (es) or "
                                       "Quechua (qu): this column is left out.",
                                       language=column.language_text),
                                     sheet.name, sheet.header_row, header)
                continue
            language = column.language or (
                self.default_language if column.field in TEXT_FIELDS + ("form_title",)
                else None)
            key = (column.field, language)
            if key in seen:
                self.problems.error(_("The columns “%(first)s” and “%(second)s” give the same "
                                      "text: keep one.", first=seen[key], second=header),
                                    sheet.name, sheet.header_row, header)
                continue
            seen[key] = header
            parsed[header] = Column(header, column.field, language, column.language_text)
            if column.field == "label" and language:
                self.languages.add(language)
        return parsed

    def texts(self, row: dict[str, str], cols: dict[str, Column], name: str,
              columns: dict[str, str], prefix: str = "") -> dict[str, str]:
        out = {}
        for header, column in cols.items():
            if column.field == name and column.language:
                columns[f"{prefix}{name}.{column.language}"] = header
                if row.get(header):
                    out[column.language] = row[header]
        return out

    def report_other_columns(self, sheet: Sheet, cols: dict[str, Column],
                             used: frozenset[str]) -> None:
        reported: set[str] = set()
        for number, row in sheet.rows:
            for header, value in row.items():
                column = cols.get(header)
                if column is None or not value or column.field in used:
                    continue
                if column.field in UNSUPPORTED or column.field.startswith(
                        ("bind::", "body::", "instance::")):
                    self.problems.error(_("The column %(column)s is not supported: it would "
                                          "change what is asked. Clear it or rewrite the "
                                          "question.", column=header), sheet.name, number,
                                        header)
                elif header not in reported:
                    reported.add(header)
                    if column.field in IGNORED_TEXT_FIELDS:
                        message = _("The column %(column)s is not carried over (Willay "
                                    "shows the label and hint only).", column=header)
                    else:
                        message = _("The column %(column)s is unknown and left out.",
                                    column=header)
                    self.problems.notice(message, sheet.name, number, header)

    # -- settings ------------------------------------------------------------------------
    def settings(self) -> tuple[str | None, str | None, dict[str, str]]:
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            self.source.add("title", Location("settings", 2, field="title"))
            self.source.add("default_language", Location("settings", 2, field="default_language"))
            return None, None, {}
        number, row = sheet.rows[0]
        cols = {h: parse_header(h) for h in sheet.headers if h}
        by_field = {c.field: h for h, c in cols.items() if c.language_text is None}
        if row.get(by_field.get("default_language", "")):
            raw = row[by_field["default_language"]]
            lang = parse_header(f"label::{raw}").language
            if lang is None:
                self.problems.error(_("The default language must be Spanish (es) or Quechua "
                                      "(qu), as in “Español (es)”."), "settings", number,
                                    by_field["default_language"])
            else:
                self.default_language = lang
        code = row.get(by_field.get("form_id", ""), "") or None
        if code and not CODE_RE.match(code):
            self.problems.error(_("The form_id must be 1 to 64 letters, digits, _ . or - "
                                  "(no spaces)."), "settings", number, by_field["form_id"])
            code = None
        title: dict[str, str] = {}
        columns: dict[str, str] = {}
        for header, column in cols.items():
            if column.field == "form_title":
                lang = column.language or (None if column.language_text else
                                           self.default_language)
                if lang:
                    columns[f"title.{lang}"] = header
                    if row.get(header):
                        title[lang] = row[header]
        self.source.add("title", Location("settings", number, columns, "title"))
        self.source.add("default_language", Location("settings", number, {
            "default_language": by_field.get("default_language", "default_language")},
            "default_language"))
        version = row.get(by_field.get("version", "")) or None
        for header, column in cols.items():
            if row.get(header) and column.field not in KNOWN:
                self.problems.notice(_("The setting %(column)s is not used by Willay and is "
                                       "left out.", column=header), "settings", number, header)
        return code, version, title

    # -- choices -------------------------------------------------------------------------
    def choices(self) -> dict[str, list[Choice]]:
        sheet = self.sheets.get("choices")
        lists: dict[str, list[Choice]] = {}
        if sheet is None:
            return lists
        cols = self.columns(sheet)
        by_field = {c.field: h for h, c in cols.items()}
        list_col = by_field.get("list_name")
        name_col = by_field.get("name") or by_field.get("value")
        if list_col is None or name_col is None:
            self.problems.error(_("The choices sheet needs the columns list_name and name."),
                                "choices", sheet.header_row)
            return lists
        self.report_other_columns(sheet, cols, frozenset(
            {"list_name", "name", "value", "label", "filter"}))
        for number, row in sheet.rows:
            list_name = row.get(list_col, "")
            if not list_name:
                self.problems.error(_("This choice has no list_name."), "choices", number,
                                    list_col)
                continue
            columns = {"value": name_col}
            choice: dict = {"value": row.get(name_col, ""),
                            "label": self.texts(row, cols, "label", columns)}
            if by_field.get("filter") and row.get(by_field["filter"]):
                choice["filter"] = row[by_field["filter"]]
            lists.setdefault(list_name, []).append((number, choice, columns))
        return lists
