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
    warned = {(p.sheet, p.row, p.column) for p in result.problems if p.severity == "warning"}
    assert warned == {("survey", 5, QU), ("survey", 5, "constraint_message::Quechua (qu)"),
                      ("choices", 4, QU)}
    assert result.errors == [] and result.publishable  # the Spanish text is shown
    survey[4][2] = ""  # and no Spanish label either: nothing to show
    result = convert(good_form(survey=survey, choices=choices))
    assert ("survey", 5, ES) in _where(result.errors)
    assert result.readable and not result.publishable  # kept as a draft to fix


def test_references_to_unknown_questions_and_bad_syntax(convert):
    survey = [["type", "name", ES, QU, "relevant", "constraint"],
              ["integer", "a", "A", "A", "", ". == 1"],
              ["integer", "c", "C", "C", ". > 1"],
              ["integer", "d", "D", "D", "selected(${a})"]]
    result = convert(xlsx(survey, None, SETTINGS))
    assert {("survey", 2, "constraint"), ("survey", 3, "relevant"),
            ("survey", 4, "relevant")} <= _where(result.errors)
    assert "number of arguments" in _message(result, 4)
    # pyxform itself refuses a reference to a question that does not exist, at its row
    survey.append(["integer", "b", "B", "B", "${nobody} > 1"])
    result = convert(xlsx(survey, None, SETTINGS))
    assert _where(result.errors) == {("survey", 5, None)}
    assert "nobody" in result.errors[0].detail and result.definition is None


def test_structure_problems_come_from_pyxform_with_their_rows(convert):
    cases = [
        ([["type", "name", ES, QU], ["text", "a", "A", "A"], ["end group"]], 3),
        ([["type", "name", ES, QU], ["begin group", "g", "G", "G"], ["text", "a", "A", "A"]],
         2),
        ([["type", "name", ES, QU], ["text", "dup", "Uno", "Huk"],
          ["text", "dup", "Dos", "Iskay"]], 3),
        ([["type", "name", ES, QU], ["text", "meta", "M", "M"]], 2),
        ([["type", "name", ES, QU], ["", "orphan", "Sin tipo", "Mana"]], 2),
    ]
    for survey, row in cases:
        result = convert(xlsx(survey, None, SETTINGS))
        assert {p.row for p in result.errors} == {row}, (survey, result.problems)
        # pyxform's own words, for the details line
        assert any(p.detail for p in result.errors), (survey, result.problems)


def test_names_repeated_in_another_letter_case_are_refused(convert):
    survey = [["type", "name", ES, QU], ["text", "HH01", "Uno", "Huk"],
              ["text", "hh01", "Dos", "Iskay"]]
    result = convert(xlsx(survey, None, SETTINGS))
    assert _where(result.errors) == {("survey", 3, "name")}
    assert "row 2" in result.errors[0].message


def test_settings_problems(convert):
    survey = [["type", "name", ES, QU], ["text", "a", "A", "A"]]
    result = convert(xlsx(survey, None, [["form_title", "form_id", "default_language",
                                          "submission_url", "public_key"],
                                         ["Solo es", "has space", "Klingon", "http://x",
                                          "MIIB"]]))
    assert {("settings", 2, "form_id"), ("settings", 2, "default_language"),
            ("settings", 2, "public_key")} <= _where(result.errors)
    assert ("settings", 2, "submission_url") in _where(result.notices)


def test_languages_without_a_code_are_refused_by_column(convert):
    result = convert(xlsx([["type", "name", "label::Español (es)", "label::Klingon"],
                           ["text", "a", "A", "Qapla"]], None, SETTINGS))
    assert _where(result.errors) == {("survey", 1, "label::Klingon")}
    result = convert(xlsx([["type", "name", "label::Quechua (qu)", "label::Runasimi (quz)"],
                           ["text", "a", "A", "A"]], None, SETTINGS))
    assert _where(result.errors) == {("survey", 1, "label::Runasimi (quz)")}


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
        assert result.definition is None, name
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


def test_a_shared_choice_list_is_reported_once_per_row(convert):
    survey = [["type", "name", ES, QU],
              ["select_one yn", "first", "Uno", "Huk"],
              ["select_one yn", "second", "Dos", "Iskay"]]
    choices = [["list_name", "name", ES, QU], ["yn", "yes", "", "Arí"], ["yn", "no", "No", "Mana"]]
    result = convert(xlsx(survey, choices, SETTINGS))
    assert [(p.sheet, p.row, p.column) for p in result.errors] == [("choices", 2, ES)]
