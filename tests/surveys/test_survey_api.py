"""GET /api/v1/surveys: what a device or a public link may fill, with cheap revalidation."""

from __future__ import annotations

import copy
import json
from importlib import resources

from server.surveys.services import get_survey, publish_definition


def household_definition() -> dict:
    return json.loads(resources.files("server.demo").joinpath(
        "data", "household_survey.json").read_text("utf-8"))


def test_a_device_sees_the_promoter_surveys(client, demo, device_headers):
    response = client.get("/api/v1/surveys", headers=device_headers)
    assert response.status_code == 200
    [survey] = response.get_json()["surveys"]
    assert survey["id"] == "moq-household" and survey["version"] == 1
    assert survey["title"]["qu"] and survey["title"]["es"]
    assert response.headers["ETag"]


def test_a_public_link_sees_only_its_form(client, demo, link_headers):
    [survey] = client.get("/api/v1/surveys", headers=link_headers).get_json()["surveys"]
    assert survey["id"] == "moq-feedback" and survey["public"] is True
    hidden = client.get("/api/v1/surveys/moq-household", headers=link_headers)
    assert hidden.status_code == 404


def test_unchanged_definition_costs_one_304(client, demo, device_headers):
    first = client.get("/api/v1/surveys/moq-household", headers=device_headers)
    assert first.status_code == 200
    definition = first.get_json()["definition"]
    assert definition["pages"][0]["questions"][0]["id"] == "district"
    etag = first.headers["ETag"]
    again = client.get("/api/v1/surveys/moq-household",
                       headers={**device_headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    listing = client.get("/api/v1/surveys", headers=device_headers)
    assert client.get("/api/v1/surveys", headers={
        **device_headers, "If-None-Match": listing.headers["ETag"]}).status_code == 304


def test_a_new_version_changes_the_etag_and_old_versions_stay_readable(app, client, demo,
                                                                       device_headers):
    old = client.get("/api/v1/surveys/moq-household", headers=device_headers)
    changed = copy.deepcopy(household_definition())
    changed["title"]["es"] += " (2)"
    with app.app_context():
        assert publish_definition("moq-household", changed).number == 2
        # publishing the same definition again makes no new version
        assert publish_definition("moq-household", changed).number == 2
        assert [v.number for v in get_survey("moq-household").versions] == [1, 2]
    new = client.get("/api/v1/surveys/moq-household",
                     headers={**device_headers, "If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200 and new.get_json()["version"] == 2
    v1 = client.get("/api/v1/surveys/moq-household/versions/1", headers=device_headers)
    assert v1.status_code == 200 and v1.get_json()["definition"]["title"]["es"] == \
        household_definition()["title"]["es"]
    assert client.get("/api/v1/surveys/moq-household/versions/9",
                      headers=device_headers).status_code == 404


def test_unknown_survey_is_404_json(client, demo, device_headers):
    response = client.get("/api/v1/surveys/nope", headers=device_headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
