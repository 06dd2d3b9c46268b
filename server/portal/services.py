"""What the portal pages show besides figures: places, plans, projects, commitments, the
coordinators' public updates and quotable texts. Read-only; never personal data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..commitments.models import Actor, Commitment, ProgressReport
from ..extensions import db
from ..places.models import Place
from ..plans.models import Plan, Project, project_districts
from ..submissions.models import Submission
from ..surveys.models import Survey, SurveyVersion
from .models import PublicSurvey, PublicUpdate, PublishableText, UpdateAnswer

QUOTES_PER_PROJECT = 5


def regions() -> list[Place]:
    """The departments that have a plan: the portal's first level."""
    ubigeos = select(Plan.department_ubigeo).where(Plan.department_ubigeo.is_not(None))
    return list(db.session.scalars(select(Place).where(Place.ubigeo.in_(ubigeos))
                                   .order_by(Place.name)))


def place(ubigeo: str, level: str) -> Place | None:
    found = db.session.get(Place, ubigeo)
    return found if found is not None and found.level == level else None


def children(ubigeo: str) -> list[Place]:
    return list(db.session.scalars(select(Place).where(Place.parent_ubigeo == ubigeo)
                                   .order_by(Place.name)))


def served_region(department: str) -> bool:
    return db.session.scalar(select(Plan.id).where(Plan.department_ubigeo == department)
                             .limit(1)) is not None


def plans_of(department: str) -> list[Plan]:
    return list(db.session.scalars(
        select(Plan).where(Plan.department_ubigeo == department).order_by(Plan.code)
        .options(selectinload(Plan.projects), selectinload(Plan.themes))))


def projects_in(district: str) -> list[Project]:
    return list(db.session.scalars(
        select(Project).join(project_districts, project_districts.c.project_id == Project.id)
        .where(project_districts.c.ubigeo == district).order_by(Project.code)
        .options(selectinload(Project.theme))))


def project(project_id: int) -> Project | None:
    return db.session.scalar(select(Project).where(Project.id == project_id).options(
        selectinload(Project.plan), selectinload(Project.theme),
        selectinload(Project.districts)))


def progress_history(project_id: int) -> list[ProgressReport]:
    return list(db.session.scalars(select(ProgressReport).where(
        ProgressReport.project_id == project_id).order_by(ProgressReport.on_date.desc())))


def commitments_on(project_id: int) -> list[Commitment]:
    return list(db.session.scalars(
        select(Commitment).where(Commitment.project_id == project_id)
        .order_by(Commitment.due_date, Commitment.code)
        .options(selectinload(Commitment.actor), selectinload(Commitment.updates))))


def updates_on(project_id: int) -> list[PublicUpdate]:
    return list(db.session.scalars(select(PublicUpdate).where(
        PublicUpdate.project_id == project_id).order_by(PublicUpdate.on_date.desc(),
                                                        PublicUpdate.id.desc())))


def actor(code: str) -> Actor | None:
    return db.session.scalar(select(Actor).where(Actor.code == code))


def commitments_of(actor_id: int) -> list[tuple[Commitment, Project]]:
    rows = db.session.execute(
        select(Commitment, Project).join(Project, Project.id == Commitment.project_id)
        .where(Commitment.actor_id == actor_id)
        .order_by(Commitment.due_date, Commitment.code)
        .options(selectinload(Project.plan)))
    return [(c, p) for c, p in rows]


def _quotable_questions(survey_id: int) -> set[str]:
    """Text questions of any published version that are not personal data."""
    found: set[str] = set()
    for definition in db.session.scalars(select(SurveyVersion.definition).where(
            SurveyVersion.survey_id == survey_id, SurveyVersion.status == "published")):
        for page in (definition or {}).get("pages") or []:
            for q in page.get("questions") or [] if isinstance(page, dict) else []:
                if isinstance(q, dict) and q.get("type") == "text" and not q.get("personal"):
                    found.add(q.get("id"))
    return found


def quotes(project: Project) -> list[str]:
    """Free text a coordinator marked publishable, of public surveys only: the words alone,
    without who, where or when."""
    rows = db.session.execute(
        select(Submission.survey_id, Submission.answers, PublishableText.question)
        .join(PublishableText, PublishableText.submission_id == Submission.id)
        .join(PublicSurvey, PublicSurvey.survey_id == Submission.survey_id)
        .join(Survey, Survey.id == Submission.survey_id)
        .join(Place, Place.ubigeo == Submission.district_ubigeo)
        .where(Submission.project_code == project.code, Submission.status != "spam",
               # a code is unique within a plan only: the feedback counted for this project
               # (counts.py), never that of another plan's project with the same code
               Place.department_ubigeo == project.plan.department_ubigeo,
               (Survey.plan_id == project.plan_id) | Survey.plan_id.is_(None))
        .order_by(PublishableText.marked_at.desc()).limit(QUOTES_PER_PROJECT * 4))
    allowed: dict[int, set[str]] = {}
    out: list[str] = []
    for survey_id, answers, question in rows:
        if survey_id not in allowed:
            allowed[survey_id] = _quotable_questions(survey_id)
        text = (answers or {}).get(question)
        if question in allowed[survey_id] and isinstance(text, str) and text.strip():
            out.append(text.strip())
    return out[:QUOTES_PER_PROJECT]


@dataclass(frozen=True)
class ReceiptAnswer:
    update: PublicUpdate
    project: Project


def update_answering(receipt_code: str) -> ReceiptAnswer | None:
    """The public update that answers the feedback with this receipt, if any."""
    row = db.session.execute(
        select(PublicUpdate, Project)
        .join(UpdateAnswer, UpdateAnswer.update_id == PublicUpdate.id)
        .join(Submission, Submission.id == UpdateAnswer.submission_id)
        .join(Project, Project.id == PublicUpdate.project_id)
        .where(Submission.receipt_code == receipt_code)).first()
    return ReceiptAnswer(*row) if row else None


def theme_names(department: str) -> dict[int, dict]:
    """Theme id → its names, for the department's plans."""
    from ..plans.models import Theme

    return {theme_id: name for theme_id, name in db.session.execute(
        select(Theme.id, Theme.name).join(Plan, Plan.id == Theme.plan_id)
        .where(Plan.department_ubigeo == department))}


def public_update_link(receipt_code: str) -> dict | None:
    """For the receipt API: the answering update's title (reader's language) and address."""
    from flask import url_for

    from .present import localized

    found = update_answering(receipt_code)
    if found is None:
        return None
    return {"title": localized(found.update.title_es, found.update.title_qu),
            "url": url_for("portal.project", project_id=found.project.id,
                           _anchor=f"update-{found.update.id}")}


def public_update(update_id: int) -> PublicUpdate | None:
    return db.session.get(PublicUpdate, update_id)
