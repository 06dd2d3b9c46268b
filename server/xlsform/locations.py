"""Where each part of a converted definition came from in the spreadsheet, so that problems
found by `validate_definition` (by JSON path) are shown by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..surveys.definition import Problem
from .problems import ImportProblem

# definition field -> XLSForm column (without language)
FIELD_COLUMNS = {"id": "name", "relevance": "relevant", "title": "label", "type": "type",
                 "label": "label", "hint": "hint", "required": "required",
                 "constraint": "constraint", "constraint_message": "constraint_message",
                 "appearance": "appearance", "personal": "personal", "value": "name",
                 "choices": "type"}
_LANG_NAMES = {"es": "Español (es)", "qu": "Quechua (qu)"}


@dataclass
class Location:
    sheet: str
    row: int | None
    columns: dict[str, str] = field(default_factory=dict)  # "label.qu" -> header as written
    field: str = ""  # the definition field this location stands for, if a single one

    def column_for(self, rest: str) -> str | None:
        rest = f"{self.field}.{rest}".strip(".") if self.field else rest
        if not rest:
            return None
        if rest in self.columns:
            return self.columns[rest]
        name, _dot, lang = rest.partition(".")
        column = FIELD_COLUMNS.get(name, name)
        if self.sheet == "settings" and name == "title":
            column = "form_title"
        if lang in _LANG_NAMES:
            return f"{column}::{_LANG_NAMES[lang]}"
        return column


class SourceMap:
    def __init__(self) -> None:
        self.places: dict[str, Location] = {}

    def add(self, path: str, location: Location) -> None:
        self.places[path] = location

    def locate(self, problem: Problem) -> ImportProblem:
        path = problem.path
        # the longest registered prefix ending at a "." (or the whole path), found directly
        cuts = [len(path)] + [i for i in range(len(path) - 1, 0, -1) if path[i] == "."]
        best = next((path[:cut] for cut in cuts if path[:cut] in self.places), None)
        if best is None:
            return ImportProblem(problem.message, path=path)
        location = self.places[best]
        rest = path[len(best):].lstrip(".")
        return ImportProblem(problem.message, location.sheet, location.row,
                             location.column_for(rest), path=path)
