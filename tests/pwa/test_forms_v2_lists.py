"""Choice lists on the phone, offline: a cascade narrowed by choice_filter, a village list
read from the version's CSV file (downloaded at sync, searched without accents, at most 50
rows on screen), or_other, an audio prompt that plays with no signal, and an output in a
note that shows the chosen labels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pwa.forms_v2 import FINISH, PLACES, publish, sent_answers, start, villages_csv, wav_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def places(live_server, field_context, field_page, app_factory, tmp_path):
    publish(app_factory, tmp_path, "v2-places", PLACES,
            [("villages.csv", villages_csv()), ("prov_es.wav", wav_bytes()),
             ("prov_qu.wav", wav_bytes(0.4))])
    start(field_page, live_server, "v2-places")
    expect(field_page.get_by_role("heading", name="Dónde vives")).to_be_visible()
    # the sync downloaded the survey's files: from now on there is no signal at all
    field_page.evaluate("import('/app/sync.js').then((s) => s.filesPrefetched())")
    field_context.set_offline(True)
    field_page.reload()
    expect(field_page.get_by_role("heading", name="Dónde vives")).to_be_visible()
    return field_page


def test_cascade_and_csv_list_work_offline_with_an_audio_prompt(places, field_context, app,
                                                               tmp_path):
    page = places
    # the audio prompt beside the question plays from the phone's cache
    question = page.locator("[data-question=prov]")
    question.locator("> .listen-box button.listen").click()
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-question=prov] > .listen-box audio');"
        " return a && (a.currentTime > 0 || a.ended); }", timeout=10000)
    expect(question.locator(".choice-row button.listen")).to_have_count(2)  # one per choice

    district = page.locator("[data-question=dist]")
    expect(district.get_by_role("radio")).to_have_count(0)  # nothing before the province
    question.get_by_role("radio", name="Mariscal Nieto").check()
    expect(district.get_by_role("radio")).to_have_count(2)
    question.get_by_role("radio", name="Ilo").check()
    expect(district.locator(".choice span")).to_have_text(["Ilo", "El Algarrobal"])  # at once
    question.get_by_role("radio", name="Mariscal Nieto").check()
    district.get_by_role("radio", name="Carumas").check()

    # 41 villages in Carumas: a search box, at most 50 rows, accents ignored
    village = page.locator("[data-question=village]")
    search = village.get_by_role("searchbox")
    expect(village.get_by_role("radio")).to_have_count(41)
    search.fill("ANEXO 39 ÑANA")
    expect(village.get_by_role("radio")).to_have_count(1)
    search.fill("cuchumbaya")
    village.get_by_role("radio", name='Cuchumbaya "alta"').check()
    expect(page.get_by_text('Vives en Cuchumbaya "alta", Carumas')).to_be_visible()
    search.fill("")
    expect(village.get_by_role("radio", name='Cuchumbaya "alta"')).to_be_checked()

    page.get_by_label("Papa").check()
    page.get_by_label(re.compile("^(Otro|Other)$")).check()
    page.get_by_label(re.compile("Which other|Cuál otro")).fill("quinua")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(tmp_path / "lists-320.png"), full_page=True)
    page.locator("#q-district-prov").select_option(label="Mariscal Nieto")
    page.locator("#q-district").select_option(label="Carumas")
    page.get_by_role("button", name=re.compile("^Siguiente$")).click()
    page.get_by_role("button", name=FINISH).click()
    expect(page.get_by_role("heading", name="Entrevista guardada")).to_be_visible()
    field_context.set_offline(False)
    answers = sent_answers(page, app, "v2-places")
    assert answers == {"prov": "1801", "dist": "180102", "village": "cuchumbaya",
                       "crops": ["papa", "other"], "crops_other": "quinua",
                       "district": "180102"}
