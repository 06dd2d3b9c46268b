"""The interview renderer in a real Chromium: every question type of docs/survey-format.md
gets a labelled control, required/constraint/relevance rules show messages in the current
language, and the answers reach the server in the format it expects."""

from __future__ import annotations

import json
import re

import pytest
from helpers import console_sign_in
from playwright.sync_api import Page, expect
from pwa.fieldapp import (
    catalog,
    db_call,
    enrol,
    png_bytes,
    record_voice,
    wait_for_worker,
    wait_until,
)
from sqlalchemy import select

pytestmark = pytest.mark.browser


def t(es: str, qu: str | None = None) -> dict:
    return {"es": es, "qu": qu or f"{es} (qu)"}


def choice(value: str, es: str, qu: str | None = None) -> dict:
    return {"value": value, "label": t(es, qu)}


ALL_TYPES = {
    "languages": ["es", "qu"],
    "default_language": "es",
    "title": t("Todas las preguntas", "Llapan tapuykuna"),
    "pages": [
        {
            "id": "basics",
            "title": t("Datos", "Willaykuna"),
            "questions": [
                {
                    "id": "name",
                    "type": "text",
                    "label": t("Nombre del anexo"),
                    "required": True,
                    "max_length": 20,
                },
                {
                    "id": "age",
                    "type": "integer",
                    "label": t("Edad"),
                    "required": True,
                    "min": 0,
                    "max": 120,
                    "constraint": ". >= 18",
                    "constraint_message": t("Solo personas adultas", "Kuraq runakunallapaq"),
                },
                {
                    "id": "weight",
                    "type": "decimal",
                    "label": t("Peso en kilos"),
                    "min": 0.5,
                    "max": 300,
                },
                {"id": "visit", "type": "date", "label": t("Fecha de la visita")},
                {
                    "id": "water",
                    "type": "select_one",
                    "label": t("¿Tiene agua?"),
                    "required": True,
                    "choices": [
                        choice("yes", "Sí tiene", "Arí"),
                        choice("no", "No tiene", "Manam"),
                    ],
                },
                {
                    "id": "hours",
                    "type": "integer",
                    "label": t("¿Cuántas horas sin agua?"),
                    "required": True,
                    "relevance": "${water} = 'no'",
                },
                {
                    "id": "tool",
                    "type": "select_one",
                    "appearance": "minimal",
                    "label": t("Herramienta"),
                    "choices": [choice("pick", "Pico"), choice("shovel", "Lampa")],
                },
                {
                    "id": "problems",
                    "type": "select_multiple",
                    "label": t("Problemas"),
                    "choices": [
                        choice("leak", "Fuga"),
                        choice("dirty", "Agua turbia"),
                        choice("none", "Ninguno", "Mana imapas"),
                    ],
                    "constraint": "not(selected(., 'none') and count-selected(.) >= 2)",
                    "constraint_message": t("Ninguno va solo", "Mana imapas sapallan"),
                },
                {"id": "stars", "type": "rating", "label": t("¿Cómo lo ve?")},
                {"id": "info", "type": "note", "label": t("Gracias por responder")},
            ],
        },
        {
            "id": "media",
            "title": t("Lugar y archivos", "Llaqta, futu"),
            "questions": [
                {"id": "where", "type": "geopoint", "label": t("Ubicación del tanque")},
                {
                    "id": "district",
                    "type": "place",
                    "department": "180000",
                    "required": True,
                    "label": t("Distrito"),
                },
                {"id": "photo", "type": "photo", "label": t("Foto del tanque")},
                {"id": "voice", "type": "audio", "label": t("Mensaje de voz")},
                {
                    "id": "consent",
                    "type": "select_one",
                    "label": t("¿Acepta que le llamemos?"),
                    "required": True,
                    "choices": [choice("yes", "Acepto", "Arí"), choice("no", "No acepto", "Manam")],
                },
                {
                    "id": "phone",
                    "type": "text",
                    "personal": True,
                    "label": t("Celular"),
                    "relevance": "${consent} = 'yes'",
                    "max_length": 9,
                },
            ],
        },
    ],
}


@pytest.fixture
def all_types(live_server, field_page, tmp_path) -> Page:
    """A paired phone on the first page of the all-types survey (published on the server)."""
    path = tmp_path / "all-types.json"
    path.write_text(json.dumps(ALL_TYPES), encoding="utf-8")
    live_server.willay("surveys", "publish", "all-types", str(path))
    page = field_page
    page.goto(f"{live_server.url}/app/#pair={enrol(live_server)}")
    page.get_by_role("button", name="Español").click()
    page.locator("a[href='#/new/all-types/1']").click()
    expect(page.get_by_role("heading", name="Datos")).to_be_visible()
    return page


def error_of(page: Page, question: str):
    return page.locator(f"[data-question={question}] .error")


