"""POST /api/v1/submissions: every outcome of the contract, item by item."""

from __future__ import annotations

import json
import uuid

from helpers import household_item
from sqlalchemy import func, select

from server.extensions import db
from server.submissions.models import Submission, SubmissionConflict, SubmissionPersonal

URL = "/api/v1/submissions"


def post(client, headers, *items, **kwargs):
    return client.post(URL, json={"submissions": list(items)}, headers=headers, **kwargs)


def count(app, model=Submission) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_valid_item_is_stored_with_a_receipt(app, client, demo, device_headers):
    item = household_item()
    response = post(client, device_headers, item)
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    assert result["uuid"] == item["uuid"]
    assert result["outcome"] == "stored"
    assert result["errors"] == {}
    assert len(result["receipt"]) == 9 and result["receipt"][4] == "-"
    with app.app_context():
        stored = db.session.scalar(select(Submission))
        assert str(stored.uuid) == item["uuid"]
        assert stored.answers["household_size"] == 4
        assert stored.channel == "device" and stored.device_id is not None
        assert stored.district_ubigeo == "180101"
        assert stored.language == "qu"
        assert stored.completed_at.isoformat() == "2026-11-20T19:20:00+00:00"
        assert stored.latitude == -17.19 and stored.location_accuracy == 12.0


def test_replaying_the_same_item_is_a_duplicate_and_stores_nothing_new(app, client, demo,
                                                                        device_headers):
    item = household_item()
    first = post(client, device_headers, item).get_json()["results"][0]
    again = post(client, device_headers, item).get_json()["results"][0]
    assert again["outcome"] == "duplicate"
    assert again["receipt"] == first["receipt"]
    # a newer app version re-sending the same interview is still the same submission
    newer = json.loads(json.dumps(item))
    newer["meta"]["app_version"] = "1.0.1"
    assert post(client, device_headers, newer).get_json()["results"][0]["outcome"] == "duplicate"
    assert count(app) == 1


def test_same_uuid_with_other_content_is_a_conflict_and_the_first_stays(app, client, demo,
                                                                         device_headers):
    item = household_item()
    post(client, device_headers, item)
    changed = household_item(uuid=item["uuid"], answers={"household_size": 9})
    result = post(client, device_headers, changed).get_json()["results"][0]
    assert result["outcome"] == "conflict"
    assert "uuid" in result["errors"]
    # sending the same conflicting content again records it once
    post(client, device_headers, changed)
    with app.app_context():
        assert db.session.scalar(select(Submission)).answers["household_size"] == 4
        conflicts = list(db.session.scalars(select(SubmissionConflict)))
        assert len(conflicts) == 1
        assert conflicts[0].payload["answers"]["household_size"] == 9
        assert str(conflicts[0].uuid) == item["uuid"]


def test_invalid_item_is_rejected_with_field_reasons_in_quechua(client, demo, device_headers):
    item = household_item(answers={"household_size": 45, "water_source": "lake"})
    del item["answers"]["community"]
    response = post(client, {**device_headers, "Accept-Language": "qu"}, item)
    result = response.get_json()["results"][0]
    assert result["outcome"] == "rejected"
    assert set(result["errors"]) == {"household_size", "water_source", "community"}
    spanish = post(client, {**device_headers, "Accept-Language": "es-PE"}, item)
    es_errors = spanish.get_json()["results"][0]["errors"]
    # the survey's own constraint message, in each language
    assert result["errors"]["household_size"] != es_errors["household_size"]
    assert result["errors"]["community"] != es_errors["community"]


def test_one_bad_item_does_not_block_the_others_and_results_keep_order(app, client, demo,
                                                                        device_headers):
    good1, good2 = household_item(), household_item()
    bad = household_item(answers={"rainy_road": "flying"})
    response = post(client, device_headers, good1, bad, "not an object", good2)
    results = response.get_json()["results"]
    assert [r["outcome"] for r in results] == ["stored", "rejected", "rejected", "stored"]
    assert [r["uuid"] for r in results] == [good1["uuid"], bad["uuid"], None, good2["uuid"]]
    assert count(app) == 2


def test_same_uuid_twice_in_one_batch(app, client, demo, device_headers):
    item = household_item()
    results = post(client, device_headers, item, item).get_json()["results"]
    assert [r["outcome"] for r in results] == ["stored", "duplicate"]
    assert count(app) == 1


