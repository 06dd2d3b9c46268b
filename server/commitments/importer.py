"""All-or-nothing CSV import of a plan's commitments; bad rows are reported by line number
in the user's language, like the projects import (server/plans/importer.py).

Format (docs/commitments.md): header
`code,project,actor,what_es,what_qu,amount_pen,due_date,status,fulfilled_on`, UTF-8 (a BOM
from Excel is fine), comma or semicolon separated. Dates as 2026-09-30 or 30/09/2026."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..extensions import db
from ..plans.importer import CODE_RE, MAX_BYTES, ImportResult, RowError, _decode, _reader
from ..plans.models import Plan, Project
from .amounts import parse_amount
from .areas import project_allowed
from .models import COMMITMENT_STATUSES, Actor, Commitment
from .status import peru_today

COLUMNS = ("code", "project", "actor", "what_es", "what_qu", "amount_pen", "due_date",
           "status", "fulfilled_on")
REQUIRED = ("code", "project", "actor", "what_es")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class CommitmentImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the commitments file")
        self.errors = errors


def parse_day(text: str) -> date | None:
    match = _DMY.fullmatch(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_commitments(data: bytes, plan: Plan, areas: tuple[str, ...]
                      ) -> tuple[list[dict[str, Any]], list[RowError]]:
    if len(data) > MAX_BYTES:
        return [], [RowError(1, None, _("The file is too large."))]
    try:
        reader = _reader(_decode(data))
    except Exception as exc:  # the projects importer's error type for a non-UTF-8 file
        return [], list(getattr(exc, "errors", [RowError(1, None, str(exc))]))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [RowError(1, None, _("Missing columns: %(columns)s.",
                                        columns=", ".join(missing)))]
    projects = {p.code: p for p in plan.projects}
    actors = {a.code: a for a in db.session.scalars(select(Actor))}
    elsewhere = {code: project for code, project in db.session.execute(
        select(Commitment.code, Commitment.project_id))}
    rows, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        if not any(values.values()):
            continue
        found: list[RowError] = []

        def err(column: str, message: str, found=found, line=line) -> None:
            found.append(RowError(line, column, message))

        for column in REQUIRED:
            if not values.get(column):
                err(column, _("This column is required."))
        code = values.get("code", "")
        if code and not CODE_RE.fullmatch(code):
            err("code", _("Use letters, digits, dots, dashes or underscores (at most 40)."))
        if code in seen:
            err("code", _("Repeated code: already on line %(line)s.", line=seen[code]))
        project = projects.get(values.get("project", ""))
        if values.get("project") and project is None:
            err("project", _("Unknown project “%(project)s” in this plan.",
                             project=values["project"]))
        elif project is not None and not project_allowed(project, areas):
            err("project", _("This project is outside your areas."))
        if code in elsewhere and (project is None or elsewhere[code] != project.id):
            err("code", _("This code belongs to a commitment of another project."))
        if values.get("actor") and values["actor"] not in actors:
            err("actor", _("Unknown actor “%(actor)s”. Create it first on the actors page.",
                           actor=values["actor"]))
        parsed: dict[str, Any] = {}
        amount = values.get("amount_pen", "")
        parsed["amount_pen"] = parse_amount(amount) if amount else None
        if amount and parsed["amount_pen"] is None:
            err("amount_pen", _("Enter an amount in soles, like 150000 or 150000.50."))
        for column in ("due_date", "fulfilled_on"):
            parsed[column] = parse_day(values[column]) if values.get(column) else None
            if values.get(column) and parsed[column] is None:
                err(column, _("Enter a date like 2026-09-30 or 30/09/2026."))
        status = values.get("status") or "pending"
        if status not in COMMITMENT_STATUSES:
            err("status", _("Unknown status “%(status)s”. Use one of: %(statuses)s.",
                            status=status, statuses=", ".join(COMMITMENT_STATUSES)))
        errors.extend(found)
        if not found:
            seen[code] = line
            rows.append(values | parsed | {"status": status, "project": project,
                                           "actor": actors[values["actor"]]})
    if not rows and not errors:
        errors.append(RowError(1, None, _("The file has no commitments.")))
    return rows, errors


def import_commitments(plan: Plan, data: bytes, user: Any, areas: tuple[str, ...],
                       filename: str = "") -> ImportResult:
    """Create or update the commitments; nothing is written if any row is bad. The audit
    event is committed with them."""
    rows, errors = parse_commitments(data, plan, areas)
    if errors:
        raise CommitmentImportError(errors)
    existing = {c.code: c for c in db.session.scalars(select(Commitment).where(
        Commitment.code.in_([r["code"] for r in rows])))}
    result = ImportResult()
    for row in rows:
        commitment = existing.get(row["code"])
        if commitment is None:
            commitment = Commitment(code=row["code"])
            db.session.add(commitment)
            result.created.append(row["code"])
        else:
            result.updated.append(row["code"])
        project: Project = row["project"]
        fulfilled = row["fulfilled_on"] or (peru_today() if row["status"] == "fulfilled"
                                            else None)
        commitment.project_id = project.id
        commitment.actor_id = row["actor"].id
        commitment.what_es = row["what_es"]
        commitment.what_qu = row.get("what_qu", "")
        commitment.amount_pen = row["amount_pen"]
        commitment.due_date = row["due_date"]
        commitment.status = row["status"]
        commitment.fulfilled_on = fulfilled if row["status"] == "fulfilled" else None
    record("commitment_import", user=user, target=plan.code, details={
        "file": filename[:120], "created": len(result.created), "updated": len(result.updated)})
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
