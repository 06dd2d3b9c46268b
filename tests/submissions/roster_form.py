"""A household roster survey in format v2 (nested repeats, calculations, a village list
read from a CSV) and valid submissions of it, for the ingest tests."""

from __future__ import annotations

import copy
import hashlib
import io
import uuid

CODE = "roster"
VILLAGES = (b"name,label::es,label::qu,prov\n"
            b"yacango,Yacango,Yacango,mariscal\n"
            b"carumas,Carumas,Karumas,mariscal\n"
            b"ilo_pueblo,Ilo,Ilo,ilo\n")


def t(es: str, qu: str | None = None) -> dict[str, str]:
    return {"es": es, "qu": qu or f"{es} (qu)"}


YES_NO = [{"value": "yes", "label": t("Sí", "Arí")}, {"value": "no", "label": t("No", "Manam")}]


def roster_definition() -> dict:
    children = {
        "id": "children", "type": "repeat", "label": t("Hijo", "Wawa"),
        "relevance": "${m_age} >= 15",
        "questions": [
            {"id": "c_name", "type": "text", "label": t("Nombre del hijo"), "required": True},
            {"id": "c_age", "type": "integer", "label": t("Edad del hijo"),
             "constraint": ". < ${m_age}",
             "constraint_message": t("Menor que su madre o padre", "Tayta mamanmanta aslla")},
            {"id": "c_pos", "type": "calculate", "calculation": "position(..)"},
        ]}
    members = {
        "id": "members", "type": "repeat", "label": t("Persona", "Runa"),
        "repeat_count": "${size}",
        "questions": [
            {"id": "m_name", "type": "text", "label": t("Nombre ${m_pos}"), "required": True},
            {"id": "m_pos", "type": "calculate", "calculation": "position(..)"},
            {"id": "sex", "type": "select_one", "label": t("Sexo"), "required": True,
             "choices": [{"value": "f", "label": t("Mujer", "Warmi")},
                         {"value": "m", "label": t("Varón", "Qari")}]},
            {"id": "pregnant", "type": "select_one", "label": t("¿Gestante?"),
             "relevance": "${sex} = 'f' and ${consent_ok} = 'yes'", "required": True,
             "choices": YES_NO},
            {"id": "m_age", "type": "integer", "label": t("Edad"), "required": True,
             "constraint": ". <= 120"},
            {"id": "work", "type": "group", "label": t("Trabajo"),
             "relevance": "${m_age} >= 14",
             "questions": [
                 {"id": "works", "type": "select_one", "label": t("¿Trabaja?"),
                  "choices": YES_NO},
                 {"id": "income", "type": "decimal", "label": t("Ingreso"),
                  "relevance": "${works} = 'yes'", "required": "${m_age} >= 18"},
             ]},
            # sum() is NaN while any instance lacks a value (docs/expressions.md)
            {"id": "inc0", "type": "calculate",
             "calculation": "if(${income} = '', 0, ${income})"},
            children,
        ]}
    return {
        "languages": ["es", "qu"], "default_language": "es",
        "title": t("Padrón de hogares", "Wasikuna"),
        "instance_name": "concat(${hh_name}, ' — ', ${village})",
        "pages": [
            {"id": "home", "title": t("Hogar", "Wasi"), "questions": [
                {"id": "consent_ok", "type": "select_one", "label": t("¿Acepta?"),
                 "required": True, "choices": YES_NO},
                {"id": "hh_name", "type": "text", "label": t("Apellido"), "required": True},
                {"id": "province", "type": "select_one", "label": t("Provincia"),
                 "choices": [{"value": "mariscal", "label": t("Mariscal Nieto")},
                             {"value": "ilo", "label": t("Ilo")}]},
                {"id": "village", "type": "select_one", "label": t("Pueblo"),
                 "choices_from": {"file": "villages.csv", "value": "name", "label": "label"},
                 "choice_filter": "prov = ${province}"},
                {"id": "size", "type": "integer", "label": t("¿Cuántas personas?"),
                 "required": True, "constraint": ". >= 1 and . <= 30"},
                members,
                {"id": "total_income", "type": "calculate", "calculation": "sum(${inc0})"},
                {"id": "declared", "type": "decimal", "label": t("Ingreso del hogar"),
                 "constraint": ". >= sum(${inc0})"},
                {"id": "n_children", "type": "integer", "label": t("¿Cuántos hijos?"),
                 "constraint": ". = count(${c_name})"},
            ]},
            {"id": "visit", "title": t("Visita"), "questions": [
                {"id": "visit_time", "type": "time", "label": t("Hora")},
                {"id": "visit_at", "type": "datetime", "label": t("Fecha y hora")},
                {"id": "ack", "type": "acknowledge", "label": t("Confirmo")},
                {"id": "score", "type": "range", "label": t("Puntaje"),
                 "parameters": {"start": 0, "end": 10, "step": 2}},
                {"id": "code", "type": "barcode", "label": t("Código")},
                {"id": "clip", "type": "video", "label": t("Video")},
                {"id": "started", "type": "meta", "meta": "start"},
                {"id": "tag", "type": "hidden", "default": "v2"},
            ]},
        ],
    }


