"""The console's happy path in a real browser against gunicorn, as issue 4 describes it:
a coordinator signs in, uploads a bilingual XLSForm, previews and publishes it and opens its
public link; a resident's phone fills and sends the form in Quechua and gets a receipt code;
the coordinator finds the submission in the list and on the dashboard, reads its answers,
replies in both languages; the resident reads the Quechua reply on the receipt page; the
coordinator exports the survey as CSV and the file parses back with the answer in it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect
from xlsform_builders import ES, QU, xlsx

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "ana.quispe@example.org", "chakra yaku 2026 willay"
CODE, TITLE = "opinion-vecinal", "Opinión vecinal"
COMMENT = "Yakuqa manam sapa p'unchaw chayamunchu."
REPLY_ES = "El agua volverá a llegar cada día desde el lunes."
REPLY_QU = "Lunes p'unchawmanta yakuqa sapa p'unchaw chayamunqa."
RECEIPT = re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$")

SURVEY = [
    ["type", "name", ES, QU, "required"],
    ["begin group", "opinion", "Tu opinión", "Yuyayniyki"],
    ["place", "district", "¿En qué distrito vives?", "¿Mayqin distritopitaq tiyanki?", "yes"],
    ["select_one service", "service", "¿Sobre qué servicio nos cuentas?",
     "¿Ima yanapakuymantataq willawanki?", "yes"],
    ["rating", "rating", "¿Cómo funciona ese servicio?", "¿Imaynataq chay yanapakuy kachkan?",
     "yes"],
    ["text", "comment", "Cuéntanos qué pasa", "Willawayku imachus kachkan"],
    ["end group"],
]
CHOICES = [
    ["list_name", "name", ES, QU],
    ["service", "water", "Agua potable", "Yaku"],
    ["service", "road", "Caminos", "Ñankuna"],
    ["service", "health", "Posta de salud", "Hampina wasi"],
]
SETTINGS = [
    ["form_title", "form_title::Quechua (qu)", "form_id", "version", "default_language"],
    [TITLE, "Llaqtap yuyaynin", CODE, "2026112301", "Español (es)"],
]


@pytest.fixture
def server(database_url, tmp_path, app):
    """gunicorn with the demo and a coordinator account; the dashboard recomputes its
    figures on every view (no per-process cache), so a new submission counts at once."""
    from live import LiveServer

    live = LiveServer(database_url, tmp_path / "live")
    live.env["WILLAY_DASHBOARD_CACHE_SECONDS"] = "0"
    live.willay("setup", "--no-samples")
    live.willay("users", "create", EMAIL, "--name", "Ana Quispe", "--role", "coordinator",
                "--password", PASSWORD)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def coordinator(browser, server):
    context = browser.new_context(locale="es-PE", accept_downloads=True)
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


@pytest.fixture
def resident(browser, server):
    """The resident's phone: a small screen, no console session."""
    context = browser.new_context(locale="es-PE", viewport={"width": 360, "height": 740})
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/console/sign-in")
    page.get_by_label("Correo").fill(EMAIL)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Panel", exact=True)).to_be_visible()


def upload_and_publish(page: Page, url: str, tmp_path) -> str:
    """Upload the XLSForm for residents only, preview, publish, open the link: its URL."""
    form = tmp_path / "opinion.xlsx"
    form.write_bytes(xlsx(SURVEY, CHOICES, SETTINGS))
    page.goto(f"{url}/console/surveys/upload")
    page.get_by_label("XLSForm (.xlsx) o definición JSON").set_input_files(str(form))
    page.get_by_label(re.compile("Para los celulares de los promotores")).uncheck()
    page.get_by_role("button", name="Subir", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"borrador, versión 1 de {CODE}")
    page.get_by_role("link", name="Vista previa").click()
    expect(page.locator(".lang-qu", has_text="¿Ima yanapakuymantataq willawanki?")).to_be_visible()
    expect(page.locator(".lang-es", has_text="Posta de salud")).to_be_visible()
    expect(page.locator(".missing")).to_have_count(0)
    page.locator("main").get_by_role("button", name="Publicar").click()
    expect(page.locator(".flash")).to_contain_text("La versión 1 está publicada.")
    expect(page.get_by_text("Solo por el enlace público")).to_be_visible()
    page.get_by_role("button", name="Abrir el enlace").click()
    expect(page.locator(".flash")).to_contain_text("El enlace público está abierto.")
    link = page.locator("code.public-url").inner_text().strip()
    assert re.fullmatch(re.escape(url) + r"/app/#/f/[\w-]+", link)
    return link


def dashboard_for_survey(page: Page, url: str) -> None:
    """The dashboard, filtered by the survey through its filter form."""
    page.goto(f"{url}/console/")
    page.locator("form.filters").get_by_label("Encuesta").select_option(label=TITLE)
    page.get_by_role("button", name="Mostrar").click()
    expect(page).to_have_url(re.compile(rf"survey={CODE}"))


