"""Definitions are validated on publish with precise paths; published versions are immutable."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

from server.extensions import db
from server.surveys.definition import validate_definition
from server.surveys.models import PublishedVersionImmutable
from server.surveys.services import DefinitionInvalid, get_survey, publish_definition


def demo_definition(name: str) -> dict:
    return json.loads(resources.files("server.demo").joinpath("data", name).read_text("utf-8"))


def paths(app, definition) -> dict[str, str]:
    with app.test_request_context(headers={"Accept-Language": "es-PE"}):
        return {p.path: p.message for p in validate_definition(definition)}


@pytest.mark.parametrize("name", ["household_survey.json", "feedback_form.json"])
def test_the_demo_surveys_are_valid(app, name):
    assert paths(app, demo_definition(name)) == {}


def test_every_problem_is_reported_with_its_path(app):
    d = demo_definition("household_survey.json")
    q = d["pages"][0]["questions"]
    q[1]["id"] = q[0]["id"]                       # repeated id
    q[2]["type"] = "number"                       # unknown type
    del q[2]["label"]["qu"]                       # missing Quechua label
    q[0]["relevance"] = "${nobody} = 'x'"         # unknown reference
    q[0]["constraint"] = "${a} = "                # syntax error
    q[0]["requried"] = True                       # typo
    found = paths(app, d)
    assert "pages[0].questions[1].id" in found
    assert "pages[0].questions[2].type" in found
    assert "pages[0].questions[2].label.qu" in found
    assert "pages[0].questions[0].relevance" in found
    assert "pages[0].questions[0].constraint" in found
    assert "pages[0].questions[0].requried" in found


def test_choices_languages_and_personal_data_rules(app):
    d = demo_definition("feedback_form.json")
    select = next(q for p in d["pages"] for q in p["questions"] if q["type"] == "select_one")
    select["choices"].append(copy.deepcopy(select["choices"][0]))
    phone = next(q for p in d["pages"] for q in p["questions"] if q.get("personal"))
    del phone["relevance"]
    d["languages"] = ["es", "qu", "EN!"]  # any language code, but a code
    found = paths(app, d)
    assert any(p.endswith(".value") and "choices" in p for p in found)
    assert any(p.endswith(".relevance") for p in found)
    assert "languages" in found


def test_publishing_an_invalid_definition_fails_and_stores_nothing(app):
    d = demo_definition("household_survey.json")
    d["pages"] = []
    with app.app_context(), pytest.raises(DefinitionInvalid) as err:
        publish_definition("broken", d)
    assert err.value.problems[0].path == "pages"
    with app.app_context():
        assert get_survey("broken") is None


def test_a_published_version_cannot_be_changed(app):
    with app.app_context():
        version = publish_definition("hh", demo_definition("household_survey.json"))
        changed = copy.deepcopy(version.definition)
        changed["title"]["es"] = "otro"
        version.definition = changed
        with pytest.raises(PublishedVersionImmutable):
            db.session.commit()
        db.session.rollback()
        assert get_survey("hh").versions[0].definition["title"]["es"] != "otro"
