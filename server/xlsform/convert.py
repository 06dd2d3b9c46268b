"""An XLSForm -> a Willay survey definition (docs/survey-format.md), through pyxform:
our checks on the sheets as written (checks.py), pyxform's conversion (its survey JSON and
the XForm), then its elements as Willay items (items.py) laid out in pages (layout.py).
Every problem is located by sheet, row and column. Rules: docs/xlsform.md."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert as pyxform_convert

from ..surveys.definition import validate_definition
from ..surveys.structure import referenced_files
from .checks import SheetFacts, check_sheets
from .form_code import CODE_RE
from .items import Context
from .languages import DEFAULT, display_name, language_code
from .layout import layout
from .locations import Location, SourceMap
from .problems import ProblemList
from .pyxform_errors import from_pyxform_error
from .reader import Workbook

log = logging.getLogger(__name__)
_TEXT_BINDS = ("jr:constraintMsg", "jr:requiredMsg")
# definition field -> pyxform key of the survey column
_FIELD_KEYS = {"relevance": ("bind", "relevant"), "constraint": ("bind", "constraint"),
               "required": ("bind", "required"), "read_only": ("bind", "readonly"),
               "calculation": ("bind", "calculate"), "appearance": ("control", "appearance"),
               "repeat_count": ("control", "jr:count"), "id": ("name",), "type": ("type",),
               "choices": ("type",), "choices_from": ("type",), "meta": ("type",),
               "or_other": ("type",), "default": ("default",), "trigger": ("trigger",),
               "choice_filter": ("choice_filter",), "parameters": ("parameters",),
               "personal": ("personal",)}
_TEXT_KEYS = {"label": ("label",), "title": ("label",), "hint": ("hint",),
              "constraint_message": ("bind", "jr:constraintMsg"),
              "required_message": ("bind", "jr:requiredMsg")}


@dataclass
class Conversion:
    definition: dict | None
    code: str | None = None
    version: str | None = None
    xform: str | None = None
    files: list[str] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)


def _languages_of(survey: dict) -> list[str]:
    """pyxform language names used by any text, in the order met."""
    found: dict[str, None] = {}

    def texts(value) -> None:
        if isinstance(value, dict):
            found.update(dict.fromkeys(value))
        elif value not in (None, ""):
            found[""] = None  # a text without language

    def walk(e: dict) -> None:
        texts(e.get("label"))
        texts(e.get("hint"))
        for key in _TEXT_BINDS:
            texts((e.get("bind") or {}).get(key))
        media = e.get("media")
        for value in media.values() if isinstance(media, dict) else ():
            texts(value)
        choices = e.get("choices")
        for choice in choices if isinstance(choices, list) else ():
            texts(choice.get("label"))
            media = choice.get("media")
            for value in media.values() if isinstance(media, dict) else ():
                texts(value)
        for child in e.get("children") or []:
            walk(child)

    walk(survey)
    return list(found)


class _Converter:
    def __init__(self, book: Workbook):
        self.book = book
        self.problems = ProblemList()

    def run(self) -> Conversion:
        facts = check_sheets(self.book, self.problems)
        warnings: list[str] = []
        try:
            result = pyxform_convert(xlsform=self._pyxform_input(), warnings=warnings)
        except PyXFormError as err:
            problem = from_pyxform_error(err, self._rows_by_type())
            # a refusal of ours at its row already explains what pyxform says without one
            if problem.row is not None or not self.problems.has_errors:
                self.problems.items.append(problem)
            return Conversion(None, problems=self.problems)
        except Exception as err:  # a pyxform defect must not become a server error
            log.warning("pyxform failed on an upload: %r", err)
            if not self.problems.has_errors:
                self.problems.error(_("The XLSForm converter (pyxform) could not read this "
                                      "form."), detail=f"{type(err).__name__}: {err}")
            return Conversion(None, problems=self.problems)
        survey = result._pyxform or {}
        return self._definition(survey, facts, result.xform)

    def _rows_by_type(self) -> dict[str, int]:
        """Survey type cell (spaces collapsed) -> its first row, to place pyxform's
        messages that name a type but give no row."""
        found: dict[str, int] = {}
        for index, row in enumerate(self.book.sheets.survey or []):
            kind = row.get("type")
            if kind:
                found.setdefault(" ".join(str(kind).split()), index + 2)
        return found

    def _pyxform_input(self) -> dict:
        sheets = self.book.sheets
        return {name: getattr(sheets, name) for name in sheets.__slots__}

    # -- languages ---------------------------------------------------------------------
    def _codes(self, survey: dict, facts: SheetFacts) -> tuple[dict[str, str], str, dict]:
        """pyxform language name -> code, the default language's code, display names.
        Texts without a language belong to the default language: the `default_language`
        setting, else Spanish when the form has it (or has no language at all), else the
        first language met. Where both give a text, the named column wins."""
        setting = str(survey.get("default_language") or DEFAULT)
        codes: dict[str, str] = {}
        names: dict[str, str] = {}
        for name in [n for n in _languages_of(survey) if n not in (DEFAULT, "", setting)]:
            code = language_code(name)
            if code is None:
                self._language_problem(facts, name, _(
                    "The language “%(language)s” has no language code: write the column "
                    "as “label::Name (code)”, e.g. “label::English (en)”.", language=name))
                codes[name] = ""  # already refused: its texts are left out
                continue
            if code in codes.values():
                other = next(n for n, c in codes.items() if c == code)
                self._language_problem(facts, name, _(
                    "The languages “%(first)s” and “%(second)s” are both %(code)s: keep one "
                    "spelling.", first=other, second=name, code=code))
                codes[name] = ""
                continue
            codes[name] = code
            shown = display_name(name)
            if shown:
                names[code] = shown
        if setting != DEFAULT:
            default = language_code(setting) or ""
            if not default:
                self.problems.error(_("The default language “%(language)s” has no language "
                                      "code: write it as “Name (code)”, e.g. “Español (es)”.",
                                      language=setting), "settings", 2, "default_language")
                default = "es"
            shown = display_name(setting)
            if shown:
                names.setdefault(default, shown)
        else:
            found = [c for c in codes.values() if c]
            default = "es" if "es" in found or not found else found[0]
        for name in (DEFAULT, "", setting):
            codes.setdefault(name, default)
        return codes, default, names

    def _language_problem(self, facts: SheetFacts, language: str, message: str) -> None:
        headers = [c.header for c in facts.survey_columns.values() if language in c.key[1:]]
        sheet = "survey"
        if not headers:
            headers = [c.header for c in facts.choice_columns.values()
                       if language in c.key[1:]]
            sheet = "choices"
        self.problems.error(message, sheet, 1, headers[0] if headers else None)

    # -- columns -----------------------------------------------------------------------
    @staticmethod
    def _fields(columns, codes: dict[str, str], default: str, choices: bool) -> dict:
        out: dict[str, str] = {}
        for column in columns.values():
            key = column.key
            if choices:
                if key[0] == "name":
                    out["value"] = column.header
                elif key[0] in ("label", "media"):
                    lang = codes.get(key[-1], default) if len(key) > 1 else default
                    stem = "label" if key[0] == "label" else f"media.{key[1]}"
                    out[f"{stem}.{lang}"] = column.header
                    out.setdefault(stem, column.header)
                else:
                    out[f"data.{key[0]}"] = column.header
                continue
            for name, wanted in _FIELD_KEYS.items():
                if key[:len(wanted)] == wanted:
                    out.setdefault(name, column.header)
            for name, wanted in _TEXT_KEYS.items():
                if key[:len(wanted)] == wanted:
                    rest = key[len(wanted):]
                    lang = codes.get(rest[0], default) if rest else default
                    out[f"{name}.{lang}"] = column.header
                    out.setdefault(name, column.header)
            if key[0] == "media" and len(key) > 1:
                lang = codes.get(key[2], default) if len(key) > 2 else default
                out[f"media.{key[1]}.{lang}"] = column.header
                out.setdefault("media", column.header)
        return out

    # -- the definition ----------------------------------------------------------------
    def _definition(self, survey: dict, facts: SheetFacts, xform: str) -> Conversion:
        codes, default, names = self._codes(survey, facts)
        ctx = Context(facts, self.problems, SourceMap(), codes, default,
                      self._fields(facts.survey_columns, codes, default, False),
                      self._fields(facts.choice_columns, codes, default, True),
                      style_pages=str(survey.get("style", "")).strip() == "pages")
        taken = set(facts.rows)
        pages = layout(ctx, survey.get("children") or [], taken)
        ctx.source.register_choices(pages, ctx.choice_fields)
        languages = [default] + list(dict.fromkeys(
            code for code in codes.values() if code and code != default))
        title = self._title(survey, facts, codes, default)
        definition: dict = {"languages": languages, "default_language": default}
        if names:
            definition["language_names"] = {c: n for c, n in names.items() if c in languages}
        definition["title"] = title
        settings_columns = {f"title.{default}": "form_title", "title": "form_title",
                            "instance_name": "instance_name",
                            "default_language": "default_language"}
        for language, _text in facts.titles.items():
            settings_columns[f"title.{codes.get(language, language_code(language) or '')}"] \
                = f"form_title::{language}"
        ctx.source.add("title", Location("settings", 2, settings_columns, "title"))
        ctx.source.add("instance_name", Location("settings", 2, settings_columns,
                                                 "instance_name"))
        ctx.source.add("languages", Location("survey", 1, ctx.survey_fields))
        if survey.get("instance_name"):
            try_name = ctx.expression(survey["instance_name"], None, "instance_name")
            if try_name is None:
                self._relocate_last("settings", 2, "instance_name")
            else:
                definition["instance_name"] = try_name
        definition["pages"] = pages
        code = self._code(survey)
        version = str(survey["version"]) if survey.get("version") else None
        self._validate(definition, ctx)
        return Conversion(definition, code, version, xform,
                          sorted(referenced_files(definition)), self.problems)

    def _relocate_last(self, sheet: str, row: int, column: str) -> None:
        last = self.problems.items[-1]
        self.problems.items[-1] = replace(last, sheet=sheet, row=row, column=column)

    def _title(self, survey, facts: SheetFacts, codes, default) -> dict[str, str]:
        title = {default: str(survey.get("title") or survey.get("id_string") or "")}
        for language, text in facts.titles.items():
            code = codes.get(language) or language_code(language)
            if code is None:
                self.problems.error(_("The language “%(language)s” has no language code.",
                                      language=language), "settings", 1,
                                    f"form_title::{language}")
            elif text:
                title[code] = text
        return {k: v for k, v in title.items() if v}

    def _code(self, survey: dict) -> str | None:
        code = str(survey.get("id_string") or "")
        if not code or code == "data" and not self._settings_value("form_id", "id_string"):
            return None
        if not CODE_RE.fullmatch(code):
            if self._settings_value("form_id", "id_string"):
                self.problems.error(_("The form_id must be 1 to 64 letters, digits, _ . or "
                                      "- (no spaces)."), "settings", 2, "form_id")
            return None
        return code

    def _settings_value(self, *headers: str) -> bool:
        rows = self.book.sheets.settings or []
        return any(rows[0].get(h) for h in headers) if rows else False

    def _validate(self, definition: dict, ctx: Context) -> None:
        seen: set[tuple] = set()
        for problem in validate_definition(definition):
            located = ctx.source.locate(problem)
            if located.row in ctx.facts.duplicate_rows and problem.path.endswith(".id"):
                continue  # already said, by row, with the other row
            key = (located.sheet, located.row, located.column, located.message)
            if located.sheet is None or key not in seen:
                seen.add(key)
                self.problems.items.append(located)


def convert(book: Workbook) -> Conversion:
    return _Converter(book).run()
