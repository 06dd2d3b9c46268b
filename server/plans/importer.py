"""All-or-nothing CSV import of a plan's projects; bad rows are reported by line number.

Format (docs/plans-csv.md): header `code,name_es,name_qu,theme,districts,responsible,progress_pct`,
UTF-8 (a BOM from Excel is fine), comma or semicolon separated.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..places.models import Place
from .models import Plan, Project

COLUMNS = ("code", "name_es", "name_qu", "theme", "districts", "responsible", "progress_pct")
REQUIRED = ("code", "name_es", "name_qu", "theme", "districts")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
SPLIT_RE = re.compile(r"[;,|\s]+")
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class RowError:
    line: int
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


class ProjectImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the projects file")
        self.errors = errors


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _reader(text: str) -> csv.DictReader:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectImportError(
            [RowError(1, None, _("The file is not UTF-8 text. Save it as “CSV UTF-8”."))]
        ) from exc


def parse_projects(data: bytes, plan: Plan) -> tuple[list[dict], list[RowError]]:
    if len(data) > MAX_BYTES:
        return [], [RowError(1, None, _("The file is too large."))]
    reader = _reader(_decode(data))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        message = _("Missing columns: %(columns)s.", columns=", ".join(missing))
        return [], [RowError(1, None, message)]
    themes = {t.code: t for t in plan.themes}
    districts = set(db.session.scalars(select(Place.ubigeo).where(Place.level == "district")))
    rows, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        if not any(values.values()):
            continue
        row_errors = _check_row(values, themes, districts, seen, line)
        errors.extend(row_errors)
        if not row_errors:
            seen[values["code"]] = line
            rows.append(values | {"line": line})
    if not rows and not errors:
        errors.append(RowError(1, None, _("The file has no projects.")))
    return rows, errors


def _check_row(values, themes, districts, seen, line) -> list[RowError]:
    errors = []

    def err(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    for column in REQUIRED:
        if not values.get(column):
            err(column, _("This column is required."))
    code = values.get("code", "")
    if code and not CODE_RE.fullmatch(code):
        err("code", _("Use letters, digits, dots, dashes or underscores (at most 40)."))
    if code in seen:
        err("code", _("Repeated code: already on line %(line)s.", line=seen[code]))
    if values.get("theme") and values["theme"] not in themes:
        err("theme", _("Unknown theme “%(theme)s”. Use one of: %(themes)s.",
                       theme=values["theme"], themes=", ".join(sorted(themes))))
    for ubigeo in SPLIT_RE.split(values.get("districts", "")):
        if ubigeo and ubigeo.zfill(6) not in districts:
            err("districts", _("“%(code)s” is not a district ubigeo.", code=ubigeo))
    progress = values.get("progress_pct", "").rstrip("%").strip()
    if progress and not (progress.isdigit() and 0 <= int(progress) <= 100):
        err("progress_pct", _("Progress must be a whole number from 0 to 100."))
    return errors


def import_projects(plan: Plan, data: bytes) -> ImportResult:
    """Create or update the plan's projects from CSV; nothing is written if any row is bad."""
    rows, errors = parse_projects(data, plan)
    if errors:
        raise ProjectImportError(errors)
    themes = {t.code: t for t in plan.themes}
    existing = {p.code: p for p in plan.projects}
    result = ImportResult()
    for values in rows:
        project = existing.get(values["code"])
        if project is None:
            project = Project(plan=plan, code=values["code"])
            db.session.add(project)
            result.created.append(values["code"])
        else:
            result.updated.append(values["code"])
        project.name_es = values["name_es"]
        project.name_qu = values["name_qu"]
        project.theme = themes[values["theme"]]
        project.responsible = values.get("responsible", "")
        project.progress_pct = int(values.get("progress_pct", "").rstrip("%").strip() or 0)
        codes = [c.zfill(6) for c in SPLIT_RE.split(values["districts"]) if c]
        project.districts = list(db.session.scalars(select(Place).where(Place.ubigeo.in_(codes))))
    db.session.commit()
    return result
