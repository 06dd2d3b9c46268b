"""Attacks on the console's new pages from the security review: area limits on what a
coordinator publishes, and who may see whose export."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.portal.models import PublicSurvey
from server.surveys.models import Survey


def _survey_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Survey.id).where(Survey.code == code))


def test_a_coordinator_limited_to_a_province_cannot_publish_a_departments_results(
        app, console_as, demo):
    """Making a survey's results public speaks for its whole department (like plan-wide
    edits): a coordinator limited to one province may not, even by posting the form."""
    survey_id = _survey_id(app, "moq-feedback")
    with app.app_context():  # the demo made it public: start from private
        db.session.delete(db.session.get(PublicSurvey, survey_id))
        db.session.commit()
    limited = console_as("limited")  # General Sánchez Cerro (180200) only
    page = limited.get("/console/portal").get_data(as_text=True)
    assert f"/console/portal/surveys/{survey_id}" not in page
    assert limited.post(f"/console/portal/surveys/{survey_id}",
                        {"public": "true"}).status_code == 403
    with app.app_context():
        assert db.session.get(PublicSurvey, survey_id) is None
    # the unlimited coordinator still may
    coordinator = console_as("coordinator")
    assert f"/console/portal/surveys/{survey_id}" in coordinator.get(
        "/console/portal").get_data(as_text=True)
    coordinator.post(f"/console/portal/surveys/{survey_id}", {"public": "true"})
    with app.app_context():
        assert db.session.get(PublicSurvey, survey_id) is not None
    # nor can the limited one make it private again
    assert limited.post(f"/console/portal/surveys/{survey_id}",
                        {"public": "false"}).status_code == 403
    with app.app_context():
        assert db.session.get(PublicSurvey, survey_id) is not None


def test_a_province_limited_coordinator_adds_no_project_to_the_regional_plan(
        app, console_as, demo):
    """docs/commitments.md: new projects are a plan-wide edit (the whole department)."""
    from server.plans.models import Project

    limited = console_as("limited")  # General Sánchez Cerro (180200) only
    refused = limited.post("/console/plans/PDRC-MOQ-2033/projects/new", {
        "code": "MOQ-X-999", "name_es": "Mío", "name_qu": "Ñuqapa", "theme": "services",
        "districts": ["180203"]})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Project).where(Project.code == "MOQ-X-999")) is None


def test_a_province_limited_coordinator_cannot_rewrite_a_plan_by_csv_import(
        app, console_as, demo):
    """The projects import rewrites the plan's projects (any district): a plan-wide edit."""
    import io

    from server.plans.models import Project

    csv_file = (b"code,name_es,name_qu,theme,districts,responsible,progress_pct\n"
                b"MOQ-PES-005,Reescrito,Reescrito,services,180301,Nadie,100\n")
    limited = console_as("limited")
    refused = limited.post("/console/plans/PDRC-MOQ-2033/import",
                           {"file": (io.BytesIO(csv_file), "p.csv")},
                           content_type="multipart/form-data")
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Project.name_es).where(
            Project.code == "MOQ-PES-005")) != "Reescrito"


def test_a_public_photo_labelled_webp_must_really_be_webp(app, console_as, demo):
    """Any RIFF file (a WAV recording, an AVI) began like WebP: it would be published on the
    portal as an "image"."""
    import io

    from server.plans.models import Project
    from server.portal.models import PublicUpdate

    with app.app_context():
        project_id = db.session.scalars(select(Project.id).order_by(Project.id)).first()
    form = {"project_id": str(project_id), "on_date": "2026-11-20", "title_es": "Foto",
            "title_qu": "Rikchay", "body_es": "Texto.", "body_qu": "Qillqa."}
    coordinator = console_as("coordinator")
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
    refused = coordinator.post("/console/portal/updates/new",
                               {**form, "photo": (io.BytesIO(wav), "x.webp", "image/webp")},
                               content_type="multipart/form-data")
    assert refused.status_code == 422
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
    saved = coordinator.post("/console/portal/updates/new",
                             {**form, "photo": (io.BytesIO(webp), "x.webp", "image/webp")},
                             content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PublicUpdate.photo_type).where(
            PublicUpdate.title_es == "Foto")) == "image/webp"


