"""Everything pyxform accepts but Willay cannot carry is refused by name, sheet and row,
never imported with another meaning; pyxform's aliases just work."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font
from xlsform_builders import ES, QU, xlsx

SETTINGS = [["form_title", "form_id"], ["Prueba", "prueba"]]
HEAD = ["type", "name", ES, QU]


def _where(problems):
    return {(p.sheet, p.row, p.column) for p in problems}


def _refused(result, sheet, row, column=None) -> str:
    found = [p for p in result.errors if (p.sheet, p.row) == (sheet, row)
             and (column is None or p.column == column)]
    assert found, (sheet, row, column, [p.as_dict() for p in result.problems])
    assert not result.readable  # nothing is kept as a draft with a meaning dropped
    return " ".join(p.message for p in found)


@pytest.mark.parametrize(("row", "needle"), [
    (["geotrace", "path", "Camino", "Ñan"], "geotrace"),
    (["geoshape", "area", "Área", "Allpa"], "geoshape"),
    (["select_one yn", "ranked", "Orden", "Ñiqi"], None),  # control: must pass
    (["rank yn", "ranked", "Orden", "Ñiqi"], "rank"),
    (["background-audio", "bg", "", ""], "background-audio"),
    (["start-geopoint", "where", "", ""], "start-geopoint"),
    (["osm", "building", "Edificio", "Wasi"], None),
    (["select_one_from_file places.xml", "place", "Lugar", "Maypi"], "XML"),
    (["email", "email", "", ""], "email"),
])
def test_types_willay_cannot_carry_are_refused_at_their_row(convert, row, needle):
    survey = [HEAD, ["text", "first", "Primero", "Ñawpaq"], row]
    choices = [["list_name", "name", ES, QU], ["yn", "yes", "Sí", "Arí"]]
    result = convert(xlsx(survey, choices, SETTINGS))
    if needle is None and row[0].startswith("select_one yn"):
        assert result.errors == []
        return
    message = _refused(result, "survey", 3)
    assert needle is None or needle in message


def test_expressions_and_appearances_without_an_equal(convert):
    survey = [HEAD + ["relevant", "calculation", "appearance"],
              ["text", "a", "A", "A"],
              ["calculate", "b", "", "", "", "pulldata('list', 'x', 'key', ${a})"],
              ["text", "c", "C", "C", "/data/a = 'x'"],
              ["text", "d", "D", "D", "${a}[. = 'x']"],
              ["select_one yn", "e", "E", "E", "", "", "search('villages')"],
              ["text", "f", "F", "F", "${a} = ‘yes’"],
              ["text", "g", "G", "G", "${a} = yes"]]
    choices = [["list_name", "name", ES, QU], ["yn", "yes", "Sí", "Arí"]]
    result = convert(xlsx(survey, choices, SETTINGS))
    assert "pulldata()" in _refused(result, "survey", 3, "calculation")
    _refused(result, "survey", 4, "relevant")
    _refused(result, "survey", 5, "relevant")
    assert "search()" in _refused(result, "survey", 6, "appearance")
    assert "typographic" in _refused(result, "survey", 7, "relevant")
    assert "quotes" in _refused(result, "survey", 8, "relevant")


def test_columns_that_change_what_is_asked_are_refused_and_harmless_ones_noted(convert):
    survey = [HEAD + ["bind::odk:length", "body::accuracyThreshold", "guidance_hint",
                      "comments", "$kuid"],
              ["text", "a", "A", "A", "5", "", "Lee despacio", "revisar", "k1"],
              ["geopoint", "b", "B", "B", "", "3"]]
    result = convert(xlsx(survey, None, SETTINGS))
    _refused(result, "survey", 2, "bind::odk:length")
    _refused(result, "survey", 3, "body::accuracyThreshold")
    assert {("survey", 2, "guidance_hint"), ("survey", 2, "comments"),
            ("survey", 2, "$kuid")} <= _where(result.notices)


def test_sheets_willay_cannot_carry(convert):
    survey = [HEAD, ["text", "a", "A", "A"]]
    entities = [["list_name", "label"], ["trees", "${a}"]]
    result = convert(xlsx(survey, None, SETTINGS, entities=entities))
    assert "entities" in _refused(result, "entities", 2).lower()
    osm = [["list_name", "name", "label"], ["building", "roof", "Roof"]]
    result = convert(xlsx(survey, None, SETTINGS, osm=osm))
    _refused(result, "osm", 2)


def test_rows_after_a_long_run_of_empty_rows_are_not_silently_lost(convert):
    survey = [HEAD, ["text", "a", "A", "A"]] + [[""]] * 80 + [["text", "late", "B", "B"]]
    result = convert(xlsx(survey, None, SETTINGS))
    assert "empty rows" in _refused(result, "survey", 83)


def test_pyxform_aliases_just_work(convert):
    survey = [["TYPE", "name", "label::Español (es)", "label::Quechua (qu)", "relevance",
               "constraint message::Español (es)", "constraint message::Quechua (qu)",
               "constraint", "required message::Español (es)",
               "required message::Quechua (qu)", "required"],
              ["select one yn", "a", "A", "A", "", "", "", "", "Falta", "Pisi", "yes"],
              ["int", "b", "B", "B", "${a} = 'yes'", "Mal", "Mana", ". > 1"],
              ["gps", "c", "C", "C"]]
    choices = [["list name", "name", ES, QU], ["yn", "yes", "Sí", "Arí"],
               ["yn", "no", "No", "Manam"]]
    data = xlsx(None, None, None, SURVEY=survey, CHOICES=choices,
                SETTINGS=[["form_title"], ["Alias"]])
    result = convert(data, "Alias_Form.xlsx")
    assert result.errors == [], [p.as_dict() for p in result.problems]
    items = {q["id"]: q for page in result.definition["pages"] for q in page["questions"]}
    assert items["a"]["type"] == "select_one" and items["a"]["required_message"]["qu"] == "Pisi"
    assert items["b"] == {**items["b"], "type": "integer", "relevance": "${a} = 'yes'",
                          "constraint": ". > 1",
                          "constraint_message": {"es": "Mal", "qu": "Mana"}}
    assert items["c"]["type"] == "geopoint"
    assert result.code == "Alias_Form"  # pyxform's form_id fallback: the file's name
    survey = [HEAD + ["bind::relevant"], ["text", "a", "A", "A"],
              ["text", "d", "D", "D", "${a} = 'no'"]]
    result = convert(xlsx(survey, None, SETTINGS))
    items = {q["id"]: q for page in result.definition["pages"] for q in page["questions"]}
    assert items["d"]["relevance"] == "${a} = 'no'"  # a skip logic, not a dropped column
    survey[0].append("relevance")  # two names for one column: pyxform refuses, we locate
    result = convert(xlsx(survey, None, SETTINGS))
    assert _where(result.errors) == {("survey", 1, "relevance")}


def test_a_sheet_declaring_a_million_rows_imports_as_fast_as_its_content(convert):
    book = load_workbook(io.BytesIO(xlsx([HEAD, ["text", "a", "A", "A"]], None, SETTINGS)))
    for sheet in book.worksheets:
        for column in range(1, 30):
            sheet.cell(row=1_048_576, column=column).font = Font(bold=True)
        for row in range(100, 3000):  # formatted empty rows, as LibreOffice saves them
            sheet.cell(row=row, column=1).font = Font(italic=True)
    out = io.BytesIO()
    book.save(out)
    assert load_workbook(io.BytesIO(out.getvalue()), read_only=True)["survey"].max_row \
        == 1_048_576
    started = time.perf_counter()
    result = convert(out.getvalue())
    took = time.perf_counter() - started
    assert result.errors == [] and result.publishable, [p.as_dict() for p in result.problems]
    assert took < 3, took  # about 0.1 s here: only the real rows are read
