"""A draft's files on the version page: which files the form uses and whether each is
there, uploading several at once, what is refused (bad lists, wrong types, too large,
published versions), replacing and removing, the audit log, carrying files into the next
draft, and downloading the original XLSForm and its XForm."""

from __future__ import annotations

import hashlib
import re

from survey_file_builders import (
    CODE,
    GOOD_CSV,
    MP3,
    csv_bytes,
    make_draft,
    png_bytes,
    publish_directly,
    upload,
)

from server.audit.models import AuditEvent
from server.extensions import db
from server.surveys.services import get_survey

PAGE = f"/console/surveys/{CODE}/versions/1"


def _version(app, number: int = 1):
    with app.app_context():
        version = next(v for v in get_survey(CODE).versions if v.number == number)
        return {"status": version.status, "definition": version.definition,
                "digest": version.digest,
                "files": {f.name: (f.sha256, f.size, f.content_type) for f in version.files}}


def _row(page: str, name: str) -> str:
    found = re.search(rf"<tr>\s*<td><code class=\"file-name\">{re.escape(name)}</code>.*?</tr>",
                      page, re.S)
    assert found, name
    return found.group()


def _flashes(console) -> list[str]:
    page = console.get(PAGE).get_data(as_text=True)
    return [re.sub(r"\s+", " ", m) for m in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>',
                                                        page, re.S)]


