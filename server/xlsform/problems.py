"""What an import found wrong, located by sheet, row and column of the spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass, field

SHEET_ORDER = {"settings": 0, "survey": 1, "choices": 2, "entities": 3, "osm": 4}


@dataclass(frozen=True)
class ImportProblem:
    """`severity` "error" blocks the import; "notice" reports something left out on purpose
    (media, metadata columns) that changes nothing in the collected answers."""

    message: str
    sheet: str | None = None
    row: int | None = None  # 1-based spreadsheet row, as Excel numbers it
    column: str | None = None
    severity: str = "error"
    path: str | None = None  # the definition path, when the problem came from validation
    detail: str | None = None  # pyxform's own explanation (English), shown in a details line

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.severity != "error", SHEET_ORDER.get(self.sheet or "", -1),
                self.row or 0, self.column or "")

    def as_dict(self) -> dict:
        return {key: value for key, value in (
            ("sheet", self.sheet), ("row", self.row), ("column", self.column),
            ("severity", self.severity), ("path", self.path), ("message", self.message),
            ("detail", self.detail),
        ) if value is not None}


@dataclass
class ProblemList:
    items: list[ImportProblem] = field(default_factory=list)

    def error(self, message: str, sheet: str | None = None, row: int | None = None,
              column: str | None = None, detail: str | None = None) -> None:
        self.items.append(ImportProblem(str(message), sheet, row, column, detail=detail))

    def notice(self, message: str, sheet: str | None = None, row: int | None = None,
               column: str | None = None) -> None:
        self.items.append(ImportProblem(str(message), sheet, row, column, "notice"))

    @property
    def has_errors(self) -> bool:
        return any(item.is_error for item in self.items)

    def sorted(self) -> list[ImportProblem]:
        return sorted(self.items, key=ImportProblem.sort_key)
