"""Survey drafts that use files (a CSV list, an audio prompt, a choice image), and small
real files of each kind, for the console's survey-file and preview tests."""

from __future__ import annotations

import io
import struct
import zlib

CODE = "aldeas"


def text(es: str, qu: str) -> dict:
    return {"es": es, "qu": qu}


def definition() -> dict:
    return {
        "languages": ["es", "qu"], "default_language": "es",
        "title": text("Aldeas y agua", "Llaqtakuna yakupas"),
        "pages": [{"id": "p1", "questions": [
            {"id": "village", "type": "select_one",
             "label": text("¿En qué aldea vives?", "¿Mayqin llaqtapitaq tiyanki?"),
             "choices_from": {"file": "villages.csv", "value": "name", "label": "label"},
             "media": {"audio": {"es": "village_es.mp3"}}},
            {"id": "water", "type": "select_one",
             "label": text("¿Tienes agua en casa?", "¿Wasiykipi yaku kanchu?"),
             "choices": [
                 {"value": "yes", "label": text("Sí", "Arí"),
                  "media": {"image": {"es": "tap.png"}}},
                 {"value": "no", "label": text("No", "Manam")}]},
        ]}],
    }


def make_draft(app, defn: dict | None = None, code: str = CODE):
    """Save `defn` as the draft of survey `code`; returns the version number."""
    from server.surveys.services import save_uploaded_draft

    with app.app_context():
        version = save_uploaded_draft(code, defn or definition(), for_promoters=True, user=None)
        return version.number


def publish_directly(app, code: str = CODE) -> None:
    """Mark the newest version published (what the Publish button does once the
    definition validates; the validation itself is tested with the survey service)."""
    from server.db_types import utcnow
    from server.extensions import db
    from server.surveys.services import get_survey

    with app.app_context():
        version = get_survey(code).versions[-1]
        version.status, version.published_at = "published", utcnow()
        db.session.commit()


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(row) for row in rows) + "\n").encode()


GOOD_CSV = csv_bytes([["name", "label::es", "label::qu", "district"],
                      ["carumas", "Carumas", "Karumas", "180102"],
                      ["cuchumbaya", "Cuchumbaya", "Kuchumbaya", "180103"]])


def png_bytes(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    """A real (tiny, grey) PNG; `padding` adds an ancillary chunk to make it large."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    extra = chunk(b"tEXt", b"c\x00" + b"x" * padding) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                               0, 0, 0))
            + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 400
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 300  # the EBML header a recording starts with


def upload(console, code: str, number: int, files: list[tuple[str, bytes]], **kwargs):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return console.post(f"/console/surveys/{code}/versions/{number}/files", data,
                        content_type="multipart/form-data", **kwargs)
