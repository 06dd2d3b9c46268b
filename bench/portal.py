"""Portal pages and the console dashboard over N synthetic submissions across the public
surveys of Moquegua and Cajamarca, with ratings, answers and review states, cold: no figure
cache (WILLAY_DASHBOARD_CACHE_SECONDS=0), so every request reads the rollups (and solves
the portal's suppression) from scratch. Also: the rollup rebuild's time, and each
department's page time split into counts (server/portal/counts.py) and solve.

Usage: .venv/bin/python bench/portal.py [--rows 1000000] [--database-url URL]
       [--repeat 5] [--target-ms 300]

Without --database-url a SQLite file in bench/.cache/portal-<rows>/ is used; rows are
generated once per database (inserted with Core, then counted by one rollup rebuild).
Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CACHE = Path(__file__).resolve().parent / ".cache"
START = datetime(2025, 12, 1, 5, tzinfo=UTC)  # a year of feedback, Peru midnight
DAYS = 365
STATES = ["new"] * 8 + ["verified"] * 5 + ["flagged", "spam"] + ["closed"] * 2
CHANNELS = ["public"] * 8 + ["sms", "device"]
CONSOLE = {
    "dashboard": "/console/",
    "dashboard 30 days": "/console/?from=2026-06-01&to=2026-06-30",
    "dashboard province": "/console/?place=060700",
    "dashboard theme+status": "/console/?survey={caj}&status=new",
    "plan page": "/console/plans/{plan}",
}


def make_app(url: str, workdir: Path, cache_seconds: int = 0):
    os.environ["WILLAY_INSTANCE_DIR"] = str(workdir / "instance")
    from server import create_app

    return create_app({"WILLAY": {"DATABASE_URL": url, "SECRET_KEY": "bench",
                                  "MEDIA_DIR": str(workdir / "media"),
                                  "DASHBOARD_CACHE_SECONDS": cache_seconds,
                                  "RATELIMIT_SIGN_IN": "1000 per minute"}})


def _public_surveys() -> list[tuple[int, int, str, list[tuple[str, str, list[str]]]]]:
    """(survey id, version id, department, [(project, theme, districts)]) per public survey."""
    from sqlalchemy import select

    from server.extensions import db
    from server.plans.models import Plan, Project
    from server.portal.models import PublicSurvey
    from server.surveys.models import Survey, SurveyVersion

    out = []
    for survey_id, version_id, plan_id in db.session.execute(
            select(Survey.id, SurveyVersion.id, Survey.plan_id)
            .join(PublicSurvey, PublicSurvey.survey_id == Survey.id)
            .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
            .where(SurveyVersion.status == "published")):
        plan = db.session.get(Plan, plan_id)
        projects = [(p.code, p.theme.code, [d.ubigeo for d in p.districts]) for p in
                    db.session.scalars(select(Project).where(Project.plan_id == plan_id))
                    if p.districts]
        out.append((survey_id, version_id, plan.department_ubigeo, projects))
    return out


def prepare(rows: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from server.demo.loader import load_demo
    from server.extensions import db
    from server.places.loader import load_places
    from server.rollups.rebuild import rebuild
    from server.submissions.models import Submission
    from server.users.models import User
    from server.users.services import create_user, normalize_email

    upgrade()
    if not db.session.scalar(select(func.count()).select_from(db.text("places"))):
        load_places()
    load_demo()
    from server.portal.models import PublicSurvey
    from server.surveys.services import get_survey

    moquegua = get_survey("moq-feedback")  # the demo makes Cajamarca's public; both here
    if db.session.get(PublicSurvey, moquegua.id) is None:
        db.session.add(PublicSurvey(survey_id=moquegua.id))
    if db.session.scalar(select(User).where(User.email == normalize_email("viewer@bench"))) is None:
        create_user("viewer@bench", "Viewer", "viewer", "bench-password-1")
    db.session.commit()
    have = db.session.scalar(select(func.count()).select_from(Submission))
    if have >= rows:
        print(f"{have:,} submissions already there")
        return
    surveys = _public_surveys()
    rng = random.Random(7)
    t0, chunk = time.perf_counter(), 20_000
    for offset in range(have, rows, chunk):
        batch = []
        for i in range(offset, min(rows, offset + chunk)):
            survey_id, version_id, _department, projects = surveys[i % len(surveys)]
            code, theme, districts = rng.choice(projects)
            status = rng.choice(STATES)
            received = START + timedelta(seconds=rng.randint(0, DAYS * 86400 - 1))
            answered = status == "closed" or rng.random() < 0.25
            batch.append({
                "uuid": uuid.uuid4(), "survey_id": survey_id, "version_id": version_id,
                "channel": rng.choice(CHANNELS),
                "answers": {"rating": rng.randint(1, 5), "project": code, "theme": theme},
                "content_hash": f"{i:064x}", "language": rng.choice(("es", "qu")),
                "district_ubigeo": rng.choice(districts), "received_at": received,
                "status": "answered" if answered and status == "new" else status,
                "receipt_code": f"P{i:010d}", "project_code": code, "theme_code": theme,
                "responded_at": received + timedelta(hours=rng.randint(2, 30 * 24))
                if answered else None})
        db.session.execute(insert(Submission.__table__), batch)
        db.session.commit()
        print(f"\r{min(rows, offset + chunk):,} rows ({time.perf_counter() - t0:.0f} s)",
              end="", flush=True)
    print()
    t0 = time.perf_counter()
    counted = rebuild()
    print(f"rollups rebuilt from {counted:,} submissions in {time.perf_counter() - t0:.1f} s")
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def bench_app(rows: int, database_url: str | None):
    """The app on the bench database (a SQLite file in bench/.cache/portal-<rows>/ unless a
    URL is given), holding its synthetic submissions."""
    workdir = CACHE / f"portal-{rows}"
    workdir.mkdir(parents=True, exist_ok=True)
    app = make_app(database_url or f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
    with app.app_context():
        prepare(rows)
    return app


def _sizes() -> str:
    from sqlalchemy import func, select

    from server.extensions import db
    from server.rollups.models import SubmissionAnswerDelay, SubmissionRatingRollup
    from server.rollups.models import SubmissionRollup as R

    parts = []
    for label, stmt in (
            ("day rows", select(func.count()).select_from(R).where(R.grain == "d")),
            ("month rows", select(func.count()).select_from(R).where(R.grain == "m")),
            ("rating rows", select(func.count()).select_from(SubmissionRatingRollup)),
            ("delay rows", select(func.count()).select_from(SubmissionAnswerDelay))):
        parts.append(f"{label} {db.session.scalar(stmt):,}")
    return ", ".join(parts)


def _timed(app, client, path: str, repeat: int) -> float:
    """Median server time of `path`, each request cold: no figure cache and no decoded
    publication kept in the process (the page reads the stored one from the database)."""
    times = []
    for _ in range(repeat):
        app.extensions.pop("portal_solutions", None)
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _split(repeat: int) -> list[str]:
    """Per department, what the refresh job does (counts from the rollups, their
    fingerprint, build + suppression solve) and what a cold page does (read and decode the
    stored publication)."""
    from flask import current_app

    from server.portal import store
    from server.portal.counts import department_data
    from server.portal.publication import build
    from server.portal.solution import fingerprint

    k = current_app.config["WILLAY"]["PORTAL_K"]
    lines = []
    for department in ("180000", "060000"):
        store.refresh(department)  # stored and up to date before timing the reads
        times: dict[str, list[float]] = {"counts": [], "fingerprint": [], "solve": [],
                                         "stored read": []}
        for _ in range(repeat):
            t0 = time.perf_counter()
            data = department_data(department)
            t1 = time.perf_counter()
            fingerprint(department, data, k)
            t2 = time.perf_counter()
            build(department, data.provinces, data.rows, data.project_districts,
                  data.themes, k)
            t3 = time.perf_counter()
            current_app.extensions.pop("portal_solutions", None)
            store.solution(department)
            t4 = time.perf_counter()
            for name, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                times[name].append(value * 1000)
        lines.append(f"  {department}: " + ", ".join(
            f"{name} {statistics.median(v):.0f} ms" for name, v in times.items()))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--target-ms", type=float, default=300)
    args = parser.parse_args()
    app = bench_app(args.rows, args.database_url)
    with app.app_context():
        from sqlalchemy import func, select

        from server.commitments.models import Actor
        from server.extensions import db
        from server.plans.models import Plan, Project
        from server.surveys.models import Survey

        projects = {dept: db.session.scalar(
            select(Project.id).join(Plan).where(Plan.department_ubigeo == dept)
            .order_by(Project.id).limit(1)) for dept in ("180000", "060000")}
        actor = db.session.scalar(select(Actor.code).order_by(Actor.id).limit(1))
        caj_survey = db.session.scalar(select(Survey.code).join(Plan).where(
            Plan.department_ubigeo == "060000").limit(1))
        plan = db.session.scalar(select(Plan.code).where(Plan.department_ubigeo == "060000"))
        total = db.session.scalar(select(func.count()).select_from(db.text("submissions")))
        print(f"{db.engine.dialect.name}: {total:,} submissions; rollups: {_sizes()}")
        split = _split(args.repeat)
        db.session.remove()
    portal = ["/", "/region/180000", "/region/060000", "/provincia/060700",
              "/provincia/180100", "/distrito/060701", "/distrito/180101",
              f"/proyecto/{projects['180000']}", f"/proyecto/{projects['060000']}",
              f"/actor/{actor}", "/comparar", "/comparar/060000", "/datos",
              "/datos/060000/cifras.csv", "/datos/060000.json", "/datos/comparar.csv",
              f"/proyecto/{projects['060000']}/widget"]
    client = app.test_client()
    client.get("/")  # templates and SQL compiled once
    print(f"{'page (cold)':<34} {'median ms':>10}  target {args.target_ms:.0f} ms")
    over = 0
    for path in portal:
        ms = _timed(app, client, path, args.repeat)
        over += ms > args.target_ms
        print(f"{path:<34} {ms:>10.0f}  {'ok' if ms <= args.target_ms else 'OVER'}")
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    signed = client.post("/console/sign-in", data={
        "email": "viewer@bench", "password": "bench-password-1", "csrf_token": token})
    assert signed.status_code == 302, signed.status_code
    for name, path in CONSOLE.items():
        ms = _timed(app, client, path.format(caj=caj_survey, plan=plan), args.repeat)
        over += ms > args.target_ms
        print(f"{name:<34} {ms:>10.0f}  {'ok' if ms <= args.target_ms else 'OVER'}")
    print("portal publication per department (median): the refresh job's parts, and a "
          "cold page's read of the stored one")
    print("\n".join(split))
    print(f"{over} page(s) over {args.target_ms:.0f} ms")


if __name__ == "__main__":
    main()
