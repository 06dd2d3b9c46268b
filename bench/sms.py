"""SMS conversations per second a real gunicorn sustains, and SMS segments per feedback.

Usage: .venv/bin/python bench/sms.py [--conversations 120] [--clients 6] [--workers 2]
       [--database-url URL] [--repeat 3]

Each conversation is the demo feedback form answered by signed `sms:received` webhooks, as
SMS Gateway for Android sends them, from `--clients` threads (one number per conversation,
half in Spanish, half in Quechua). The server sends its questions through the real
`android-sms-gateway` client to a gateway phone stand-in (tests/sms/gateway_phone.py), so
the measure includes the outgoing queue. Segments are counted from what was queued for
each finished conversation: questions, corrections and the receipt.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "sms")]  # (this file is "sms")
from ingest import reset_database  # noqa: E402  (bench/ingest.py, beside this file)
from live import LiveServer  # noqa: E402  (the same real gunicorn the tests use)
from resident_phone import GatewayPhone, signed  # noqa: E402

KEY = "bench-signing-key"
ANSWERS = {"es": ("OPINION", "3", "1", "Carumas", "4", "El canal ya tiene agua", "2"),
           "qu": ("RIMAY", "1", "0", "Ichuña", "2", "Yakuqa manam chayamunchu", "2")}


def conversation(url: str, index: int) -> int:
    language = "es" if index % 2 == 0 else "qu"
    number = f"+519{index:08d}"
    clock = datetime.now(UTC) - timedelta(minutes=10)
    session = requests.Session()
    for text in ANSWERS[language]:
        clock += timedelta(seconds=15)
        body = json.dumps({"event": "sms:received", "id": uuid.uuid4().hex[:21], "payload": {
            "messageId": uuid.uuid4().hex[:8], "message": text, "phoneNumber": number,
            "receivedAt": clock.isoformat()}}).encode()
        response = session.post(f"{url}/sms/webhook/android", data=body, headers=signed(
            body, key=KEY), timeout=60)
        response.raise_for_status()
    return len(ANSWERS[language])


def segments_per_feedback(url: str) -> dict[str, float]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.language, c.id, SUM(o.segments), COUNT(o.id) FROM sms_conversations c "
            "JOIN sms_outgoing o ON o.conversation_id = c.id WHERE c.state = 'finished' "
            "GROUP BY c.language, c.id")).all()
        unsent = conn.execute(text(
            "SELECT COUNT(*) FROM sms_outgoing WHERE status <> 'sent'")).scalar()
    engine.dispose()
    out: dict[str, float] = {"unsent": unsent}
    for language in ("es", "qu"):
        mine = [r for r in rows if r[0] == language]
        out[f"segments_{language}"] = statistics.mean(r[2] for r in mine) if mine else 0
        out[f"messages_{language}"] = statistics.mean(r[3] for r in mine) if mine else 0
    out["finished"] = len(rows)
    return out


def run_once(args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="willay-bench-sms-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    reset_database(url)
    phone = GatewayPhone(workdir)
    server = LiveServer(url, workdir, args.workers)
    server.env.update({"WILLAY_SMS_SEND_CHANNEL": "android",
                       "WILLAY_SMS_GATEWAY_URL": phone.url, "WILLAY_SMS_GATEWAY_LOGIN": "sms",
                       "WILLAY_SMS_GATEWAY_PASSWORD": "bench",
                       "WILLAY_SMS_GATEWAY_SIGNING_KEY": KEY,
                       "WILLAY_SMS_LIMIT_GLOBAL_MINUTE": "1000000"})
    server.willay("setup", "--no-samples")
    server.willay("sms", "enable", "moq-feedback", "--keyword", "OPINION", "--keyword",
                  "RIMAY=qu")
    try:
        phone.start()
        server.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            webhooks = sum(pool.map(lambda i: conversation(server.url, i),
                                    range(args.conversations)))
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
        phone.stop()
    figures = segments_per_feedback(url)
    shutil.rmtree(workdir, ignore_errors=True)
    return {"conversations_per_s": args.conversations / elapsed,
            "webhooks_per_s": webhooks / elapsed, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=120)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    runs = [run_once(args) for _ in range(args.repeat)]
    db = "PostgreSQL" if (args.database_url or "").startswith("postgresql") else "SQLite"
    print(f"SMS conversations on {db}, gunicorn {args.workers} workers x 4 threads, "
          f"{args.clients} clients, {args.conversations} conversations, "
          f"median of {args.repeat} runs")
    for key in ("conversations_per_s", "webhooks_per_s", "segments_es", "messages_es",
                "segments_qu", "messages_qu", "finished", "unsent"):
        values = [r[key] for r in runs]
        print(f"  {key:22} {statistics.median(values):8.2f}   runs: "
              f"{', '.join(f'{v:.2f}' for v in values)}")


if __name__ == "__main__":
    main()
