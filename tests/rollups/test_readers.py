"""The rollups in use: the rebuild as a job and from the CLI, the demo's samples counted
right, and the dashboard and headline figures equal to counting the raw submissions."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from rollups.rollupkit import recomputed, stored
from sqlalchemy import func, select

from server.dashboard import aggregates, headline, projects
from server.dashboard.timeline import peru_day
from server.extensions import db
from server.jobs.models import Job
from server.rollups import queries
from server.rollups.jobs import request_rebuild
from server.submissions.filters import SubmissionFilter
from server.submissions.models import Submission


@pytest.fixture
def samples(app, demo):
    from server.demo.samples import load_samples

    with app.app_context():
        load_samples()
        db.session.remove()


def test_the_demo_samples_leave_the_rollups_exact(app, samples):
    with app.app_context():
        assert stored() == recomputed()
        assert sum(stored()["counts"][k] for k in stored()["counts"] if k[0] == "m") == \
            db.session.scalar(select(func.count()).select_from(Submission))


def _wreck() -> None:
    with db.engine.begin() as conn:
        conn.execute(Submission.__table__.update().values(status="flagged"))


def test_the_rebuild_runs_as_a_job_with_its_progress(app_factory, demo):
    app = app_factory(JOBS_URL="immediate")
    with app.app_context():
        from server.demo.samples import load_samples

        total = load_samples()
        _wreck()
        assert stored() != recomputed()
        job, created = request_rebuild()
        assert created
        db.session.remove()
        job = db.session.get(Job, job.id)
        assert (job.status, job.rows_done, job.rows_total) == ("done", total, total)
        assert job.result == {"submissions": total}
        assert stored() == recomputed()


def test_the_cli_rebuilds(app, samples):
    with app.app_context():
        _wreck()
    result = app.test_cli_runner().invoke(args=["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rollups rebuilt from" in result.output
    with app.app_context():
        assert stored() == recomputed()


FILTERS = [{}, {"survey": "moq-feedback"}, {"place": "180100"}, {"place": "180301"},
           {"theme": "water"}, {"project": "MOQ-PES-005"}, {"status": "new"},
           {"channel": "public"}, {"from": "+10"}, {"from": "+5", "to": "+40"},
           {"to": "+20", "survey": "moq-household"}]


def _filter(args: dict) -> SubmissionFilter:
    today = peru_day(db.session.scalar(select(func.max(Submission.received_at)))
                     .replace(tzinfo=None))
    real = {k: (today - timedelta(days=int(v[1:]))).isoformat() if v.startswith("+") else v
            for k, v in args.items()}
    return SubmissionFilter.from_args(real, areas=("180000",))


def _days(by_hour) -> Counter:
    out: Counter = Counter()
    for hour, n in by_hour.items():
        out[peru_day(hour)] += n
    return out


@pytest.mark.parametrize("args", FILTERS, ids=[str(f) for f in FILTERS])
def test_the_dashboard_reads_the_same_figures_as_from_submissions(app, samples, monkeypatch,
                                                                  args):
    with app.app_context():
        flt = _filter(args)
        assert queries.covers(flt)
        fast = aggregates.compute(flt)
        codes = sorted(c for c in fast.by_project if c)
        fast_projects = projects.project_figures(codes, flt)
        monkeypatch.setattr(aggregates, "covers", lambda _flt: False)
        monkeypatch.setattr(projects, "covers", lambda _flt: False)
        raw = aggregates.compute(flt)
        raw_projects = projects.project_figures(codes, flt)
        assert fast.total == raw.total and fast.total > 0 or args.get("to")
        for name in ("by_status", "by_district", "by_theme", "by_project"):
            assert getattr(fast, name) == getattr(raw, name), name
        assert _days(fast.by_hour) == _days(raw.by_hour)
        assert [(q, c.counts) for q, c in fast.ratings] == [(q, c.counts) for q, c in raw.ratings]
        assert fast_projects == raw_projects


def test_filters_the_rollups_cannot_answer_count_submissions():
    assert not queries.covers(SubmissionFilter(q="agua"))
    assert not queries.covers(SubmissionFilter(language="qu"))
    assert not queries.covers(SubmissionFilter(version=1))
    assert not queries.covers(SubmissionFilter(device=3))
    assert queries.covers(SubmissionFilter(place="180100", status="new", date_from=date.today()))


def test_headline_figures_equal_counting_submissions(app, samples):
    with app.app_context():
        figures = {h.key: h.count for h in headline.headline_figures(("180000",), lambda a: None)}
        cutoff = headline.utcnow() - timedelta(days=headline.overdue_days())
        waiting = (Submission.status.in_(headline.WAITING_STATES),
                   Submission.channel.in_(headline.RESIDENT_CHANNELS))
        assert figures == {
            "new": headline._count(("180000",), Submission.status == "new"),
            "waiting": headline._count(("180000",), *waiting),
            "overdue": headline._count(("180000",), *waiting, Submission.received_at < cutoff)}
        assert figures["waiting"] > figures["overdue"] > 0
