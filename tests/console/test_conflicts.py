"""Conflicts recorded by the sync API: listed unresolved first, compared, resolved with a note;
the stored submission is never overwritten."""

from __future__ import annotations

import copy
import hashlib
import re

import pytest
from helpers import household_item
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.submissions.models import Submission, SubmissionConflict

CONFLICT_LINK = re.compile(r'href="/console/conflicts/(\d+)"')
PHOTO = b"\xff\xd8\xff\xe0 second photo of the tank"


def send(client, headers, item) -> str:
    response = client.post("/api/v1/submissions", json={"submissions": [item]},
                           headers=headers)
    return response.get_json()["results"][0]["outcome"]


def make_conflict(client, headers, district: str, **changes) -> dict:
    item = household_item(answers={"district": district, "household_size": 4,
                                   "community": "Anexo Yacango"})
    assert send(client, headers, item) == "stored"
    again = copy.deepcopy(item)
    again["answers"].update(changes)
    assert send(client, headers, again) == "conflict"
    return item


def conflict_ids(app) -> dict[str, int]:
    with app.app_context():
        return {str(u): i for i, u in db.session.execute(
            select(SubmissionConflict.id, SubmissionConflict.uuid))}


def test_the_comparison_highlights_what_differs(app, client, console_as, demo, device_headers):
    item = make_conflict(client, device_headers, "180101", household_size=7,
                         community="Anexo Yacango")
    coordinator = console_as("coordinator")
    listing = coordinator.get("/console/conflicts?lang=es").get_data(as_text=True)
    conflict_id = conflict_ids(app)[item["uuid"]]
    assert f'href="/console/conflicts/{conflict_id}"' in listing and "Por resolver" in listing
    page = coordinator.get(f"/console/conflicts/{conflict_id}?lang=es").get_data(as_text=True)
    differing = [d.strip() for d in re.findall(
        r'<tr class="differs">\s*<th scope="row">([^<]+)', page)]
    assert differing == ["¿Cuántas personas viven en este hogar?"]
    row = page[page.index("¿Cuántas personas viven"):]
    assert re.search(r"<td>4</td>\s*<td>7</td>", row)
    assert "Anexo Yacango" in page  # unchanged answers are shown too, not highlighted


def test_resolving_keeps_the_stored_submission_and_is_audited(app, client, console_as, demo,
                                                             device_headers):
    item = make_conflict(client, device_headers, "180101", household_size=9)
    conflict_id = conflict_ids(app)[item["uuid"]]
    coordinator = console_as("coordinator")
    url = f"/console/conflicts/{conflict_id}"
    empty = coordinator.post(url + "/resolve?lang=es", {"note": "   "})
    assert empty.status_code == 409 and "Escribe una nota" in empty.get_data(as_text=True)
    missing = coordinator.post(url + "/resolve", {})
    assert missing.status_code == 400
    done = coordinator.post(url + "/resolve", {"note": "Llamé a Rosa: eran 4 personas."})
    assert done.status_code == 302
    page = coordinator.get(url + "?lang=es").get_data(as_text=True)
    assert "Llamé a Rosa: eran 4 personas." in page and "Resuelto el" in page
    assert "<textarea" not in page
    again = coordinator.post(url + "/resolve", {"note": "otra vez"})
    assert again.status_code == 409
    with app.app_context():
        stored = db.session.scalar(select(Submission))
        assert stored.answers["household_size"] == 4
        conflict = db.session.get(SubmissionConflict, conflict_id)
        assert conflict.resolved_note == "Llamé a Rosa: eran 4 personas."
        assert conflict.resolved_at is not None and conflict.resolved_by_id is not None
        audits = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "conflict_resolve")).all()
        assert len(audits) == 1 and audits[0].details["note"] == conflict.resolved_note


def test_unresolved_conflicts_come_first(app, client, console_as, demo, device_headers):
    older = make_conflict(client, device_headers, "180101", household_size=5)
    newer = make_conflict(client, device_headers, "180101", household_size=6)
    ids = conflict_ids(app)
    coordinator = console_as("coordinator")
    coordinator.post(f"/console/conflicts/{ids[newer['uuid']]}/resolve", {"note": "ok"})
    listing = coordinator.get("/console/conflicts").get_data(as_text=True)
    assert [int(i) for i in CONFLICT_LINK.findall(listing)] == [ids[older["uuid"]],
                                                                ids[newer["uuid"]]]


