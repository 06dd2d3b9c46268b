"""Stored publications (docs/portal.md, "Stored publications"): pages read the solution a
job stored and never solve; a stale one is shown whole, never mixed with newer figures."""

from __future__ import annotations

import json

import pytest
import snapshot
from sqlalchemy import delete, select, update

from server.extensions import db

CAJ = "060000"
PAGES = [f"/region/{CAJ}", "/provincia/060100", f"/comparar/{CAJ}", "/comparar",
         f"/datos/{CAJ}/cifras.csv", f"/datos/{CAJ}.json", "/datos/comparar.csv"]


def _demo(app) -> list[str]:
    from server.plans.models import Plan, Project

    with app.app_context():
        snapshot.demo_and_samples(app)
        ids = db.session.scalars(select(Project.id).join(Plan).where(
            Plan.department_ubigeo == CAJ).order_by(Project.id))
        return [f"/proyecto/{i}" for i in ids][:3]


def _forget_half_of_cajamarca(app) -> None:
    """A change in the counts: half of the region's feedback is gone."""
    from server.places.models import Place
    from server.submissions.models import Submission

    with app.app_context():
        ids = list(db.session.scalars(select(Submission.id).join(
            Place, Place.ubigeo == Submission.district_ubigeo).where(
            Place.department_ubigeo == CAJ).order_by(Submission.id)))
        db.session.execute(delete(Submission).where(Submission.id.in_(ids[::2])))
        db.session.commit()


def _bodies(client, paths: list[str]) -> dict[str, str]:
    out = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        out[path] = response.get_data(as_text=True)
    return out


def _portal_jobs(app) -> list:
    from server.jobs.models import Job

    with app.app_context():
        jobs = list(db.session.scalars(select(Job).where(Job.kind == "portal_publish")
                                       .order_by(Job.id)))
        db.session.expunge_all()
        return jobs


def test_pages_never_solve_and_a_stale_publication_is_shown_whole(app_factory, monkeypatch):
    from server.portal import store

    app = app_factory(DASHBOARD_CACHE_SECONDS=3600)
    projects = _demo(app)
    client = app.test_client()
    paths = [*PAGES, *projects, *(f"{p}/widget" for p in projects),
             *(f"{p}/insignia.svg" for p in projects)]
    before = _bodies(client, paths)  # nothing stored yet: solved once, inline
    _forget_half_of_cajamarca(app)

    def solving(*args, **kwargs):
        raise AssertionError("a page solved a publication")

    monkeypatch.setattr(store, "build", solving)
    after = _bodies(client, paths)
    # every page, download, widget and badge: the figures of the stored state, all of them
    for path in paths:
        assert after[path] == before[path], path
    monkeypatch.undo()
    with app.app_context():
        store.refresh(CAJ)
    fresh = _bodies(client, [f"/datos/{CAJ}/cifras.csv"])
    assert fresh[f"/datos/{CAJ}/cifras.csv"] != before[f"/datos/{CAJ}/cifras.csv"]


def test_a_stale_publication_asks_for_one_job_which_brings_it_up_to_date(app_factory):
    from server.jobs.runner import run_job
    from server.portal.models import PortalPublication

    app = app_factory(DASHBOARD_CACHE_SECONDS=0)  # a queue with no worker: jobs wait
    _demo(app)
    client = app.test_client()
    first = _bodies(client, [f"/datos/{CAJ}/cifras.csv"])
    with app.app_context():
        solved = db.session.get(PortalPublication, CAJ)
        solved_at, fingerprint = solved.solved_at, solved.fingerprint
    _forget_half_of_cajamarca(app)
    for _ in range(3):
        stale = _bodies(client, [f"/datos/{CAJ}/cifras.csv", f"/region/{CAJ}?lang=es"])
        assert stale[f"/datos/{CAJ}/cifras.csv"] == first[f"/datos/{CAJ}/cifras.csv"]
    assert 'class="updated"' in stale[f"/region/{CAJ}?lang=es"]
    jobs = _portal_jobs(app)
    assert [(j.status, j.params) for j in jobs] == [("queued", {"department": CAJ})]

    with app.app_context():
        run_job(jobs[0].id)
    done = _portal_jobs(app)[0]
    assert done.status == "done" and done.result["solved"] is True
    assert done.share_key is None  # the next change asks for a new run
    with app.app_context():
        row = db.session.get(PortalPublication, CAJ)
        assert row.fingerprint != fingerprint and row.solved_at > solved_at
    now = _bodies(client, [f"/datos/{CAJ}/cifras.csv"])
    assert now[f"/datos/{CAJ}/cifras.csv"] != first[f"/datos/{CAJ}/cifras.csv"]


def test_unchanged_counts_are_checked_not_solved_again(app_factory):
    from server.portal.store import refresh

    app = app_factory()
    _demo(app)
    with app.app_context():
        first = refresh(CAJ)
        again = refresh(CAJ)
    assert again.fingerprint == first.fingerprint
    assert again.solved_at == first.solved_at and again.checked_at >= first.checked_at


def test_the_stored_document_is_the_solution_without_any_hidden_value(app_factory):
    from server.portal.models import PortalPublication
    from server.portal.solution import key_text
    from server.portal.store import refresh, solve

    app = app_factory()
    _demo(app)
    with app.app_context():
        refresh(CAJ)
        doc = json.loads(db.session.get(PortalPublication, CAJ).figures)
        pub, _data = solve(CAJ)
    assert len(doc["shown"]) + len(doc["hidden"]) == len(pub.values)
    for key, value in pub.values.items():
        text = key_text(key)
        if key in pub.hidden:
            assert text not in doc["shown"] and doc["hidden"][text] == pub.hidden[key]
        else:
            assert doc["shown"][text] == value >= pub.k
    assert set(doc["hidden"].values()) <= {"small", "protected", "unshown"}


@pytest.mark.parametrize("column, value", [("k", 2), ("solver", 1)])
def test_a_publication_solved_under_another_k_or_rule_is_never_shown(app_factory, column,
                                                                      value):
    from server.portal.models import PortalPublication

    app = app_factory(DASHBOARD_CACHE_SECONDS=3600)
    _demo(app)
    client = app.test_client()
    before = _bodies(client, [f"/datos/{CAJ}/cifras.csv"])[f"/datos/{CAJ}/cifras.csv"]
    with app.app_context():
        db.session.execute(update(PortalPublication).values(
            {column: value, "figures": '{"k":2,"shown":{},"hidden":{},"themes":[],'
                                       '"months":{},"answer_days":{},"place_answer_days":{}}'}))
        db.session.commit()
    assert _bodies(client, [f"/datos/{CAJ}/cifras.csv"])[f"/datos/{CAJ}/cifras.csv"] == before
    with app.app_context():
        row = db.session.get(PortalPublication, CAJ)
        assert (row.k, row.solver) == (5, 2)


def test_a_bad_job_fails_with_a_code(app_factory):
    from server.jobs.runner import run_job
    from server.jobs.services import request_job

    app = app_factory()
    with app.app_context():
        job, _created = request_job("portal_publish", {"department": "../x"})
        run_job(job.id)
    assert [(j.status, j.error_code) for j in _portal_jobs(app)] == [("failed",
                                                                     "bad_department")]
