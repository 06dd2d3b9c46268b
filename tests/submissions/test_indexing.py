"""What ingest derives for the console: the plan project/theme answered and the folded free
text, so filters and search work without reading every submission's JSON."""

from __future__ import annotations

from helpers import feedback_item, household_item
from sqlalchemy import select

from server.extensions import db
from server.submissions.filters import SubmissionFilter
from server.submissions.models import Submission

URL = "/api/v1/submissions"


def _store(client, headers, *items):
    response = client.post(URL, json={"submissions": list(items)}, headers=headers)
    assert [r["outcome"] for r in response.get_json()["results"]] == ["stored"] * len(items)


def _found(app, **args) -> set[str]:
    with app.app_context():
        stmt = SubmissionFilter.from_args(args).apply(select(Submission.uuid))
        return {str(u) for u in db.session.scalars(stmt)}


def test_feedback_is_linked_to_its_project_and_theme(app, client, demo, link_headers):
    water = feedback_item(answers={"theme": "water", "district": "180102", "rating": 4,
                                   "project": "MOQ-RIE-002", "consent": "no"})
    services = feedback_item(answers={"theme": "services", "district": "180204", "rating": 2,
                                      "consent": "no"})
    _store(client, link_headers, water, services)
    with app.app_context():
        row = db.session.scalar(select(Submission).where(Submission.uuid.is_not(None))
                                .where(Submission.project_code.is_not(None)))
        assert (row.project_code, row.theme_code) == ("MOQ-RIE-002", "water")
    assert _found(app, project="MOQ-RIE-002") == {water["uuid"]}
    assert _found(app, theme="services") == {services["uuid"]}
    # a project's theme counts even when the resident only chose the project
    assert _found(app, theme="water") == {water["uuid"]}


def test_search_finds_free_text_without_accents_or_case(app, client, demo, device_headers):
    item = household_item(answers={"community": "Anexo Ñuñumayo de Carumas"})
    other = household_item()
    _store(client, device_headers, item, other)
    assert _found(app, q="nunumayo") == {item["uuid"]}
    assert _found(app, q="CARUMAS") == {item["uuid"]}
    assert _found(app, q="100%_") == set()  # LIKE wildcards typed by a user match literally


def test_place_and_area_filters_follow_the_ubigeo_hierarchy(app, client, demo, device_headers):
    ilo = household_item(answers={"district": "180301"})
    ichuna = household_item(answers={"district": "180204"})
    _store(client, device_headers, ilo, ichuna)
    assert _found(app, place="180000") == {ilo["uuid"], ichuna["uuid"]}
    assert _found(app, place="180200") == {ichuna["uuid"]}
    assert _found(app, place="180301") == {ilo["uuid"]}
    with app.app_context():
        limited = SubmissionFilter.from_args({}, areas=("180300",))
        assert {str(u) for u in db.session.scalars(limited.apply(
            select(Submission.uuid)))} == {ilo["uuid"]}


def test_bad_filter_values_are_refused_with_a_translated_message(app):
    import pytest
    from marshmallow import ValidationError

    with app.test_request_context("/?lang=qu"), pytest.raises(ValidationError) as error:
        SubmissionFilter.from_args({"from": "ayer", "status": "lost", "place": "18"})
    assert set(error.value.messages) == {"from", "status", "place"}
    assert SubmissionFilter.from_args({"status": "", "from": "2026-11-01"}).as_args() == {
        "from": "2026-11-01"}
