"""Dashboard response time at scale: GET /console/ (a signed-in viewer) over N synthetic
submissions, cold (figure cache empty) and warm (cached), for a few filters.

Usage: .venv/bin/python bench/dashboard.py [--rows 1000000] [--database-url URL]
       [--repeat 3]

Without --database-url a SQLite file in a temporary directory is used (kept between runs
with --workdir DIR: rows are generated only once). Rows are inserted with SQLAlchemy Core
(the ingest path is benchmarked by bench/ingest.py). Figures in docs/console-dashboard.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DISTRICTS = ["180101", "180102", "180103", "180104", "180105", "180106", "180201", "180202",
             "180204", "180206", "180207", "180208", "180210", "180301", "180302", "180303"]
PROJECTS = [None, "MOQ-AGU-001", "MOQ-RIE-002", "MOQ-VIA-003", "MOQ-SAL-004", "MOQ-PES-005",
            "MOQ-HID-007", "MOQ-AMB-008"]
THEMES = ["services", "water", "environment", "diversification"]
STATUSES = ["new"] * 6 + ["verified", "verified", "flagged", "spam", "answered"]
PAGES = {
    "no filter": "/console/",
    "theme": "/console/?theme=water",
    "province": "/console/?place=180200",
    "30 days": "/console/?from=2026-06-01&to=2026-06-30",
    "survey + status": "/console/?survey=moq-feedback&status=new",
    "text search": "/console/?q=agua",
    "plans list": "/console/plans",
    "plan page": "/console/plans/PDRC-MOQ-2033",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--workdir")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="page names to measure (default: all)")
    return parser.parse_args()


def make_app(url: str, workdir: Path):
    import os

    os.environ["WILLAY_INSTANCE_DIR"] = str(workdir / "instance")
    from server import create_app

    return create_app({"WILLAY": {"DATABASE_URL": url, "SECRET_KEY": "bench",
                                  "MEDIA_DIR": str(workdir / "media"),
                                  "RATELIMIT_SIGN_IN": "1000 per minute"}})


def prepare(app) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from server.demo.loader import load_demo
    from server.extensions import db
    from server.places.loader import load_places
    from server.users.models import User
    from server.users.services import create_user, normalize_email

    upgrade()
    if not db.session.scalar(select(db.func.count()).select_from(db.text("places"))):
        load_places()
    load_demo()
    if db.session.scalar(select(User).where(User.email == normalize_email("viewer@bench"))) is None:
        create_user("viewer@bench", "Viewer", "viewer", "bench-password-1")


def generate(app, rows: int) -> None:
    from sqlalchemy import func, insert, select

    from server.extensions import db
    from server.submissions.models import Submission
    from server.surveys.models import Survey, SurveyVersion

    have = db.session.scalar(select(func.count()).select_from(Submission))
    if have >= rows:
        print(f"{have:,} submissions already there")
        return
    versions = {code: (sid, vid) for code, sid, vid in db.session.execute(
        select(Survey.code, Survey.id, SurveyVersion.id).join(SurveyVersion))}
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    table = Submission.__table__
    t0, chunk = time.perf_counter(), 20_000
    for offset in range(have, rows, chunk):
        batch = []
        for i in range(offset, min(rows, offset + chunk)):
            feedback = rng.random() < 0.4
            survey_id, version_id = versions["moq-feedback" if feedback else "moq-household"]
            project = rng.choice(PROJECTS)
            theme = rng.choice(THEMES) if feedback else None
            rating = rng.randint(1, 5)
            answers = ({"theme": theme, "district": "180101", "rating": rating,
                        "comment": "Yaku mana chayamunchu", "consent": "no"} if feedback else
                       {"district": "180101", "household_size": rng.randint(1, 9),
                        "water_source": "network_home", "project_rating": rating,
                        "community": f"Anexo {rng.randint(1, 300)}", "consent": "no"})
            if project:
                answers["project"] = project
            batch.append({
                "uuid": uuid.uuid4(), "survey_id": survey_id, "version_id": version_id,
                "channel": "public" if feedback else "device", "answers": answers,
                "content_hash": f"{i:064x}", "language": rng.choice(("es", "qu")),
                "district_ubigeo": rng.choice(DISTRICTS),
                "received_at": start + timedelta(seconds=rng.randint(0, 330 * 86400)),
                "status": rng.choice(STATUSES), "receipt_code": f"B{i:010d}",
                "project_code": project, "theme_code": theme,
                "search_text": "yaku mana chayamunchu agua" if feedback else None,
            })
        db.session.execute(insert(table), batch)
        db.session.commit()
        done = min(rows, offset + chunk)
        print(f"\r{done:,} rows ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
    print()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE submissions")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def measure(app, repeat: int, only: list[str] | None) -> None:
    from server.dashboard.cache import FigureCache

    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post("/console/sign-in", data={
        "email": "viewer@bench", "password": "bench-password-1", "csrf_token": token})
    assert response.status_code == 302, response.status_code
    print(f"{'page':<18} {'cold ms (median)':>17} {'warm ms (median)':>17}")
    for name, url in PAGES.items():
        if only and name not in only:
            continue
        cold, warm = [], []
        for _ in range(repeat):
            # a fresh cache that waits for the whole computation: cold = its full cost
            app.extensions["willay_dashboard_cache"] = FigureCache(3600, wait=3600)
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            cold.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            warm.append((time.perf_counter() - t0) * 1000)
        print(f"{name:<18} {statistics.median(cold):>17.0f} {statistics.median(warm):>17.0f}")


def main() -> None:
    args = parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="willay-dash-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = make_app(url, workdir)
    with app.app_context():
        prepare(app)
        generate(app, args.rows)
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    measure(app, args.repeat, args.only)


if __name__ == "__main__":
    main()
