"""A household roster survey with repeats two deep (household → members → vaccinations),
calculations, a village list read from an attached CSV, three content languages and the
newer question types; and submissions of it stored straight in the database (the answer
tree exactly as docs/survey-format.md defines it), for the export and console tests.

`roster_ingested` (in the tests) sends the same kind of answers through the real API."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime, timedelta

from server.attachments.models import Attachment
from server.attachments.services import media_store
from server.extensions import db
from server.jsonutil import digest
from server.submissions.models import Submission, SubmissionAttachment, SubmissionPersonal
from server.surveys.models import Survey, SurveyFile, SurveyVersion

CODE = "roster"
VILLAGES = (b"name,label::es,label::qu,label::en,province\r\n"
            b"carumas,Carumas,Karumas,Carumas village,180200\r\n"
            b"cuchumbaya,Cuchumbaya,Kuchumpaya,,180200\r\n"
            b"yacango,Yacango,Yakanku,Yacango village,180100\r\n")
VILLAGES_SHA = hashlib.sha256(VILLAGES).hexdigest()
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"a member waves" * 40
VIDEO_SHA = hashlib.sha256(VIDEO).hexdigest()
PDF = b"%PDF-1.4 water bill" * 20
PDF_SHA = hashlib.sha256(PDF).hexdigest()
FORMULA = "=1+2"


def t(es: str, qu: str | None = None, en: str | None = None) -> dict[str, str]:
    texts = {"es": es}
    if qu:
        texts["qu"] = qu
    if en:
        texts["en"] = en
    return texts


DEFINITION = {
    "languages": ["es", "qu", "en"], "default_language": "es",
    "title": t("Padrón de hogares", "Wasi runakuna", "Household roster"),
    "instance_name": "concat(${HH_name}, ' — ', jr:choice-name(${village}, '${village}'))",
    "files": [{"name": "villages.csv", "sha256": VILLAGES_SHA, "size": len(VILLAGES),
               "content_type": "text/csv"}],
    "pages": [
        {"id": "household", "title": t("Hogar", "Wasi", "Household"), "questions": [
            {"id": "district", "type": "place", "label": t("Distrito", "Distritu")},
            {"id": "hh_group", "type": "group", "label": t("Jefe de hogar", "Wasi umalliq"),
             "questions": [
                 {"id": "HH_name", "type": "text", "label": t("Apellido", "Ayllu suti",
                                                              "Surname")},
                 {"id": "village", "type": "select_one", "label": t("Anexo", "Llaqta",
                                                                    "Village"),
                  "choices_from": {"file": "villages.csv", "value": "name",
                                   "label": "label"}},
                 {"id": "phone", "type": "text", "label": t("Celular", "Celular"),
                  "personal": True, "relevance": "${consent} = 'yes'"},
             ]},
            {"id": "consent", "type": "select_one", "label": t("¿Acepta?", "¿Munankichu?"),
             "choices": [{"value": "yes", "label": t("Sí", "Arí")},
                         {"value": "no", "label": t("No", "Manam")}]},
            {"id": "size", "type": "integer", "label": t("¿Cuántas personas?", "¿Hayk'a?")},
            {"id": "members", "type": "repeat", "label": t("Persona", "Runa", "Person"),
             "repeat_count": "${size}", "questions": [
                 {"id": "m_name", "type": "text", "label": t("Nombre", "Suti", "Name")},
                 {"id": "m_pos", "type": "calculate", "calculation": "position(..)"},
                 {"id": "m_about", "type": "group", "label": t("Datos", "Willakuy"),
                  "questions": [
                      {"id": "born", "type": "date", "label": t("Nacimiento", "Paqarisqan")},
                      {"id": "age", "type": "calculate",
                       "calculation": "int((today() - ${born}) div 365.25)"},
                      {"id": "sex", "type": "select_one", "label": t("Sexo", "Qari warmi"),
                       "choices": [{"value": "f", "label": t("Mujer", "Warmi", "Woman")},
                                   {"value": "m", "label": t("Hombre", "Qari", "Man")}]},
                  ]},
                 {"id": "m_where", "type": "geopoint", "label": t("Dónde trabaja",
                                                                  "Maypi llamk'an")},
                 {"id": "m_video", "type": "video", "label": t("Video", "Video")},
                 {"id": "vaccinations", "type": "repeat", "label": t("Vacuna", "Wakuna",
                                                                     "Vaccine"),
                  "questions": [
                      {"id": "vac", "type": "select_one", "label": t("¿Cuál?", "¿Mayqin?"),
                       "choices": [{"value": "bcg", "label": t("BCG", "BCG")},
                                   {"value": "polio", "label": t("Polio", "Polio")}],
                       "or_other": True},
                      {"id": "vac_date", "type": "date", "label": t("Fecha", "P'unchaw")},
                  ]},
             ]},
            {"id": "adults", "type": "calculate", "calculation": "count(${age})"},
        ]},
        {"id": "visit", "title": t("Visita", "Watukuy"), "questions": [
            {"id": "visit_time", "type": "time", "label": t("Hora", "Hora")},
            {"id": "visited_at", "type": "datetime", "label": t("Fecha y hora", "P'unchaw")},
            {"id": "ack", "type": "acknowledge", "label": t("Confirmo", "Arí nini")},
            {"id": "meter", "type": "barcode", "label": t("Código del medidor", "Kudigu")},
            {"id": "score", "type": "range", "label": t("Puntaje", "Puntaje"),
             "parameters": {"start": 0, "end": 10, "step": 1}},
            {"id": "bill", "type": "file", "label": t("Recibo", "Recibo")},
            {"id": "note1", "type": "note", "label": t("Gracias", "Sulpayki")},
        ]},
    ],
}

# the first household: two members, three vaccinations, a personal answer, a location and
# a video in a member, a document, and a formula typed in a repeat
QUISPE = {
    "district": "180101", "HH_name": "Quispe", "village": "carumas", "consent": "yes",
    "size": 2, "members": [
        {"m_name": "Rosa", "m_pos": "1", "born": "1980-04-02", "age": "46", "sex": "f",
         "m_where": {"lat": -17.1, "lon": -70.9, "accuracy": 5.0}, "m_video": VIDEO_SHA,
         "vaccinations": [{"vac": "bcg", "vac_date": "1980-05-01"},
                          {"vac": "other", "vac_other": FORMULA}]},
        {"m_name": "Juan", "m_pos": "2", "born": "2015-09-30", "age": "11", "sex": "m",
         "vaccinations": [{"vac": "polio"}]},
    ],
    "adults": "1", "visit_time": "10:15", "visited_at": "2026-12-02T10:15:00-05:00",
    "ack": "OK", "meter": "7750001", "score": 7, "bill": PDF_SHA,
}
QUISPE_PERSONAL = {"phone": "987654321"}
# the second: no members at all (the repeat is absent)
MAMANI = {"district": "180101", "HH_name": "Mamani", "village": "cuchumbaya",
          "consent": "no", "size": 0, "adults": "0"}
# the third: an empty member (kept as {}) and one with three vaccinations
CONDORI = {
    "district": "180101", "HH_name": "Condori", "village": "yacango", "consent": "no",
    "size": 2, "members": [
        {},
        {"m_name": "Luz", "m_pos": "2", "vaccinations": [
            {"vac": "bcg"}, {"vac": "polio"}, {"vac": "polio", "vac_date": "2020-01-01"}]},
    ],
    "adults": "0",
}
MEMBERS, VACCINATIONS = 4, 6  # rows of the repeat tables over the three households


def publish_roster(definition: dict | None = None, code: str = CODE) -> int:
    """Publish a new version straight into the database (as a survey whose definition has
    already been validated); returns its id. Needs an app context."""
    definition = definition or DEFINITION
    survey = db.session.scalar(db.select(Survey).where(Survey.code == code))
    if survey is None:
        survey = Survey(code=code, title=definition["title"], for_promoters=True)
        db.session.add(survey)
        db.session.flush()
    number = len(survey.versions) + 1
    version = SurveyVersion(survey_id=survey.id, number=number, status="published",
                            definition=definition, digest=digest(definition),
                            published_at=datetime.now(UTC))
    db.session.add(version)
    db.session.flush()
    store = media_store()
    for name, data, content_type in (("villages.csv", VILLAGES, "text/csv"),):
        sha = hashlib.sha256(data).hexdigest()
        store.save(sha, io.BytesIO(data), len(data))
        db.session.add(SurveyFile(version_id=version.id, name=name, sha256=sha,
                                  size=len(data), content_type=content_type))
    for data, content_type in ((VIDEO, "video/mp4"), (PDF, "application/pdf")):
        sha = hashlib.sha256(data).hexdigest()
        store.save(sha, io.BytesIO(data), len(data))
        if db.session.get(Attachment, sha) is None:
            db.session.add(Attachment(sha256=sha, size=len(data), content_type=content_type))
    db.session.commit()
    return version.id


def store_submission(version_id: int, answers: dict, personal: dict | None = None,
                     instance_name: str | None = None, minutes: int = 0,
                     attachments: tuple[str, ...] = ()) -> Submission:
    """A submission row as ingest stores it, received `minutes` after a fixed instant."""
    version = db.session.get(SurveyVersion, version_id)
    received = datetime(2026, 12, 2, 15, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    sub = Submission(uuid=uuid.uuid4(), survey_id=version.survey_id, version_id=version_id,
                     channel="device", answers=answers, content_hash=uuid.uuid4().hex * 2,
                     language="es", district_ubigeo=answers.get("district", "180101"),
                     received_at=received, consent=answers.get("consent") == "yes",
                     instance_name=instance_name, status="new",
                     receipt_code=uuid.uuid4().hex[:10].upper())
    db.session.add(sub)
    db.session.flush()
    if personal:
        db.session.add(SubmissionPersonal(submission_id=sub.id, answers=personal))
    for sha in attachments:
        db.session.add(SubmissionAttachment(submission_id=sub.id, sha256=sha))
    db.session.commit()
    return sub


def store_households(version_id: int) -> dict[str, str]:
    """The three households; returns {surname: submission uuid}."""
    found = {}
    for minutes, (answers, personal, name) in enumerate((
            (QUISPE, QUISPE_PERSONAL, "Quispe — Carumas"), (MAMANI, None, "Mamani — Cuchumbaya"),
            (CONDORI, None, None))):
        files = (VIDEO_SHA, PDF_SHA) if answers is QUISPE else ()
        sub = store_submission(version_id, answers, personal, name, minutes, files)
        found[answers["HH_name"]] = str(sub.uuid)
    return found