def answers() -> dict:
    return {
        "consent_ok": "yes", "hh_name": "Quispe", "province": "mariscal",
        "village": "carumas", "size": 2,
        "members": [
            {"m_name": "Rosa", "m_pos": "1", "sex": "f", "pregnant": "no", "m_age": 46,
             "works": "yes", "income": 800, "inc0": "800",
             "children": [{"c_name": "Juan", "c_age": 11, "c_pos": "1"},
                          {"c_name": "Ana", "c_age": 8, "c_pos": "2"}]},
            {"m_name": "Pedro", "m_pos": "2", "sex": "m", "m_age": 12, "inc0": "0"},
        ],
        "total_income": "800", "declared": 900, "n_children": 2,
        "visit_time": "10:15", "visit_at": "2026-12-02T10:15:00-05:00", "ack": "OK",
        "score": 4, "code": "7750243000116", "started": "2026-12-02T10:00:00-05:00",
        "tag": "v2",
    }


def roster_item(answers_: dict | None = None, **overrides) -> dict:
    item = {
        "uuid": str(uuid.uuid4()), "survey": CODE, "version": 1,
        "answers": copy.deepcopy(answers() if answers_ is None else answers_),
        "meta": {"language": "es", "district": "180101",
                 "completed_at": "2026-12-02T10:30:00-05:00"},
        "attachments": [],
    }
    item.update(overrides)
    return item


def publish_roster(definition: dict | None = None, files: dict[str, bytes] | None = None,
                   code: str = CODE):
    """Publish the roster (or `definition`) with its files, as the console does: a draft,
    the files in the media store and as the version's rows, then publish."""
    from server.attachments.services import media_store
    from server.extensions import db
    from server.surveys.models import Survey, SurveyFile
    from server.surveys.services import get_survey, publish, save_draft

    definition = copy.deepcopy(definition or roster_definition())
    files = {"villages.csv": VILLAGES} if files is None else files
    kinds = {"csv": "text/csv", "geojson": "application/geo+json", "mp4": "video/mp4",
             "mp3": "audio/mpeg", "png": "image/png"}
    entries = []
    for name, data in files.items():
        sha = hashlib.sha256(data).hexdigest()
        media_store().save(sha, io.BytesIO(data), len(data))
        entries.append({"name": name, "sha256": sha, "size": len(data),
                        "content_type": kinds[name.rsplit(".", 1)[-1]]})
    if entries:
        definition["files"] = entries
    survey = get_survey(code)
    if survey is None:
        survey = Survey(code=code, title=definition["title"], for_promoters=True)
        db.session.add(survey)
    version = save_draft(survey, definition)
    for entry in entries:
        if not any(f.name == entry["name"] for f in version.files):
            version.files.append(SurveyFile(**entry))
    db.session.commit()
    return publish(survey)
