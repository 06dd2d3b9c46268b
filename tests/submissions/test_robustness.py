"""Odd input rejects only its own item; replays are recognised before re-validation."""

from __future__ import annotations

import copy

import pytest
from helpers import household_item
from sqlalchemy import select, update

from server.extensions import db
from server.submissions.models import Submission, SubmissionConflict
from server.surveys.models import SurveyVersion
from server.surveys.services import close_public_link, get_survey

URL = "/api/v1/submissions"


def post(client, headers, *items):
    response = client.post(URL, json={"submissions": list(items)}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def held(client, headers, item) -> bool:
    return client.post("/api/v1/submissions/status", json={"uuids": [item["uuid"]]},
                       headers=headers).get_json()["submissions"][0]["held"]


def odd_items():
    return {
        "lone surrogate": household_item(answers={"community": "Anexo \ud83d"}),
        "NUL in meta": household_item(meta={**household_item()["meta"], "note": "a\x00b"}),
        "huge integer": household_item(answers={"household_size": 10**400}),
        "huge version": household_item(version=10**30),
        "overflowing number": household_item(meta={**household_item()["meta"], "x": "1e400"}),
    }


@pytest.mark.parametrize("name", list(odd_items()))
def test_an_odd_item_is_rejected_and_its_neighbour_stored(client, demo, device_headers, name):
    good, odd = household_item(), odd_items()[name]
    response = client.post(URL, data=_dumps({"submissions": [good, odd]}),
                           headers=device_headers, content_type="application/json")
    assert response.status_code == 200, response.data
    outcomes = [r["outcome"] for r in response.get_json()["results"]]
    assert outcomes == ["stored", "rejected"]
    assert held(client, device_headers, good)


def _dumps(value) -> str:
    import json

    # 1e400 is valid JSON that overflows to infinity once parsed
    return json.dumps(value).replace('"1e400"', "1e400")


@pytest.mark.parametrize("when", ["1970-01-01T00:05:00+00:00", "9999-12-31T23:59:59-14:00",
                                  "0001-01-01T00:00:00+14:00"])
def test_a_phone_with_a_broken_clock_still_delivers(app, client, demo, device_headers, when):
    item = household_item()
    item["meta"]["completed_at"] = when
    assert post(client, device_headers, item)[0]["outcome"] == "stored"
    assert post(client, device_headers, item)[0]["outcome"] == "duplicate"
    with app.app_context():
        stored = db.session.scalar(select(Submission))
        assert stored.completed_at is None
        assert stored.extra_meta["clock_suspect"] == {"completed_at": when}


def test_answers_that_mean_the_same_hash_the_same(client, demo, device_headers):
    item = household_item(answers={"activities": ["agriculture", "livestock"]})
    post(client, device_headers, item)
    again = copy.deepcopy(item)
    again["answers"]["activities"] = ["livestock", "agriculture"]
    again["answers"]["household_size"] = 4.0
    assert post(client, device_headers, again)[0]["outcome"] == "duplicate"


def test_a_revoked_link_stops_working(app, client, demo, link_headers):
    from helpers import feedback_item

    from server.surveys.services import revoke_public_link

    with app.app_context():
        revoke_public_link(get_survey("moq-feedback"))
    response = client.post(URL, json={"submissions": [feedback_item()]}, headers=link_headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "link_invalid"


def test_a_replay_is_a_duplicate_even_if_the_version_was_withdrawn(app, client, demo,
                                                                  device_headers):
    item = household_item()
    assert post(client, device_headers, item)[0]["outcome"] == "stored"
    with app.app_context():
        db.session.execute(update(SurveyVersion).values(status="draft"))
        db.session.commit()
    assert post(client, device_headers, item)[0]["outcome"] == "duplicate"


def test_a_replay_with_new_meta_keys_nulls_or_another_offset_is_a_duplicate(client, demo,
                                                                            device_headers):
    item = household_item()
    post(client, device_headers, item)
    again = copy.deepcopy(item)
    again["meta"]["device_model"] = "Moto E"           # a key a newer app sends
    again["meta"]["district"] = None                   # an explicit null
    again["meta"]["started_at"] = "2026-11-20T19:00:00+00:00"  # same instant, UTC
    again["answers"]["water_hours"] = None             # unanswered written out
    assert post(client, device_headers, again)[0]["outcome"] == "duplicate"


def test_a_conflict_lists_missing_media_and_keeps_personal_data_apart(app, client, demo,
                                                                      device_headers):
    item = household_item()
    post(client, device_headers, item)
    photo = "ab" * 32
    other = household_item(uuid=item["uuid"], attachments=[photo], answers={
        "water_problems": ["tank"], "problem_photo": photo, "consent": "yes",
        "respondent_name": "Juana Quispe", "respondent_phone": "987654321"})
    result = post(client, device_headers, other)[0]
    assert result["outcome"] == "conflict"
    assert result["missing_attachments"] == [photo]
    with app.app_context():
        conflict = db.session.scalar(select(SubmissionConflict))
        assert "respondent_name" not in conflict.payload["answers"]
        assert conflict.payload["answers"]["problem_photo"] == photo
        assert conflict.personal == {"respondent_name": "Juana Quispe",
                                     "respondent_phone": "987654321"}


def test_a_closed_link_opens_no_form_but_still_delivers_filled_feedback(app, client, demo,
                                                                        link_headers):
    from helpers import feedback_item

    with app.app_context():
        close_public_link(get_survey("moq-feedback"))
    response = client.get("/api/v1/surveys", headers=link_headers)
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "link_closed"
    item = feedback_item()
    assert post(client, link_headers, item)[0]["outcome"] == "stored"
    assert post(client, link_headers, item)[0]["outcome"] == "duplicate"


def test_absurd_version_numbers_are_404(client, demo, device_headers):
    response = client.get("/api/v1/surveys/moq-household/versions/99999999999999999999999",
                          headers=device_headers)
    assert response.status_code == 404


def test_validator_messages_are_translated(client, demo, device_headers):
    import uuid

    body = {"uuids": [str(uuid.uuid4()) for _ in range(501)]}
    qu = client.post("/api/v1/submissions/status", json=body,
                     headers={**device_headers, "Accept-Language": "qu"}).get_json()
    es = client.post("/api/v1/submissions/status", json=body,
                     headers={**device_headers, "Accept-Language": "es"}).get_json()
    assert qu["error"]["details"]["uuids"] != es["error"]["details"]["uuids"]
    assert len(qu["error"]["details"]["uuids"][0]) > 3  # a sentence, not split in letters
    assert "Length" not in str(qu) and "Length" not in str(es)


def test_a_surprise_while_checking_one_item_rejects_only_that_item(client, demo,
                                                                    device_headers, monkeypatch):
    import server.submissions.ingest as ingest

    real = ingest.check_answers

    def flaky(compiled, answers, *args, **kwargs):
        if answers.get("community") == "boom":
            raise ValueError("a bug in a checker")
        return real(compiled, answers, *args, **kwargs)

    monkeypatch.setattr(ingest, "check_answers", flaky)
    good, odd = household_item(), household_item(answers={"community": "boom"})
    results = post(client, device_headers, good, odd)
    assert [r["outcome"] for r in results] == ["stored", "rejected"]
    assert results[1]["errors"]["_schema"]


def test_a_database_failure_is_a_retryable_500_and_stores_nothing(app, client, demo,
                                                                  device_headers, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import server.submissions.ingest as ingest

    def down():
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(ingest, "district_codes", down)
    item = household_item()
    response = client.post(URL, json={"submissions": [item]}, headers=device_headers)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal"
    monkeypatch.undo()
    assert post(client, device_headers, item)[0]["outcome"] == "stored"