def test_item_schema_errors_are_reported_per_field(client, demo, device_headers):
    item = household_item(uuid="not-a-uuid", version="1")
    item["meta"]["language"] = "fr"
    result = post(client, device_headers, item).get_json()["results"][0]
    assert result["outcome"] == "rejected"
    assert set(result["errors"]) >= {"uuid", "version", "meta"}
    assert "language" in result["errors"]["meta"]


def test_unknown_survey_version_is_rejected(client, demo, device_headers):
    result = post(client, device_headers, household_item(version=7)).get_json()["results"][0]
    assert result["outcome"] == "rejected" and "survey" in result["errors"]


def test_a_public_link_only_reaches_its_own_survey(client, demo, link_headers):
    result = post(client, link_headers, household_item()).get_json()["results"][0]
    assert result["outcome"] == "rejected" and "survey" in result["errors"]


def test_resident_feedback_through_the_public_link(app, client, demo, link_headers):
    item = {"uuid": str(uuid.uuid4()), "survey": "moq-feedback", "version": 1,
            "answers": {"theme": "water", "district": "180301", "rating": 2,
                        "comment": "Yaku mana chayamunchu", "consent": "no"},
            "meta": {"language": "qu"}}
    result = post(client, link_headers, item).get_json()["results"][0]
    assert result["outcome"] == "stored", result
    with app.app_context():
        stored = db.session.scalar(select(Submission))
        assert stored.channel == "public" and stored.device_id is None
        assert stored.district_ubigeo == "180301"  # from the place question


def test_personal_answers_are_kept_apart(app, client, demo, device_headers):
    item = household_item(answers={"consent": "yes", "respondent_name": "Juana Quispe",
                                   "respondent_phone": "987654321"})
    assert post(client, device_headers, item).get_json()["results"][0]["outcome"] == "stored"
    with app.app_context():
        stored = db.session.scalar(select(Submission))
        assert "respondent_name" not in stored.answers
        personal = db.session.scalar(select(SubmissionPersonal))
        assert personal.answers == {"respondent_name": "Juana Quispe",
                                    "respondent_phone": "987654321"}


def test_personal_answers_without_consent_are_rejected(app, client, demo, device_headers):
    item = household_item(answers={"consent": "no", "respondent_name": "Juana Quispe"})
    result = post(client, device_headers, item).get_json()["results"][0]
    assert result["outcome"] == "rejected" and "respondent_name" in result["errors"]
    assert count(app) == 0


def test_missing_attachments_are_listed_and_the_item_is_stored(client, demo, device_headers):
    photo = "ab" * 32
    item = household_item(answers={"water_problems": ["tank"], "problem_photo": photo},
                          attachments=[photo])
    result = post(client, device_headers, item).get_json()["results"][0]
    assert result["outcome"] == "stored"
    assert result["missing_attachments"] == [photo]


def test_a_photo_answer_must_be_among_the_attachments(client, demo, device_headers):
    item = household_item(answers={"water_problems": ["tank"], "problem_photo": "cd" * 32})
    result = post(client, device_headers, item).get_json()["results"][0]
    assert result["outcome"] == "rejected" and "problem_photo" in result["errors"]


def test_district_is_required(client, demo, device_headers):
    item = household_item()
    del item["answers"]["district"]
    result = post(client, device_headers, item).get_json()["results"][0]
    assert result["outcome"] == "rejected"
    assert "district" in result["errors"] and "meta.district" in result["errors"]


def test_more_than_the_item_limit_is_413(client, demo, device_headers):
    items = [household_item() for _ in range(101)]
    response = post(client, device_headers, *items)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_a_body_over_the_byte_limit_is_413(app_factory, demo):
    small = app_factory(MAX_BATCH_BYTES=2000)
    from server.demo.loader import load_demo
    from server.devices.services import enrol_device

    with small.app_context():
        load_demo()
        code = enrol_device("x").code
    client = small.test_client()
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    items = [household_item() for _ in range(5)]
    response = client.post(URL, json={"submissions": items},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_malformed_json_is_400(client, demo, device_headers):
    response = client.post(URL, data="{not json", content_type="application/json",
                           headers=device_headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed"


def test_wrong_content_type_is_415(client, demo, device_headers):
    response = client.post(URL, data="submissions=1", headers=device_headers,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_an_envelope_without_submissions_is_422(client, demo, device_headers):
    for body in ({"items": []}, [1, 2], {"submissions": "x"}):
        response = client.post(URL, json=body, headers=device_headers)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["code"] == "invalid"


def test_without_a_token_is_401(client, demo):
    response = post(client, {}, household_item())
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_missing"
