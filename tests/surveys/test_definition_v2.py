"""Format v2 definitions: every field checked with its path; warnings do not block."""

from __future__ import annotations

import copy
import hashlib
import io

import pytest

from server.surveys.definition import errors, validate_definition, warnings
from server.surveys.services import DefinitionInvalid, check_version, publish, publish_definition

SHA = "ab" * 32
CSV = b"name,label::es,label::qu,prov\nyacango,Yacango,Yakanku,mn\ncarumas,Carumas,Karumas,mn\n"


def t(es: str, qu: str = "qu", en: str | None = None) -> dict:
    return {"es": es, "qu": qu, **({"en": en} if en else {})}


def base() -> dict:
    """A valid v2 definition using every kind of item."""
    return {
        "languages": ["es", "qu", "en"], "default_language": "es",
        "language_names": {"es": "Español", "qu": "Runasimi", "en": "English"},
        "title": t("Hogares", "Wasikuna", "Households"),
        "instance_name": "concat(${HH_name}, ' ', ${village})",
        "files": [
            {"name": "villages.csv", "sha256": hashlib.sha256(CSV).hexdigest(),
             "size": len(CSV), "content_type": "text/csv"},
            {"name": "ask.mp3", "sha256": SHA, "size": 10, "content_type": "audio/mpeg"},
        ],
        "pages": [{"id": "home", "title": t("Hogar", "Wasi", "Home"), "relevance": "true()",
                   "questions": [
            {"id": "HH_name", "type": "text", "label": t("Apellido", "Suti", "Name"),
             "required": True, "required_message": t("Falta", "Manam", "Missing"),
             "media": {"audio": {"es": "ask.mp3", "qu": "ask.mp3"}}},
            {"id": "size", "type": "integer", "label": t("Personas", "Runakuna", "People"),
             "constraint": ". >= 1", "default": "1"},
            {"id": "village", "type": "select_one", "label": t("Pueblo", "Llaqta", "Village"),
             "choices_from": {"file": "villages.csv", "value": "name", "label": "label"},
             "choice_filter": "prov = 'mn'"},
            {"id": "sec", "type": "group", "label": t("Sección", "Raki", "Section"),
             "appearance": "field-list", "questions": [
                {"id": "members", "type": "repeat", "label": t("Persona", "Runa", "Person"),
                 "repeat_count": "${size}", "questions": [
                    {"id": "m_pos", "type": "calculate", "calculation": "position(..)"},
                    {"id": "m.name", "type": "text", "label": t("Nombre ${m_pos}", "Suti",
                                                                 "Name")},
                    {"id": "kids", "type": "repeat", "label": t("Hijo", "Wawa", "Child"),
                     "questions": [
                        {"id": "k_age", "type": "integer", "label": t("Edad", "Wata", "Age"),
                         "required": "${m_pos} = '1'", "read_only": "false()"}]}]}]},
            {"id": "kids_total", "type": "calculate", "calculation": "count(${k_age})",
             "trigger": "size"},
            {"id": "theme", "type": "select_multiple", "label": t("Tema", "Tema", "Theme"),
             "or_other": True, "choice_filter": "group = 'a' or name = 'x'",
             "choices": [{"value": "x", "label": t("X", "X", "X"), "data": {"group": "a"}},
                         {"value": "y-1", "label": t("Y", "Y", "Y"), "data": {"group": "b"},
                          "media": {"audio": {"qu": "ask.mp3"}}}]},
            {"id": "score", "type": "range", "label": t("Nota", "Nota", "Score"),
             "parameters": {"start": 0, "end": 10, "step": 2}, "default": 4},
            {"id": "when", "type": "datetime", "label": t("Cuándo", "Hayk'aq", "When")},
            {"id": "at", "type": "time", "label": t("Hora", "Pacha", "Time")},
            {"id": "ok", "type": "acknowledge", "label": t("Acepto", "Arí", "I agree")},
            {"id": "code", "type": "barcode", "label": t("Código", "Código", "Code")},
            {"id": "clip", "type": "video", "label": t("Video", "Video", "Video")},
            {"id": "doc", "type": "file", "label": t("Archivo", "Archivo", "File")},
            {"id": "start", "type": "meta", "meta": "start"},
            {"id": "form_v", "type": "hidden", "default": "2"},
        ]}],
    }


