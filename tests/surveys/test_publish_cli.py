"""Publishing from the command line reports every problem by path."""

from __future__ import annotations

import json


def test_publish_reports_paths_and_publishes_a_good_definition(app, runner, tmp_path):
    definition = {"languages": ["es", "qu"], "title": {"es": "Prueba", "qu": "Pruyba"},
                  "pages": [{"id": "p1", "questions": [
                      {"id": "age", "type": "integer", "label": {"qu": "Watayki"},
                       "constraint": ". > 0", "requried": True}]}]}
    path = tmp_path / "survey.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    bad = runner.invoke(args=["surveys", "publish", "test-survey", str(path)])
    assert bad.exit_code != 0
    assert "pages[0].questions[0].label.es" in bad.output  # the default language's text
    assert "pages[0].questions[0].requried" in bad.output
    question = definition["pages"][0]["questions"][0]
    question["label"] = {"es": "Edad"}  # a missing Quechua text only warns
    del question["requried"]
    path.write_text(json.dumps(definition), encoding="utf-8")
    good = runner.invoke(args=["surveys", "publish", "test-survey", str(path), "--public"])
    assert good.exit_code == 0, good.output
    assert "version 1 published" in good.output and "public link token" in good.output


def test_links_can_be_opened_closed_and_revoked(app, runner, demo):
    assert "public link token" in runner.invoke(args=["surveys", "link", "moq-feedback",
                                                      "open"]).output
    assert "closed" in runner.invoke(args=["surveys", "link", "moq-feedback", "close"]).output
    assert "revoked" in runner.invoke(args=["surveys", "link", "moq-feedback", "revoke"]).output
    from server.surveys.services import get_survey

    with app.app_context():
        assert get_survey("moq-feedback").public_token is None
