"""Files in the media store with every kind of reference, for the clean-up tests on disk and
in the bucket: a photo of a stored submission, a photo only a conflicting payload lists, a
survey version's choice list, an upload nothing refers to, and bytes without a record."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass

from helpers import household_item
from sqlalchemy import select

from server.attachments.services import media_store
from server.extensions import db
from server.surveys.models import Survey, SurveyFile, SurveyVersion


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Media:
    in_submission: str
    in_conflict: str
    in_survey: str
    orphan: str  # uploaded by a phone, its interview never came
    stray: str  # bytes in the store without a record (e.g. written before a crash)

    @property
    def referenced(self) -> set[str]:
        return {self.in_submission, self.in_conflict, self.in_survey}

    @property
    def unreferenced(self) -> set[str]:
        return {self.orphan, self.stray}

    @property
    def every(self) -> set[str]:
        return self.referenced | self.unreferenced


def photo(label: str) -> bytes:
    return b"\xff\xd8\xff\xe0" + f"photo of {label} in Moquegua ".encode() * 50


def upload(client, headers, data: bytes) -> str:
    response = client.put(f"/api/v1/attachments/{sha_of(data)}", data=data, headers=headers,
                          content_type="image/jpeg")
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()["sha256"]


def send(client, headers, item: dict) -> dict:
    response = client.post("/api/v1/submissions", json={"submissions": [item]}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"][0]


def fill_store(app, client, headers) -> Media:
    """Needs the demo loaded and a paired device's headers."""
    used = upload(client, headers, photo("a broken pipe"))
    first = household_item(answers={"water_problems": ["pipe"], "problem_photo": used},
                           attachments=[used])
    assert send(client, headers, first)["outcome"] == "stored"
    aside = upload(client, headers, photo("the same pipe, another day"))
    second = household_item(uuid=first["uuid"], answers={
        "water_problems": ["pipe"], "problem_photo": aside}, attachments=[aside])
    assert send(client, headers, second)["outcome"] == "conflict"
    orphan = upload(client, headers, photo("an interview never sent"))
    choices = b"name,label\nomate,Omate\nichuna,Ichu\xc3\xb1a\n"
    stray = photo("bytes left without a record")
    with app.app_context():
        store = media_store()
        store.save(sha_of(choices), io.BytesIO(choices), len(choices))
        store.save(sha_of(stray), io.BytesIO(stray), len(stray))
        version_id = db.session.scalar(select(SurveyVersion.id).join(Survey).where(
            Survey.code == "moq-household"))
        db.session.add(SurveyFile(version_id=version_id, name="places.csv",
                                  sha256=sha_of(choices), size=len(choices),
                                  content_type="text/csv"))
        db.session.commit()
        db.session.remove()
    return Media(used, aside, sha_of(choices), orphan, sha_of(stray))


def a_new_interview(attachments: list[str]) -> dict:
    return household_item(uuid=str(uuid.uuid4()), answers={
        "water_problems": ["tank"], "problem_photo": attachments[0]}, attachments=attachments)
