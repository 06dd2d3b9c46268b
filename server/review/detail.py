"""Everything the submission page shows, gathered in a few queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..attachments.models import Attachment
from ..devices.models import Device
from ..exports.questions import uses_personal_answers
from ..extensions import db
from ..places.services import names_by_code
from ..sms.replies import reply_language
from ..submissions.models import Submission, SubmissionPersonal
from ..surveys.models import Survey, SurveyVersion
from ..users.models import User
from .display import localized, location_text
from .minimap import MiniMap, minimap
from .services import allowed_states, can_reply, review_history
from .shown import ShownPage, shown_answers


@dataclass(frozen=True)
class MediaItem:
    sha256: str
    content_type: str  # "" when the file has not arrived yet
    label: str

    @property
    def kind(self) -> str:
        """image, audio or video: shown in the page; "file" for anything else (a link)."""
        if not self.content_type:
            return ""
        kind = self.content_type.split("/", 1)[0]
        return kind if kind in ("image", "audio", "video") else "file"


@dataclass(frozen=True)
class SubmissionDetail:
    submission: Submission
    survey_title: str
    # the interview's readable name (left out when it is made of personal answers that the
    # role may not see)
    instance_name: str
    version_number: int | None
    device: Device | None
    place_names: dict[str, str]  # district, province, department names by level
    pages: list[ShownPage]
    media: list[MediaItem]
    location: str
    map: MiniMap | None
    history: list
    states: tuple[str, ...]
    can_reply: bool
    # an SMS submission's reply also goes to the phone, in this language (None: not by SMS)
    sms_reply_language: str | None
    responded_by: str
    clock_suspect: Any


def _place_names(ubigeo: str) -> dict[str, str]:
    codes = {ubigeo, ubigeo[:4] + "00", ubigeo[:2] + "0000"}
    return {place.level: place.name for place in names_by_code(codes).values()}


def submission_detail(sub: Submission, lang: str, with_personal: bool) -> SubmissionDetail:
    survey = db.session.get(Survey, sub.survey_id)
    version = db.session.get(SurveyVersion, sub.version_id)
    personal = None
    if with_personal:
        row = db.session.get(SubmissionPersonal, sub.id)
        personal = row.answers if row else {}
    definition = version.definition if version else None
    pages = shown_answers(definition, sub.answers or {}, personal, lang,
                          version.id if version else None)
    labels = {a.media: a.label for page in pages for a in page.every_answer() if a.media}
    name = sub.instance_name or ""
    if name and not with_personal and uses_personal_answers(definition or {}):
        name = ""
    hashes = sorted({link.sha256 for link in sub.attachment_links})
    types = {sha: kind for sha, kind in db.session.execute(
        select(Attachment.sha256, Attachment.content_type)
        .where(Attachment.sha256.in_(hashes)))} if hashes else {}
    media = [MediaItem(h, types.get(h, ""), labels.get(h, "")) for h in hashes]
    responder = db.session.get(User, sub.responded_by_id) if sub.responded_by_id else None
    return SubmissionDetail(
        submission=sub,
        survey_title=localized(survey.title, lang, survey.code) if survey else "",
        instance_name=name,
        version_number=version.number if version else None,
        device=db.session.get(Device, sub.device_id) if sub.device_id else None,
        place_names=_place_names(sub.district_ubigeo),
        pages=pages,
        media=media,
        location=location_text(sub.latitude, sub.longitude, sub.location_accuracy)
        if with_personal else "",
        map=minimap(sub.district_ubigeo, sub.latitude if with_personal else None,
                    sub.longitude if with_personal else None),
        history=review_history(sub.id),
        states=allowed_states(sub),
        can_reply=can_reply(sub),
        sms_reply_language=reply_language(sub),
        responded_by=(responder.name or responder.email) if responder else "",
        clock_suspect=(sub.extra_meta or {}).get("clock_suspect"),
    )
