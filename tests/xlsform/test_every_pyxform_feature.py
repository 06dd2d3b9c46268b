"""Every XLSForm column and question type that pyxform knows — read from pyxform's own
tables, so that a newer pyxform with new ones fails here — is either carried into the
definition or refused at its row. Columns left out with only a notice are the ones named
below as harmless (they change neither what is asked nor what is stored)."""

from __future__ import annotations

import pytest
from pyxform import aliases
from pyxform.question import MultipleChoiceQuestion
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from xlsform_builders import ES, xlsx

from server.surveys.definition import TYPES

SETTINGS = [["form_title", "form_id"], ["Prueba", "prueba"]]
CHOICES = [["list_name", "name", ES], ["yn", "yes", "Sí"], ["yn", "no", "No"]]
# display help and SMS encodings: nothing asked or stored changes without them
HARMLESS = {"guidance_hint", "autoplay", "rows", "noapperrorstring", "no_app_error_string",
            "sms_field", "sms_option", "sms_separator", "sms_allow_media", "sms_date_format",
            "sms_datetime_format", "sms_response", "compact_tag", "instance", "media::big-image",
            "big-image"}
# a value pyxform accepts for the column, when "x" would not do
VALUES = {"calculation": "1 + 1", "calculate": "1 + 1", "default": "5", "trigger": "${base}",
          "choice_filter": "name != 'no'", "parameters": "randomize=true", "disabled": "no",
          "required": "yes", "relevant": "${base} > 1", "relevance": "${base} > 1",
          "constraint": ". > 1", "read_only": "yes", "readonly": "yes",
          "count": "2", "repeat_count": "2", "jr:count": "2", "personal": "yes",
          "media::image": "a.png", "media::audio": "a.mp3", "media::video": "a.mp4",
          "image": "a.png", "audio": "a.mp3", "video": "a.mp4", "media::big-image": "b.png",
          "big-image": "b.png", "save_to": "prop"}
ON_REPEAT = {"count", "repeat_count", "jr:count"}
NAME_OR_TYPE = {"name", "type", "label", "caption", "tag", "value", "command"}


def _columns() -> list[str]:
    slots = {s for s in MultipleChoiceQuestion.get_slot_names() if not s.startswith("_")}
    return sorted((set(aliases.survey_header) | slots | {
        "media::image", "media::audio", "media::video", "media::big-image"}) - NAME_OR_TYPE)


def _form(column: str | None, value: str, image: bool = False) -> bytes:
    header = ["type", "name", ES] + ([column] if column else [])
    rows = [header, ["integer", "base", "Base"]]
    if column in ON_REPEAT:
        rows += [["begin repeat", "q", "Q", value], ["integer", "inner", "I"], ["end repeat"]]
    else:
        needs_choices = column in ("choice_filter", "parameters")
        rows.append(["select_one yn" if needs_choices else "integer", "q", "Q"] +
                    ([value] if column else []))
        if image or column in ("media::big-image", "big-image"):
            rows[0].append("image")
            rows[2].append("a.png")
    return xlsx(rows, CHOICES, SETTINGS)


def _refused_at_row_3(result) -> bool:
    """Refused (by us or by pyxform) at the row that uses the feature: nothing is kept."""
    refusals = [p for p in result.errors if p.path is None]
    if refusals:
        assert [(p.sheet, p.row) for p in refusals] == [("survey", 3)] * len(refusals), \
            [p.as_dict() for p in result.problems]
        assert not result.readable
    return bool(refusals)


def _question(result) -> dict | None:
    for page in result.definition["pages"] if result.definition else []:
        for q in page["questions"]:
            if q["id"] == "q":
                return q
    return None


@pytest.mark.parametrize("column", _columns())
def test_every_survey_column_is_carried_or_refused_at_its_row(convert, column):
    value = VALUES.get(column, "x")
    result = convert(_form(column, value))
    if _refused_at_row_3(result):
        return
    baseline = _question(convert(_form(None, value, image="big-image" in column)))
    if column in HARMLESS or column.replace("::", "") in HARMLESS:
        assert ("survey", 3, column) in {(p.sheet, p.row, p.column) for p in result.notices}
        assert _question(result) == baseline
        return
    assert result.errors == [] or all(p.path for p in result.errors), result.problems
    assert _question(result) != baseline, f"{column} was dropped"


def _types() -> list[str]:
    selects = {name for name, spec in QUESTION_TYPE_DICT.items()
               if spec.get("control", {}).get("tag") in ("select", "select1", "odk:rank")}
    names = (set(QUESTION_TYPE_DICT) - selects) | {f"{s} yn" for s in selects} | set(
        aliases.osm) | set(aliases._type_alias_map) | {
        f"{alias} yn" for alias in aliases.select} | {
        f"{alias} list.csv" for alias in aliases.select_from_file} | {
        f"{alias} yn" for alias in aliases.cascading} | {"select_one yn or_other"}
    return sorted(names)


@pytest.mark.parametrize("kind", _types())
def test_every_question_type_is_carried_or_refused_at_its_row(convert, kind):
    name = "audit" if kind == "audit" else "q"
    rows = [["type", "name", ES], ["integer", "base", "Base"], [kind, name, "Q"]]
    result = convert(xlsx(rows, CHOICES, SETTINGS))
    if _refused_at_row_3(result):
        return
    items = [q for page in result.definition["pages"] for q in page["questions"]
             if q["id"] == name]
    assert len(items) == 1, (kind, result.problems)
    assert items[0]["type"] in TYPES, kind
