"""XLSForm sheets -> a Willay survey definition (docs/survey-format.md), with every problem
located by sheet, row and column. Rules and decisions: docs/xlsform.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..surveys.definition import LANGUAGES, validate_definition
from .columns import Column
from .expressions import Untranslatable, translate
from .locations import Location
from .problems import ProblemList
from .reader import Sheet
from .sheets import KNOWN, NO, TEXT_FIELDS, YES, SheetParser
from .types import classify


@dataclass
class _Question:
    row: int
    data: dict
    raw_relevant: str | None
    raw_constraint: str | None
    group_relevance: list[tuple[int, str]] = field(default_factory=list)  # (row, relevant)
    list_name: str = ""
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class _Page:
    row: int | None
    id: str | None
    title: dict[str, str]
    questions: list[_Question] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Conversion:
    definition: dict
    code: str | None
    version: str | None
    problems: ProblemList


class _Converter(SheetParser):
    """Reads the survey sheet into pages and questions, translates their expressions, and
    checks the assembled definition (settings and choices: SheetParser)."""

    # -- survey --------------------------------------------------------------------------
    def survey(self) -> list[_Page]:
        sheet = self.sheets["survey"]
        cols = self.columns(sheet)
        by_field = {c.field: h for h, c in cols.items()}
        self.report_other_columns(sheet, cols, KNOWN | set(TEXT_FIELDS))
        if "type" not in by_field:
            self.problems.error(_("The survey sheet needs a column named type."), "survey",
                                sheet.header_row)
            return []
        pages: list[_Page] = []
        groups: list[tuple[int, str, str | None]] = []  # (row, name, relevant) open groups
        loose: _Page | None = None

        def cell(row: dict[str, str], name: str) -> str:
            return row.get(by_field.get(name, ""), "")

        for number, row in sheet.rows:
            raw_type = cell(row, "type")
            if not raw_type:
                self.problems.error(_("This row has no type."), "survey", number,
                                    by_field["type"])
                continue
            kind = classify(raw_type)
            if kind.error:
                self.problems.error(kind.error, "survey", number, by_field["type"])
                if cell(row, "name"):
                    self.dropped.add(cell(row, "name"))
            if kind.kind in ("group_start", "repeat_start"):
                if not groups:
                    columns: dict[str, str] = {"id": by_field.get("name", "name")}
                    title = self.texts(row, cols, "label", columns, "title_")
                    columns = {k.replace("title_label", "title"): v for k, v in columns.items()}
                    pages.append(_Page(number, cell(row, "name") or None, title,
                                       columns=columns))
                    loose = None
                groups.append((number, cell(row, "name"), cell(row, "relevant") or None))
            elif kind.kind in ("group_end", "repeat_end"):
                if not groups:
                    self.problems.error(_("This end group has no begin group."), "survey",
                                        number, by_field["type"])
                else:
                    groups.pop()
            elif kind.kind == "metadata":
                self.problems.notice(_("“%(type)s” is left out: Willay records times, device "
                                       "and location with every submission itself.",
                                       type=raw_type), "survey", number, by_field["type"])
            elif kind.kind == "question":
                question = self.question(number, row, cols, cell, kind.willay_type)
                question.list_name = kind.list_name
                question.group_relevance = [(g[0], g[2]) for g in groups if g[2]]
                if groups:
                    page = pages[-1]
                else:
                    if loose is None:
                        loose = _Page(None, None, {})
                        pages.append(loose)
                    page = loose
                page.questions.append(question)
        for number, _name, _rel in groups:
            self.problems.error(_("This group is not closed: add an end group row."),
                                "survey", number, by_field["type"])
        return pages

    def question(self, number: int, row: dict[str, str], cols: dict[str, Column], cell,
                 willay_type: str) -> _Question:
        columns: dict[str, str] = {}
        for name in ("name", "type", "required", "relevant", "constraint", "appearance",
                     "personal"):
            header = next((h for h, c in cols.items() if c.field == name), None)
            if header:
                columns[{"name": "id", "relevant": "relevance"}.get(name, name)] = header
        data: dict = {"id": cell(row, "name"), "type": willay_type,
                      "label": self.texts(row, cols, "label", columns)}
        if not data["id"]:
            self.problems.error(_("This question has no name."), "survey", number,
                                columns.get("id", "name"))
        for name in ("hint", "constraint_message"):
            texts = self.texts(row, cols, name, columns)
            if texts:
                data[name] = texts
        for flag in ("required", "personal"):
            value = cell(row, flag).strip().lower()
            if value in YES:
                data[flag] = True
            elif value and value not in NO:
                self.problems.error(_("Write yes or no here: a condition is not supported "
                                      "(use relevant to ask the question only when needed)."),
                                    "survey", number, columns.get(flag, flag))
        if cell(row, "appearance"):
            data["appearance"] = cell(row, "appearance")
        return _Question(number, data, cell(row, "relevant") or None,
                         cell(row, "constraint") or None, columns=columns)

    # -- expressions ---------------------------------------------------------------------
    def expressions(self, pages: list[_Page]) -> None:
        questions = [q for page in pages for q in page.questions]
        dates = frozenset(q.data["id"] for q in questions if q.data["type"] == "date")
        group_cache: dict[int, str | None] = {}
        for q in questions:
            parts = []
            for row, raw in q.group_relevance:
                if row not in group_cache:
                    group_cache[row] = self.translate(raw, dates, False, row, "relevant")
                parts.append(group_cache[row])
            if q.raw_relevant:
                parts.append(self.translate(q.raw_relevant, dates, False, q.row,
                                            q.columns.get("relevance", "relevant")))
            if any(p is None for p in parts):
                continue
            if parts:
                q.data["relevance"] = parts[0] if len(parts) == 1 else " and ".join(
                    f"({p})" for p in parts)
            if q.raw_constraint:
                translated = self.translate(q.raw_constraint, dates,
                                            q.data["type"] == "date", q.row,
                                            q.columns.get("constraint", "constraint"))
                if translated is not None:
                    q.data["constraint"] = translated
                else:  # already reported; its message alone would be a second problem
                    q.data.pop("constraint_message", None)

    def translate(self, raw: str, dates: frozenset[str], current_is_date: bool, row: int,
                  column: str) -> str | None:
        try:
            return translate(raw, date_ids=dates, current_is_date=current_is_date)
        except Untranslatable as err:
            self.problems.error(str(err), "survey", row, column)
            return None

    # -- assembly ------------------------------------------------------------------------
    def run(self) -> Conversion:
        if "survey" not in self.sheets:
            self.problems.error(_("The file has no sheet named survey. An XLSForm has the "
                                  "sheets survey, choices and settings."))
            return Conversion({}, None, None, self.problems)
        code, version, title = self.settings()
        lists = self.choices()
        pages = self.survey()
        self.expressions(pages)
        languages = [lang for lang in LANGUAGES if lang in self.languages]
        if not languages:
            self.problems.error(_("No label in Spanish or Quechua: name the label columns "
                                  "“label::Español (es)” and “label::Quechua (qu)”."),
                                "survey", self.sheets["survey"].header_row)
        definition: dict = {"languages": languages or ["es"],
                            "default_language": self.default_language,
                            "title": title, "pages": self.pages(pages, lists)}
        self.source.add("languages", Location("survey", self.sheets["survey"].header_row))
        # a reference to a question already refused for its type is not a second problem
        echoes = {_("Refers to an unknown question: %(id)s.", id=name) for name in self.dropped}
        seen: set[tuple] = set()
        for problem in validate_definition(definition):
            if problem.path in self.suppressed or problem.message in echoes:
                continue
            located = self.source.locate(problem)
            # a choice list used by several questions is one set of rows: report them once
            key = (located.sheet, located.row, located.column, located.message)
            if located.sheet is None or key not in seen:
                seen.add(key)
                self.problems.items.append(located)
        return Conversion(definition, code, version, self.problems)

    def pages(self, pages: list[_Page], lists: dict) -> list[dict]:
        names = {q.data["id"] for page in pages for q in page.questions} | {
            page.id for page in pages if page.id}
        counter = 0
        out = []
        for page in pages:
            p = len(out)  # empty groups are left out, so count the pages kept
            page_id = page.id
            if page_id is None:
                counter += 1
                while f"page_{counter}" in names:
                    counter += 1
                page_id = f"page_{counter}"
            item: dict = {"id": page_id}
            if page.title:
                item["title"] = page.title
            self.source.add(f"pages[{p}]", Location("survey", page.row, page.columns))
            item["questions"] = []
            for q, question in enumerate(page.questions):
                path = f"pages[{p}].questions[{q}]"
                self.source.add(path, Location("survey", question.row, question.columns))
                data = dict(question.data)
                if question.list_name:
                    data["choices"] = self.select_choices(question, lists, path)
                item["questions"].append(data)
            if not item["questions"]:
                self.problems.error(_("This group has no questions."), "survey", page.row)
                continue
            out.append(item)
        return out

    def select_choices(self, question: _Question, lists: dict, path: str) -> list[dict]:
        found = lists.get(question.list_name)
        if not found:
            self.problems.error(_("The choice list “%(list)s” is not on the choices sheet.",
                                  list=question.list_name), "survey", question.row,
                                question.columns.get("type", "type"))
            self.suppressed.add(f"{path}.choices")
            return []
        choices = []
        for i, (number, choice, columns) in enumerate(found):
            self.source.add(f"{path}.choices[{i}]", Location("choices", number, columns))
            choices.append({**choice, "label": dict(choice["label"])})
        return choices


def convert(sheets: dict[str, Sheet]) -> Conversion:
    return _Converter(sheets).run()
