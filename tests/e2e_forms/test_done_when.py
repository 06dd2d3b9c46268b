"""Issue 12's "done when", as one journey in Chromium: a coordinator uploads the corpus
household survey unchanged (roster, calculations, cascade, an external village list, three
languages) and its villages.csv in the console, tries it in the live preview, publishes it;
a promoter's phone pairs, loses signal, fills a household of three, saves it, gets signal
back and it is sent; the coordinator reads it in the console (the roster as a table with
labels and calculated values), marks it verified and exports it, and the export holds the
roster linked to its household. Screens are photographed at 360 px and 1280 px."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from helpers import console_sign_in
from playwright.sync_api import expect
from pwa.fieldapp import enrol, wait_for_worker, wait_until
from xlsform import corpus

from e2e_forms.flow import FINISH, Phone, csv_tables
from e2e_forms.scripts import _age, _today_minus, fill_household

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "sonia.ccama@example.org", "qhawariy hogares 2026"
CODE = "hogares-consola"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"the page is wider than {width} px")


@pytest.fixture
def coordinator(e2e_server, media_browser):
    from server.extensions import db
    from server.users.services import create_user

    with e2e_server.app.app_context():
        create_user(EMAIL, "Sonia Ccama", "coordinator", PASSWORD)
        db.session.remove()
    context = media_browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    console_sign_in(page, e2e_server.url, EMAIL, PASSWORD)
    yield page
    context.close()


def test_a_household_survey_from_upload_to_export(coordinator, e2e_server, media_browser,
                                                  tmp_path):
    page, url = coordinator, e2e_server.url
    form = tmp_path / "hogares.xlsx"
    form.write_bytes(corpus.build("household"))
    villages = tmp_path / "villages.csv"
    villages.write_bytes(corpus.files("household")["villages.csv"])

    # upload the spreadsheet as it is: a draft that asks for its village list
    page.goto(f"{url}/console/surveys/upload")
    page.set_input_files("input[name=file]", str(form))
    page.get_by_label("Código de la encuesta").fill(CODE)
    page.get_by_role("button", name="Subir").click()
    expect(page.get_by_text(re.compile("Se guardó como borrador, versión 1"))).to_be_visible()
    expect(page.get_by_text(re.compile("villages.csv"))).to_be_visible()
    page.get_by_role("link", name="Subir los archivos").click()
    page.set_input_files("input[name=files]", str(villages))
    page.locator("#files").get_by_role("button", name="Subir", exact=True).click()
    expect(page.locator("table.survey-files")).to_contain_text("villages.csv")

    # the live preview: the real form, answered, nothing kept
    page.goto(f"{url}/console/surveys/{CODE}/versions/1")
    preview = page.frame_locator("iframe.live-preview")
    preview.get_by_label("Sí").check()
    preview.get_by_role("button", name="Siguiente").click()
    preview.get_by_label("Mariscal Nieto").check()
    expect(preview.locator("[data-question=district]").get_by_role("radio")).to_have_count(6)
    page.screenshot(path=str(tmp_path / "console-preview-1280.png"), full_page=True)
    page.get_by_role("button", name="Publicar").click()
    expect(page.locator(".flash", has_text="publicada")).to_be_visible()

    # a promoter's phone pairs, downloads the survey and its list, and loses signal
    phone_context = media_browser.new_context(viewport={"width": 360, "height": 740})
    phone_context.set_default_timeout(15000)
    mobile = phone_context.new_page()
    mobile.goto(f"{url}/app/#pair={enrol(e2e_server.live, 'celular de Rosa')}")
    start = mobile.locator(f"a[href='#/new/{CODE}/1']")
    expect(start).to_be_visible(timeout=20000)
    wait_for_worker(mobile)
    mobile.get_by_role("button", name="Español").click()
    # the first sync is over (surveys, places, then the survey's files) before the signal goes
    wait_until(mobile, "import('/app/db.js').then((db) => db.getSetting('lastSyncAt'))")
    mobile.evaluate("import('/app/sync.js').then((s) => s.filesPrefetched())")
    phone_context.set_offline(True)
    mobile.reload()
    expect(start).to_be_visible()
    start.click()
    expect(mobile.get_by_role("heading", name="Consentimiento")).to_be_visible()
    phone = Phone(mobile, phone_context, e2e_server)
    members = (("Rosa", "female", _today_minus(41), "head"),
               ("Wilber", "male", _today_minus(43, 6, 2), "spouse"),
               ("Ana", "female", _today_minus(2), "child"))
    expected = fill_household(phone, members, head="Huamán")
    phone.to_review()
    expect(mobile.locator(".review [data-key='hh_roster[2].member_name'] .review-value")
           ).to_have_text("Ana")
    mobile.screenshot(path=str(tmp_path / "phone-review-360.png"), full_page=True)
    _fits(mobile, 360)
    picker = mobile.locator("[data-key='meta.district']")
    picker.get_by_label("Departamento").select_option(label="Moquegua")
    picker.get_by_label("Provincia").select_option(label="Mariscal Nieto")
    picker.get_by_label("Distrito", exact=True).select_option(label="Carumas")
    mobile.get_by_role("button", name=FINISH).click()
    expect(mobile.get_by_role("heading", name="Entrevista guardada")).to_be_visible()
    assert mobile.evaluate("import('/app/db.js').then((db) => db.counts())")["waiting"] == 1
    phone_context.set_offline(False)  # back in signal: it goes by itself
    stored = e2e_server.submission(CODE)
    assert stored["instance_name"] == "Huamán — v00002"
    assert [m["member_age"] for m in stored["answers"]["hh_roster"]] == [
        str(_age(m[2])) for m in members]
    expect(mobile.get_by_text(re.compile("Enviad"))).to_be_visible()
    phone_context.close()

    # the coordinator reads it: the roster as a table with labels and calculated values
    page.goto(f"{url}/console/submissions")
    page.locator("tr", has_text="Huamán — v00002").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("Huamán — v00002"))).to_be_visible()
    roster = page.locator("table#repeat-hh_roster")
    expect(roster.locator("caption")).to_contain_text("Miembro del hogar")
    expect(roster.locator("tbody tr")).to_have_count(3)
    expect(roster.locator("thead")).to_contain_text("Parentesco")
    # outputs in labels: "…" in a header shared by the rows, the answer in each row's label
    expect(roster.locator("thead")).to_contain_text("Sexo de …")
    expect(roster.locator("thead")).not_to_contain_text("${")
    expect(roster.locator("tbody tr").nth(2).locator("td").nth(2)).to_have_attribute(
        "data-label", "Sexo de Ana")
    expect(roster.locator("tbody tr").nth(2)).to_contain_text("Ana")
    expect(roster.locator("tbody tr").nth(2)).to_contain_text("Hijo(a)")
    expect(roster.locator("thead .calculated").first).to_be_visible()
    assert str(_age(members[1][2])) in roster.locator("tbody tr").nth(1).inner_text()
    expect(page.locator(".review-answers")).to_contain_text("Qucha Pampa 2")  # from the list
    page.screenshot(path=str(tmp_path / "console-submission-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(tmp_path / "console-submission-360.png"), full_page=True)
    _fits(page, 360)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("select[name=status]").select_option("verified")
    page.get_by_role("button", name="Cambiar estado").click()
    expect(page.locator(".badge.status-verified").first).to_be_visible()

    # the export: a ZIP with the households and the roster, linked by KEY / PARENT_KEY
    page.goto(f"{url}/console/exports")
    page.locator("#export-survey").select_option(CODE)
    page.locator("input[name=format][value=csv]").check()
    page.locator("form.export-form button[type=submit]").click()  # prepared as a job
    with page.expect_download() as download:
        page.locator("tr.job").first.get_by_role("link", name="Descargar").click()
    data = download.value.path().read_bytes()
    assert zipfile.is_zipfile(io.BytesIO(data))
    tables = csv_tables(data)
    households = tables[f"{CODE}.csv"]
    roster_rows = tables[f"{CODE}-hh_roster.csv"]
    assert [h["_uuid"] for h in households] == [stored["uuid"]]
    assert households[0]["_status"] == "verified"
    assert [r["member_name"] for r in roster_rows] == ["Rosa", "Wilber", "Ana"]
    assert {r["PARENT_KEY"] for r in roster_rows} == {stored["uuid"]}
    assert [r["KEY"] for r in roster_rows] == [
        f"{stored['uuid']}/hh_roster[{i}]" for i in (1, 2, 3)]
    assert roster_rows[2]["is_child"] == "1"
    assert expected.answers["n_children"] == "1"
