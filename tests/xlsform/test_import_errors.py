"""Bad forms: everything that cannot be carried over is reported by sheet, row and column,
all at once, and nothing is imported wrongly."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy

from xlsform_builders import ES, GOOD_CHOICES, GOOD_SURVEY, QU, good_form, xlsx

SETTINGS = [["form_title", "form_title::qu", "form_id"], ["Prueba", "Pruyba", "prueba"]]


def _where(problems):
    return {(p.sheet, p.row, p.column) for p in problems}


def _message(result, row, column=None):
    found = [p.message for p in result.errors if p.row == row
             and (column is None or p.column == column)]
    assert found, (row, column, result.problems)
    return " ".join(found)


def test_missing_translations_are_found_where_they_are_missing(convert):
    survey = deepcopy(GOOD_SURVEY)
    survey[4][3] = ""  # people: no Quechua label
    survey[4][10] = ""  # people: no Quechua constraint message
    choices = deepcopy(GOOD_CHOICES)
    choices[3][3] = ""  # choice "tank" without Quechua
    result = convert(good_form(survey=survey, choices=choices))
    assert _where(result.errors) == {
        ("survey", 5, QU),
        ("survey", 5, "constraint_message::Quechua (qu)"),
        ("choices", 4, QU),
    }
    # a draft can be kept and previewed, but not published
    assert result.readable and not result.publishable


def test_every_unsupported_feature_is_reported_with_its_row(convert):
    survey = [
        ["type", "name", ES, QU, "required", "relevant", "constraint", "default",
         "choice_filter", "media::audio::Quechua (qu)"],
        ["text", "ok", "Bien", "Allin"],                                          # 2
        ["calculate", "total", "", "", "", "", "", ""],                           # 3
        ["begin repeat", "people", "Personas", "Runakuna"],                       # 4
        ["text", "person", "Nombre", "Suti"],                                     # 5
        ["end repeat"],                                                           # 6
        ["geotrace", "path", "Camino", "Ñan"],                                    # 7
        ["select_one yn or_other", "yn_q", "¿Sí?", "¿Arí?"],                      # 8
        ["text", "choice", "Elección", "Akllay", "", "jr:choice-name(${yn_q}, '${yn_q}')"],  # 9
        ["integer", "age", "Edad", "Wata", "${ok} != ''", "", "", "5"],           # 10
        ["select_one yn", "filtered", "F", "F", "", "", "", "", "${ok} = 'x'"],   # 11
        ["text", "when", "C", "C", "", "/data/ok = 'a'"],                         # 12
        ["date", "born", "Nacimiento", "Paqarisqa", "", "", "today() - . > 365"],  # 13
        ["select_one missing_list", "lost", "P", "P"],                            # 14
        ["text", "Upper", "M", "M"],                                              # 15
        ["integer", "count", "N", "N", "", "yes"],                                # 16
        ["text", "audio_prompt", "Habla", "Rimay", "", "", "", "", "", "a.mp3"],   # 17
        ["begin group", "unclosed", "G", "G"],                                    # 18
        ["text", "inside", "D", "D", "", "format-date(${born}, '%Y') = '2000'"],  # 19
    ]
    choices = [["list_name", "name", ES, QU], ["yn", "yes", "Sí", "Arí"],
               ["yn", "no", "No", "Mana"]]
    result = convert(xlsx(survey, choices, SETTINGS))
    assert not result.readable and not result.publishable
    where = _where(result.errors)
    expected = {
        ("survey", 3, "type"), ("survey", 4, "type"), ("survey", 7, "type"),
        ("survey", 8, "type"), ("survey", 9, "relevant"), ("survey", 10, "required"),
        ("survey", 10, "default"), ("survey", 11, "choice_filter"), ("survey", 12, "relevant"),
        ("survey", 13, "constraint"), ("survey", 14, "type"), ("survey", 15, "name"),
        ("survey", 16, "relevant"), ("survey", 18, "type"), ("survey", 19, "relevant"),
    }
    assert expected <= where, expected - where
    assert "jr:choice-name()" in _message(result, 9)
    assert "format-date()" in _message(result, 19)
    assert "missing_list" in _message(result, 14)
    assert "“yes”" in _message(result, 16)  # a bare word that needed quotes
    assert "Repeats" in _message(result, 4)
    # the audio prompt cannot be carried: reported, not silently dropped
    assert ("survey", 17, "media::audio::Quechua (qu)") in _where(result.notices)
    # errors come first, sorted by sheet and row
    rows = [p.row for p in result.problems if p.is_error and p.sheet == "survey"]
    assert rows == sorted(rows)


def test_references_to_unknown_questions_and_bad_syntax(convert):
    survey = [["type", "name", ES, QU, "relevant", "constraint",
               "constraint_message::es", "constraint_message::qu"],
              ["integer", "a", "A", "A", "", ". == 1", "m", "m"],
              ["integer", "b", "B", "B", "${nobody} > 1"],
              ["integer", "c", "C", "C", ". > 1"],
              ["integer", "d", "D", "D", "selected(${a})"]]
    result = convert(xlsx(survey, None, SETTINGS))
    assert _where(result.errors) == {("survey", 2, "constraint"), ("survey", 3, "relevant"),
                                     ("survey", 4, "relevant"), ("survey", 5, "relevant")}
    assert "nobody" in _message(result, 3)
    assert "number of arguments" in _message(result, 5)


def test_structure_problems(convert):
    survey = [["type", "name", ES, QU],
              ["end group"],
              ["", "orphan", "Sin tipo", "Mana"],
              ["begin group", "empty", "Vacío", "Ch'usaq"],
              ["end group"],
              ["text", "dup", "Uno", "Huk"],
              ["text", "dup", "Dos", "Iskay"]]
    result = convert(xlsx(survey, None, SETTINGS))
    assert {("survey", 2, "type"), ("survey", 3, "type"), ("survey", 4, None),
            ("survey", 7, "name")} <= _where(result.errors)


def test_settings_problems(convert):
    survey = [["type", "name", ES, QU], ["text", "a", "A", "A"]]
    result = convert(xlsx(survey, None, [["form_title", "form_id", "default_language",
                                          "instance_name"],
                                         ["Solo es", "has space", "English (en)", "x"]]))
    assert _where(result.errors) == {("settings", 2, "form_id"),
                                     ("settings", 2, "default_language"),
                                     ("settings", 2, "form_title::Quechua (qu)")}
    assert ("settings", 2, "instance_name") in _where(result.notices)


def test_no_spanish_or_quechua_labels(convert):
    result = convert(xlsx([["type", "name", "label::English (en)"], ["text", "a", "A"]],
                          None, SETTINGS))
    assert ("survey", 1, None) in _where(result.errors)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_files_that_are_not_xlsforms_get_one_clear_message(convert):
    cases = {
        "not a zip": b"name,label\nq1,Hello\n",
        "truncated": good_form()[:900],
        "another zip": _zip({"hello.txt": b"hi"}),
        "broken workbook": _zip({"xl/workbook.xml": b"<not xml", "[Content_Types].xml": b""}),
        "no survey sheet": xlsx(None, None, None, Hoja1=[["a", "b"], ["1", "2"]]),
        "empty": b"",
    }
    for name, data in cases.items():
        result = convert(data)
        assert result.definition is None or name == "no survey sheet", name
        assert len(result.errors) == 1, (name, result.problems)
        assert not result.readable, name


def test_huge_unpacked_files_are_refused_before_reading(convert):
    bomb = _zip({"xl/workbook.xml": b"0" * (41 * 1024 * 1024)})
    result = convert(bomb)
    assert result.definition is None and "too large" in result.errors[0].message


def test_bad_json_uploads(convert):
    assert convert(b"{not json", "s.json").errors[0].message.startswith("This is not a JSON")
    assert convert(b"[1, 2]", "s.json").errors[0].message == (
        "The definition must be a JSON object.")
    assert convert("{\"title\": 1}".encode("utf-16"), "s.json").errors


def test_a_refused_question_is_reported_once_not_again_where_it_is_used(convert):
    survey = [["type", "name", ES, QU, "relevant"],
              ["calculate", "total", "", ""],
              ["text", "why", "¿Por qué?", "¿Imarayku?", "${total} > 1"],
              ["text", "other", "Otro", "Huk", "${nowhere} > 1"]]
    result = convert(xlsx(survey, None, SETTINGS))
    assert _where(result.errors) == {("survey", 2, "type"), ("survey", 4, "relevant")}


def test_a_shared_choice_list_is_reported_once_per_row(convert):
    survey = [["type", "name", ES, QU],
              ["select_one yn", "first", "Uno", "Huk"],
              ["select_one yn", "second", "Dos", "Iskay"]]
    choices = [["list_name", "name", ES, QU], ["yn", "yes", "Sí", ""], ["yn", "no", "No", "Mana"]]
    result = convert(xlsx(survey, choices, SETTINGS))
    assert [(p.sheet, p.row, p.column) for p in result.errors] == [("choices", 2, QU)]