def test_every_question_type_has_a_labelled_control(all_types):
    page = all_types
    expect(page.get_by_role("textbox", name="Nombre del anexo (obligatorio)")).to_have_attribute(
        "maxlength", "20"
    )
    expect(page.get_by_role("textbox", name="Edad (obligatorio)")).to_have_attribute(
        "inputmode", "numeric"
    )
    expect(page.get_by_role("textbox", name="Peso en kilos")).to_have_attribute(
        "inputmode", "decimal"
    )
    expect(page.get_by_label("Fecha de la visita")).to_have_attribute("type", "date")
    water = page.get_by_role("group", name="¿Tiene agua? (obligatorio)")
    expect(water.get_by_role("radio")).to_have_count(2)
    expect(page.get_by_role("combobox", name="Herramienta")).to_be_visible()
    expect(page.get_by_role("group", name="Problemas").get_by_role("checkbox")).to_have_count(3)
    expect(page.get_by_role("group", name="¿Cómo lo ve?").get_by_role("radio")).to_have_count(5)
    expect(page.get_by_text("Gracias por responder")).to_be_visible()
    expect(
        page.get_by_label("¿Cuántas horas sin agua?", exact=False)
    ).to_be_hidden()  # not relevant yet
    # every visible control has an accessible name, and touch targets are large
    unnamed = page.evaluate("""() => [...document.querySelectorAll(
          'main input, main select, main textarea, main button')]
        .filter((e) => e.offsetParent !== null && e.type !== 'file')
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
          && !e.textContent.trim())
        .map((e) => e.outerHTML)""")
    assert unnamed == []
    small = page.evaluate("""() => [...document.querySelectorAll(
          'main button, main .choice, main .star, main input[type=text]')]
        .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map((e) => e.outerHTML)""")
    assert small == []
    # nothing sticks out at 320 px
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # keyboard only: type, Tab to the radios, arrow keys choose
    page.get_by_role("textbox", name="Nombre del anexo (obligatorio)").focus()
    page.keyboard.type("Yacango")
    page.get_by_role("radio", name="Sí tiene").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="No tiene")).to_be_checked()
    expect(
        page.get_by_role("textbox", name="¿Cuántas horas sin agua? (obligatorio)")
    ).to_be_visible()


def test_required_constraint_and_type_messages_follow_the_language(all_types, live_server):
    page = all_types
    es, qu = catalog(live_server, "es_PE"), catalog(live_server, "qu")
    next_button = page.get_by_role("button", name="Siguiente")
    next_button.click()
    required = es["This question is required."]
    for question in ("name", "age", "water"):
        expect(error_of(page, question)).to_have_text(required)
    expect(error_of(page, "hours")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Nombre del anexo (obligatorio)")).to_have_attribute(
        "aria-invalid", "true"
    )

    page.get_by_label("No tiene").check()
    expect(error_of(page, "water")).to_have_text("")  # fixed: the message goes at once
    page.get_by_label("Edad", exact=False).fill("12")
    page.get_by_label("Peso en kilos").fill("1000")
    page.get_by_label("Fuga").check()
    page.get_by_label("Ninguno").check()
    next_button.click()
    expect(error_of(page, "age")).to_have_text("Solo personas adultas")
    expect(error_of(page, "hours")).to_have_text(required)
    expect(error_of(page, "weight")).to_have_text(
        es["Enter a number from %(min)s to %(max)s."]
        .replace("%(min)s", "0.5")
        .replace("%(max)s", "300")
    )
    expect(error_of(page, "problems")).to_have_text("Ninguno va solo")

    page.get_by_role("button", name="Runasimi").click()
    page.get_by_label("Edad", exact=False).fill("doce")
    page.get_by_role("button", name="Qatiqman").click()
    expect(error_of(page, "age")).to_have_text(qu["Enter a whole number."])
    expect(error_of(page, "hours")).to_have_text(qu["This question is required."])
    expect(error_of(page, "problems")).to_have_text("Mana imapas sapallan")

    page.get_by_label("Edad", exact=False).fill("40")
    page.get_by_label("Peso en kilos", exact=False).fill("62,5")
    page.get_by_label("Mana imapas").uncheck()
    page.get_by_role("textbox", name=re.compile("Nombre del anexo")).fill("Yacango")
    page.get_by_label("¿Cuántas horas sin agua?", exact=False).fill("5")
    page.get_by_label("Arí").check()  # hours is skipped again: no longer required
    expect(page.get_by_label("¿Cuántas horas sin agua?", exact=False)).to_be_hidden()
    page.get_by_role("button", name="Qatiqman").click()
    expect(page.get_by_role("heading", name="Llaqta, futu")).to_be_visible()


