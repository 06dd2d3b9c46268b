"""Ingest throughput: POST /api/v1/submissions under gunicorn vs. direct SQLAlchemy Core inserts.

Usage: .venv/bin/python bench/ingest.py [--items 2000] [--clients 4] [--workers 2]
       [--database-url URL] [--repeat 3] [--sqlite-synchronous FULL|NORMAL]

For each batch size (1, 10, 100) it sends fresh, valid household-survey submissions from
`--clients` threads to a real gunicorn on 127.0.0.1, then inserts as many equivalent rows
straight into the same database with SQLAlchemy Core (the ceiling, measured in the same
run), and prints submissions/s for both and their ratio. The machine is shared and noisy:
compare ratios, and repeat. On SQLite, `--sqlite-synchronous` sets the server's
WILLAY_SQLITE_SYNCHRONOUS and the ceiling's PRAGMA alike (default FULL, as the server).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from live import LiveServer  # noqa: E402  (the same real gunicorn the tests use)

DISTRICTS = ["180101", "180102", "180103", "180104", "180106", "180204", "180210", "180301"]


def make_item(rng: random.Random) -> dict:
    daily = rng.choice(["yes", "no", "sometimes"])
    answers = {
        "district": rng.choice(DISTRICTS), "community": f"Anexo {rng.randint(1, 300)}",
        "household_size": rng.randint(1, 12), "water_source": rng.choice(
            ["network_home", "standpipe", "spring", "river", "well"]),
        "water_daily": daily, "water_problems": rng.choice([["none"], ["pipe"], ["tank", "dirty"]]),
        "knows_projects": "yes", "project": "MOQ-AGU-001", "project_rating": rng.randint(1, 5),
        "rainy_road": rng.choice(["good", "difficult", "cut_off"]),
        "health_minutes": rng.randint(5, 240), "activities": ["agriculture", "livestock"],
        "consent": "no",
    }
    if daily != "yes":
        answers["water_hours"] = rng.randint(0, 24)
    return {"uuid": str(uuid.uuid4()), "survey": "moq-household", "version": 1,
            "answers": answers,
            "meta": {"language": rng.choice(["es", "qu"]), "consent": True,
                     "started_at": "2026-11-20T14:00:00-05:00",
                     "completed_at": "2026-11-20T14:20:00-05:00",
                     "location": {"lat": -17.19, "lon": -70.93, "accuracy": 10.0},
                     "app_version": "bench"}}


def reset_database(url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def pair(server: LiveServer) -> str:
    code = re.search(r"code (\S+)", server.willay("devices", "enrol", "bench")).group(1)
    response = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": code}, timeout=10)
    response.raise_for_status()
    return response.json()["token"]


def through_api(server: LiveServer, token: str, batches: list[list[dict]], clients: int) -> float:
    local = threading.local()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # phones encode their own batches: keep that work off the 2 cores the server runs on
    bodies = [(len(batch), json.dumps({"submissions": batch}).encode()) for batch in batches]

    def send(body: tuple[int, bytes]) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = local.session.post(f"{server.url}/api/v1/submissions", data=body[1],
                                      headers=headers, timeout=60)
        response.raise_for_status()
        results = response.json()["results"]
        stored = sum(r["outcome"] == "stored" for r in results)
        if stored != body[0]:
            raise RuntimeError(f"not all stored: {results[:2]}")
        return stored

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(send, bodies))
    return total / (time.perf_counter() - started)


def direct_ceiling(database_url: str, items: list[dict], batch: int,
                   synchronous: str = "FULL") -> float:
    """The same rows inserted with SQLAlchemy Core, one transaction per batch: the ceiling."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine, event, insert, select

    from server.codes import short_code
    from server.jsonutil import digest
    from server.submissions.models import Submission
    from server.surveys.models import Survey, SurveyVersion

    engine = create_engine(database_url)
    if database_url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")

    with engine.connect() as conn:
        survey_id, version_id = conn.execute(
            select(Survey.id, SurveyVersion.id).join(SurveyVersion)
            .where(Survey.code == "moq-household")).first()
        device_id = conn.execute(select(Submission.device_id).limit(1)).scalar()
    completed = datetime(2026, 11, 20, 19, 20, tzinfo=UTC)
    rows = [{
        "uuid": uuid.UUID(i["uuid"]), "survey_id": survey_id, "version_id": version_id,
        "channel": "device", "device_id": device_id, "answers": i["answers"],
        "content_hash": digest(i), "language": i["meta"]["language"],
        "district_ubigeo": i["answers"]["district"], "started_at": completed,
        "completed_at": completed, "received_at": datetime.now(UTC), "latitude": -17.19,
        "longitude": -70.93, "location_accuracy": 10.0, "consent": True, "app_version": "bench",
        "status": "new", "receipt_code": short_code(8)} for i in items]
    started = time.perf_counter()
    for start in range(0, len(rows), batch):
        with engine.begin() as conn:
            conn.execute(insert(Submission.__table__), rows[start:start + batch])
    rate = len(rows) / (time.perf_counter() - started)
    engine.dispose()
    return rate


def run_once(args: argparse.Namespace, rng: random.Random) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix="willay-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    reset_database(url)
    server = LiveServer(url, workdir, args.workers)
    server.env["WILLAY_SQLITE_SYNCHRONOUS"] = args.sqlite_synchronous
    server.willay("setup", "--no-samples")
    rows = []
    try:
        server.start()
        token = pair(server)
        for batch in (1, 10, 100):
            count = args.items if batch > 1 else max(args.items // 4, 200)
            items = [make_item(rng) for _ in range(count)]
            batches = [items[i:i + batch] for i in range(0, count, batch)]
            api = through_api(server, token, batches, args.clients)
            ceiling = direct_ceiling(url, [make_item(rng) for _ in range(count)], batch,
                                     args.sqlite_synchronous)
            rows.append({"batch": batch, "items": count, "api_per_s": api,
                         "direct_per_s": ceiling, "ratio": api / ceiling})
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sqlite-synchronous", default="FULL", choices=("FULL", "NORMAL"))
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    rng = random.Random(7)
    runs = [run_once(args, rng) for _ in range(args.repeat)]
    summary = []
    for index, batch in enumerate((1, 10, 100)):
        api = [r[index]["api_per_s"] for r in runs]
        direct = [r[index]["direct_per_s"] for r in runs]
        ratio = [r[index]["ratio"] for r in runs]
        summary.append({"batch": batch, "api_per_s": statistics.median(api),
                        "direct_per_s": statistics.median(direct),
                        "ratio": statistics.median(ratio),
                        "ratios": [round(x, 3) for x in ratio]})
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    db = "PostgreSQL" if (args.database_url or "").startswith("postgresql") else \
        f"SQLite (synchronous={args.sqlite_synchronous})"
    print(f"ingest on {db}, gunicorn {args.workers} workers x 4 threads, {args.clients} clients, "
          f"median of {args.repeat} runs")
    print(f"{'batch':>5} {'API subm/s':>11} {'direct subm/s':>14} {'ratio':>6}  ratios per run")
    for row in summary:
        print(f"{row['batch']:>5} {row['api_per_s']:>11.0f} {row['direct_per_s']:>14.0f} "
              f"{row['ratio']:>6.2f}  {row['ratios']}")


if __name__ == "__main__":
    main()