def send_feedback_in_quechua(page: Page, link: str) -> str:
    """The resident opens the link, switches to Quechua, answers and sends: the receipt."""
    page.goto(link)
    page.get_by_role("button", name="Runasimi").click()
    expect(page.locator("html")).to_have_attribute("lang", "qu")
    expect(page.get_by_role("heading", name="Llaqtap yuyaynin")).to_be_visible()
    page.get_by_role("link", name="Willakuyniykita quy").click()  # "Give your feedback"
    expect(page.get_by_text("¿Mayqin distritopitaq tiyanki?")).to_be_visible()
    page.locator("#q-district-dep").select_option("180000")  # Moquegua
    page.locator("#q-district-prov").select_option("180100")  # Mariscal Nieto
    page.locator("#q-district").select_option("180102")  # Carumas
    page.get_by_label("Yaku", exact=True).check()
    page.get_by_role("radio", name=re.compile(r"^2 ·")).check()
    page.get_by_label("Willawayku imachus kachkan").fill(COMMENT)
    page.get_by_role("button", name="Qatiqman").click()  # "Next": the check-and-send step
    page.get_by_role("button", name="Kachay").click()  # "Send"
    expect(page.get_by_role("heading", name="Añaychayki willawasqaykikumanta.")).to_be_visible()
    code = page.locator(".receipt-code")
    expect(code).to_have_text(RECEIPT, timeout=30000)
    return code.inner_text()


def test_coordinator_happy_path(server, coordinator, resident, tmp_path):
    page, url = coordinator, server.url
    sign_in(page, url)
    link = upload_and_publish(page, url, tmp_path)
    dashboard_for_survey(page, url)
    expect(page.locator(".dash-total strong")).to_have_text("Envíos: 0")

    receipt = send_feedback_in_quechua(resident, link)

    # the list, filtered by the survey, shows the feedback; its detail shows labelled answers
    page.goto(f"{url}/console/submissions")
    page.locator("form.filters").get_by_label("Encuesta").select_option(label=TITLE)
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_role("status")).to_have_text("Envío encontrado: 1")
    row = page.locator("table.submissions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Carumas")
    expect(row).to_contain_text("Quechua")
    expect(row).to_contain_text(COMMENT)
    row.get_by_role("link").click()
    detail = page.url
    expect(page.get_by_text(f"Código de constancia: {receipt}")).to_be_visible()
    answers = page.locator("dl.answers")
    for question, answer in [("¿En qué distrito vives?", "Carumas (180102)"),
                             ("¿Sobre qué servicio nos cuentas?", "Agua potable"),
                             ("¿Cómo funciona ese servicio?", "2 de 5"),
                             ("Cuéntanos qué pasa", COMMENT)]:
        expect(answers.locator("dt", has_text=question).locator("+ dd")).to_have_text(answer)

    # the dashboard counts it: total, district and rating
    dashboard_for_survey(page, url)
    expect(page.locator(".dash-total strong")).to_have_text("Envío: 1")
    district = page.locator("#district table tbody tr")
    expect(district).to_have_count(1)
    expect(district.locator("th")).to_have_text("Carumas")
    expect(district.locator("td.num").first).to_have_text("1")
    ratings = page.locator("section.dash-section", has_text="¿Cómo funciona ese servicio?")
    expect(ratings.get_by_role("row", name=re.compile(r"^★★ \(2\)"))
           .locator("td.num").first).to_have_text("1")
    expect(ratings.get_by_role("row", name=re.compile(r"^★★★★ \(4\)"))
           .locator("td.num").first).to_have_text("0")

    # the coordinator replies in both languages from the detail page
    page.goto(detail)
    page.get_by_label("Respuesta en castellano").fill(REPLY_ES)
    page.get_by_label("Respuesta en quechua").fill(REPLY_QU)
    page.get_by_role("button", name="Guardar respuesta").click()
    expect(page.locator(".flash")).to_contain_text("Respuesta guardada.")
    expect(page.locator("h1 .badge")).to_have_text("Respondido")
    expect(page.get_by_label("Respuesta en quechua")).to_have_value(REPLY_QU)

    # the resident checks the receipt (still in Quechua) and reads the Quechua reply
    resident.get_by_role("link", name="Imayna kachkasqanta qhaway").click()  # "Check the status"
    result = resident.locator(".receipt-result")
    expect(result.locator(".receipt-code")).to_have_text(receipt)
    expect(result.locator(".status-label")).to_contain_text("Kutichisqañam")
    expect(result.locator(".reply-text")).to_have_text(REPLY_QU)
    expect(resident.get_by_text(REPLY_ES)).to_have_count(0)
    resident.get_by_role("button", name="Español").click()  # the same phone, now in Spanish
    resident.get_by_role("button", name="Consultar").click()
    expect(result.locator(".reply-text")).to_have_text(REPLY_ES)
    expect(result.locator(".status-label")).to_contain_text("Respondido: lee la respuesta")

    # the CSV export of the survey, with Spanish labels, holds the feedback
    page.goto(f"{url}/console/exports")
    page.get_by_label("Encuesta", exact=True).select_option(label=f"{TITLE} (1)")
    page.get_by_label("CSV (se abre en Excel)").check()
    page.get_by_label("Textos en castellano").check()
    page.locator("form.export-form button[type=submit]").click()  # prepared as a job
    with page.expect_download() as info:
        page.locator("tr.job").first.get_by_role("link", name="Descargar").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 1
    [exported] = rows
    assert exported["Código de constancia"] == receipt, exported
    assert exported["Idioma"] == "Quechua" and exported["Estado"] == "Respondido", exported
    assert exported["¿En qué distrito vives?"] == "Carumas", exported
    assert exported["¿Sobre qué servicio nos cuentas?"] == "Agua potable", exported
    assert exported["¿Cómo funciona ese servicio?"] == "2", exported
    assert exported["Cuéntanos qué pasa"] == COMMENT, exported