def test_every_type_reaches_the_server_in_its_format(all_types, live_server, app, tmp_path):
    page = all_types
    page.get_by_role("textbox", name=re.compile("Nombre del anexo")).fill("Yacango")
    page.get_by_label("Edad", exact=False).fill("40")
    page.get_by_label("Peso en kilos").fill("62,5")
    page.get_by_label("Fecha de la visita").fill("2026-11-20")
    page.get_by_label("Sí tiene").check()
    page.get_by_role("combobox", name="Herramienta").select_option("shovel")
    page.get_by_label("Fuga").check()
    page.get_by_label("Agua turbia").check()
    page.get_by_role("radio", name=re.compile("^5 ·")).check()
    page.get_by_role("button", name="Siguiente").click()

    page.get_by_role("button", name="Agregar la ubicación").click()
    expect(
        page.get_by_text(re.compile(r"-17\.19340, -70\.93500 · margen de error de unos 12 m"))
    ).to_be_visible()
    page.get_by_role("button", name="Quitar la ubicación").click()
    expect(page.get_by_text("No se enviará ninguna ubicación.")).to_be_visible()
    page.get_by_role("button", name="Agregar la ubicación").click()
    page.get_by_label("Provincia").select_option(label="Ilo")
    page.get_by_label("Distrito", exact=True).select_option(label="El Algarrobal")
    page.locator("#q-photo-file").set_input_files(
        files=[{"name": "tank.png", "mimeType": "image/png", "buffer": png_bytes(1200, 2400)}]
    )
    expect(page.locator("img.preview")).to_be_visible()
    assert page.locator("[data-question=photo] .media").get_attribute("data-height") == "1600"
    record_voice(page)
    assert page.evaluate("document.querySelector('audio').src").startswith("blob:")
    # a MediaRecorder file has no duration in its header: the phone still shows how long it is
    expect(page.locator(".media-length")).to_have_text(re.compile(r"^Duración: 0:0[1-3]$"))
    assert 0.5 < page.evaluate("document.querySelector('audio').duration") < 4
    page.get_by_label("Acepto", exact=True).check()
    page.get_by_label("Celular").fill("951234567")
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_role("button", name="Terminar y guardar").click()
    expect(page.get_by_role("heading", name="Entrevista guardada")).to_be_visible()
    wait_until(page, "import('/app/db.js').then(async (db) => (await db.counts()).sent === 1)", 60)

    from server.extensions import db
    from server.submissions.models import Submission
    from server.surveys.models import Survey

    with app.app_context():
        sub = db.session.scalar(
            select(Submission)
            .join(Survey, Survey.id == Submission.survey_id)
            .where(Survey.code == "all-types")
        )
        answers, personal = dict(sub.answers), dict(sub.personal.answers)
        meta = (sub.district_ubigeo, sub.consent, sub.latitude, sub.location_accuracy)
        files = sorted(link.sha256 for link in sub.attachment_links)
        sub_id = sub.id
        db.session.remove()
    assert {
        k: answers[k]
        for k in ("name", "age", "weight", "visit", "water", "tool", "problems", "stars")
    } == {
        "name": "Yacango",
        "age": 40,
        "weight": 62.5,
        "visit": "2026-11-20",
        "water": "yes",
        "tool": "shovel",
        "problems": ["leak", "dirty"],
        "stars": 5,
    }
    assert answers["where"] == {"lat": -17.1934, "lon": -70.935, "accuracy": 12}
    assert answers["district"] == "180302"
    assert sorted([answers["photo"], answers["voice"]]) == files
    assert personal == {"phone": "951234567"}
    assert meta == ("180302", True, -17.1934, 12)
    assert db_call(page, "return (await db.listDrafts()).length") == 0

    # the coordinator hears the voice note in the console and sees how long it is
    live_server.willay("users", "create", "rosa@example.org", "--name", "Rosa Mamani",
                       "--role", "coordinator", "--password", "una clave larga 2026")
    console = page.context.new_page()
    console_sign_in(console, live_server.url, "rosa@example.org", "una clave larga 2026")
    console.goto(f"{live_server.url}/console/submissions/{sub_id}")
    expect(console.locator(".media-length")).to_have_text(re.compile(r"^Duración: 0:0[1-3]$"))
    assert 0.5 < console.evaluate("document.querySelector('audio').duration") < 4


def test_a_hundred_question_survey_renders_fast(live_server, field_page):
    page = field_page
    page.goto(f"{live_server.url}/app/")
    wait_for_worker(page)
    questions = []
    for i in range(100):
        kind = ["text", "integer", "select_one", "select_multiple", "rating"][i % 5]
        q = {"id": f"q{i}", "type": kind, "label": t(f"Pregunta {i}"), "required": i % 3 == 0}
        if kind.startswith("select"):
            q["choices"] = [choice(f"c{j}", f"Opción {j}") for j in range(6)]
        if i % 7 == 0 and i:
            q["relevance"] = f"${{q{i - 1}}} != ''"
        questions.append(q)
    big = {**ALL_TYPES, "pages": [{"id": "all", "questions": questions}]}
    db_call(
        page,
        """await db.putSurvey({code: 'big', version: 1, etag: 'x', title: arg.title,
        languages: ['es', 'qu'], definition: arg, public: false, link: null});""",
        big,
    )
    timings = []
    for language in ("Español", "Runasimi", "Español", "Runasimi", "Español"):
        page.goto(f"{live_server.url}/app/#/new/big/1")
        page.get_by_role("button", name=language).click()
        expect(page.locator("[data-question=q99]")).to_be_attached()
        timings.append(
            page.evaluate("performance.getEntriesByName('willay:render').at(-1).duration")
        )
    timings.sort()
    assert timings[len(timings) // 2] < 100, timings
