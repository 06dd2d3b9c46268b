"""Export throughput and memory at a million submissions, beside a raw SELECT + csv.writer.

Usage: .venv/bin/python bench/export.py [--rows 1000000] [--workdir DIR] [--database-url URL]
       [--repeat 1] [--formats csv,xlsx,roster-csv,roster-xlsx] [--json] [--no-pages]

1. Generates `--rows` synthetic household-survey submissions in a separate database (a SQLite
   file in `--workdir` by default; PostgreSQL with `--database-url`, whose public schema is
   dropped) with SQLAlchemy Core executemany. A workdir that already holds that many rows is
   reused, so repeated runs skip this step.
2. In a fresh subprocess each, so peak RSS belongs to one measurement: the *ceiling* (a raw
   SELECT of the same submission columns through the DB-API cursor, written with csv.writer),
   then the real CSV and XLSX exports (`server.exports`, the code behind the console page and
   `willay export`). Each child reports rows/s of wall time and of its own CPU time (on a
   shared machine the CPU-time ratio moves far less than the wall-time one), its own peak
   RSS (VmHWM), and the baseline: its peak right after the app was created.
   `roster-csv` and `roster-xlsx` export a household roster with repeats two deep
   (members, each with vaccinations), --rows/10 households of 1-6 members and 0-3
   vaccinations each, generated on first use: the ZIP of linked CSV tables and the
   workbook with a sheet per repeat, written in one pass (rows/s counts households).
3. Times the console's submissions list (first page) and dashboard through the Flask test
   client, signed in as an admin: the first (cold) request and the median of 5 more.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTRICTS = ["180101", "180102", "180103", "180104", "180105", "180106", "180201", "180202",
             "180203", "180204", "180205", "180206", "180207", "180208", "180209", "180210",
             "180211", "180301", "180302", "180303"]
PROJECTS = ["MOQ-AGU-001", "MOQ-RIE-002", "MOQ-VIA-003", "MOQ-SAL-004", "MOQ-PES-005"]
PASSWORD = "bench-password-2026"
COLUMNS = ("id, uuid, receipt_code, survey_id, version_id, received_at, started_at, "
           "completed_at, district_ubigeo, channel, device_id, language, status, project_code, "
           "theme_code, consent, answers, latitude, longitude, location_accuracy")


def environment(workdir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WILLAY_")}
    env.update(WILLAY_INSTANCE_DIR=str(workdir), WILLAY_DATABASE_URL=database_url,
               WILLAY_MEDIA_DIR=str(workdir / "media"), WILLAY_LOG_LEVEL="WARNING")
    return env


def make_app(workdir: Path, database_url: str):
    os.environ.update(environment(workdir, database_url))
    from server import create_app

    return create_app()


# --- 1. synthetic data ----------------------------------------------------------------------

def _answers(rng: random.Random) -> dict:
    daily = rng.choice(["yes", "no", "sometimes"])
    knows = rng.choice(["yes", "heard", "no"])
    answers = {
        "district": rng.choice(DISTRICTS), "community": f"Anexo {rng.randint(1, 300)}",
        "household_size": rng.randint(1, 12),
        "water_source": rng.choice(["network_home", "standpipe", "spring", "river", "well"]),
        "water_daily": daily,
        "water_problems": rng.choice([["none"], ["pipe"], ["tank", "dirty"]]),
        "knows_projects": knows, "rainy_road": rng.choice(["good", "difficult", "cut_off"]),
        "health_minutes": rng.randint(5, 240),
        "activities": rng.sample(["agriculture", "livestock", "alpaca", "commerce"], 2),
        "consent": "no",
    }
    if daily != "yes":
        answers["water_hours"] = rng.randint(0, 24)
    if knows == "yes":
        answers.update(project=rng.choice(PROJECTS), project_rating=rng.randint(1, 5))
    return answers


def generate(app, rows: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from server.demo.loader import HOUSEHOLD, load_demo
    from server.devices.services import enrol_device
    from server.extensions import db
    from server.places.loader import load_places
    from server.submissions.models import Submission
    from server.surveys.models import Survey, SurveyVersion
    from server.users.services import create_user

    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count()).select_from(Submission))
        if have >= rows:
            print(f"reusing {have:,} submissions", file=sys.stderr)
            return
        if have:
            raise SystemExit("the workdir holds fewer rows than asked: use another --workdir")
        load_places()
        load_demo()
        device = enrol_device("Bench phone", "Promotora Bench").device
        create_user("bench-admin@example.org", "Bench", "admin", PASSWORD)
        survey_id, version_id = db.session.execute(
            select(Survey.id, SurveyVersion.id).join(SurveyVersion)
            .where(Survey.code == HOUSEHOLD)).one()
        device_id = device.id
        db.session.commit()
        rng = random.Random(2026)
        pool = [_answers(rng) for _ in range(997)]
        start = datetime(2026, 1, 1, tzinfo=UTC)
        table = Submission.__table__
        began = time.perf_counter()
        for first in range(0, rows, 10_000):
            chunk = []
            for n in range(first, min(rows, first + 10_000)):
                answers = pool[n % len(pool)]
                received = start + timedelta(seconds=n * 29)
                chunk.append({
                    "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "survey_id": survey_id, "version_id": version_id, "channel": "device",
                    "device_id": device_id, "answers": answers, "content_hash": f"{n:064x}",
                    "language": "qu" if n % 3 else "es",
                    "district_ubigeo": answers["district"],
                    "started_at": received - timedelta(minutes=25),
                    "completed_at": received - timedelta(minutes=5), "received_at": received,
                    "latitude": -17.19 + (n % 100) / 1000, "longitude": -70.93,
                    "location_accuracy": 10.0, "consent": True, "app_version": "bench",
                    "status": ("new", "verified", "flagged")[n % 3],
                    "receipt_code": f"B{n:09d}", "project_code": answers.get("project"),
                    "theme_code": None, "search_text": answers["community"].lower()})
            db.session.execute(insert(table), chunk)
            db.session.commit()
        print(f"generated {rows:,} submissions in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)


ROSTER = "bench-roster"
ROSTER_DEFINITION = {
    "languages": ["es"], "title": {"es": "Padrón (bench)"},
    "instance_name": "concat(${HH_name}, ' — ', ${village})",
    "pages": [{"id": "p1", "questions": [
        {"id": "HH_name", "type": "text", "label": {"es": "Apellido"}},
        {"id": "village", "type": "text", "label": {"es": "Anexo"}},
        {"id": "members", "type": "repeat", "label": {"es": "Persona"}, "questions": [
            {"id": "m_name", "type": "text", "label": {"es": "Nombre"}},
            {"id": "m_pos", "type": "calculate", "calculation": "position(..)"},
            {"id": "sex", "type": "select_one", "label": {"es": "Sexo"},
             "choices": [{"value": "f", "label": {"es": "Mujer"}},
                         {"value": "m", "label": {"es": "Hombre"}}]},
            {"id": "age", "type": "integer", "label": {"es": "Edad"}},
            {"id": "vaccinations", "type": "repeat", "label": {"es": "Vacuna"}, "questions": [
                {"id": "vac", "type": "select_one", "label": {"es": "Vacuna"},
                 "choices": [{"value": "bcg", "label": {"es": "BCG"}},
                             {"value": "polio", "label": {"es": "Polio"}}]},
                {"id": "vac_date", "type": "date", "label": {"es": "Fecha"}}]}]},
        {"id": "adults", "type": "calculate", "calculation": "count(${age})"}]}]}


def _household(rng: random.Random) -> dict:
    members = [{"m_name": f"Persona {n}", "m_pos": str(n), "sex": rng.choice("fm"),
                "age": rng.randint(0, 90),
                "vaccinations": [{"vac": rng.choice(["bcg", "polio"]),
                                  "vac_date": f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1"
                                              f"{rng.randint(0, 9)}"}
                                 for _ in range(rng.randint(0, 3))]}
               for n in range(1, rng.randint(1, 6) + 1)]
    return {"HH_name": rng.choice(["Quispe", "Mamani", "Condori", "Huamán"]),
            "village": f"Anexo {rng.randint(1, 300)}", "members": members,
            "adults": str(sum(1 for m in members if m["age"] >= 18))}


def generate_roster(app, rows: int) -> None:
    """The roster survey and its households, once per workdir (the definition is put in
    directly: the bench measures exports, not publishing)."""
    from sqlalchemy import func, insert, select

    from server.extensions import db
    from server.jsonutil import digest
    from server.submissions.models import Submission
    from server.surveys.models import Survey, SurveyVersion

    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == ROSTER))
        if survey is not None:
            return
        survey = Survey(code=ROSTER, title=ROSTER_DEFINITION["title"], for_promoters=True)
        db.session.add(survey)
        db.session.flush()
        version = SurveyVersion(survey_id=survey.id, number=1, status="published",
                                definition=ROSTER_DEFINITION,
                                digest=digest(ROSTER_DEFINITION))
        db.session.add(version)
        db.session.flush()
        survey_id, version_id = survey.id, version.id
        db.session.commit()
        offset = db.session.scalar(select(func.count()).select_from(Submission))
        rng = random.Random(12)
        pool = [_household(rng) for _ in range(499)]
        start = datetime(2026, 1, 1, tzinfo=UTC)
        table = Submission.__table__
        for first in range(0, rows, 10_000):
            chunk = []
            for n in range(first, min(rows, first + 10_000)):
                answers = pool[n % len(pool)]
                received = start + timedelta(seconds=n * 290 + 7)
                chunk.append({
                    "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "survey_id": survey_id, "version_id": version_id, "channel": "device",
                    "device_id": None, "answers": answers,
                    "content_hash": f"{offset + n:064x}", "language": "es",
                    "district_ubigeo": DISTRICTS[n % len(DISTRICTS)],
                    "received_at": received, "status": "new",
                    "instance_name": f"{answers['HH_name']} — {answers['village']}",
                    "receipt_code": f"R{n:09d}"})
            db.session.execute(insert(table), chunk)
            db.session.commit()


# --- 2. measurements, each in its own process ------------------------------------------------

def child_ceiling(app, out: Path) -> int:
    from server.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            postgres = db.engine.dialect.name == "postgresql"
            cursor = raw.cursor(name="ceiling") if postgres else raw.cursor()
            cursor.execute(f"SELECT {COLUMNS} FROM submissions ORDER BY id")
            count = 0
            with out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS.split(", "))
                while batch := cursor.fetchmany(2000):
                    writer.writerows(batch)
                    count += len(batch)
            cursor.close()
        finally:
            raw.close()
    return count


def child_export(app, out: Path, export_format: str) -> int:
    from server.exports.options import ExportOptions
    from server.exports.services import start_export
    from server.submissions.filters import SubmissionFilter

    survey = "moq-household"
    if export_format.startswith("roster-"):
        survey, export_format = ROSTER, export_format.removeprefix("roster-")
    with app.app_context():
        options = ExportOptions(SubmissionFilter(survey=survey), export_format)
        download = start_export(options, actor="bench")
        with out.open("wb") as handle:
            for chunk in download.chunks:
                handle.write(chunk)
        from server.audit.models import AuditEvent
        from server.extensions import db

        return db.session.get(AuditEvent, download.event_id).details["rows"]


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own memory map;
    ru_maxrss would also count the parent's memory at fork time."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir)
    app = make_app(workdir, args.database_url)
    baseline = peak_rss_mb()
    out = workdir / f"out.{args.child}"
    began, cpu_began = time.perf_counter(), time.process_time()
    if args.child == "ceiling":
        rows = child_ceiling(app, out)
    else:
        rows = child_export(app, out, args.child)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
    print(json.dumps({"what": args.child, "rows": rows, "seconds": seconds,
                      "rows_per_s": rows / seconds, "cpu_seconds": cpu_seconds,
                      "rows_per_cpu_s": rows / cpu_seconds, "bytes": out.stat().st_size,
                      "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline}))
    out.unlink()


def measure(what: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", what, "--workdir", str(args.workdir),
               "--database-url", args.database_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- 3. console pages -------------------------------------------------------------------------

def time_pages(app) -> dict[str, dict[str, float] | str]:
    import re

    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    signed = client.post("/console/sign-in", data={
        "email": "bench-admin@example.org", "password": PASSWORD, "csrf_token": token})
    if signed.status_code != 302:
        return {"error": f"sign-in answered {signed.status_code}"}
    results: dict[str, dict[str, float] | str] = {}
    for name, url in (("submissions list", "/console/submissions"), ("dashboard", "/console/")):
        if client.get(url).status_code == 404:
            results[name] = "not built yet"
            continue
        times = []
        for _ in range(6):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                results[name] = f"HTTP {response.status_code}"
                break
        else:
            results[name] = {"cold_ms": times[0], "warm_median_ms": statistics.median(times[1:])}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", default=None, help="keep (and reuse) the data here")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-pages", action="store_true", help="skip the console pages")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workdir is None:
        args.workdir = f"/tmp/willay-bench-export-{args.rows}"
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.database_url is None:
        args.database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    if args.child:
        run_child(args)
        return
    if args.database_url.startswith("postgresql") and not (workdir / ".pg-generated").exists():
        from sqlalchemy import create_engine, text

        engine = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = make_app(workdir, args.database_url)
    generate(app, args.rows)
    if "roster-" in args.formats:
        generate_roster(app, max(1, args.rows // 10))
    if args.database_url.startswith("postgresql"):
        (workdir / ".pg-generated").touch()
    report: dict = {"rows": args.rows, "database": args.database_url.split(":", 1)[0],
                    "runs": []}
    for _ in range(args.repeat):
        run = {"ceiling": measure("ceiling", args)}
        for export_format in args.formats.split(","):
            run[export_format] = measure(export_format, args)
            run[export_format]["ratio"] = (run[export_format]["rows_per_s"]
                                           / run["ceiling"]["rows_per_s"])
            run[export_format]["cpu_ratio"] = (run[export_format]["rows_per_cpu_s"]
                                               / run["ceiling"]["rows_per_cpu_s"])
        report["runs"].append(run)
        if not args.json:
            for what, m in run.items():
                ratio = (f"  ratio {m['ratio']:.2f} (CPU time {m['cpu_ratio']:.2f})"
                         if "ratio" in m else "")
                print(f"{what:8} {m['rows']:>9,} rows  {m['rows_per_s']:>9,.0f} rows/s  "
                      f"peak RSS {m['peak_rss_mb']:6.1f} MB (baseline "
                      f"{m['baseline_rss_mb']:.1f}){ratio}", flush=True)
    report["pages"] = {} if args.no_pages else time_pages(app)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for name, value in report["pages"].items():
            if isinstance(value, dict):
                print(f"{name}: cold {value['cold_ms']:.0f} ms, warm median "
                      f"{value['warm_median_ms']:.0f} ms")
            else:
                print(f"{name}: {value}")


if __name__ == "__main__":
    main()
