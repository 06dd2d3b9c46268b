"""The version page's live preview (the app framed, in each of the survey's languages),
the definition it reads from the console (drafts included, coordinators only), and audio
prompts recorded in the console: on a draft they edit it, on a published version they go
into a new draft copied from it."""

from __future__ import annotations

import io
import re

from survey_file_builders import (
    CODE,
    GOOD_CSV,
    WEBM,
    definition,
    make_draft,
    publish_directly,
    upload,
)

from server.audit.models import AuditEvent
from server.extensions import db
from server.surveys.services import get_survey

BASE = f"/console/surveys/{CODE}/versions"


def _record(console, number: int, question: str, lang: str, choice: str | None = None,
            data: bytes = WEBM, content_type: str = "audio/webm"):
    fields = {"file": (io.BytesIO(data), "prompt", content_type), "question": question,
              "lang": lang, **({"choice": choice} if choice else {})}
    return console.client.post(f"{BASE}/{number}/prompts", data=fields,
                               content_type="multipart/form-data",
                               headers={"X-CSRFToken": console.csrf_token()})


def _versions(app) -> list[tuple[int, str, dict, set[str]]]:
    with app.app_context():
        return [(v.number, v.status, v.definition, {f.name for f in v.files})
                for v in get_survey(CODE).versions]


def test_the_version_page_frames_the_app_in_each_language(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    page = console.get(f"{BASE}/1").get_data(as_text=True)
    frame = re.search(r'<iframe class="live-preview" src="([^"]+)"', page).group(1)
    assert frame == f"/app/#/preview/{CODE}/1?lang=es"
    assert f'href="{BASE}/1?lang=qu#preview"' in page
    quechua = console.get(f"{BASE}/1?lang=qu").get_data(as_text=True)
    assert f'src="/app/#/preview/{CODE}/1?lang=qu"' in quechua
    assert "¿Mayqin llaqtapitaq tiyanki?" not in page  # the texts are the second tab
    texts = console.get(f"{BASE}/1?tab=texts").get_data(as_text=True)
    assert "¿Mayqin llaqtapitaq tiyanki?" in texts and "<iframe" not in texts
    # the app's page may be framed by the console (and only by our own pages)
    csp = console.get("/app/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert "frame-ancestors 'none'" in page_headers(console, f"{BASE}/1")


def page_headers(console, url: str) -> str:
    return console.get(url).headers["Content-Security-Policy"]


def test_the_preview_reads_drafts_from_the_console_only(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    upload(console, CODE, 1, [("villages.csv", GOOD_CSV)])
    body = console.get(f"{BASE}/1/preview.json")
    assert body.status_code == 200 and body.headers["Cache-Control"] == "no-store"
    data = body.get_json()
    assert data["status"] == "draft" and data["version"] == 1
    assert data["definition"]["pages"] == definition()["pages"]
    assert data["files_url"] == f"{BASE}/1/files/"
    assert console.get(data["files_url"] + "villages.csv").data == GOOD_CSV
    assert console_as("viewer").get(f"{BASE}/1/preview.json").status_code == 403
    assert console_as(None).get(f"{BASE}/1/preview.json").status_code == 302
    assert console.get(f"{BASE}/2/preview.json").status_code == 404
    # the phones' API knows nothing of drafts
    assert console.client.get(f"/api/v1/surveys/{CODE}").status_code in (401, 404)


def test_a_prompt_recorded_on_a_draft_edits_it(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    page = console.get(f"{BASE}/1/prompts").get_data(as_text=True)
    assert 'data-question="village"' in page and 'data-lang="qu"' in page
    assert 'data-choice="no"' in page and "survey-prompts.js" in page
    response = _record(console, 1, "village", "qu")
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["copied"] is False and answer["name"] == "prompt-village-qu.webm"
    [(number, status, defn, files)] = _versions(app)
    assert defn["pages"][0]["questions"][0]["media"]["audio"] == {
        "es": "village_es.mp3", "qu": "prompt-village-qu.webm"}
    assert files == {"prompt-village-qu.webm"}
    assert [f["name"] for f in defn["files"]] == ["prompt-village-qu.webm"]
    assert console.get(answer["url"]).data == WEBM
    # a choice's prompt; recording again replaces the file under the same name
    assert _record(console, 1, "water", "es", choice="no").status_code == 200
    assert _record(console, 1, "village", "qu", data=WEBM + b"\x01").status_code == 200
    [(_n, _s, defn, files)] = _versions(app)
    assert defn["pages"][0]["questions"][1]["choices"][1]["media"] == {
        "audio": {"es": "prompt-water-no-es.webm"}}
    assert files == {"prompt-village-qu.webm", "prompt-water-no-es.webm"}
    page = console.get(f"{BASE}/1/prompts").get_data(as_text=True)
    assert f'src="{BASE}/1/files/prompt-village-qu.webm"' in page
    with app.app_context():
        details = [e.details for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "survey_prompt"))]
    assert [(d["question"], d["choice"], d["language"]) for d in details] == [
        ("village", None, "qu"), ("water", "no", "es"), ("village", None, "qu")]


def test_a_prompt_on_a_published_version_makes_a_new_draft(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    upload(console, CODE, 1, [("villages.csv", GOOD_CSV)])
    publish_directly(app)
    [published] = _versions(app)
    response = _record(console, 1, "water", "qu")
    assert response.status_code == 200
    assert response.get_json()["copied"] is True
    assert response.get_json()["prompts_url"] == f"{BASE}/2/prompts"
    first, second = _versions(app)
    assert first == published  # immutable
    assert second[:2] == (2, "draft")
    assert second[2]["pages"][0]["questions"][1]["media"]["audio"] == {
        "qu": "prompt-water-qu.webm"}
    assert second[3] == {"villages.csv", "prompt-water-qu.webm"}
    # the copy exists now: the published version sends the next recording there
    again = _record(console, 1, "village", "es")
    assert again.status_code == 409 and again.get_json()["draft_url"] == f"{BASE}/2/prompts"
    assert len(_versions(app)) == 2


def test_bad_recordings_are_refused_clearly(app, console_as):
    make_draft(app)
    console = console_as("coordinator")
    for kwargs, status in (({"question": "nothing", "lang": "qu"}, 422),
                           ({"question": "village", "lang": "en"}, 422),
                           ({"question": "water", "lang": "es", "choice": "maybe"}, 422),
                           ({"question": "village", "lang": "es", "data": b"not audio"}, 422),
                           ({"question": "village", "lang": "es",
                             "content_type": "audio/x-flac"}, 422)):
        response = _record(console, 1, **kwargs)
        assert response.status_code == status and response.get_json()["error"], kwargs
    [(_n, _s, defn, files)] = _versions(app)
    assert defn == definition() and files == set()
    viewer = console_as("viewer")
    assert _record(viewer, 1, "village", "es").status_code == 403
    no_token = console.client.post(f"{BASE}/1/prompts", data={"question": "village"})
    assert no_token.status_code == 400
