"""Ingest of format-v2 submissions: nested repeats checked instance by instance, calculated
values kept, choices read from the version's CSV, instance names, per-item rejections."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select
from submissions.roster_form import answers, publish_roster, roster_definition, roster_item

from server.extensions import db
from server.submissions.models import Submission

URL = "/api/v1/submissions"


@pytest.fixture
def roster(app):
    with app.app_context():
        publish_roster()


def post(client, headers, *items):
    response = client.post(URL, json={"submissions": list(items)}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def stored(app) -> Submission:
    with app.app_context():
        return db.session.scalar(select(Submission))


def rejected(client, headers, item) -> dict[str, list[str]]:
    [result] = post(client, headers, item)
    assert result["outcome"] == "rejected", result
    return result["errors"]


def test_a_nested_roster_is_stored_as_sent_with_its_calculations(app, client, roster,
                                                                 device_headers):
    item = roster_item()
    [result] = post(client, device_headers, item)
    assert result["outcome"] == "stored", result
    row = stored(app)
    assert row.answers["members"][0]["children"][1] == {"c_name": "Ana", "c_age": 8,
                                                        "c_pos": "2"}
    assert row.answers["members"][1] == {"m_name": "Pedro", "m_pos": "2", "sex": "m",
                                         "m_age": 12, "inc0": "0"}
    assert row.answers["total_income"] == "800" and row.answers["tag"] == "v2"
    assert row.answers["score"] == 4 and row.answers["ack"] == "OK"
    # the phone sends no name: the server computes it from the survey's instance_name
    assert row.instance_name == "Quispe — carumas"
    assert "rosa" in row.search_text and "quispe" in row.search_text
    assert post(client, device_headers, item)[0]["outcome"] == "duplicate"


def test_the_instance_name_the_phone_sends_is_kept_and_not_part_of_the_identity(
        app, client, roster, device_headers):
    item = roster_item()
    item["meta"]["instance_name"] = "Quispe — Carumas"
    assert post(client, device_headers, item)[0]["outcome"] == "stored"
    assert stored(app).instance_name == "Quispe — Carumas"
    again = copy.deepcopy(item)
    again["meta"]["instance_name"] = "Quispe – Carumas (2)"
    assert post(client, device_headers, again)[0]["outcome"] == "duplicate"
    bad = roster_item()
    bad["meta"]["instance_name"] = "Quispe\x07"
    assert "instance_name" in rejected(client, device_headers, bad)["meta"]
    bad["meta"]["instance_name"] = "x" * 201
    assert "instance_name" in rejected(client, device_headers, bad)["meta"]


def test_the_order_of_instances_is_part_of_the_content(client, roster, device_headers):
    item = roster_item()
    post(client, device_headers, item)
    swapped = copy.deepcopy(item)
    swapped["answers"]["members"].reverse()
    for position, member in enumerate(swapped["answers"]["members"], start=1):
        member["m_pos"] = str(position)
    assert post(client, device_headers, swapped)[0]["outcome"] == "conflict"


def test_relevance_inside_an_instance_reads_its_own_fields_and_the_top_level(client, roster,
                                                                            device_headers):
    a = answers()
    del a["members"][0]["pregnant"]  # required for a woman when consent_ok is yes
    errors = rejected(client, device_headers, roster_item(a))
    assert set(errors) == {"members[0].pregnant"}
    a["consent_ok"] = "no"  # now not relevant, so not required
    assert post(client, device_headers, roster_item(a))[0]["outcome"] == "stored"


def test_required_as_an_expression_and_constraints_on_the_parent_instance(client, roster,
                                                                          device_headers):
    a = answers()
    del a["members"][0]["income"]  # works, and 46 >= 18: required
    a["members"][0]["children"][0]["c_age"] = 50  # older than the mother
    a["declared"] = 900
    errors = rejected(client, device_headers, roster_item(a))
    assert set(errors) == {"members[0].income", "members[0].children[0].c_age"}
    assert errors["members[0].children[0].c_age"] == ["Menor que su madre o padre"]


def test_constraints_with_sum_and_count_across_instances(client, roster, device_headers):
    a = answers()
    a["declared"] = 700  # less than sum(${inc0}) = 800
    a["n_children"] = 3  # count(${c_name}) across every member is 2
    errors = rejected(client, device_headers, roster_item(a))
    assert set(errors) == {"declared", "n_children"}


def test_answers_inside_a_non_relevant_repeat_are_not_checked_against_rules(client, roster,
                                                                           device_headers):
    a = answers()
    # Pedro is 12: his children section is not relevant, so c_name is not required there
    a["members"][1]["children"] = [{"c_age": 1}]
    assert post(client, device_headers, roster_item(a))[0]["outcome"] == "stored"


def test_repeat_count_more_instances_are_refused_fewer_are_empty_instances(app, client,
                                                                          roster,
                                                                          device_headers):
    a = answers()
    a["size"] = 1
    errors = rejected(client, device_headers, roster_item(a))
    assert set(errors) == {"members"}
    a["size"] = 3  # the third instance is missing: taken as {} and its required fields fail
    errors = rejected(client, device_headers, roster_item(a))
    assert {"members[2].m_name", "members[2].sex", "members[2].m_age"} <= set(errors)
    assert not any(key.startswith(("members[0]", "members[1]")) for key in errors)


def test_choices_from_a_file_are_checked_against_the_uploaded_list(client, roster,
                                                                  device_headers):
    a = answers()
    a["village"] = "atlantis"
    assert set(rejected(client, device_headers, roster_item(a))) == {"village"}
    # the choice filter narrows what the phone offers; a listed value stays valid
    a["village"], a["province"] = "ilo_pueblo", "mariscal"
    assert post(client, device_headers, roster_item(a))[0]["outcome"] == "stored"


@pytest.mark.parametrize(("change", "path"), [
    (lambda a: a.update(members={"m_name": "x"}), "members"),
    (lambda a: a.update(members=["Rosa", {}]), "members[0]"),
    (lambda a: a["members"][1].update(bogus=1), "members[1].bogus"),
    (lambda a: a["members"][0]["children"][0].update(m_name="x"),
     "members[0].children[0].m_name"),
    (lambda a: a.update(c_name="Juan"), "c_name"),
    (lambda a: a["members"][0].update(children={"c_name": "x"}), "members[0].children"),
    (lambda a: a.update(members=[{}] * 501, size=30), "members"),
])
def test_bad_shapes_reject_only_their_item(client, roster, device_headers, change, path):
    bad = answers()
    change(bad)
    results = post(client, device_headers, roster_item(), roster_item(bad), roster_item())
    assert [r["outcome"] for r in results] == ["stored", "rejected", "stored"]
    assert path in results[1]["errors"], results[1]["errors"]


def test_a_misplaced_answer_says_where_it_belongs(client, roster, device_headers):
    a = answers()
    a["m_age"] = 3
    errors = rejected(client, device_headers, roster_item(a))
    assert errors["m_age"] != ["This question is not in the survey."]
    assert "members" in errors["m_age"][0]


def test_too_many_answers_in_one_submission(client, roster, device_headers):
    a = answers()
    a["members"] = [{"m_name": "x", "children": [{"c_name": "y"}] * 70}] * 300
    a["size"] = 30
    errors = rejected(client, device_headers, roster_item(a))
    assert "answers" in errors


@pytest.mark.parametrize(("key", "value"), [
    ("score", 5), ("score", 12), ("visit_time", "25:00"), ("visit_time", "10h"),
    ("visit_at", "2026-12-02T10:15:00"), ("ack", "yes"), ("code", 7750243000116),
    ("tag", 3), ("started", "yesterday"), ("clip", "ab" * 32), ("total_income", 800),
])
def test_new_types_are_checked(client, roster, device_headers, key, value):
    a = answers()
    a[key] = value
    assert set(rejected(client, device_headers, roster_item(a))) == {key}


def test_a_video_answer_names_an_attachment(client, roster, device_headers):
    clip = "ab" * 32
    a = answers()
    a["clip"] = clip
    [result] = post(client, device_headers, roster_item(a, attachments=[clip]))
    assert result["outcome"] == "stored" and result["missing_attachments"] == [clip]


def test_a_version_whose_list_file_is_gone_still_takes_well_formed_answers(
        app, client, device_headers, tmp_path):
    from server.attachments.services import media_store
    from server.surveys.choice_files import _cache

    with app.app_context():
        version = publish_roster(files={"villages.csv": b"name,label,prov\nsolo,Solo,x\n"})
        media_store().path_for(version.files[0].sha256).unlink()
        _cache.clear()
    a = answers()
    a["village"] = "carumas"
    assert post(client, device_headers, roster_item(a))[0]["outcome"] == "stored"
    a["village"] = "two words"
    assert set(rejected(client, device_headers, roster_item(a))) == {"village"}


def test_first_format_submissions_are_unchanged(app, client, demo, device_headers):
    from helpers import household_item

    item = household_item()
    assert post(client, device_headers, item)[0]["outcome"] == "stored"
    row = stored(app)
    assert row.answers == {k: v for k, v in item["answers"].items()}
    assert row.instance_name is None


def test_an_older_version_is_still_accepted_after_a_new_one(app, client, roster,
                                                            device_headers):
    changed = roster_definition()
    changed["title"]["es"] += " 2"
    with app.app_context():
        assert publish_roster(changed).number == 2
    assert post(client, device_headers, roster_item())[0]["outcome"] == "stored"
    assert post(client, device_headers, roster_item(version=2))[0]["outcome"] == "stored"
    with app.app_context():
        versions = set(db.session.scalars(select(Submission.version_id)))
    assert len(versions) == 2
