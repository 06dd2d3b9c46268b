"""Surveys of the v2 format for the phone's form tests (tests/pwa/test_forms_v2*.py):
a household roster (repeat_count, nested repeats two deep, calculations, outputs in
labels), add/remove repeats and the new types, a cascade over a CSV list with an audio
prompt; and publishing them with their files on the live server."""

from __future__ import annotations

import io
import math
import re
import struct
import wave

from playwright.sync_api import Page, expect
from pwa.fieldapp import enrol, wait_for_worker, wait_until


def t(es: str, qu: str | None = None) -> dict:
    return {"es": es, "qu": qu or f"{es} (qu)"}


def choice(value: str, es: str, **data) -> dict:
    out = {"value": value, "label": t(es)}
    if data:
        out["data"] = data
    return out


HOUSEHOLD = {
    "languages": ["es", "qu", "en"], "default_language": "es",
    "title": t("Hogares v2"),
    "instance_name": "concat(${HH_name}, ' — ', ${size}, ' personas')",
    "pages": [
        {"id": "household", "title": t("Hogar"), "questions": [
            {"id": "HH_name", "type": "text", "label": t("Apellido de la familia"),
             "required": True},
            {"id": "size", "type": "integer", "label": t("¿Cuántas personas viven aquí?"),
             "constraint": ". >= 1 and . <= 12"},
            {"id": "members", "type": "repeat", "label": t("Persona"), "repeat_count": "${size}",
             "questions": [
                 {"id": "m_pos", "type": "calculate", "calculation": "position(..)"},
                 {"id": "m_name", "type": "text", "label": t("Nombre de la persona ${m_pos}")},
                 {"id": "age", "type": "integer", "label": t("Edad de ${m_name}"),
                  "required": True},
                 {"id": "adult", "type": "calculate",
                  "calculation": "if(${age} >= 18, 'yes', 'no')"},
                 {"id": "kids", "type": "repeat", "label": t("Hijo"),
                  "relevance": "${adult} = 'yes'", "questions": [
                      {"id": "kid_name", "type": "text", "label": t("Nombre del hijo")},
                      {"id": "vaccines", "type": "repeat", "label": t("Vacuna"), "questions": [
                          {"id": "vaccine", "type": "text", "label": t("Nombre de la vacuna")},
                      ]},
                  ]},
             ]},
            {"id": "total_age", "type": "calculate", "calculation": "sum(${age})"},
            {"id": "total_note", "type": "note", "label": t("Entre todos suman ${total_age} años")},
        ]},
        {"id": "visits", "title": t("Visitas"), "questions": [
            {"id": "visit", "type": "repeat", "label": t("Visita"), "questions": [
                {"id": "visit_day", "type": "date", "label": t("Día de la visita")},
                {"id": "visit_time", "type": "time", "label": t("Hora de la visita")},
            ]},
            {"id": "water_level", "type": "range", "label": t("Nivel del agua"),
             "parameters": {"start": 0, "end": 10, "step": 2}},
            {"id": "agree", "type": "acknowledge", "label": t("Leí las reglas de la visita"),
             "required": True},
        ]},
        {"id": "end", "title": t("Cierre"), "questions": [
            {"id": "remarks", "type": "text", "label": t("Observaciones")},
        ]},
    ],
}

PROVINCES = [("1801", "Mariscal Nieto"), ("1803", "Ilo")]
DISTRICTS = [("180101", "Moquegua", "1801"), ("180102", "Carumas", "1801"),
             ("180301", "Ilo", "1803"), ("180302", "El Algarrobal", "1803")]


def villages_csv() -> bytes:
    rows = ["name,label::es,label::qu,district"]
    for district, _name, _prov in DISTRICTS:
        for i in range(40 if district == "180102" else 3):
            rows.append(f'v{district}_{i},"Anexo {i} de {district}, Ñaña",Llaqta {i},{district}')
    rows.append('cuchumbaya,"Cuchumbaya ""alta""",Kuchumbaya,180102')
    return ("\r\n".join(rows) + "\r\n").encode()


