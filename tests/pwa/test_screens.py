"""Defects a new user found on the promoter's screens (issue 12), each as a user would
notice it: the app opening offline whatever the request headers, the "Interview saved"
screen, fresh locations, what the screen says about sending, which phone this is, the
needs-attention tile, the resident start page, names in the lists, and old versions."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import requests
from helpers import household_item
from playwright.sync_api import Page, expect
from pwa.conftest import MOQUEGUA
from pwa.fieldapp import catalog, db_call, feedback_link, install_promoter, wait_until
from sqlalchemy import select

pytestmark = pytest.mark.browser

QUICK = {
    "languages": ["es", "qu"],
    "title": {"es": "Visita corta", "qu": "Utqaylla watukuy"},
    "pages": [{"id": "one", "title": {"es": "Visita", "qu": "Watukuy"}, "questions": [
        {"id": "district", "type": "place", "department": "180000", "required": True,
         "label": {"es": "Distrito", "qu": "Distritu"}},
        {"id": "family", "type": "text", "required": True,
         "label": {"es": "Apellido de la familia", "qu": "Ayllup sutin"}},
    ]}],
}
HOLD_THE_QUEUE = """() => { navigator.locks.request('willay-outbox',
    () => new Promise((release) => { window.releaseQueue = release; })); }"""
EXIT = re.compile(r"^(Salir|Guardar y salir|Save and exit)$")  # the form engine's wording
SAVED = re.compile("^(Entrevista guardada|Tapukusqa waqaychasqañam)$")


def publish(server, tmp_path, code: str, definition: dict) -> None:
    path = tmp_path / f"{code}-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    server.willay("surveys", "publish", code, str(path))


def fill_quick(page: Page, family: str = "Quispe") -> None:
    """Start the quick survey from home and answer it, up to its "check and finish" step."""
    page.locator("a[href^='#/new/quick/']").click()
    page.locator("#q-district-prov").select_option("180100")
    page.locator("#q-district").select_option("180101")
    page.locator("#q-family").fill(family)
    page.locator(".nav button.primary").click()  # Next: the last step


def finish(page: Page) -> None:
    page.locator(".nav button.primary").last.click()  # Finish and save
    expect(page.get_by_role("heading", name=SAVED)).to_be_visible()


def offline_opens(page: Page, server) -> None:
    page.goto(f"{server.url}/app/#/")
    page.reload()  # a real load, not just a change of the address fragment
    expect(page.locator("#send-now")).to_be_visible(timeout=10000)
    expect(page.get_by_text("Sin señal", exact=True)).to_be_visible()


# ---- 1. opening offline does not depend on request headers ----

def test_the_app_opens_offline_with_another_language_list_and_a_console_cookie(
    live_server, media_browser
):
    # installed on a phone whose browser sends its own language list (es-PE)
    context = media_browser.new_context(locale="es-PE")
    try:
        page = context.new_page()
        install_promoter(page, live_server)
        context.set_offline(True)
        offline_opens(page, live_server)
        # the promoter's language list changes, and a console session cookie appears
        page.set_extra_http_headers({"Accept-Language": "qu-PE,qu;q=0.9,es;q=0.5"})
        context.add_cookies([{"name": "session", "value": "signed-in-elsewhere",
                              "url": live_server.url}])
        offline_opens(page, live_server)
        other = context.new_page()  # a second window opened from the home screen icon
        offline_opens(other, live_server)
    finally:
        context.close()


# ---- 2 and 4: the "Interview saved" screen ----

def test_finished_online_it_says_sent_with_the_receipt_and_stays_saved_in_quechua(
    live_server, field_page, tmp_path
):
    page = field_page
    publish(live_server, tmp_path, "quick", QUICK)
    install_promoter(page, live_server)
    fill_quick(page)
    finish(page)
    sent = page.locator(".sending[data-state=sent]")
    expect(sent).to_be_visible(timeout=30000)
    receipt = db_call(page, "return (await db.listSent(1))[0].receipt")
    assert receipt and receipt in sent.inner_text()
    assert "Se enviará cuando haya señal" not in page.inner_text("main")
    assert requests.get(f"{live_server.url}/api/v1/receipts/{receipt}", timeout=10).ok

    # the language switch redraws the saved screen, not the finished interview
    qu = catalog(live_server, "qu")
    page.get_by_role("button", name="Runasimi").click()
    expect(page.get_by_role("heading", name=qu["Interview saved"])).to_be_visible()
    expect(page.locator(".sending[data-state=sent]")).to_contain_text(receipt)
    expect(page.get_by_role("button", name=qu["Finish and save"])).to_have_count(0)
    assert page.evaluate("import('/app/update.js').then((m) => m.updateState().interviewOpen)") \
        is False
    page.get_by_role("link", name=qu["New interview"]).click()
    expect(page.locator("#q-family")).to_have_value("")  # a new one, not the old one again


def test_finished_offline_it_waits_for_signal_then_says_sent(
    live_server, field_context, field_page, tmp_path
):
    page = field_page
    publish(live_server, tmp_path, "quick", QUICK)
    install_promoter(page, live_server)
    field_context.set_offline(True)
    fill_quick(page, "Mamani")
    finish(page)
    expect(page.locator(".sending[data-state=no-signal]")).to_have_text(
        "Se enviará cuando haya señal.")
    field_context.set_offline(False)  # the screen follows the sync by itself
    expect(page.locator(".sending[data-state=sent]")).to_be_visible(timeout=30000)
    receipt = db_call(page, "return (await db.listSent(1))[0].receipt")
    expect(page.locator(".sending")).to_contain_text(receipt)


# ---- 3. a new location is a new reading ----

def test_taking_the_location_again_gives_the_new_position(live_server, field_context, field_page,
                                                          tmp_path, app):
    page = field_page
    publish(live_server, tmp_path, "quick", QUICK)
    install_promoter(page, live_server)
    fill_quick(page)
    page.get_by_role("button", name="Agregar la ubicación").click()
    first = f"{MOQUEGUA['latitude']:.5f}, {MOQUEGUA['longitude']:.5f}"
    expect(page.locator(".place-shown")).to_contain_text(first)
    # the promoter walks to the next household, a few hundred metres away
    field_context.set_geolocation({"latitude": -17.2011, "longitude": -70.9402, "accuracy": 8})
    page.get_by_role("button", name="Tomar la ubicación otra vez").click()
    expect(page.locator(".place-shown")).to_contain_text("-17.20110, -70.94020")
    finish(page)
    page.get_by_role("link", name="Nueva entrevista").click()  # within the same minute
    field_context.set_geolocation({"latitude": -17.1500, "longitude": -70.9000, "accuracy": 5})
    page.locator("#q-district-prov").select_option("180100")
    page.locator("#q-district").select_option("180101")
    page.locator("#q-family").fill("Condori")
    page.locator(".nav button.primary").click()
    page.get_by_role("button", name="Agregar la ubicación").click()
    expect(page.locator(".place-shown")).to_contain_text("-17.15000, -70.90000")
    finish(page)
    wait_until(page, "import('/app/db.js').then(async (db) => (await db.counts()).sent === 2)",
               30)
    from server.extensions import db
    from server.submissions.models import Submission

    with app.app_context():
        rows = db.session.execute(select(Submission.answers, Submission.latitude,
                                         Submission.longitude)).all()
        db.session.remove()
    where = sorted((a["family"], lat, lon) for a, lat, lon in rows if "family" in a)
    assert where == [("Condori", -17.15, -70.9), ("Quispe", -17.2011, -70.9402)]


# ---- 5 and 6: which phone this is; the needs-attention tile ----

def test_home_says_which_phone_this_is_and_pairing_is_confirmed(live_server, field_page):
    page = field_page
    out = live_server.willay("devices", "enrol", "Celular 7", "--promoter", "Rosa Quispe")
    code = re.search(r"code (\S+)", out).group(1)
    page.goto(f"{live_server.url}/app/")
    page.get_by_label("Código de vinculación").fill(code)
    page.get_by_role("button", name="Vincular", exact=True).click()
    expect(page.locator("#send-now")).to_be_visible()
    confirmation = page.locator("main > .notice").first
    expect(confirmation).to_contain_text("Celular 7")
    expect(confirmation).to_contain_text("Rosa Quispe")
    line = page.locator(".device-line")
    expect(line).to_contain_text("Celular 7")
    expect(line).to_contain_text("Rosa Quispe")
    page.reload()  # the confirmation was once; which phone this is stays
    expect(page.locator("#send-now")).to_be_visible()
    expect(page.locator(".device-line")).to_contain_text("Rosa Quispe")
    expect(page.locator("main > .notice")).to_have_count(0)


def background(page: Page, selector: str) -> str:
    return page.eval_on_selector(selector, "(node) => getComputedStyle(node).backgroundColor")


def test_the_needs_attention_tile_is_red_only_when_something_needs_attention(
    live_server, field_page
):
    page = field_page
    install_promoter(page, live_server)
    expect(page.locator(".count.attention strong")).to_have_text("0")
    neutral = background(page, ".count.drafts")
    assert background(page, ".count.attention") == neutral
    item = household_item(answers={"household_size": 99})  # the server refuses it
    db_call(page, """
        await db.saveDraft({uuid: arg.uuid, survey: arg.survey, version: arg.version,
          channel: 'device', link: null, answers: arg.answers, attachments: [], meta: arg.meta,
          page: 0});
        await db.finalize(arg.uuid, {completed_at: arg.meta.completed_at});""", item)
    expect(page.locator(".count.attention strong")).to_have_text("1", timeout=30000)
    assert background(page, ".count.attention") != neutral


# ---- 7. the resident start page ----

def test_the_resident_start_page_promises_no_field_that_does_not_exist(live_server, page):
    link = feedback_link(live_server)
    page.goto(f"{live_server.url}/app/#/f/{link}")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("a.big")).to_be_visible()
    intro = page.inner_text("main").split(page.locator("a.big").inner_text())[0].lower()
    assert "nombre" not in intro  # the form has no name question
    assert intro.count("celular") + intro.count("teléfono") + intro.count("contacto") <= 1
    page.locator("a.big").click()
    expect(page.locator("[data-question]").first).to_be_attached()
    ids = page.evaluate("[...document.querySelectorAll('[data-question]')]"
                        ".map((n) => n.dataset.question)")
    assert not [i for i in ids if "name" in i]


# ---- 8. interviews are told apart in the lists ----

def test_the_lists_show_each_interviews_readable_name(live_server, field_page):
    page = field_page
    install_promoter(page, live_server)
    page.evaluate(HOLD_THE_QUEUE)  # keep them waiting, to see them in the waiting list
    named = household_item(meta={**household_item()["meta"], "instance_name": "Quispe — Yacango"})
    plain = household_item()
    draft = household_item(meta={**household_item()["meta"], "instance_name": "Mamani — Titire"})
    db_call(page, """
        for (const item of arg.queued) {
          await db.saveDraft({uuid: item.uuid, survey: item.survey, version: item.version,
            channel: 'device', link: null, answers: item.answers, attachments: [],
            meta: item.meta, page: 0});
          await db.finalize(item.uuid, {completed_at: item.meta.completed_at});
        }
        await db.saveDraft({uuid: arg.draft.uuid, survey: arg.draft.survey, version: 1,
          channel: 'device', link: null, answers: arg.draft.answers, attachments: [],
          meta: arg.draft.meta, page: 1});""", {"queued": [named, plain], "draft": draft})
    expect(page.locator(".count.waiting strong")).to_have_text("2")
    waiting = page.locator("section[aria-labelledby=waiting-title] li")
    expect(waiting.filter(has_text="Quispe — Yacango")).to_contain_text(
        "Encuesta de hogares rurales")
    expect(waiting.filter(has_text="Quispe — Yacango")).to_contain_text("20/11/2026")
    expect(waiting.filter(has_not_text="Quispe")).to_contain_text("20/11/2026")
    expect(page.locator("section[aria-labelledby=drafts-title] li")).to_contain_text(
        "Mamani — Titire")
    page.evaluate("window.releaseQueue()")
    page.locator("#send-now").click()
    sent = page.locator("section[aria-labelledby=sent-title] li")
    expect(sent.filter(has_text="Quispe — Yacango")).to_have_count(1, timeout=30000)


# ---- 9. a draft begun on version 1 is finished as version 1 after version 2 arrived ----

def test_a_draft_started_on_version_1_is_sent_as_version_1_after_version_2_arrived(
    live_server, field_page, tmp_path, app
):
    page = field_page
    publish(live_server, tmp_path, "quick", QUICK)
    install_promoter(page, live_server)
    page.locator("a[href='#/new/quick/1']").click()
    page.locator("#q-district-prov").select_option("180100")
    page.locator("#q-district").select_option("180101")
    page.locator("#q-family").fill("Huamán")
    page.get_by_role("button", name=EXIT).click()

    second = json.loads(json.dumps(QUICK))
    second["title"]["es"] = "Visita corta (2)"
    second["pages"][0]["questions"].append(
        {"id": "water", "type": "select_one", "required": True,
         "label": {"es": "¿Tiene agua?", "qu": "¿Yakuyuqchu?"},
         "choices": [{"value": "yes", "label": {"es": "Sí", "qu": "Arí"}},
                     {"value": "no", "label": {"es": "No", "qu": "Mana"}}]})
    publish(live_server, tmp_path, "quick", second)
    page.locator("#send-now").click()  # the phone syncs: version 2 arrives
    expect(page.get_by_text("Visita corta (2)")).to_be_visible(timeout=30000)
    expect(page.locator("a[href='#/new/quick/2']")).to_be_visible()
    versions = db_call(page, "return (await db.allSurveys()).filter((s) => s.code === 'quick')"
                             ".map((s) => s.version).sort()")
    assert versions == [1, 2]  # the draft's version stays on the phone

    page.locator("section[aria-labelledby=drafts-title]").get_by_role(
        "link", name="Continuar").click()
    expect(page.locator("#q-family")).to_have_value("Huamán")
    expect(page.locator("[data-question=water]")).to_have_count(0)  # version 1's questions
    page.locator(".nav button.primary").click()
    finish(page)
    wait_until(page, "import('/app/db.js').then(async (db) => (await db.counts()).sent === 1)",
               30)

    from server.extensions import db
    from server.submissions.models import Submission
    from server.surveys.models import SurveyVersion

    with app.app_context():
        rows = db.session.execute(select(Submission.answers, SurveyVersion.number)
                                  .join(SurveyVersion, Submission.version_id == SurveyVersion.id)
                                  .where(Submission.answers["family"].as_string() == "Huamán")
                                  ).all()
        db.session.remove()
    assert [(answers["family"], number) for answers, number in rows] == [("Huamán", 1)]


# ---- 10. a survey's files are on the phone before it goes offline ----

VILLAGES = b"name,label\nyacango,Anexo Yacango\ncambrune,Cambrune\n"


def publish_with_a_list(app) -> str:
    """Publish a survey whose select reads its choices from an attached CSV; its SHA-256."""
    import io

    from server.extensions import db
    from server.survey_files.services import attach_files
    from server.surveys.models import Survey
    from server.surveys.services import publish, save_draft

    definition = {
        "languages": ["es", "qu"], "title": {"es": "Anexos", "qu": "Llaqtakuna"},
        "pages": [{"id": "one", "questions": [
            {"id": "district", "type": "place", "department": "180000", "required": True,
             "label": {"es": "Distrito", "qu": "Distritu"}},
            {"id": "village", "type": "select_one", "label": {"es": "Anexo", "qu": "Llaqta"},
             "choices_from": {"file": "villages.csv", "value": "name", "label": "label"}}]}]}
    with app.app_context():
        survey = Survey(code="villages", title=definition["title"], for_promoters=True)
        db.session.add(survey)
        attach_files(save_draft(survey, definition), [("villages.csv", io.BytesIO(VILLAGES))],
                     user=None)
        sha256 = publish(survey).definition["files"][0]["sha256"]
        db.session.remove()
    return sha256


def test_a_surveys_list_is_cached_with_the_survey_and_not_by_the_worker(
    live_server, app_factory, field_page, tmp_path
):
    page = field_page
    sha256 = publish_with_a_list(app_factory(MEDIA_DIR=str(tmp_path / "live" / "media")))
    install_promoter(page, live_server)  # pairing downloads the surveys, then their files
    wait_until(page, f"""caches.open('willay-survey-files')
        .then((cache) => cache.match('/survey-files/{sha256}'))
        .then((hit) => hit ? hit.text() : null)""", 30)
    stored = page.evaluate(f"""caches.open('willay-survey-files')
        .then((cache) => cache.match('/survey-files/{sha256}')).then((hit) => hit.text())""")
    assert stored.encode() == VILLAGES
    # the service worker leaves the files to the form's own cache (no second copy of a
    # 50,000-row list, no offline answer of the worker in its place)
    data = page.evaluate("""caches.open('willay-data').then((cache) => cache.keys())
        .then((keys) => keys.map((r) => r.url))""")
    assert not [url for url in data if "/files/" in url]
