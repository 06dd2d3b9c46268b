"""What coordinators decide for the public portal: which surveys' results are public, which
free-text answers may be quoted, and their dated public updates on projects ("what we heard,
what was done"), with the receipts each update answers. Every change is audited."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.datastructures import FileStorage

from ..attachments.cleanup import keep_hashes_from
from ..attachments.services import media_store, size_limit
from ..audit.services import record
from ..extensions import db
from ..plans.models import Project
from ..submissions.filters import in_areas
from ..submissions.models import Submission
from ..surveys.models import Survey, SurveyVersion
from ..surveys.structure import questions
from .models import PublicSurvey, PublicUpdate, PublishableText, UpdateAnswer
from .photo_meta import without_metadata

PHOTO_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n",
               "image/webp": b"RIFF"}
QUOTABLE_TYPES = {"text"}  # free text a resident wrote; never a personal-data question


class AuthoringError(Exception):
    """A field the coordinator must fix, with the message to show beside it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class OutsideAreas(Exception):
    """The project or submission is outside the places the user is limited to."""


# --- which surveys are public ------------------------------------------------------------

def public_survey_ids() -> set[int]:
    return set(db.session.scalars(select(PublicSurvey.survey_id)))


def set_survey_public(survey: Survey, public: bool, *, by: Any) -> bool:
    """Make a survey's results public (or private again). True if something changed."""
    row = db.session.get(PublicSurvey, survey.id)
    if public == (row is not None):
        return False
    if public:
        db.session.add(PublicSurvey(survey_id=survey.id, made_public_by_id=getattr(by, "id", None)))
    else:
        db.session.delete(row)
    record("survey_made_public" if public else "survey_made_private", user=by,
           target=f"survey:{survey.code}", details={"survey": survey.code})
    db.session.commit()
    return True


# --- free text that may be quoted --------------------------------------------------------

def quotable_ids(submission: Submission) -> set[str]:
    """The submission's top-level free-text questions that are not personal data."""
    version = db.session.get(SurveyVersion, submission.version_id)
    return {item.id for item in questions(version.definition if version else {})
            if not item.repeats and item.type in QUOTABLE_TYPES
            and item.raw.get("personal") is not True}


def quotable_question(submission: Submission, question_id: str) -> bool:
    return question_id in quotable_ids(submission)


def publishable_questions(submission_id: int) -> set[str]:
    return set(db.session.scalars(select(PublishableText.question).where(
        PublishableText.submission_id == submission_id)))


def set_publishable(submission: Submission, question_id: str, publishable: bool, *,
                    by: Any) -> bool:
    """Mark (or unmark) one free-text answer as publishable. True if something changed."""
    if not quotable_question(submission, question_id):
        raise AuthoringError("question", _("Only free-text answers that are not personal "
                                           "data can be published."))
    row = db.session.get(PublishableText, (submission.id, question_id))
    if publishable == (row is not None):
        return False
    if publishable:
        db.session.add(PublishableText(submission_id=submission.id, question=question_id,
                                       marked_by_id=getattr(by, "id", None)))
    else:
        db.session.delete(row)
    record("text_made_publishable" if publishable else "text_made_private", user=by,
           target=f"submission:{submission.receipt_code}", details={"question": question_id})
    db.session.commit()
    return True


# --- public updates ----------------------------------------------------------------------

@dataclass(frozen=True)
class UpdateData:
    project_id: int
    on_date: date
    title_es: str
    title_qu: str
    body_es: str
    body_qu: str
    receipts: tuple[str, ...] = ()  # receipt codes of the feedback this update answers
    remove_photo: bool = False


def project_in_areas(project: Project, areas: tuple[str, ...]) -> bool:
    return not areas or any(in_areas(d.ubigeo, areas) for d in project.districts)


def updates_for(areas: tuple[str, ...]) -> list[PublicUpdate]:
    updates = db.session.scalars(select(PublicUpdate).order_by(
        PublicUpdate.on_date.desc(), PublicUpdate.id.desc())).all()
    if not areas:
        return list(updates)
    allowed = {p.id for p in db.session.scalars(select(Project)) if project_in_areas(p, areas)}
    return [u for u in updates if u.project_id in allowed]