def problems(app, definition, **kwargs):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return validate_definition(definition, **kwargs)


def error_paths(app, definition) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in errors(problems(app, definition)):
        found.setdefault(p.path, []).append(p.message)
    return found


def test_every_v2_field_validates(app):
    assert error_paths(app, base()) == {}
    assert warnings(problems(app, base())) == []


def test_missing_translations_are_warnings_and_default_texts_errors(app):
    d = base()
    del d["pages"][0]["questions"][0]["label"]["en"]
    d["pages"][0]["questions"][1]["label"]["qu"] = ""
    del d["title"]["es"]
    found = problems(app, d)
    assert {p.path: p.severity for p in found} == {
        "pages[0].questions[0].label.en": "warning",
        "pages[0].questions[1].label.qu": "warning",
        "title.es": "error",
    }


def test_warnings_do_not_block_publishing_errors_do(app):
    d = base()
    del d["files"]
    for q in d["pages"][0]["questions"]:
        q.pop("media", None)
    d["pages"][0]["questions"][2] = {"id": "village", "type": "text",
                                     "label": {"es": "Pueblo"}}  # only Spanish
    d["pages"][0]["questions"][5]["choices"][1].pop("media")
    with app.app_context():
        assert publish_definition("v2", d).number == 1
        d["title"] = {"qu": "Wasikuna"}
        with pytest.raises(DefinitionInvalid) as err:
            publish_definition("v2", d)
        assert [p.path for p in err.value.problems] == ["title.es"]


def q(d: dict, *index: int) -> dict:
    item = d["pages"][0]
    for i in index:
        item = item["questions"][i]
    return item


