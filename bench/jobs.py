"""A console export as a background job, end to end: is the console responsive while a
worker writes a large file?

Usage: .venv/bin/python bench/jobs.py [--rows 100000] [--format xlsx] [--workdir DIR]

Generates `--rows` household submissions (bench/export.py's generator, reused when the
workdir already holds them), starts gunicorn (tests/live.py, 2 workers) queueing jobs on
the SQLite queue and one `willay worker`, signs in as an admin over HTTP, asks for the
export, and while it runs times the console's exports page and the job's status (what the
progress bar polls) every half second. Reports the export's time and rows/s, the page
latencies (p50, p95, max) during the export, and the worker's peak RSS (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from export import PASSWORD, generate, make_app  # noqa: E402  (bench/export.py)
from live import LiveServer  # noqa: E402  (the same real gunicorn the tests use)

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sign_in(url: str) -> requests.Session:
    session = requests.Session()
    token = TOKEN.search(session.get(f"{url}/console/sign-in").text).group(1)
    signed = session.post(f"{url}/console/sign-in", allow_redirects=False, data={
        "email": "bench-admin@example.org", "password": PASSWORD, "csrf_token": token})
    assert signed.status_code == 302, signed.text[:300]
    return session


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", default="xlsx")
    parser.add_argument("--workdir", default="/tmp/willay-bench-jobs")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = make_app(workdir, database_url)
    generate(app, args.rows)
    with app.app_context():  # a kept file of an earlier run would be shared, not rebuilt
        from server.extensions import db
        from server.jobs.models import Job

        db.session.execute(db.delete(Job))
        db.session.commit()
        db.engine.dispose()

    server = LiveServer(database_url, workdir / "live", jobs_url="")
    env = {**server.env, "WILLAY_MEDIA_DIR": str(workdir / "media")}
    server.start()
    log = open(workdir / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen([sys.executable, str(Path(sys.executable).parent / "willay"),
                               "worker", "--threads", "1"], env=env, stdout=log, stderr=log)
    try:
        session = sign_in(server.url)
        page = session.get(f"{server.url}/console/exports")
        token = TOKEN.search(page.text).group(1)
        began = time.perf_counter()
        asked = session.post(f"{server.url}/console/exports", allow_redirects=False, data={
            "survey": "moq-household", "format": args.format, "csrf_token": token})
        job_id = int(asked.headers["Location"].rsplit("#job-", 1)[1])
        page_ms: list[float] = []
        status_ms: list[float] = []
        state: dict = {}
        while state.get("status") not in ("done", "failed"):
            time.sleep(0.5)
            t = time.perf_counter()
            assert session.get(f"{server.url}/console/exports").ok
            page_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            state = session.get(f"{server.url}/console/exports/jobs/{job_id}").json()
            status_ms.append((time.perf_counter() - t) * 1000)
            if time.perf_counter() - began > 3600:
                raise SystemExit("the export took more than an hour")
        seconds = time.perf_counter() - began
        report = {
            "rows": state["done"], "format": args.format, "status": state["status"],
            "export_seconds": round(seconds, 1), "rows_per_s": round(state["done"] / seconds),
            "worker_peak_rss_mb": round(peak_rss_mb(worker.pid), 1),
            "samples": len(page_ms),
            "exports_page_ms": {"p50": round(statistics.median(page_ms)),
                                "p95": round(percentile(page_ms, 0.95)),
                                "max": round(max(page_ms))},
            "job_status_ms": {"p50": round(statistics.median(status_ms)),
                              "p95": round(percentile(status_ms, 0.95)),
                              "max": round(max(status_ms))},
        }
        print(json.dumps(report, indent=2))
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
        server.stop()
        os.environ.pop("WILLAY_DATABASE_URL", None)


if __name__ == "__main__":
    main()