def answered_receipts(update: PublicUpdate) -> list[str]:
    return list(db.session.scalars(
        select(Submission.receipt_code).join(UpdateAnswer, UpdateAnswer.submission_id
                                             == Submission.id)
        .where(UpdateAnswer.update_id == update.id).order_by(Submission.receipt_code)))


def _store_photo(upload: FileStorage) -> tuple[str, str]:
    content_type = (upload.mimetype or "").lower()
    if content_type not in PHOTO_TYPES:
        raise AuthoringError("photo", _("Attach a photo (JPEG, PNG or WebP)."))
    limit = size_limit(content_type)
    data = upload.stream.read(limit + 1)
    if not data:
        raise AuthoringError("photo", _("The file is empty."))
    if len(data) > limit:
        raise AuthoringError("photo", _("The file is too large."))
    if not data.startswith(PHOTO_TYPES[content_type]) or (
            content_type == "image/webp" and data[8:12] != b"WEBP"):  # not any RIFF file
        raise AuthoringError("photo", _("The file's content does not match its type."))
    data = without_metadata(content_type, data)  # no GPS position, device or owner published
    sha256 = hashlib.sha256(data).hexdigest()
    media_store().save(sha256, io.BytesIO(data), limit)
    return sha256, content_type


def _answered_submissions(codes: Iterable[str], areas: tuple[str, ...]) -> list[Submission]:
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    found = {s.receipt_code: s for s in db.session.scalars(
        select(Submission).where(Submission.receipt_code.in_(wanted)))} if wanted else {}
    unknown = [c for c in wanted if c not in found
               or (areas and not in_areas(found[c].district_ubigeo or "", areas))]
    if unknown:
        raise AuthoringError("receipts", _("No feedback has these receipt codes: %(codes)s",
                                           codes=", ".join(unknown)))
    return [found[c] for c in wanted]


def save_update(update: PublicUpdate | None, data: UpdateData, photo: FileStorage | None, *,
                by: Any, areas: tuple[str, ...]) -> PublicUpdate:
    """Create (update=None) or edit a public update. AuthoringError for a field to fix,
    OutsideAreas when the project is not the user's to speak for."""
    project = db.session.get(Project, data.project_id)
    if project is None:
        raise AuthoringError("project_id", _("Choose a project from the list."))
    if not project_in_areas(project, areas) or (
            update is not None and not project_in_areas(_project_of(update), areas)):
        raise OutsideAreas()
    answered = _answered_submissions(data.receipts, areas)
    stored = _store_photo(photo) if photo is not None and photo.filename else None
    created = update is None
    if update is None:
        update = PublicUpdate(created_by_id=getattr(by, "id", None))
        db.session.add(update)
    update.project_id = project.id
    update.on_date = data.on_date
    update.title_es, update.title_qu = data.title_es, data.title_qu
    update.body_es, update.body_qu = data.body_es, data.body_qu
    if stored is not None:
        update.photo_sha256, update.photo_type = stored
    elif data.remove_photo:
        update.photo_sha256 = update.photo_type = None
    db.session.flush()
    db.session.execute(delete(UpdateAnswer).where(UpdateAnswer.update_id == update.id))
    db.session.execute(delete(UpdateAnswer).where(
        UpdateAnswer.submission_id.in_([s.id for s in answered])))  # one answer per receipt
    db.session.add_all(UpdateAnswer(submission_id=s.id, update_id=update.id) for s in answered)
    record("public_update_created" if created else "public_update_updated", user=by,
           target=f"project:{project.code}",
           details={"update": update.id, "date": data.on_date.isoformat(),
                    "answers": len(answered)})
    db.session.commit()
    return update


def _project_of(update: PublicUpdate) -> Project:
    return db.session.get(Project, update.project_id)


def delete_update(update: PublicUpdate, *, by: Any, areas: tuple[str, ...]) -> None:
    project = _project_of(update)
    if not project_in_areas(project, areas):
        raise OutsideAreas()
    record("public_update_deleted", user=by, target=f"project:{project.code}",
           details={"update": update.id, "date": update.on_date.isoformat()})
    db.session.delete(update)
    db.session.commit()


def _photos_still_used(hashes: list[str]) -> Iterable[str]:
    return db.session.scalars(select(PublicUpdate.photo_sha256).where(
        PublicUpdate.photo_sha256.in_(hashes)).distinct())


keep_hashes_from(_photos_still_used)