def wav_bytes(seconds: float = 0.6, rate: int = 8000) -> bytes:
    """A real, playable WAV (a 440 Hz tone), made with the standard library."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                          for i in range(int(seconds * rate)))
        w.writeframes(frames)
    return out.getvalue()


PLACES = {
    "languages": ["es", "qu"], "default_language": "es",
    "title": t("Lugares v2"),
    "pages": [{"id": "where", "title": t("Dónde vives"), "questions": [
        {"id": "prov", "type": "select_one", "label": t("Provincia donde vives"),
         "media": {"audio": {"es": "prov_es.wav", "qu": "prov_qu.wav"}},
         "choices": [{"value": code, "label": t(name),
                      "media": {"audio": {"es": "prov_es.wav"}}} for code, name in PROVINCES]},
        {"id": "dist", "type": "select_one", "label": t("Distrito donde vives"),
         "choice_filter": "prov = ${prov}",
         "choices": [choice(code, name, prov=prov) for code, name, prov in DISTRICTS]},
        {"id": "village", "type": "select_one", "label": t("Anexo donde vives"),
         "choices_from": {"file": "villages.csv", "value": "name", "label": "label"},
         "choice_filter": "district = ${dist}"},
        {"id": "crops", "type": "select_multiple", "label": t("¿Qué siembras?"), "or_other": True,
         "appearance": "columns-2",
         "choices": [choice("papa", "Papa"), choice("maiz", "Maíz")]},
        {"id": "greeting", "type": "note", "label": t("Vives en ${village}, ${dist}")},
        {"id": "district", "type": "place", "department": "180000", "required": True,
         "label": t("Distrito de la entrevista")},
    ]}],
}


def publish(app_factory, tmp_path, code: str, definition: dict,
            files: list[tuple[str, bytes]] = ()) -> None:
    """Put `definition` in a draft, attach its files and publish it, on the live server's
    database and media directory (tmp_path / "live" is the live server's instance)."""
    import json

    from server.extensions import db
    from server.survey_files.services import attach_files
    from server.surveys.services import get_survey, publish_with_audit, save_uploaded_draft

    app = app_factory(MEDIA_DIR=str(tmp_path / "live" / "media"))
    with app.app_context():
        version = save_uploaded_draft(code, json.loads(json.dumps(definition)),
                                      for_promoters=True, user=None)
        if files:
            kept, refused = attach_files(version, [(n, io.BytesIO(b)) for n, b in files], None)
            assert not refused, refused
        publish_with_audit(get_survey(code), None)
        db.session.remove()


def start(page: Page, server, code: str) -> None:
    """A paired phone (Spanish) that opens a new interview of `code`."""
    page.goto(f"{server.url}/app/#pair={enrol(server)}")
    page.get_by_role("button", name="Español").click()
    link = page.locator(f"a[href='#/new/{code}/1']")
    expect(link).to_be_visible(timeout=20000)
    wait_for_worker(page)
    link.click()


NEXT = re.compile(r"^(Siguiente|Qatiqman)$")
SAVE_EXIT = re.compile(r"^(Guardar y salir|Save and exit)$")
FINISH = re.compile(r"^(Terminar y guardar)$")


def sent_answers(page: Page, app, code: str) -> dict:
    """Wait until the phone sent its interview, then the answers the server stored."""
    from sqlalchemy import select

    from server.extensions import db
    from server.submissions.models import Submission
    from server.surveys.models import Survey

    try:
        wait_until(page, "import('/app/db.js').then(async (db) => (await db.counts()).sent === 1)",
                   60)
    except AssertionError:
        outbox = page.evaluate("import('/app/db.js').then((db) => db.listOutbox())")
        raise AssertionError(f"not sent: {outbox}") from None
    with app.app_context():
        sub = db.session.scalar(select(Submission).join(Survey, Survey.id == Submission.survey_id)
                                .where(Survey.code == code))
        answers = dict(sub.answers)
        db.session.remove()
    return answers
