"""Where each part of a converted definition came from in the spreadsheet, so that problems
found by `validate_definition` (by JSON path) are shown by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..surveys.definition_checker import Problem
from .problems import ImportProblem


@dataclass
class Location:
    sheet: str
    row: int | None
    columns: dict[str, str] = field(default_factory=dict)  # "label.qu" -> header as written
    field: str = ""  # the definition field this location stands for, if a single one

    def column_for(self, rest: str) -> str | None:
        rest = f"{self.field}.{rest}".strip(".") if self.field else rest
        while rest:
            if rest in self.columns:
                return self.columns[rest]
            rest = rest.rpartition(".")[0]
        return None


class SourceMap:
    def __init__(self) -> None:
        self.places: dict[str, Location] = {}

    def add(self, path: str, location: Location) -> None:
        self.places[path] = location

    def locate(self, problem: Problem) -> ImportProblem:
        path = problem.path
        severity = "error" if problem.is_error else "warning"
        # the longest registered prefix ending at a "." or "[" (or the whole path)
        cuts = [len(path)] + [i for i in range(len(path) - 1, 0, -1) if path[i] in ".["]
        best = next((path[:cut] for cut in cuts if path[:cut] in self.places), None)
        if best is None:
            return ImportProblem(problem.message, severity=severity, path=path)
        location = self.places[best]
        rest = path[len(best):].lstrip(".")
        return ImportProblem(problem.message, location.sheet, location.row,
                             location.column_for(rest), severity=severity, path=path)

    def register_choices(self, pages: list[dict], fields: dict[str, str]) -> None:
        """Take the choices' rows (carried on each choice as `_row` while converting)."""
        def walk(items: list[dict], path: str) -> None:
            for i, item in enumerate(items):
                here = f"{path}[{i}]"
                for j, choice in enumerate(item.get("choices") or []):
                    row = choice.pop("_row", None)
                    self.add(f"{here}.choices[{j}]", Location("choices", row, fields))
                walk(item.get("questions") or [], f"{here}.questions")

        for p, page in enumerate(pages):
            walk(page.get("questions") or [], f"pages[{p}].questions")
