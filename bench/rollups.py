"""A rollup rebuild over N synthetic submissions (bench/portal.py's data) while a phone
syncs: how long the rebuild takes, how long it holds the write (the short difference
applied at the end), and how long the phone's syncs wait meanwhile. A sync is one batch of
`--batch` submissions through the ingest path, sent every 0.1 s.

Usage: .venv/bin/python bench/rollups.py [--rows 1000000] [--database-url URL] [--batch 10]

The ceiling in the same run: a sync's time with no rebuild running. Figures in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal import bench_app  # noqa: E402  (bench/portal.py: the same data)


def _items(n: int) -> list[dict]:
    return [{"uuid": str(uuid.uuid4()), "survey": "moq-feedback", "version": 1,
             "answers": {"theme": "water", "district": "180101", "consent": "no",
                         "rating": 3}, "meta": {"language": "es"}} for _ in range(n)]


def _syncs(app, batch: int, stop: threading.Event, times: list[float]) -> None:
    from server.api.auth import Client
    from server.extensions import db
    from server.submissions.ingest import ingest
    from server.surveys.services import get_survey

    with app.app_context():
        while not stop.is_set():
            t0 = time.perf_counter()
            ingest(Client("public", survey=get_survey("moq-feedback")), _items(batch), "es")
            db.session.remove()
            times.append(time.perf_counter() - t0)
            stop.wait(0.1)


def _summary(times: list[float]) -> str:
    if not times:
        return "no sync finished"
    return (f"{len(times)} syncs, median {statistics.median(times) * 1000:.0f} ms, "
            f"longest {max(times) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    app = bench_app(args.rows, args.database_url)
    from server.extensions import db
    from server.rollups import rebuild as rebuild_module

    held: list[float] = []
    staging = getattr(rebuild_module, "staging", None)  # None: the older whole-lock rebuild
    if staging is not None:
        add_difference = staging.add_difference

        def timed_difference(connection, live, temp):
            t0 = time.perf_counter()
            add_difference(connection, live, temp)
            held.append(time.perf_counter() - t0)

        staging.add_difference = timed_difference

    quiet: list[float] = []
    stop = threading.Event()
    phone = threading.Thread(target=_syncs, args=(app, args.batch, stop, quiet))
    phone.start()
    time.sleep(5)
    stop.set()
    phone.join()

    during: list[float] = []
    stop = threading.Event()
    phone = threading.Thread(target=_syncs, args=(app, args.batch, stop, during))
    with app.app_context():
        phone.start()
        t0 = time.perf_counter()
        counted = rebuild_module.rebuild()
        took = time.perf_counter() - t0
        stop.set()
        phone.join()
        dialect = db.engine.dialect.name
        db.session.remove()
    wrote = f"the difference written in {sum(held):.2f} s" if staging else "one write"
    print(f"{dialect}: rebuild of {counted:,} submissions in {took:.1f} s "
          f"({wrote})")
    print(f"syncs of {args.batch} without a rebuild: {_summary(quiet)}")
    print(f"syncs of {args.batch} during the rebuild: {_summary(during)}")
    if during and quiet:
        print(f"longest sync during the rebuild / median without: "
              f"{max(during) / statistics.median(quiet):.1f}x")


if __name__ == "__main__":
    main()
