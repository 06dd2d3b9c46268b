"""Peak memory of an export worker, every format, at a million submissions.

Usage: .venv/bin/python bench/export_memory.py [--rows 1000000] [--workdir DIR]
       [--formats csv,xlsx,jsonl,geojson,zip] [--json]

The data is bench/export.py's synthetic household survey, generated once into `--workdir`
(default `bench/.cache/export-1m`, or `export-<rows>`; git ignores it): about 4–7 minutes
for a million rows here, then reused by both benches. Each format is exported in a fresh subprocess,
through `server.exports.services.start_export` as a background job or `willay export` runs
it, into a file; the child reports its own peak resident memory (VmHWM) and its baseline
(the peak once the app is loaded). `zip` is the CSV with media (the ZIP writer, its
deflated data file and the media list kept on disk).

Target (issue 11): peak RSS ≤ 150 MB for every format at 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import export as bench  # noqa: E402 - bench/export.py, found through the path above

LIMIT_MB = 150
SURVEY = "moq-household"


def run_child(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir)
    app = bench.make_app(workdir, args.database_url)
    baseline = bench.peak_rss_mb()
    from server.audit.models import AuditEvent
    from server.exports.options import ExportOptions
    from server.exports.services import start_export
    from server.extensions import db
    from server.submissions.filters import SubmissionFilter

    export_format, media = args.child, False
    if export_format == "zip":
        export_format, media = "csv", True
    out = workdir / f"memory.{args.child}"
    began = time.perf_counter()
    with app.app_context():
        options = ExportOptions(SubmissionFilter(survey=SURVEY), export_format, media=media)
        download = start_export(options, actor="bench")
        with out.open("wb") as handle:
            for chunk in download.chunks:
                handle.write(chunk)
        rows = db.session.get(AuditEvent, download.event_id).details["rows"]
    seconds = time.perf_counter() - began
    print(json.dumps({"format": args.child, "rows": rows, "seconds": seconds,
                      "bytes": out.stat().st_size, "peak_rss_mb": bench.peak_rss_mb(),
                      "baseline_rss_mb": baseline}))
    out.unlink()


def measure(what: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", what, "--workdir", str(args.workdir),
               "--database-url", args.database_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--formats", default="csv,xlsx,jsonl,geojson,zip")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workdir is None:
        size = "1m" if args.rows == 1_000_000 else str(args.rows)
        args.workdir = str(ROOT / "bench" / ".cache" / f"export-{size}")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.database_url is None:
        args.database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    if args.child:
        run_child(args)
        return
    bench.generate(bench.make_app(workdir, args.database_url), args.rows)
    results = []
    for what in args.formats.split(","):
        result = measure(what, args)
        result["within_target"] = result["peak_rss_mb"] <= LIMIT_MB
        results.append(result)
        if not args.json:
            print(f"{what:8} {result['rows']:>9,} rows  {result['seconds']:7.1f} s  "
                  f"{result['bytes'] / 1e6:8.1f} MB written  peak RSS "
                  f"{result['peak_rss_mb']:6.1f} MB (baseline "
                  f"{result['baseline_rss_mb']:.1f})  "
                  f"{'ok' if result['within_target'] else 'OVER ' + str(LIMIT_MB)}",
                  flush=True)
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