def test_area_limits_apply_to_conflicts(app, client, console_as, demo, device_headers):
    inside = make_conflict(client, device_headers, "180201", household_size=2)
    outside = make_conflict(client, device_headers, "180101", household_size=3)
    ids = conflict_ids(app)
    limited = console_as("limited")
    listing = limited.get("/console/conflicts").get_data(as_text=True)
    assert [int(i) for i in CONFLICT_LINK.findall(listing)] == [ids[inside["uuid"]]]
    assert limited.get(f"/console/conflicts/{ids[outside['uuid']]}").status_code == 404
    response = limited.post(f"/console/conflicts/{ids[outside['uuid']]}/resolve",
                            {"note": "no"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(SubmissionConflict, ids[outside["uuid"]]).resolved_at is None


@pytest.mark.parametrize("role, status", [(None, 302), ("viewer", 403), ("coordinator", 200)])
def test_who_may_see_conflicts(console_as, role, status):
    assert console_as(role).get("/console/conflicts").status_code == status


def test_files_of_the_conflicting_version_can_be_opened(app, client, console_as, demo,
                                                        device_headers):
    sha = hashlib.sha256(PHOTO).hexdigest()
    client.put(f"/api/v1/attachments/{sha}", data=PHOTO, headers=device_headers,
               content_type="image/jpeg")
    item = household_item(answers={"district": "180201"})
    assert send(client, device_headers, item) == "stored"
    again = copy.deepcopy(item)
    again["answers"].update(water_problems=["tank"], problem_photo=sha)
    again["attachments"] = [sha]
    assert send(client, device_headers, again) == "conflict"
    conflict_id = conflict_ids(app)[item["uuid"]]
    coordinator = console_as("coordinator")
    assert coordinator.get(f"/console/media/{sha}").status_code == 404  # not in a submission
    shown = coordinator.get(f"/console/media/{sha}?conflict={conflict_id}")
    assert shown.status_code == 200 and shown.data == PHOTO
    page = coordinator.get(f"/console/conflicts/{conflict_id}").get_data(as_text=True)
    assert f"/console/media/{sha}?conflict={conflict_id}" in page


def test_a_conflict_cannot_smuggle_another_areas_data_to_a_limited_user(
        app, client, console_as, demo, device_headers):
    """A phone re-sends a UUID stored in the user's area with a payload naming another
    district and the photo of a submission outside the area: neither is shown."""
    outside_photo = b"\xff\xd8\xff\xe0 photo of a tank in Ilo"
    sha = hashlib.sha256(outside_photo).hexdigest()
    client.put(f"/api/v1/attachments/{sha}", data=outside_photo, headers=device_headers,
               content_type="image/jpeg")
    ilo = household_item(answers={"district": "180301", "water_problems": ["tank"],
                                  "problem_photo": sha}, attachments=[sha])
    assert send(client, device_headers, ilo) == "stored"
    inside = household_item(answers={"district": "180201"})
    assert send(client, device_headers, inside) == "stored"
    smuggled = copy.deepcopy(inside)
    smuggled["answers"].update(district="180301", water_problems=["tank"], problem_photo=sha)
    smuggled["meta"]["district"] = "180301"
    smuggled["attachments"] = [sha]
    assert send(client, device_headers, smuggled) == "conflict"
    conflict_id = conflict_ids(app)[inside["uuid"]]
    limited = console_as("limited")
    assert str(conflict_id) not in CONFLICT_LINK.findall(
        limited.get("/console/conflicts").get_data(as_text=True))
    assert limited.get(f"/console/conflicts/{conflict_id}").status_code == 404
    assert limited.get(f"/console/media/{sha}?conflict={conflict_id}").status_code == 404
    # a coordinator of the whole region sees both
    everyone = console_as("coordinator")
    assert everyone.get(f"/console/media/{sha}?conflict={conflict_id}").status_code == 200
