"""Scale-out: 1 vs 2 app servers on PostgreSQL behind the repo's nginx, with rate limits and
jobs in Redis and media in an S3 server (moto), set up as tests/scale sets them up.

Usage: .venv/bin/python bench/scale.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/willay_bench
       [--redis-url redis://127.0.0.1:6379/2] [--phones 50] [--seconds 20] [--batch 10]
       [--think 0] [--layouts 1x2,2x2] [--repeat 3]

A layout is app servers x gunicorn workers each: `1x2,2x2` compares one server with two,
`1x4,2x2` the same number of worker processes split over one or two servers. For each repeat
and each layout it empties the database (DROP SCHEMA public),
starts the cluster, pairs `--phones` devices, and lets them sync through nginx (tests/scale/
fleet.py): each phone sends `--batch` new household submissions, waits `--think` seconds
after the answer (0: a closed loop, the most the set-up takes), and so on for `--seconds`.
It prints requests/s and submissions/s answered 200, latency percentiles of those requests,
the errors (anything but 200: refusals, gateway errors, broken connections) and checks that
every submission is stored exactly once. The machine is shared and noisy: compare ratios
measured in one run, and repeat.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

BENCH = Path(__file__).resolve().parent
# this file's own folder off the path: here `scale` is tests/scale, not this script
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(BENCH.parent / "tests"))
from scale.accounts import paired_tokens  # noqa: E402  (the test's own set-up)
from scale.cluster import Cluster  # noqa: E402
from scale.fleet import Fleet, Tally  # noqa: E402
from testapp import make_app, reset_postgres  # noqa: E402


def stored_rows(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*), count(DISTINCT uuid) FROM submissions "
                                 "WHERE app_version = 'scale'")).one()
    engine.dispose()
    return rows[0], rows[1]


def one_run(args, layout: str, workdir: Path) -> dict:
    instances, workers = (int(n) for n in layout.split("x"))
    reset_postgres(args.database_url)
    cluster = Cluster(args.database_url, args.redis_url, workdir / f"run{layout}",
                      instances=instances, workers=workers)
    try:
        cluster.start()
        app = make_app(args.database_url, workdir / f"control{layout}")
        with app.app_context():
            from server.extensions import db

            tokens = [token for _id, token in paired_tokens(args.phones, "bench")]
            db.session.commit()
            assert db.session.scalar(select(func.count()).select_from(
                db.metadata.tables["devices"])) >= args.phones
            db.engine.dispose()
        fleet = Fleet(cluster.url, tokens, think=(args.think, args.think),
                      batch=(args.batch, args.batch))
        tally = fleet.run(args.seconds, drain=30)
    finally:
        cluster.stop()
    rows, distinct = stored_rows(args.database_url)
    return summarise(tally, layout, rows, distinct, args.batch)


def summarise(tally: Tally, layout: str, rows: int, distinct: int, batch: int) -> dict:
    ok = tally.statuses[200]
    return {"layout": layout, "requests_s": ok / tally.seconds,
            "items_s": len(tally.kept) / tally.seconds,
            "p50": tally.percentile(0.50) * 1000, "p95": tally.percentile(0.95) * 1000,
            "p99": tally.percentile(0.99) * 1000, "errors": tally.errors,
            "error_kinds": {str(k): v for k, v in tally.statuses.items() if k != 200},
            "exactly_once": rows == distinct == len(tally.created) and not tally.unsent
            and not tally.rejected, "batch": batch}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL; emptied each run")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2",
                        help="a Redis database of its own (flushed each run)")
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--layouts", default="1x2,2x2",
                        help="servers x workers per server, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("scale-out runs on PostgreSQL")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    layouts = args.layouts.split(",")
    if not all(re.fullmatch(r"[1-9]x[1-9]", layout) for layout in layouts):
        parser.error("a layout is servers x workers, e.g. 2x2")
    results: dict[str, list[dict]] = {layout: [] for layout in layouts}
    with tempfile.TemporaryDirectory(prefix="willay-scale-") as tmp:
        for run in range(args.repeat):
            for layout in layouts:
                result = one_run(args, layout, Path(tmp) / f"r{run}")
                results[layout].append(result)
                print(f"run {run + 1} servers x workers {layout}: "
                      f"{result['requests_s']:.0f} req/s "
                      f"{result['items_s']:.0f} subm/s p50={result['p50']:.0f} ms "
                      f"p95={result['p95']:.0f} ms p99={result['p99']:.0f} ms "
                      f"errors={result['errors']} {result['error_kinds'] or ''} "
                      f"exactly once: {result['exactly_once']}", flush=True)
    print(f"\nmedian of {args.repeat} runs, {args.phones} phones, batch {args.batch}, "
          f"think {args.think} s, through nginx")
    print("| servers x workers | requests/s | submissions/s | p50 ms | p95 ms | p99 ms "
          "| errors |")
    print("|---|---|---|---|---|---|---|")
    for n, runs in results.items():
        def med(key: str, runs=runs) -> float:
            return statistics.median(r[key] for r in runs)

        print(f"| {n} | {med('requests_s'):.0f} | {med('items_s'):.0f} | {med('p50'):.0f} | "
              f"{med('p95'):.0f} | {med('p99'):.0f} | {sum(r['errors'] for r in runs)} |")
    return 0 if all(r["exactly_once"] for runs in results.values() for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
