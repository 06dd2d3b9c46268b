"""Our checks on the sheets as written, before pyxform reads them: columns that would change
what is asked, sheets Willay cannot carry, typographic quotes, names repeated in another
letter case. They also prepare what pyxform is given (Willay's own types and translated
titles, which pyxform does not know) and remember where each question came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from pyxform import aliases

from ..surveys.expression_parser import TYPOGRAPHIC_QUOTES
from .columns import (
    NOTICE,
    REFUSED,
    SETTINGS_CARRIED,
    SETTINGS_REFUSED,
    Column,
    choice_column,
    survey_column,
    uses_double_colon,
)
from .problems import ProblemList
from .reader import Workbook
from .types import WILLAY_TYPES

# columns holding expressions, where a typographic quote is a mistake, not text
_EXPRESSION_FIELDS = {"bind::relevant", "bind::required", "bind::constraint",
                      "bind::calculate", "bind::readonly", "control::jr:count",
                      "choice_filter", "trigger"}
_OR_OTHER = re.compile(r"\s+(or_other|or specify other)$", re.IGNORECASE)
_SEARCH = re.compile(r"\bsearch\s*\(")


@dataclass
class SheetFacts:
    """What the conversion needs to know about the rows as written."""

    survey_columns: dict[str, Column] = field(default_factory=dict)  # header -> column
    choice_columns: dict[str, Column] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # lower-case name -> survey row
    choice_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (list, name)
    or_other: set[str] = field(default_factory=set)  # names of selects with or_other
    willay_types: dict[str, str] = field(default_factory=dict)  # name -> rating/place
    titles: dict[str, str] = field(default_factory=dict)  # form_title::<language> cells
    duplicate_rows: set[int] = field(default_factory=set)  # rows of names used twice

    def header(self, *key: str) -> str | None:
        """The survey header for a pyxform key such as ("bind", "relevant")."""
        return next((c.header for c in self.survey_columns.values()
                     if c.key[:len(key)] == key), None)


def check_sheets(book: Workbook, problems: ProblemList) -> SheetFacts:
    facts = SheetFacts()
    sheets = book.sheets
    for lower, row in book.stranded.items():
        problems.error(_("This row comes after more than 60 empty rows, where XLSForm "
                         "converters stop reading: delete the empty rows above it."),
                       lower, row)
    if sheets.entities:
        problems.error(_("Entities (the entities sheet, for ODK Central datasets) are not "
                         "supported: remove the sheet."), "entities", 2)
    if sheets.osm:
        problems.error(_("OpenStreetMap questions (the osm sheet) are not supported."),
                       "osm", 2)
    if sheets.external_choices:
        problems.error(_("The external_choices sheet (for select_one_external) is not "
                         "supported: use select_one_from_file with a CSV list."),
                       "external_choices", 2)
    _survey(sheets, facts, problems)
    _choices(sheets, facts, problems)
    _settings(sheets, facts, problems)
    return facts


def _headers(header_rows) -> list[str]:
    return [h for h in (header_rows or [{}])[0] if h]


def _survey(sheets, facts: SheetFacts, problems: ProblemList) -> None:
    headers = _headers(sheets.survey_header)
    double = uses_double_colon(headers)
    facts.survey_columns = {h: survey_column(h, double) for h in headers}
    name_header = facts.header("name")
    type_header = facts.header("type")
    noticed: set[str] = set()
    seen: dict[str, int] = {}
    for index, row in enumerate(sheets.survey or []):
        number = index + 2
        for header, value in row.items():
            column = facts.survey_columns.get(header)
            if column is None or value in (None, ""):
                continue
            text = str(value)
            if column.fate == REFUSED:
                problems.error(_("The column %(column)s is not supported: it changes what "
                                 "is asked. Clear it or rewrite the question.",
                                 column=header), "survey", number, header)
            elif column.fate == NOTICE and header not in noticed:
                noticed.add(header)
                problems.notice(_("The column %(column)s is left out: it does not change "
                                  "what is asked or stored.", column=header), "survey",
                                number, header)
            if column.field in _EXPRESSION_FIELDS and any(q in text for q in
                                                          TYPOGRAPHIC_QUOTES):
                problems.error(_("This expression has typographic quotes (‘ ’ “ ”): write "
                                 "texts between straight quotes ' or \"."), "survey",
                               number, header)
            if column.field == "control::appearance" and _SEARCH.search(text):
                problems.error(_("The appearance search() reads choices from a CSV file "
                                 "through the XForm and is not supported: use "
                                 "select_one_from_file."), "survey", number, header)
        name = str(row.get(name_header, "") or "").strip() if name_header else ""
        kind = " ".join(str(row.get(type_header, "") or "").split()) if type_header else ""
        if name:
            if name.lower() in seen:
                problems.error(_("The name %(name)s is already used on row %(row)s (names "
                                 "are compared without letter case).", name=name,
                                 row=seen[name.lower()]), "survey", number, name_header)
                facts.duplicate_rows |= {number, seen[name.lower()]}
            else:
                seen[name.lower()] = number
                facts.rows[name.lower()] = number
        if _OR_OTHER.search(kind) and name:
            facts.or_other.add(name)
        if kind.lower() in WILLAY_TYPES and name:
            facts.willay_types[name] = kind.lower()
            row[type_header] = WILLAY_TYPES[kind.lower()]
        if kind.lower().startswith(("select_one_external", "select one external")):
            problems.error(_("select_one_external is not supported: use select_one with a "
                             "choice_filter, or select_one_from_file with a CSV list."),
                           "survey", number, type_header)
        if kind.lower().startswith(("select_one_from_file", "select_multiple_from_file",
                                    "select one from file", "select multiple from file")) \
                and kind.lower().endswith(".xml"):
            problems.error(_("Lists from XML files are not supported: give the list as a "
                             "CSV or GeoJSON file."), "survey", number, type_header)


def _choices(sheets, facts: SheetFacts, problems: ProblemList) -> None:
    headers = _headers(sheets.choices_header)
    double = uses_double_colon(headers)
    facts.choice_columns = {h: choice_column(h, double) for h in headers}
    list_header = next((h for h, c in facts.choice_columns.items()
                        if c.key[0] in ("list name", "list_name")), None)
    name_header = next((h for h, c in facts.choice_columns.items() if c.key[0] == "name"),
                       None)
    noticed: set[str] = set()
    for index, row in enumerate(sheets.choices or []):
        number = index + 2
        if list_header and name_header and row.get(list_header) and row.get(name_header):
            facts.choice_rows.setdefault((str(row[list_header]), str(row[name_header])),
                                         number)
        for header, value in row.items():
            column = facts.choice_columns.get(header)
            if column and column.fate == NOTICE and value and header not in noticed:
                noticed.add(header)
                problems.notice(_("The column %(column)s is left out: it does not change "
                                  "what is asked or stored.", column=header), "choices",
                                number, header)


def _settings(sheets, facts: SheetFacts, problems: ProblemList) -> None:
    header_row = (sheets.settings_header or [{}])[0]
    for header in list(header_row):
        base, _sep, language = header.partition("::")
        key = aliases.settings_header.get(base.strip().lower(), base.strip().lower())
        value = next((str(r[header]) for r in (sheets.settings or [])[:1]
                      if r.get(header) not in (None, "")), "")
        if key == "title" and language:
            # Willay's translated titles: pyxform knows one title only
            facts.titles[language.strip()] = value
            header_row.pop(header)
            for r in sheets.settings or []:
                r.pop(header, None)
        elif not value or key in SETTINGS_CARRIED:
            continue
        elif key in SETTINGS_REFUSED or header.startswith("attribute::"):
            problems.error(_("The setting %(column)s is not supported (encrypted forms, "
                             "entities and extra submission attributes are not).",
                             column=header), "settings", 2, header)
        else:
            problems.notice(_("The setting %(column)s is not used by Willay and is left "
                              "out.", column=header), "settings", 2, header)
