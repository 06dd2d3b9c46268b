"""Load: many promoter phones syncing at once against a real gunicorn, started as `make run`
starts it (server/gunicorn_conf.py), or with the command line used before issue 10 (--legacy).

Usage: .venv/bin/python bench/load.py [--devices 200] [--seconds 60] [--workers 2]
       [--database-url URL] [--legacy]

Each simulated device (asyncio + httpx, its own connection like a phone's browser) sends its
outbox of 1-3 new household submissions every 2-4 s. A 503 or 429 with Retry-After is a
refusal: the device keeps its outbox and waits as long as it was told (as the app does). At
the end it prints latency percentiles of the accepted requests, the refused and failed counts,
the time the app itself spent per request (gunicorn's access log), and checks that every
submission a device was told is stored is in the database exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import requests
from sqlalchemy import create_engine, func, select

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))
sys.path.insert(0, str(BENCH))
from ingest import make_item, reset_database  # noqa: E402  (the same household items)
from live import BIN, LiveServer  # noqa: E402


@dataclass
class Tally:
    accepted: list[float] = field(default_factory=list)  # seconds, answered 200
    refused: int = 0  # 503/429 with Retry-After
    refused_latency: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # anything else
    stored: set[str] = field(default_factory=set)  # UUIDs the server said it holds


def start_server(url: str, workdir: Path, workers: int, legacy: bool,
                 settings: list[str]) -> LiveServer:
    server = LiveServer(url, workdir / "instance", workers)
    server.env.update({"WILLAY_LOG_LEVEL": "WARNING"})
    server.env.update(setting.split("=", 1) for setting in settings)
    server.willay("setup", "--no-samples")
    access = workdir / "access.log"
    if legacy:  # the Makefile's line before issue 10
        command = ["--workers", str(workers), "--threads", "4", "server:create_app()"]
    else:
        command = ["-c", "python:server.gunicorn_conf", "--workers", str(workers)]
    server.proc = subprocess.Popen(
        [str(BIN / "gunicorn"), *command, "--bind", f"127.0.0.1:{server.port}",
         "--access-logfile", str(access), "--access-logformat", "%(s)s %(L)s",
         "--log-level", "warning"], env=server.env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{server.url}/healthz", timeout=5).ok:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("gunicorn did not start")


def device_tokens(server: LiveServer, count: int) -> list[str]:
    """Enrol and pair `count` devices straight in the database (pairing is rate limited)."""
    os.environ.update({k: v for k, v in server.env.items() if k.startswith("WILLAY_")})
    from server import create_app
    from server.devices.services import enrol_device, pair
    from server.extensions import db

    app = create_app()
    with app.app_context():
        tokens = [pair(enrol_device(f"load {n}", "bench").code)[1] for n in range(count)]
        db.engine.dispose()
    return tokens


async def device(url: str, token: str, until: float, rng: random.Random, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    outbox: list[dict] = []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits,
                                 timeout=30) as client:
        await asyncio.sleep(rng.uniform(0, 4))  # phones do not start in step
        while time.monotonic() < until:
            outbox += [make_item(rng) for _ in range(rng.randint(1, 3))]
            pause = rng.uniform(2, 4)
            started = time.perf_counter()
            try:
                response = await client.post("/api/v1/submissions",
                                             json={"submissions": outbox})
            except httpx.HTTPError as err:
                tally.errors.append(type(err).__name__)
            else:
                took = time.perf_counter() - started
                if response.status_code == 200:
                    tally.accepted.append(took)
                    for result in response.json()["results"]:
                        if result["outcome"] in ("stored", "duplicate"):
                            tally.stored.add(result["uuid"])
                        else:
                            tally.errors.append(f"outcome {result['outcome']}")
                    outbox = []
                elif response.status_code in (429, 503) and response.headers.get("Retry-After"):
                    tally.refused += 1
                    tally.refused_latency.append(took)
                    pause = max(pause, float(response.headers["Retry-After"]))
                else:
                    tally.errors.append(f"HTTP {response.status_code}")
            await asyncio.sleep(pause)


async def drive(url: str, tokens: list[str], seconds: float, tally: Tally) -> None:
    until = time.monotonic() + seconds
    rng = random.Random(10)
    await asyncio.gather(*(device(url, token, until, random.Random(rng.random()), tally)
                           for token in tokens))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def app_times(access_log: Path) -> list[float]:
    """Seconds the app spent on each answered request, from gunicorn's access log."""
    times = []
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            times.append(float(parts[1]))
    return times


def stored_in_database(url: str) -> int:
    from server.submissions.models import Submission

    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(Submission.__table__))
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--legacy", action="store_true",
                        help="gunicorn as the Makefile started it before issue 10")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the server, e.g. "
                             "WILLAY_QUEUE_LIMIT_MS=1000 (repeatable)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="willay-load-"))
    url = args.database_url or f"sqlite:///{workdir / 'load.sqlite3'}"
    reset_database(url)
    server = start_server(url, workdir, args.workers, args.legacy, args.set)
    tally = Tally()
    try:
        tokens = device_tokens(server, args.devices)
        started = time.monotonic()
        asyncio.run(drive(server.url, tokens, args.seconds, tally))
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    held = stored_in_database(url)
    app = app_times(workdir / "access.log")
    shutil.rmtree(workdir, ignore_errors=True)

    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    mode = "legacy command line" if args.legacy else "server/gunicorn_conf.py"
    requests_sent = len(tally.accepted) + tally.refused + len(tally.errors)
    print(f"load on {database}, {args.devices} devices every 2-4 s for {args.seconds:.0f} s, "
          f"gunicorn {args.workers} workers ({mode}) {' '.join(args.set)}")
    print(f"requests {requests_sent} ({requests_sent / elapsed:.0f}/s): accepted "
          f"{len(tally.accepted)}, refused with Retry-After {tally.refused}, "
          f"errors {len(tally.errors)}")
    print(f"accepted latency s: p50 {percentile(tally.accepted, 0.5):.3f} "
          f"p95 {percentile(tally.accepted, 0.95):.3f} p99 {percentile(tally.accepted, 0.99):.3f}"
          f" max {max(tally.accepted, default=float('nan')):.3f}")
    if tally.refused_latency:
        print(f"refusals answered in s: p50 {percentile(tally.refused_latency, 0.5):.3f} "
              f"p95 {percentile(tally.refused_latency, 0.95):.3f}")
    if app:
        print(f"time in the app s: p50 {percentile(app, 0.5):.3f} "
              f"p95 {percentile(app, 0.95):.3f} mean {statistics.mean(app):.3f}")
    if tally.errors:
        kinds = {kind: tally.errors.count(kind) for kind in set(tally.errors)}
        print(f"errors by kind: {kinds}")
    print(f"submissions confirmed {len(tally.stored)}, in the database {held}: "
          f"{'ok' if held == len(tally.stored) else 'MISMATCH'}")


if __name__ == "__main__":
    main()
