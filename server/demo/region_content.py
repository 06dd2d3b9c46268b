"""Rows for a demo region's actors, commitments, progress history and public updates
(Cajamarca, Moquegua), from the parsed data files (their shapes: server/demo/cajamarca.py).
The caller commits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..commitments.models import Actor, Commitment, CommitmentUpdate, ProgressReport
from ..extensions import db
from ..plans.models import Project
from ..portal.models import PublicSurvey, PublicUpdate
from ..surveys.models import Survey


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def add_actors(rows: list[dict[str, Any]]) -> dict[str, Actor]:
    """Actor code -> its Actor: one already there (actors outlive a deleted plan) or new."""
    made = {a.code: a for a in db.session.scalars(
        select(Actor).where(Actor.code.in_([row["code"] for row in rows])))}
    for row in rows:
        if row["code"] not in made:
            made[row["code"]] = Actor(code=row["code"], type=row["type"],
                                      name_es=row["name"]["es"], name_qu=row["name"]["qu"],
                                      website=row.get("website"))
            db.session.add(made[row["code"]])
    return made


def add_commitments(rows: list[dict[str, Any]], projects: dict[str, Project],
                    actors: dict[str, Actor], author_id: int | None) -> list[Commitment]:
    made = []
    for row in rows:
        amount = row.get("amount_pen")
        commitment = Commitment(
            code=row["code"], project_id=projects[row["project"]].id, actor=actors[row["actor"]],
            what_es=row["what"]["es"], what_qu=row["what"]["qu"],
            amount_pen=Decimal(amount) if amount is not None else None,
            due_date=_day(row.get("due")), status=row["status"],
            fulfilled_on=_day(row.get("fulfilled_on")))
        for update in row.get("updates", []):
            commitment.updates.append(CommitmentUpdate(
                on_date=_day(update["date"]), text_es=update["text"]["es"],
                text_qu=update["text"]["qu"], evidence_url=update.get("evidence_url"),
                created_by_id=author_id))
        db.session.add(commitment)
        made.append(commitment)
    return made


def add_progress_history(history: dict[str, list[dict[str, Any]]],
                         projects: dict[str, Project]) -> int:
    count = 0
    for code, reports in history.items():
        for report in reports:
            db.session.add(ProgressReport(project_id=projects[code].id,
                                          on_date=_day(report["date"]),
                                          progress_pct=report["progress_pct"],
                                          source=report["source"]))
            count += 1
    return count


def add_public_updates(rows: list[dict[str, Any]], projects: dict[str, Project],
                       author_id: int | None) -> list[PublicUpdate]:
    made = []
    for row in rows:
        update = PublicUpdate(project_id=projects[row["project"]].id, on_date=_day(row["date"]),
                              title_es=row["title"]["es"], title_qu=row["title"]["qu"],
                              body_es=row["body"]["es"], body_qu=row["body"]["qu"],
                              created_by_id=author_id)
        db.session.add(update)
        made.append(update)
    return made


def make_results_public(survey: Survey, by_id: int | None) -> None:
    """The survey's results count in the public portal (a coordinator's choice per survey)."""
    if db.session.get(PublicSurvey, survey.id) is None:
        db.session.add(PublicSurvey(survey_id=survey.id, made_public_by_id=by_id))
