"""Creating surveys, saving drafts, publishing immutable versions, public links."""

from __future__ import annotations

import secrets

from sqlalchemy import and_, func, or_, select

from ..db_types import utcnow
from ..extensions import db
from ..jsonutil import digest
from .definition import Problem, errors, validate_definition
from .files import known_files, sync_files, version_file_problems
from .models import Survey, SurveyFile, SurveyVersion, survey_devices

__all__ = ["DefinitionInvalid", "check_version", "publish",
           "publish_definition", "save_draft", "version_file"]


class DefinitionInvalid(ValueError):
    """The definition has errors (`problems`, each an error) and cannot be published."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the survey definition")
        self.problems = problems


def check_version(version: SurveyVersion) -> list[Problem]:
    """Every problem of a version as publishing sees it: the definition, checked against
    the columns of its uploaded lists, and the files themselves (errors and warnings)."""
    file_problems, columns = version_file_problems(version)
    return validate_definition(version.definition, file_columns=columns) + file_problems


def get_survey(code: str) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.code == code))


def _latest(survey: Survey) -> SurveyVersion | None:
    return survey.versions[-1] if survey.versions else None


def save_draft(survey: Survey, definition: dict, *,
               source: tuple[str | None, bytes | None, str | None] | None = None
               ) -> SurveyVersion:
    """Put the definition in the survey's draft, creating a new draft after a published one.
    `source`: (file name, bytes, XForm XML) of the upload it came from, kept on the version
    ((None, None, None) for a JSON upload; None leaves what the draft has)."""
    latest = _latest(survey)
    available = known_files(latest, latest_published(survey))
    if latest is not None and latest.status == "draft":
        latest.definition, latest.digest = definition, digest(definition)
        version = latest
    else:
        version = SurveyVersion(
            survey=survey,
            number=(latest.number + 1) if latest else 1,
            definition=definition,
            digest=digest(definition),
        )
        db.session.add(version)
    sync_files(version, available)
    if source is not None:
        version.source_name, version.source_bytes, version.xform = source
    if isinstance(definition.get("title"), dict):
        survey.title = definition["title"]
    db.session.commit()
    return version


def publish(survey: Survey) -> SurveyVersion:
    """Validate the draft and make it an immutable published version."""
    draft = _latest(survey)
    if draft is None or draft.status != "draft":
        raise ValueError("there is no draft to publish")
    problems = errors(check_version(draft))
    if problems:
        raise DefinitionInvalid(problems)
    draft.status = "published"
    draft.published_at = utcnow()
    db.session.commit()
    return draft


def publish_definition(
    code: str, definition: dict, *, for_promoters: bool = True, plan_id: int | None = None
) -> SurveyVersion:
    """Create the survey if needed and publish `definition`, unless it is already the latest."""
    problems = errors(validate_definition(definition))
    if problems:
        raise DefinitionInvalid(problems)
    survey = get_survey(code)
    if survey is None:
        survey = Survey(
            code=code, title=definition["title"], for_promoters=for_promoters, plan_id=plan_id
        )
        db.session.add(survey)
    current = latest_published(survey)
    if current is not None and current.digest == digest(definition):
        return current
    save_draft(survey, definition)
    return publish(survey)


def version_file(version: SurveyVersion, name: str) -> SurveyFile | None:
    return db.session.scalar(select(SurveyFile).where(SurveyFile.version_id == version.id,
                                                      SurveyFile.name == name))


def latest_published(survey: Survey) -> SurveyVersion | None:
    return next((v for v in reversed(survey.versions) if v.status == "published"), None)


def published_version(survey: Survey, number: int) -> SurveyVersion | None:
    return db.session.scalar(
        select(SurveyVersion).where(
            SurveyVersion.survey_id == survey.id,
            SurveyVersion.number == number,
            SurveyVersion.status == "published",
        )
    )


def open_public_link(survey: Survey) -> str:
    if not survey.public_token:
        survey.public_token = secrets.token_urlsafe(12)
    survey.public_link_open = True
    db.session.commit()
    return survey.public_token


def close_public_link(survey: Survey) -> None:
    """No new forms open from the link; answers already filled offline still arrive."""
    survey.public_link_open = False
    db.session.commit()


def revoke_public_link(survey: Survey) -> None:
    """For a leaked or abused link: the token stops working for everything, at once."""
    survey.public_token = None
    survey.public_link_open = False
    db.session.commit()


def survey_for_link(token: str) -> Survey | None:
    if not token:
        return None
    return db.session.scalar(select(Survey).where(Survey.public_token == token))


def surveys_for_client(
    channel: str, link_survey: Survey | None, device_id: int | None = None
) -> list[tuple[Survey, SurveyVersion]]:
    """What a device (promoter surveys) or a public link (its one survey) may fill now."""
    newest = (
        select(SurveyVersion.survey_id, func.max(SurveyVersion.number).label("number"))
        .where(SurveyVersion.status == "published")
        .group_by(SurveyVersion.survey_id)
        .subquery()
    )
    stmt = (
        select(Survey, SurveyVersion)
        .join(newest, newest.c.survey_id == Survey.id)
        .join(
            SurveyVersion,
            and_(SurveyVersion.survey_id == Survey.id, SurveyVersion.number == newest.c.number),
        )
        .where(Survey.archived.is_(False))
        .order_by(Survey.code)
    )
    if channel == "public":
        if link_survey is None:  # a closed link is refused before this (views: 410)
            return []
        stmt = stmt.where(Survey.id == link_survey.id)
    else:
        stmt = stmt.where(Survey.for_promoters.is_(True))
        if device_id is not None:
            # unassigned surveys go to every device; assigned ones only to their devices
            assigned = select(survey_devices.c.survey_id).where(
                survey_devices.c.survey_id == Survey.id)
            mine = select(survey_devices.c.survey_id).where(
                survey_devices.c.survey_id == Survey.id, survey_devices.c.device_id == device_id)
            stmt = stmt.where(or_(~assigned.exists(), mine.exists()))
    return [(survey, version) for survey, version in db.session.execute(stmt)]


# --- the console: uploaded drafts, publication and links with their audit records ---------


def save_uploaded_draft(code: str, definition: dict, *, for_promoters: bool,
                        user: object,
                        source: tuple[str | None, bytes | None, str | None] | None = None
                        ) -> SurveyVersion:
    """Create the survey if needed and put `definition` in its draft (audit: survey_draft).
    `for_promoters` only applies to a new survey."""
    from ..audit.services import record

    survey = get_survey(code)
    if survey is None:
        title = definition.get("title")
        survey = Survey(code=code, title=title if isinstance(title, dict) else {"es": code},
                        for_promoters=for_promoters)
        db.session.add(survey)
    latest = _latest(survey)
    number = latest.number if latest and latest.status == "draft" else (
        latest.number + 1 if latest else 1)
    record("survey_draft", user=user, target=code, details={"version": number})
    return save_draft(survey, definition, source=source)


def publish_with_audit(survey: Survey, user: object) -> SurveyVersion:
    """Publish the draft (audit: survey_publish); nothing is recorded if it is refused."""
    from ..audit.services import record

    draft = _latest(survey)
    if draft is None or draft.status != "draft":
        raise ValueError("there is no draft to publish")
    record("survey_publish", user=user, target=survey.code, details={"version": draft.number})
    try:
        return publish(survey)
    except Exception:
        db.session.rollback()
        raise


LINK_ACTIONS = ("open", "close", "renew")


def change_public_link(survey: Survey, action: str, user: object) -> None:
    """open: open (creating the token if needed); close: no new forms; renew: revoke the
    token and open a new one (for a leaked link). Audit: survey_link."""
    from ..audit.services import record

    if action not in LINK_ACTIONS:
        raise ValueError(action)
    record("survey_link", user=user, target=survey.code, details={"action": action})
    if action == "close":
        close_public_link(survey)
        return
    if action == "renew":
        survey.public_token = None
    open_public_link(survey)


def assigned_device_ids(survey: Survey) -> set[int]:
    return set(db.session.scalars(
        select(survey_devices.c.device_id).where(survey_devices.c.survey_id == survey.id)))


def assign_devices(survey: Survey, device_ids: set[int], user: object) -> None:
    """Only these devices receive the survey; none means every device (audit:
    survey_assign)."""
    from ..audit.services import record
    from ..devices.models import Device

    known = set(db.session.scalars(select(Device.id).where(Device.id.in_(device_ids)))) \
        if device_ids else set()
    db.session.execute(survey_devices.delete().where(survey_devices.c.survey_id == survey.id))
    if known:
        db.session.execute(survey_devices.insert(), [
            {"survey_id": survey.id, "device_id": device_id} for device_id in sorted(known)])
    record("survey_assign", user=user, target=survey.code,
           details={"devices": sorted(known)})
    db.session.commit()
