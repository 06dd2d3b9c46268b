"""A good bilingual XLSForm becomes a valid Willay survey whose skip logic and checks behave
as they did in ODK, and which publishes."""

from __future__ import annotations

import json
from copy import deepcopy

from xlsform_builders import ES, GOOD_SURVEY, QU, good_form, xlsx

from server.surveys.expressions import parse


def _questions(definition):
    return {q["id"]: q for page in definition["pages"] for q in page["questions"]}


def _page(definition, page_id):
    return next(page for page in definition["pages"] if page["id"] == page_id)


def test_good_form_converts_with_groups_as_pages(convert):
    data = good_form()
    result = convert(data)
    assert result.errors == [], result.problems
    assert result.code == "agua-chacra" and result.version == "2026112301"
    definition = result.definition
    assert definition["languages"] == ["es", "qu"]
    assert definition["language_names"] == {"es": "Español", "qu": "Quechua"}
    assert definition["title"] == {"es": "Agua y chacra", "qu": "Yaku chakrapas"}
    # questions outside groups form their own pages; each outermost group is a page
    assert [p["id"] for p in definition["pages"]] == ["page_1", "household", "farm", "page_2"]
    assert definition["pages"][1]["title"] == {"es": "Hogar", "qu": "Wasi"}
    questions = _questions(definition)
    assert questions["start"] == {"id": "start", "type": "meta", "meta": "start"}
    assert questions["photo"]["type"] == "photo"
    assert questions["people"]["hint"] == {"es": "Cuenta a los niños",
                                           "qu": "Wawakunatapas yupay"}
    assert questions["problems"]["required"] is True  # "true()" in the required column
    assert questions["problems"]["appearance"] == "minimal"
    assert [c["value"] for c in questions["place_type"]["choices"]] == ["urban", "rural"]
    assert questions["area"]["constraint"] == ". > 0.5"  # ".5" needs a leading digit here
    assert result.notices == []
    # the source is kept for the version: the file, its name and pyxform's XForm
    assert result.source_bytes == data
    assert result.source_name == "form.xlsx"
    assert "<h:html" in result.xform and "agua-chacra" in result.xform


def test_group_relevance_is_the_page_relevance(convert):
    definition = convert(good_form()).definition
    relevance = parse(_page(definition, "farm")["relevance"])
    assert relevance.evaluate_bool({"place_type": "rural"})
    assert not relevance.evaluate_bool({"place_type": "urban"})
    assert not relevance.evaluate_bool({})
    assert "relevance" not in _questions(definition)["area"]


def test_expressions_evaluate_as_in_xlsform(convert):
    questions = _questions(convert(good_form()).definition)
    tank = parse(questions["tank_detail"]["relevance"])
    assert tank.evaluate_bool({"problems": ["tank", "pipe"], "people": 3})
    assert not tank.evaluate_bool({"problems": ["tank"], "people": 2})
    assert not tank.evaluate_bool({"problems": ["pipe"], "people": 5})
    people = parse(questions["people"]["constraint"])
    assert [people.evaluate_bool({}, current=n) for n in (0, 1, 30, 31)] == [
        False, True, True, False]
    area = parse(questions["area"]["constraint"])
    assert area.evaluate_bool({}, current=0.6) and not area.evaluate_bool({}, current=0.5)
    harvest = parse(questions["harvest"]["constraint"])
    assert harvest.evaluate_bool({}, current="2026-03-01", today="2026-11-23")
    assert not harvest.evaluate_bool({}, current="2027-01-01", today="2026-11-23")
    photo = parse(questions["photo"]["relevance"])
    assert not photo.evaluate_bool({"problems": []}) and photo.evaluate_bool(
        {"problems": ["none"]})


def _one_question_form(row_type, constraint, extra_survey=()):
    survey = [["type", "name", ES, QU, "constraint", "constraint_message::Español (es)",
               "constraint_message::Quechua (qu)"],
              *extra_survey,
              [row_type, "answer", "Respuesta", "Kutichiy", constraint, "Mal", "Mana allin"]]
    return xlsx(survey, None, [["form_title", "form_title::qu", "form_id"],
                               ["Prueba", "Pruyba", "prueba"]])


def test_regex_finds_the_pattern_anywhere_as_odk_does(convert):
    result = convert(_one_question_form("text", "regex(., '[0-9]{8}')"))
    assert result.errors == []
    constraint = parse(_questions(result.definition)["answer"]["constraint"])
    # JavaRosa and Enketo look for the pattern anywhere in the answer, as Willay does
    assert constraint.evaluate_bool({}, current="12345678")
    assert constraint.evaluate_bool({}, current="DNI 12345678")
    assert not constraint.evaluate_bool({}, current="1234567")


def test_date_literals_and_other_functions(convert):
    result = convert(_one_question_form(
        "date", ". >= date('2024-01-01') and . <= today()"))
    assert result.errors == []
    constraint = parse(_questions(result.definition)["answer"]["constraint"])
    assert constraint.evaluate_bool({}, current="2024-06-01", today="2026-11-23")
    assert not constraint.evaluate_bool({}, current="2023-12-31", today="2026-11-23")
    result = convert(_one_question_form(
        "text", "string-length(.) <= 20 and not(contains(., 'x')) or starts-with(., 'ok')"))
    constraint = parse(_questions(result.definition)["answer"]["constraint"])
    assert constraint.evaluate_bool({}, current="hola")
    assert not constraint.evaluate_bool({}, current="xx")
    assert constraint.evaluate_bool({}, current="okx")


def test_plain_label_column_is_the_default_language_and_other_languages_are_kept(convert):
    survey = [["type", "name", "label", "label::Español (es)", "label::English (en)"],
              ["text", "name_q", "Sutiyki", "Tu nombre", "Your name"]]
    settings = [["form_title", "form_id", "default_language"], ["Sutikuna", "nombres", "qu"]]
    result = convert(xlsx(survey, None, settings))
    assert result.errors == [], result.problems
    definition = result.definition
    assert definition["default_language"] == "qu"
    assert definition["languages"] == ["qu", "es", "en"]
    assert _questions(definition)["name_q"]["label"] == {
        "qu": "Sutiyki", "es": "Tu nombre", "en": "Your name"}


def test_converted_form_publishes_and_serves_to_devices(app, convert):
    from server.surveys.services import publish_definition

    result = convert(good_form())
    with app.app_context():
        version = publish_definition(result.code, result.definition)
        assert version.number == 1 and version.status == "published"


def test_json_definition_is_accepted(convert):
    survey = deepcopy(GOOD_SURVEY)
    definition = convert(good_form(survey=survey)).definition
    result = convert(json.dumps(definition).encode(), "survey.json")
    assert result.kind == "json" and result.errors == [] and result.definition == definition
    del definition["pages"][0]["questions"][1]["label"]["qu"]
    result = convert(json.dumps(definition).encode(), "survey.json")
    # a missing translation is a warning: the default language's text is shown
    assert [(p.path, p.severity) for p in result.problems] == [
        ("pages[0].questions[1].label.qu", "warning")]
    assert result.readable and result.publishable
    del definition["pages"][0]["questions"][1]["label"]["es"]
    result = convert(json.dumps(definition).encode(), "survey.json")
    assert "pages[0].questions[1].label.es" in [p.path for p in result.errors]
    assert result.readable and not result.publishable
