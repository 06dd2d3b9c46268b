"""The audit log speaks the console's language: every action the code records has a label,
and details read as words (no English keys, no raw codes)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from server.audit.models import AuditEvent
from server.console.audit_words import action_labels, detail_labels
from server.extensions import db

SERVER = Path(__file__).resolve().parents[2] / "server"
# record("x", ...), _audit("x", ...), and the "a" if ... else "b" form of the SMS contacts
CALL = re.compile(r'\b(?:record|_audit)\(\s*"([a-z_]+)"(?:\s+if\s.+?\selse\s+"([a-z_]+)")?')
# actions other helpers add in this session; labelled here so their entries read as words
COMING = {"media_cleanup", "media_migrate", "export_download", "export_started"}


def recorded_actions() -> set[str]:
    found = set()
    for path in SERVER.rglob("*.py"):
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            found.update(name for name in match.groups() if name)
    return found


def test_the_scan_finds_the_actions_it_should():
    found = recorded_actions()
    assert {"sign_in", "review", "device_enrol", "sms_block", "sms_unblock",
            "survey_prompt", "media_cleanup"} <= found


def test_every_recorded_action_has_a_label(app):
    with app.test_request_context():
        labels = action_labels()
    missing = sorted((recorded_actions() | COMING) - set(labels))
    assert not missing, f"audit actions without a label in server/console/audit_words.py: {missing}"


@pytest.fixture
def admin(app, console_as):
    client = console_as("admin")
    with app.app_context():
        db.session.execute(AuditEvent.__table__.delete())
        db.session.commit()
    return client


EVENTS = [
    ("review", {"submission": 12, "from": "new", "to": "verified", "comment": "visto"}),
    ("reply", {"submission": 12, "languages": ["es", "qu"], "status": "answered",
               "reply": {"es": "Gracias", "qu": "Sulpayki"}}),
    ("conflict_resolve", {"conflict": 3, "submission": 12, "note": "", "decision": "keep_stored"}),
    ("survey_link", {"action": "renew"}),
    ("survey_file", {"version": 2, "name": "logo.png", "action": "replace"}),
    ("export", {"format": "csv", "labels": True, "personal": False, "media": False,
                "rows": 40, "completed": True, "filters": {"survey": "s1", "place": "180100"},
                "job": 5}),
    ("media_cleanup", {"removed": 3, "bytes": 3_500_000, "grace_days": 7, "checked": 10}),
    ("plan_import", {"file": "p.csv", "created": 2, "updated": 1}),
]


def test_details_read_as_words_in_spanish(app, admin):
    at = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    with app.app_context():
        db.session.execute(insert(AuditEvent), [
            {"at": at, "actor": "ana@example.org", "action": action, "target": "x",
             "details": details} for action, details in EVENTS])
        db.session.commit()
    page = admin.get("/console/audit?lang=es").get_data(as_text=True)
    table = page[page.index("<tbody>"):]
    # words already in the catalogs (the new labels follow once the lead merges
    # translations/pending/h8.json; their presence is checked above)
    for words in ("Respuesta a un poblador", "Conflicto resuelto", "Recibido → Verificado",
                  "Castellano, Quechua", "Encuesta: s1", "Lugar: 180100", "Castellano: Gracias",
                  "Versión", "Archivo", "Filas", "Formato", "3.3 MB"):
        assert words in table, words
    assert 'href="/console/submissions/12"' in table  # the event leads to the submission
    for code in (">keep_stored<", ">verified<", ">renew<", ">replace<", ">grace_days<", ">survey:",
                 ">from<", ">to<", "es: Gracias", ">True<", ">False<"):
        assert code not in table, code


def test_every_detail_key_the_code_records_has_a_label(app):
    # keys written as "key": value inside the details of record() calls
    keys = set()
    for path in SERVER.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\brecord\(.*?\)\n", text, re.S):
            keys.update(re.findall(r'"([a-z_]+)":', call.group(0)))
    keys |= {"format", "labels", "filters", "personal", "media", "rows", "completed",
             "repeat_rows", "new_code", "previous_state", "label", "promoter"}
    with app.test_request_context():
        labels = detail_labels()
    assert not sorted(keys - set(labels) - {"changes"})
