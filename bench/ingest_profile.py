"""Where one single-item POST /api/v1/submissions spends its time, in process.

Usage: .venv/bin/python bench/ingest_profile.py [--requests 400] [--batch 1] [--top 30]
       [--sqlite-synchronous FULL|NORMAL] [--threads 8]

Sets up a fresh SQLite database, pairs a device, then sends `--requests` requests of
`--batch` new household submissions through the WSGI app (Flask's test client: no HTTP
parsing, no gunicorn) under cProfile. Prints the requests/s without and with the profiler,
the SQL statements per request, and the functions with the most cumulative time; then
`--threads` requests at once (no profiler), with the log syncs per request that group
commit needed (server/submissions/group_commit.py). The
machine is shared: compare figures from one run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import make_item  # noqa: E402  (the same items as bench/ingest.py)


def build(workdir: Path, synchronous: str):
    os.environ.update({"WILLAY_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
                       "WILLAY_INSTANCE_DIR": str(workdir), "WILLAY_LOG_LEVEL": "WARNING",
                       "WILLAY_SECRET_KEY": "profile-secret",
                       "WILLAY_SQLITE_SYNCHRONOUS": synchronous})
    from server import create_app

    app = create_app()
    runner = app.test_cli_runner()
    for args in (["setup", "--no-samples"], ["devices", "enrol", "bench"]):
        with app.app_context():
            result = runner.invoke(args=args)
        if result.exit_code:
            raise RuntimeError(result.output)
    code = re.search(r"code (\S+)", result.output).group(1)
    client = app.test_client()
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    return app, client, {"Authorization": f"Bearer {token}",
                         "Content-Type": "application/json"}


def send_all(client, headers, bodies: list[bytes]) -> tuple[float, float]:
    """Requests per second (wall clock) and CPU milliseconds per request: on a shared
    machine the CPU time is the steadier of the two (it leaves out waiting for a core and
    for the disk's fsync)."""
    started, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        response = client.post("/api/v1/submissions", data=body, headers=headers)
        if response.status_code != 200 or any(
                r["outcome"] != "stored" for r in response.get_json()["results"]):
            raise RuntimeError(response.get_data(as_text=True)[:300])
    return (len(bodies) / (time.perf_counter() - started),
            (time.process_time() - cpu) * 1000 / len(bodies))


def concurrently(app, headers, bodies: list[bytes], threads: int) -> tuple[float, float]:
    """Requests per second with `threads` requests in flight, and log syncs per request
    (SQLite with FULL: concurrent requests share syncs, server/submissions/group_commit.py)."""
    from concurrent.futures import ThreadPoolExecutor

    from server.submissions.group_commit import syncer_for

    with app.app_context():
        from server.extensions import db
        from server.submissions.group_commit import database_file

        with db.engine.connect() as connection:
            syncer = syncer_for(database_file(connection) or "")
    syncs = syncer.syncs

    def send(body: bytes) -> None:
        send_all(app.test_client(), headers, [body])

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(send, bodies))
    return (len(bodies) / (time.perf_counter() - started),
            (syncer.syncs - syncs) / len(bodies))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sqlite-synchronous", default="FULL", choices=("FULL", "NORMAL"))
    parser.add_argument("--output", default=None, help="also save the profile here")
    parser.add_argument("--threads", type=int, default=8,
                        help="requests in flight for the concurrent round (no profiler)")
    args = parser.parse_args()
    rng = random.Random(7)
    app, client, headers = build(Path(tempfile.mkdtemp(prefix="willay-profile-")),
                                 args.sqlite_synchronous)

    def bodies() -> list[bytes]:
        return [json.dumps({"submissions": [make_item(rng) for _ in range(args.batch)]}).encode()
                for _ in range(args.requests)]

    send_all(client, headers, bodies()[:50])  # warm up: caches, compiled surveys
    plain, cpu_ms = send_all(client, headers, bodies())
    together, syncs = concurrently(app, headers, bodies(), args.threads)
    with app.app_context():
        from server.extensions import db

        statements: list[str] = []

        def count(_conn, _cursor, sql, *_rest) -> None:
            statements.append(" ".join(sql.split()[:4])[:60])

        event.listen(db.engine, "before_cursor_execute", count)
        send_all(client, headers, bodies()[:50])
        event.remove(db.engine, "before_cursor_execute", count)
    per_request = len(statements) / 50
    profile = cProfile.Profile()
    payload = bodies()
    profile.enable()
    send_all(client, headers, payload)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"batch {args.batch}: {plain * args.batch:.0f} subm/s in process "
          f"({plain:.0f} requests/s), {cpu_ms:.2f} CPU ms per request, "
          f"{stats.total_calls / len(payload):.0f} Python calls per request (cProfile), "
          f"{per_request:.1f} SQL statements per request:")
    print(f"{args.threads} requests in flight: {together * args.batch:.0f} subm/s, "
          f"{syncs:.2f} log syncs per request (group commit; 0 when it does not apply)")
    for sql, times in Counter(statements).most_common():
        print(f"  {times / 50:5.1f} x {sql}")
    stats.sort_stats("cumulative")
    if args.output:
        stats.dump_stats(args.output)
    stats.print_stats(args.top)


if __name__ == "__main__":
    main()
