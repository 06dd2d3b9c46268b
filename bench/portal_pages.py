"""Portal page times over N synthetic public submissions in Cajamarca (the demo's public
survey): cold (no figure cache: counts read and the suppression solved on every request)
and warm (the solved publication cached).

Usage: .venv/bin/python bench/portal_pages.py [--rows 100000] [--database-url URL]
       [--workdir DIR] [--repeat 3]

Without --database-url a SQLite file in --workdir (default: a temporary directory) is used;
rows are generated once per database. Figures in docs/portal.md.
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

PAGES = ("/", "/region/060000", "/provincia/060700", "/distrito/060701",
         "/proyecto/{project}", "/actor/gore-cajamarca", "/datos/060000/cifras.csv")


def make_app(url: str, workdir: Path, cache_seconds: int):
    import os

    os.environ["WILLAY_INSTANCE_DIR"] = str(workdir / "instance")
    from server import create_app

    return create_app({"WILLAY": {"DATABASE_URL": url, "SECRET_KEY": "bench",
                                  "MEDIA_DIR": str(workdir / "media"),
                                  "DASHBOARD_CACHE_SECONDS": cache_seconds}})


def prepare(rows: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from server.demo.loader import load_demo
    from server.extensions import db
    from server.places.loader import load_places
    from server.plans.models import Plan, Project
    from server.portal.models import PublicSurvey
    from server.submissions.models import Submission
    from server.surveys.models import SurveyVersion

    upgrade()
    if not db.session.scalar(select(func.count()).select_from(db.text("places"))):
        load_places()
    load_demo()
    db.session.commit()
    have = db.session.scalar(select(func.count()).select_from(Submission))
    if have >= rows:
        return
    survey_id, version_id = db.session.execute(
        select(PublicSurvey.survey_id, SurveyVersion.id)
        .join(SurveyVersion, SurveyVersion.survey_id == PublicSurvey.survey_id)).first()
    projects = [(p.code, p.theme.code, [d.ubigeo for d in p.districts]) for p in
                db.session.scalars(select(Project).join(Plan).where(
                    Plan.department_ubigeo == "060000")) if p.districts]
    rng = random.Random(7)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    for offset in range(have, rows, 20_000):
        batch = []
        for i in range(offset, min(rows, offset + 20_000)):
            code, theme, districts = rng.choice(projects)
            answered = rng.random() < 0.4
            received = start + timedelta(seconds=rng.randint(0, 500 * 86400))
            batch.append({
                "uuid": uuid.uuid4(), "survey_id": survey_id, "version_id": version_id,
                "channel": "public", "answers": {"rating": rng.randint(1, 5)},
                "content_hash": f"{i:064x}", "language": "qu",
                "district_ubigeo": rng.choice(districts), "received_at": received,
                "status": "answered" if answered else "new", "receipt_code": f"P{i:010d}",
                "project_code": code, "theme_code": theme,
                "responded_at": received + timedelta(days=rng.randint(1, 30))
                if answered else None})
        db.session.execute(insert(Submission.__table__), batch)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--workdir")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="willay-portal-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = make_app(url, workdir, 0)
    with app.app_context():
        prepare(args.rows)
        from sqlalchemy import select

        from server.extensions import db
        from server.plans.models import Project
        project = db.session.scalar(select(Project.id).where(Project.code == "CAJ-RIE-002"))
    for label, seconds in (("cold", 0), ("warm", 60)):
        client = make_app(url, workdir, seconds).test_client()
        client.get("/")  # templates and SQL compiled once
        for page in PAGES:
            path = page.format(project=project)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                assert client.get(path).status_code == 200, path
                times.append((time.perf_counter() - started) * 1000)
            print(f"{label} {path:28} median {statistics.median(times):7.0f} ms")


if __name__ == "__main__":
    main()