BAD = [
    ("languages", lambda d: d.update(languages=["es", "es"]), "languages"),
    ("language code", lambda d: d.update(languages=["es", "Quechua"]), "languages"),
    ("default language", lambda d: d.update(default_language="ay"), "default_language"),
    ("language name", lambda d: d["language_names"].update(ay="Aymar"), "language_names.ay"),
    ("id pattern", lambda d: q(d, 0).update(id="1st"), "pages[0].questions[0].id"),
    ("id case", lambda d: q(d, 1).update(id="hh_NAME"), "pages[0].questions[1].id"),
    ("other id", lambda d: q(d, 0).update(id="theme_other"), "pages[0].questions[5].or_other"),
    ("unknown type", lambda d: q(d, 0).update(type="geotrace"), "pages[0].questions[0].type"),
    ("repeat label", lambda d: q(d, 3, 0).pop("label"), "pages[0].questions[3].questions[0].label"),
    ("empty group", lambda d: q(d, 3).update(questions=[]), "pages[0].questions[3].questions"),
    ("count inside", lambda d: q(d, 3, 0).update(repeat_count="count(${m.name})"),
     "pages[0].questions[3].questions[0].repeat_count"),
    ("calculation", lambda d: q(d, 3, 0, 0).pop("calculation"),
     "pages[0].questions[3].questions[0].questions[0].calculation"),
    ("required expr", lambda d: q(d, 0).update(required="${nobody}"),
     "pages[0].questions[0].required"),
    ("required type", lambda d: q(d, 0).update(required=1), "pages[0].questions[0].required"),
    ("read only", lambda d: q(d, 0).update(read_only="${HH_name} = "),
     "pages[0].questions[0].read_only"),
    ("trigger unknown", lambda d: q(d, 4).update(trigger="ghost"), "pages[0].questions[4].trigger"),
    ("trigger alone", lambda d: q(d, 1).update(trigger="HH_name"), "pages[0].questions[1].trigger"),
    ("choice data", lambda d: q(d, 5)["choices"][0].update(data={"name": "x"}),
     "pages[0].questions[5].choices[0].data.name"),
    ("choice value", lambda d: q(d, 5)["choices"][0].update(value="a b"),
     "pages[0].questions[5].choices[0].value"),
    ("filter column", lambda d: q(d, 5).update(choice_filter="colour = 'a'"),
     "pages[0].questions[5].choice_filter"),
    ("filter syntax", lambda d: q(d, 5).update(choice_filter="group = "),
     "pages[0].questions[5].choice_filter"),
    ("or_other twice", lambda d: q(d, 5)["choices"].append(
        {"value": "other", "label": t("Otro")}), "pages[0].questions[5].or_other"),
    ("or_other type", lambda d: q(d, 0).update(or_other=True), "pages[0].questions[0].or_other"),
    ("list file", lambda d: q(d, 2)["choices_from"].update(file="towns.csv"),
     "pages[0].questions[2].choices_from.file"),
    ("list type", lambda d: q(d, 2)["choices_from"].update(file="ask.mp3"),
     "pages[0].questions[2].choices_from.file"),
    ("both lists", lambda d: q(d, 2).update(choices=[{"value": "a", "label": t("A")}]),
     "pages[0].questions[2].choices_from"),
    ("media file", lambda d: q(d, 0)["media"]["audio"].update(es="gone.mp3"),
     "pages[0].questions[0].media.audio.es"),
    ("media kind", lambda d: q(d, 0).update(media={"image": {"es": "ask.mp3"}}),
     "pages[0].questions[0].media.image.es"),
    ("media language", lambda d: q(d, 0)["media"]["audio"].update(ay="ask.mp3"),
     "pages[0].questions[0].media.audio.ay"),
    ("choice media", lambda d: q(d, 5)["choices"][1]["media"]["audio"].update(qu="x.mp3"),
     "pages[0].questions[5].choices[1].media.audio.qu"),
    ("range order", lambda d: q(d, 6).update(parameters={"start": 5, "end": 1}),
     "pages[0].questions[6].parameters.start"),
    ("range step", lambda d: q(d, 6).update(parameters={"step": 0}),
     "pages[0].questions[6].parameters.step"),
    ("range default", lambda d: q(d, 6).update(default="many"), "pages[0].questions[6].default"),
    ("select default", lambda d: q(d, 5).update(default="x z"), "pages[0].questions[5].default"),
    ("date default", lambda d: q(d, 7).update(default="2026-13-01T00:00:00Z"),
     "pages[0].questions[7].default"),
    ("instance name", lambda d: d.update(instance_name="${hh_name}"), "instance_name"),
    ("file hash", lambda d: d["files"][1].update(sha256="X"), "files[1].sha256"),
    ("file name", lambda d: d["files"][1].update(name="../ask.mp3"), "files[1].name"),
    ("file twice", lambda d: d["files"].append(dict(d["files"][1])), "files[2].name"),
    ("file size", lambda d: d["files"][1].update(size=-1), "files[1].size"),
    ("meta kind", lambda d: q(d, 13).update(meta="gps"), "pages[0].questions[13].meta"),
    ("meta required", lambda d: q(d, 13).update(required=True),
     "pages[0].questions[13].required"),
    ("label reference", lambda d: q(d, 0)["label"].update(es="Hola ${nadie}"),
     "pages[0].questions[0].label.es"),
    ("personal repeat", lambda d: q(d, 3, 0, 1).update(personal=True, relevance="true()"),
     "pages[0].questions[3].questions[0].questions[1].personal"),
    ("constraint on note", lambda d: d["pages"][0]["questions"].append(
        {"id": "n", "type": "note", "label": t("N"), "constraint": ". = 1"}),
     "pages[0].questions[15].constraint"),
    ("cycle", lambda d: (q(d, 4).update(calculation="${form_v}"),
                         q(d, 14).update(calculation="${kids_total}")),
     "pages[0].questions[4].calculation"),
]


@pytest.mark.parametrize(("change", "path"), [(c, p) for _, c, p in BAD],
                         ids=[name for name, _, _ in BAD])
def test_each_bad_field_is_an_error_at_its_path(app, change, path):
    d = base()
    change(d)
    found = error_paths(app, d)
    assert path in found, found
    assert all(message.strip() for message in found[path])


