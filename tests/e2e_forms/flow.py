"""The steps every end-to-end form test takes: import a corpus XLSForm with its files as
the console does, publish it; on the phone, open a new interview, go through its pages,
finish; then read what the server stored and export it (CSV ZIP, XLSX, JSON Lines) and
parse the files back."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect
from xlsform import corpus

PHONE_FORMS = corpus.NAMES
NEXT = re.compile(r"^(Siguiente|Qatiqman)$")
FINISH = re.compile(r"^Terminar y guardar$")


@dataclass
class Server:
    live: object  # tests/live.py LiveServer
    app: object  # a Flask app on the same database and media directory
    base: Path

    @property
    def url(self) -> str:
        return self.live.url

    def submission(self, code: str, timeout: float = 30) -> dict:
        """Wait until a submission of `code` is stored; its answers, meta and names."""
        from server.extensions import db
        from server.submissions.models import Submission
        from server.surveys.models import Survey

        deadline = time.monotonic() + timeout
        while True:
            with self.app.app_context():
                sub = db.session.scalars(
                    db.select(Submission).join(Survey, Survey.id == Submission.survey_id)
                    .where(Survey.code == code).order_by(Submission.id.desc())).first()
                if sub is not None:
                    out = {"id": sub.id, "uuid": str(sub.uuid), "answers": dict(sub.answers),
                           "instance_name": sub.instance_name, "language": sub.language,
                           "district": sub.district_ubigeo,
                           "personal": dict(sub.personal.answers) if sub.personal else {}}
                    db.session.remove()
                    return out
                db.session.remove()
            if time.monotonic() > deadline:
                raise AssertionError(f"no submission of {code} arrived")
            time.sleep(0.2)

    def export(self, code: str, export_format: str, labels: str = "codes") -> bytes:
        """The console's export of one survey (all its submissions), as bytes."""
        from server.exports.options import ExportOptions
        from server.exports.services import start_export
        from server.submissions.filters import SubmissionFilter

        with self.app.test_request_context("/", headers={"Accept-Language": "es-PE"}):
            options = ExportOptions(SubmissionFilter.from_args({"survey": code}),
                                    export_format, labels, True, False)
            download = start_export(options, actor="cli", personal_allowed=True)
            return b"".join(download.chunks)


def publish_corpus(server: Server, names=PHONE_FORMS) -> None:
    """Import each corpus form and its files with the services behind the console's
    upload pages, and publish it."""
    from server.extensions import db
    from server.survey_files.services import attach_files
    from server.surveys.services import get_survey, publish_with_audit, save_uploaded_draft
    from server.xlsform import import_xlsform

    with server.app.test_request_context("/", headers={"Accept-Language": "es-PE"}):
        for name in names:
            result = import_xlsform(corpus.build(name), f"{name}.xlsx")
            assert result.readable, (name, [str(p.message) for p in result.errors])
            version = save_uploaded_draft(
                result.code, result.definition, for_promoters=True, user=None,
                source=(result.source_name, result.source_bytes, result.xform))
            db.session.commit()
            uploads = [(n, io.BytesIO(b)) for n, b in corpus.files(name).items()]
            if uploads:
                kept, refused = attach_files(version, uploads, None)
                assert not refused, (name, refused)
            publish_with_audit(get_survey(result.code), None)
        db.session.remove()


def code_of(name: str) -> str:
    return {"basic": "basico", "repeats": "repeticiones", "calculates": "calculos",
            "cascade": "cascada", "from_file": "desde_archivo", "media": "medios",
            "or_other": "otro", "types": "tipos", "appearances": "apariencias",
            "instance_name": "nombre_entrevista", "defaults": "valores",
            "languages": "idiomas", "trigger": "disparador", "household": "hogares_2026",
            "large": "grande"}[name]


@dataclass
class Phone:
    page: Page
    context: BrowserContext
    server: Server

    def new(self, code: str) -> Page:
        """From the home screen, a new interview of `code` (version 1)."""
        page = self.page
        page.goto(f"{self.server.url}/app/#/")
        link = page.locator(f"a[href='#/new/{code}/1']")
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_text(re.compile(r"^Paso 1 de \d+$"))).to_be_visible()
        return page

    def next(self) -> None:
        self.page.get_by_role("button", name=NEXT).click()

    def to_review(self) -> None:
        """Next until the "check and finish" step."""
        page = self.page
        for _ in range(30):
            if page.get_by_role("button", name=FINISH).count():
                return
            self.next()
        raise AssertionError("the review step never came")

    def finish(self, district: str = "Carumas", province: str = "Mariscal Nieto") -> None:
        """Finish from the review step, naming the interview's district there when the
        form has no place question (the phone offers the last one chosen); waits for
        "Interview saved"."""
        page = self.page
        self.to_review()
        picker = page.locator("[data-key='meta.district']")
        if picker.count():
            # the department stays a choice, also when the last interview's is offered
            picker.get_by_label("Departamento").select_option(label="Moquegua")
            picker.get_by_label("Provincia").select_option(label=province)
            picker.get_by_label("Distrito", exact=True).select_option(label=district)
        page.get_by_role("button", name=FINISH).click()
        expect(page.get_by_role("heading", name="Entrevista guardada")).to_be_visible()

    def fits(self, width: int = 360) -> None:
        """Nothing wider than the phone's screen."""
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width


# ---- reading exports back ---------------------------------------------------------------

def csv_tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    """A CSV export: one table, or a ZIP of tables (main and one per repeat) by file name."""
    def rows(text: bytes) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"), newline="")))

    if data[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(data))
        return {name: rows(archive.read(name)) for name in archive.namelist()
                if name.endswith(".csv")}
    return {"main": rows(data)}


def xlsx_sheets(data: bytes) -> dict[str, list[dict[str, object]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    out = {}
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            out[sheet.title] = []
            continue
        head = [str(h) if h is not None else "" for h in values[0]]
        out[sheet.title] = [dict(zip(head, row, strict=False)) for row in values[1:]]
    return out


def jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def exported(server: Server, code: str) -> dict:
    """The three exports of `code`, parsed: {"csv": tables, "xlsx": sheets, "jsonl": lines}."""
    return {"csv": csv_tables(server.export(code, "csv")),
            "xlsx": xlsx_sheets(server.export(code, "xlsx")),
            "jsonl": jsonl(server.export(code, "jsonl"))}
