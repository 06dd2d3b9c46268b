"""Commitment rules without the console: amounts as typed, late worked out from the due
date (set or computed, counted by area), dates in the CSV, and evidence files that the
media clean-up keeps."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from server.attachments.cleanup import run_cleanup
from server.attachments.services import media_store
from server.commitments.amounts import parse_amount
from server.commitments.errors import FieldError
from server.commitments.evidence import store_evidence
from server.commitments.importer import parse_day
from server.commitments.models import Actor, Commitment, CommitmentUpdate
from server.commitments.status import count_late, effective_status
from server.extensions import db
from server.plans.models import Project

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("typed", "amount"), [
    ("150000", Decimal("150000")), ("150000.5", Decimal("150000.5")),
    ("S/ 1 250 000,00", Decimal("1250000.00")), ("PEN 12", Decimal("12")),
    ("S/. 99,90", Decimal("99.90")), ("1,250,000", None), ("-5", None), ("diez", None),
    ("1.234,5", None), ("", None),
])
def test_amounts_as_people_type_them(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-09-30", date(2026, 9, 30)), ("30/09/2026", date(2026, 9, 30)),
    ("1/2/2027", date(2027, 2, 1)), ("31/02/2027", None), ("2027-13-01", None), ("ayer", None),
])
def test_csv_dates(typed, day):
    assert parse_day(typed) == day


def test_late_is_set_or_worked_out_from_the_due_date():
    def made(status, due):
        return Commitment(status=status, due_date=due)

    yesterday, tomorrow = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    assert effective_status(made("pending", yesterday), TODAY) == "late"
    assert effective_status(made("in_progress", yesterday), TODAY) == "late"
    assert effective_status(made("in_progress", TODAY), TODAY) == "in_progress"
    assert effective_status(made("pending", tomorrow), TODAY) == "pending"
    assert effective_status(made("pending", None), TODAY) == "pending"
    assert effective_status(made("fulfilled", yesterday), TODAY) == "fulfilled"
    assert effective_status(made("dropped", yesterday), TODAY) == "dropped"
    assert effective_status(made("late", tomorrow), TODAY) == "late"


def test_late_commitments_are_counted_by_area(app, demo):
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "MOQ-AGU-001"))
        actor = db.session.scalar(select(Actor).where(Actor.code == "gore-cajamarca"))
        before = {area: count_late(area, TODAY) for area in ((), ("180000",), ("060000",))}
        for code, status, due in (("T-1", "pending", TODAY - timedelta(days=1)),
                                  ("T-2", "late", None), ("T-3", "pending", TODAY),
                                  ("T-4", "fulfilled", TODAY - timedelta(days=9))):
            db.session.add(Commitment(code=code, project_id=project.id, actor_id=actor.id,
                                      what_es="x", status=status, due_date=due))
        db.session.commit()
        assert count_late((), TODAY) == before[()] + 2
        assert count_late(("180000",), TODAY) == before[("180000",)] + 2
        assert count_late(("180200",), TODAY) >= 2  # Ichuña is in General Sánchez Cerro
        assert count_late(("060000",), TODAY) == before[("060000",)]


def upload(data: bytes, name: str, mimetype: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type=mimetype)


def test_evidence_is_checked_before_it_is_stored(app):
    with app.test_request_context():
        for data, name, mimetype in ((b"", "a.pdf", "application/pdf"),
                                     (b"<html>", "a.pdf", "application/pdf"),
                                     (b"MZ", "a.exe", "application/x-msdownload")):
            with pytest.raises(FieldError) as refused:
                store_evidence(upload(data, name, mimetype))
            assert refused.value.field == "evidence"
        stored = store_evidence(upload(b"%PDF-1.4 ok", "C:\\actas\\acta.pdf", "application/pdf"))
        assert stored.name == "acta.pdf"
        assert media_store().exists(hashlib.sha256(b"%PDF-1.4 ok").hexdigest())


def test_the_media_clean_up_keeps_evidence_files(app, demo):
    with app.test_request_context():
        kept = store_evidence(upload(b"%PDF-1.4 kept", "acta.pdf", "application/pdf"))
        loose = store_evidence(upload(b"%PDF-1.4 loose", "otra.pdf", "application/pdf"))
        commitment = db.session.scalar(select(Commitment).where(Commitment.code == "CAJ-C01"))
        db.session.add(CommitmentUpdate(commitment=commitment, on_date=TODAY, text_es="x",
                                        evidence_sha256=kept.sha256, evidence_name=kept.name,
                                        evidence_type=kept.content_type))
        db.session.commit()
        run_cleanup(dry_run=False, grace_days=1, now=datetime.now(UTC) + timedelta(days=30))
        assert media_store().exists(kept.sha256)
        assert not media_store().exists(loose.sha256)