def test_a_reference_in_the_wrong_letter_case_suggests_the_right_one(app):
    d = base()
    d["instance_name"] = "${hh_name}"
    [message] = error_paths(app, d)["instance_name"]
    assert "hh_name" in message and "HH_name" in message


def test_a_constraint_without_a_message_is_fine_a_message_alone_is_a_warning(app):
    d = base()
    q(d, 1)["constraint_message"] = t("Uno o más", "Huk", "One or more")
    q(d, 0)["constraint_message"] = t("Nunca", "Manam", "Never")
    found = problems(app, d)
    assert [(p.path, p.severity) for p in found] == [
        ("pages[0].questions[0].constraint_message", "warning")]


def test_size_and_depth_limits(app):
    d = base()
    d["pages"][0]["questions"] = [{"id": f"q{i}", "type": "integer", "label": t("x", "x", "x")}
                                  for i in range(5001)]
    assert "pages" in error_paths(app, d)
    deep = base()
    inner = {"id": "g10", "type": "group", "questions": [
        {"id": "leaf", "type": "note", "label": t("x", "x", "x")}]}
    for level in range(9, -1, -1):
        inner = {"id": f"g{level}", "type": "group", "questions": [inner]}
    deep["pages"][0]["questions"].append(inner)
    # The interface is es_PE or qu (no English), so the message comes in Spanish.
    too_deep = "en demasiados niveles (máximo 10)"
    assert any(path.endswith("questions") and too_deep in " ".join(messages)
               for path, messages in error_paths(app, deep).items())
    nine = copy.deepcopy(inner["questions"][0])  # ten levels: allowed
    ok = base()
    ok["pages"][0]["questions"].append(nine)
    assert error_paths(app, ok) == {}


def _draft_with_files(files: dict[str, bytes], definition: dict):
    from server.attachments.services import media_store
    from server.extensions import db
    from server.surveys.models import Survey, SurveyFile
    from server.surveys.services import save_draft

    survey = Survey(code="files", title=definition["title"])
    db.session.add(survey)
    version = save_draft(survey, definition)
    for name, data in files.items():
        entry = next(e for e in definition["files"] if e["name"] == name)
        sha = hashlib.sha256(data).hexdigest()
        media_store().save(sha, io.BytesIO(data), len(data))
        version.files.append(SurveyFile(name=name, sha256=sha, size=len(data),
                                        content_type=entry["content_type"]))
    db.session.commit()
    return survey, version


def test_publishing_checks_the_uploaded_files_and_their_columns(app):
    d = base()
    d["files"][1]["sha256"] = hashlib.sha256(b"mp3").hexdigest()
    q(d, 2)["choices_from"]["label"] = "title"
    q(d, 2)["choice_filter"] = "district = 'x'"
    with app.test_request_context():
        survey, version = _draft_with_files({"villages.csv": CSV}, d)
        found = {p.path: p.message for p in errors(check_version(version))}
        assert "ask.mp3" in found["files[1]"] and "files[0]" not in found
        assert "title" in found["pages[0].questions[2].choices_from.label"]
        assert "district" in found["pages[0].questions[2].choice_filter"]
        with pytest.raises(DefinitionInvalid):
            publish(survey)


def test_bad_rows_of_a_list_are_reported_by_row(app):
    bad_csv = b"name,label\nok,Ok\n,No value\nhas space,Bad\nok,Again\n"
    d = base()
    d["files"][0].update(sha256=hashlib.sha256(bad_csv).hexdigest(), size=len(bad_csv))
    q(d, 2).pop("choice_filter")
    with app.test_request_context():
        _survey, version = _draft_with_files({"villages.csv": bad_csv,
                                              "ask.mp3": b"x" * 10}, d)
        found = [(p.message, p.severity) for p in check_version(version)
                 if p.path == "pages[0].questions[2].choices_from"]
    assert [(severity, [n for n in "2345" if n in message]) for message, severity in found] \
        == [("error", ["3"]), ("error", ["4"]), ("warning", ["5"])]
