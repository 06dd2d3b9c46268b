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


def _publish_with_file(app, code: str, data: bytes, title: str = "Con archivo") -> str:
    """Publish a survey whose select reads a CSV; returns the file's SHA-256."""
    import hashlib
    import io

    from server.attachments.services import media_store
    from server.extensions import db
    from server.surveys.models import Survey, SurveyFile
    from server.surveys.services import publish, save_draft

    sha = hashlib.sha256(data).hexdigest()
    definition = {
        "languages": ["es"], "title": {"es": title},
        "files": [{"name": "villages.csv", "sha256": sha, "size": len(data),
                   "content_type": "text/csv"}],
        "pages": [{"id": "p", "questions": [
            {"id": "village", "type": "select_one", "label": {"es": "Pueblo"},
             "choices_from": {"file": "villages.csv"}}]}],
    }
    with app.app_context():
        survey = get_survey(code) or Survey(code=code, title={"es": title})
        db.session.add(survey)
        version = save_draft(survey, definition)
        media_store().save(sha, io.BytesIO(data), len(data))
        if not version.files:
            version.files.append(SurveyFile(name="villages.csv", sha256=sha, size=len(data),
                                            content_type="text/csv"))
        db.session.commit()
        publish(survey)
    return sha


def test_a_versions_files_are_served_immutable_and_old_versions_keep_theirs(
        app, client, demo, device_headers):
    v1 = b"name,label\nyacango,Yacango\n"
    sha1 = _publish_with_file(app, "towns", v1)
    url = "/api/v1/surveys/towns/versions/1/files/villages.csv"
    first = client.get(url, headers=device_headers)
    assert first.status_code == 200 and first.data == v1
    assert first.mimetype == "text/csv"
    assert first.headers["ETag"] == f'"{sha1}"'
    assert "immutable" in first.headers["Cache-Control"]
    again = client.get(url, headers={**device_headers, "If-None-Match": f'"{sha1}"'})
    assert again.status_code == 304 and again.data == b""
    v2 = b"name,label\ncarumas,Carumas\n"
    _publish_with_file(app, "towns", v2, "Con archivo 2")
    assert client.get(url, headers=device_headers).data == v1  # a draft on v1 still works
    assert client.get("/api/v1/surveys/towns/versions/1", headers=device_headers) \
        .get_json()["version"] == 1
    latest = client.get("/api/v1/surveys/towns/versions/2/files/villages.csv",
                        headers=device_headers)
    assert latest.data == v2


def test_a_missing_file_or_survey_is_a_404_with_a_stable_code(app, client, demo,
                                                              device_headers, link_headers):
    _publish_with_file(app, "towns", b"name,label\na,A\n")
    for url, headers in [
        ("/api/v1/surveys/towns/versions/1/files/other.csv", device_headers),
        ("/api/v1/surveys/towns/versions/1/files/..%2Fetc", device_headers),
        ("/api/v1/surveys/towns/versions/2/files/villages.csv", device_headers),
        ("/api/v1/surveys/towns/versions/1/files/villages.csv", link_headers),  # not its form
    ]:
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] in ("not_found", "file_not_found")
    missing = client.get("/api/v1/surveys/towns/versions/1/files/other.csv",
                         headers=device_headers)
    assert missing.get_json()["error"]["code"] == "file_not_found"
    assert client.get("/api/v1/surveys/towns/versions/1/files/villages.csv").status_code == 401


def test_a_public_link_reads_its_own_forms_files(app, client, demo):
    from server.surveys.services import open_public_link

    _publish_with_file(app, "towns", b"name,label\na,A\n")
    with app.app_context():
        token = open_public_link(get_survey("towns"))
    response = client.get(f"/api/v1/surveys/towns/versions/1/files/villages.csv?link={token}")
    assert response.status_code == 200 and response.data.startswith(b"name,label")