def _audit(app, action: str = "survey_file") -> list[dict]:
    with app.app_context():
        return [e.details for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def test_the_page_lists_missing_files_and_publishing_names_them(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    page = console.get(PAGE).get_data(as_text=True)
    for name, used_by in (("villages.csv", "village"), ("village_es.mp3", "village"),
                          ("tap.png", "water / yes")):
        row = _row(page, name)
        assert 'class="missing"' in row and used_by in row
    response = console.post(f"/console/surveys/{CODE}/publish")
    assert response.status_code == 302
    refused = [f for f in _flashes(console) if "villages.csv" in f]
    assert refused and all(name in refused[0] for name in ("village_es.mp3", "tap.png"))
    assert _version(app)["status"] == "draft"


def test_several_files_at_once_update_the_definition_and_the_audit(app, console_as):
    make_draft(app)
    before = _version(app)["digest"]
    console = console_as("coordinator")
    png = png_bytes()
    response = upload(console, CODE, 1, [("villages.csv", GOOD_CSV), ("village_es.mp3", MP3),
                                         ("TAP.PNG", png)])  # letter case as Windows saves it
    assert response.status_code == 302 and response.location.endswith("#files")
    version = _version(app)
    sha = {name: hashlib.sha256(data).hexdigest() for name, data in
           (("villages.csv", GOOD_CSV), ("village_es.mp3", MP3), ("tap.png", png))}
    assert version["files"] == {
        "tap.png": (sha["tap.png"], len(png), "image/png"),
        "village_es.mp3": (sha["village_es.mp3"], len(MP3), "audio/mpeg"),
        "villages.csv": (sha["villages.csv"], len(GOOD_CSV), "text/csv")}
    assert version["definition"]["files"] == [
        {"name": n, "sha256": sha[n], "size": version["files"][n][1],
         "content_type": version["files"][n][2]} for n in sorted(sha)]
    assert version["digest"] != before
    page = console.get(PAGE).get_data(as_text=True)
    assert "✓" in _row(page, "villages.csv") and 'class="missing"' not in _row(page, "tap.png")
    assert "<audio" in _row(page, "village_es.mp3")
    assert [(d["name"], d["action"]) for d in _audit(app)] == [
        ("villages.csv", "upload"), ("village_es.mp3", "upload"), ("tap.png", "upload")]
    served = console.get(f"/console/surveys/{CODE}/versions/1/files/villages.csv?download=1")
    assert served.status_code == 200 and served.data == GOOD_CSV
    assert "attachment" in served.headers["Content-Disposition"]


def test_lists_must_parse_and_have_the_columns_the_question_reads(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    cases = [
        (csv_bytes([["name", "district"], ["carumas", "180102"]]), "label"),
        (csv_bytes([["value", "label"], ["carumas", "Carumas"]]), "name"),
        (b"name;label\ncarumas;Carumas\n", ";"),
        ("name,label\ncañón,Cañón\n".encode("cp1252"), "UTF-8"),
        (csv_bytes([["name", "label"], ["carumas", "Carumas"], ["san juan", "San Juan"]]),
         "3"),
        (csv_bytes([["name", "label"]]), "villages.csv"),
    ]
    for data, expected in cases:
        response = upload(console, CODE, 1, [("villages.csv", data)])
        assert response.status_code == 302
        flashes = [f for f in _flashes(console) if "villages.csv" in f]
        assert flashes and expected in flashes[0], (expected, flashes)
    assert _version(app)["files"] == {}
    assert _audit(app) == []


def test_wrong_types_and_unknown_names_are_refused(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    upload(console, CODE, 1, [("tap.png", b"GIF89a not a png at all")])
    assert any("tap.png" in f and "PNG" in f for f in _flashes(console))
    upload(console, CODE, 1, [("village_es.mp3", b"<html><script>alert(1)</script>")])
    assert any("village_es.mp3" in f and "MP3" in f for f in _flashes(console))
    upload(console, CODE, 1, [("notes.txt", b"hello")])
    assert any("notes.txt" in f and "villages.csv" in f for f in _flashes(console))
    assert _version(app)["files"] == {}


def test_files_above_their_limit_are_refused(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    big = png_bytes(padding=5 * 1024 * 1024)
    response = upload(console, CODE, 1, [("tap.png", big), ("village_es.mp3", MP3)])
    assert response.status_code == 302  # the large body is accepted, then judged per file
    assert any("tap.png" in f and "5 MB" in f for f in _flashes(console))
    assert set(_version(app)["files"]) == {"village_es.mp3"}  # the good one is kept


def test_replace_and_remove_on_a_draft(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    upload(console, CODE, 1, [("villages.csv", GOOD_CSV)])
    newer = GOOD_CSV + b"yacango,Yacango,Yakangu,180101\n"
    upload(console, CODE, 1, [("villages.csv", newer)])
    assert _version(app)["files"]["villages.csv"][0] == hashlib.sha256(newer).hexdigest()
    response = console.post(f"/console/surveys/{CODE}/versions/1/files/villages.csv/remove")
    assert response.status_code == 302
    version = _version(app)
    assert version["files"] == {} and "files" not in version["definition"]
    assert 'class="missing"' in _row(console.get(PAGE).get_data(as_text=True), "villages.csv")
    assert [d["action"] for d in _audit(app)] == ["upload", "replace", "remove"]
    gone = console.post(f"/console/surveys/{CODE}/versions/1/files/villages.csv/remove")
    assert gone.status_code == 404


def test_published_files_download_but_never_change(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    upload(console, CODE, 1, [("villages.csv", GOOD_CSV)])
    publish_directly(app)
    before = _version(app)
    upload(console, CODE, 1, [("villages.csv", GOOD_CSV + b"x,X,X,1\n")])
    console.post(f"/console/surveys/{CODE}/versions/1/files/villages.csv/remove")
    assert _version(app) == before
    page = console.get(PAGE).get_data(as_text=True)
    assert "files/villages.csv/remove" not in page and 'name="files"' not in page
    assert console.get(f"/console/surveys/{CODE}/versions/1/files/villages.csv").data == GOOD_CSV
    assert [d["action"] for d in _audit(app)] == ["upload"]


def test_a_new_upload_keeps_the_files_it_still_uses(app, console_as):
    import io
    import json

    from survey_file_builders import definition

    make_draft(app)
    console = console_as("coordinator")
    upload(console, CODE, 1, [("villages.csv", GOOD_CSV), ("tap.png", png_bytes())])
    publish_directly(app)
    changed = definition()
    del changed["pages"][0]["questions"][1]["choices"][0]["media"]  # no more tap.png
    response = console.post("/console/surveys/upload", {
        "file": (io.BytesIO(json.dumps(changed).encode()), "aldeas.json"), "code": CODE},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    draft = _version(app, 2)
    assert set(draft["files"]) == {"villages.csv"}
    assert [f["name"] for f in draft["definition"]["files"]] == ["villages.csv"]
    assert _version(app, 1)["files"].keys() == {"villages.csv", "tap.png"}


def test_the_original_form_and_its_xform_download(app, console_as):
    make_draft(app)
    with app.app_context():
        version = get_survey(CODE).versions[0]
        version.source_name, version.source_bytes = "Aldeas del sur.xlsx", b"PK\x03\x04 sheet"
        version.xform = "<h:html xmlns:h='http://www.w3.org/1999/xhtml'/>"
        db.session.commit()
    console = console_as("coordinator")
    page = console.get(PAGE).get_data(as_text=True)
    assert f"/console/surveys/{CODE}/versions/1/source" in page and "/xform" in page
    source = console.get(f"/console/surveys/{CODE}/versions/1/source")
    assert source.status_code == 200 and source.data == b"PK\x03\x04 sheet"
    assert "Aldeas del sur.xlsx" in source.headers["Content-Disposition"]
    assert source.mimetype.endswith("spreadsheetml.sheet")
    xform = console.get(f"/console/surveys/{CODE}/versions/1/xform")
    assert xform.mimetype == "application/xml" and b"h:html" in xform.data
    assert f"{CODE}-v1.xml" in xform.headers["Content-Disposition"]
    for role, status in (("viewer", 403), (None, 302)):
        assert console_as(role).get(f"/console/surveys/{CODE}/versions/1/source").status_code \
            == status
        assert console_as(role).get(f"/console/surveys/{CODE}/versions/1/xform").status_code \
            == status


def test_versions_without_a_source_offer_no_download(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    assert "/source" not in console.get(PAGE).get_data(as_text=True)
    assert console.get(f"/console/surveys/{CODE}/versions/1/source").status_code == 404
    assert console.get(f"/console/surveys/{CODE}/versions/1/xform").status_code == 404
    assert console.get(f"/console/surveys/{CODE}/versions/9/source").status_code == 404


def test_only_coordinators_manage_files(app, console_as):
    make_draft(app)
    coordinator = console_as("coordinator")
    upload(coordinator, CODE, 1, [("villages.csv", GOOD_CSV)])
    viewer, anonymous = console_as("viewer"), console_as(None)
    assert upload(viewer, CODE, 1, [("tap.png", png_bytes())]).status_code == 403
    assert viewer.get(f"/console/surveys/{CODE}/versions/1/files/villages.csv").status_code \
        == 403
    assert viewer.post(f"/console/surveys/{CODE}/versions/1/files/villages.csv/remove") \
        .status_code == 403
    response = anonymous.get(f"/console/surveys/{CODE}/versions/1/files/villages.csv")
    assert response.status_code == 302 and "/console/sign-in" in response.location
    no_token = coordinator.post(f"/console/surveys/{CODE}/versions/1/files/villages.csv/remove",
                                csrf=False)
    assert no_token.status_code == 400
    assert set(_version(app)["files"]) == {"villages.csv"}