def test_evidence_labelled_webp_must_really_be_webp(app):
    import io

    import pytest
    from werkzeug.datastructures import FileStorage

    from server.commitments.errors import FieldError
    from server.commitments.evidence import store_evidence

    def upload(data: bytes) -> FileStorage:
        return FileStorage(io.BytesIO(data), filename="f.webp", content_type="image/webp")

    with app.test_request_context():
        with pytest.raises(FieldError):
            store_evidence(upload(b"RIFF\x24\x00\x00\x00AVI LIST" + b"\x00" * 32))
        assert store_evidence(upload(b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32)
                              ).content_type == "image/webp"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def test_a_public_photo_is_published_without_its_camera_metadata(app, console_as, demo):
    """A phone photo carries where it was taken (EXIF GPS): the portal shows the picture
    only."""
    import io

    from server.plans.models import Project
    from server.portal.models import PublicUpdate

    exif = b"Exif\x00\x00MM\x00*GPSLatitude -17.194321 GPSLongitude -70.935512"
    scan = bytes([0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0]) + b"\x12\x34\xff\x00\x56"
    jpeg = (b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + _segment(0xE1, exif) + _segment(0xFE, b"Xiaomi 12 owner Juan Quispe")
            + _segment(0xDB, b"\x00" + bytes(64)) + scan + b"\xff\xd9")
    with app.app_context():
        project_id = db.session.scalars(select(Project.id).order_by(Project.id)).first()
    saved = console_as("coordinator").post("/console/portal/updates/new", {
        "project_id": str(project_id), "on_date": "2026-11-20", "title_es": "Foto",
        "title_qu": "Rikchay", "body_es": "Texto.", "body_qu": "Qillqa.",
        "photo": (io.BytesIO(jpeg), "canal.jpg", "image/jpeg")},
        content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        update_id = db.session.scalar(select(PublicUpdate.id).where(
            PublicUpdate.title_es == "Foto"))
    photo = app.test_client().get(f"/novedad/{update_id}/foto")
    assert photo.status_code == 200
    body = photo.data
    assert b"GPS" not in body and b"17.194321" not in body and b"Juan Quispe" not in body
    assert body.startswith(b"\xff\xd8\xff\xe0") and body.endswith(scan + b"\xff\xd9")
    assert b"JFIF" in body and _segment(0xDB, b"\x00" + bytes(64)) in body


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import zlib

    return (len(data).to_bytes(4, "big") + kind + data
            + zlib.crc32(kind + data).to_bytes(4, "big"))


def _riff_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + len(data).to_bytes(4, "little") + data + (b"\x00" if len(data) % 2 else b"")


def test_png_and_webp_photos_lose_their_metadata_too(app):
    from server.portal.photo_meta import without_metadata

    gps = b"GPSLatitude -17.194321"
    ihdr = _png_chunk(b"IHDR", bytes(13))
    idat = _png_chunk(b"IDAT", b"\x78\x9c" + bytes(10))
    png = (b"\x89PNG\r\n\x1a\n" + ihdr + _png_chunk(b"eXIf", b"MM\x00*" + gps)
           + _png_chunk(b"tEXt", b"Author\x00Juan Quispe") + idat + _png_chunk(b"IEND", b""))
    clean = without_metadata("image/png", png)
    assert clean == b"\x89PNG\r\n\x1a\n" + ihdr + idat + _png_chunk(b"IEND", b"")
    vp8x = bytearray(10)
    vp8x[0] = 0x08 | 0x04  # EXIF and XMP present
    body = (b"WEBP" + _riff_chunk(b"VP8X", bytes(vp8x)) + _riff_chunk(b"VP8 ", bytes(21))
            + _riff_chunk(b"EXIF", b"MM\x00*" + gps) + _riff_chunk(b"XMP ", b"<x>Juan</x>"))
    webp = b"RIFF" + len(body).to_bytes(4, "little") + body
    clean = without_metadata("image/webp", webp)
    assert b"GPS" not in clean and b"Juan" not in clean
    kept = b"WEBP" + _riff_chunk(b"VP8X", bytes(10)) + _riff_chunk(b"VP8 ", bytes(21))
    assert clean == b"RIFF" + len(kept).to_bytes(4, "little") + kept
