"""Issue scenario 1 through the screens: install online, go offline, reload, fill and finish
three household interviews (a photo, a voice note, a skipped branch), come back online —
exactly three arrive on the server, with their files."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pwa.fieldapp import db_call, fill_household, install_promoter, png_bytes, wait_until
from sqlalchemy import select

pytestmark = pytest.mark.browser


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's start-of-frame marker."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    raise AssertionError("no frame header")


def server_state(app):
    from server.attachments.models import Attachment
    from server.extensions import db
    from server.submissions.models import Submission

    with app.app_context():
        subs = db.session.scalars(select(Submission)).all()
        files = {a.sha256: (a.content_type, a.size) for a in db.session.scalars(select(Attachment))}
        rows = [(str(s.uuid), dict(s.answers), s.consent, s.district_ubigeo, s.latitude)
                for s in subs]
        db.session.remove()
    return rows, files


def test_three_interviews_made_offline_arrive_with_their_files(
    live_server, field_context, field_page, app, tmp_path
):
    page = field_page
    before = {row[0] for row in server_state(app)[0]}  # the demo's own submissions
    install_promoter(page, live_server)
    field_context.set_offline(True)
    page.reload()
    expect(page.locator("#send-now")).to_be_visible()
    expect(page.get_by_text("Sin señal", exact=True)).to_be_visible()

    big_photo = png_bytes(3000, 2000)
    runs = [
        {"community": "Anexo Yacango", "photo": big_photo},
        {"community": "Cambrune", "voice": True},
        {"community": "Chujulay", "location": True},
    ]
    for run in runs:
        page.get_by_role("link", name="Empezar una entrevista").click()
        fill_household(page, live_server, **run)
        page.get_by_role("link", name="Volver al inicio").click()

    counts = db_call(page, "return db.counts()")
    assert counts == {"drafts": 0, "waiting": 3, "attention": 0, "sent": 0}
    queued = set(db_call(page, "return (await db.listOutbox()).map((item) => item.uuid)"))
    assert {row[0] for row in server_state(app)[0]} == before  # nothing left while offline

    # the photo was shrunk on the phone before it was stored
    stored = db_call(
        page,
        """
        const items = await db.listOutbox();
        const out = [];
        for (const item of items) for (const sha of item.attachments) {
          const record = await db.getAttachment(sha);
          if (!record.type.startsWith("image/")) { out.push({sha, type: record.type}); continue; }
          const bitmap = await createImageBitmap(new Blob([record.bytes], {type: record.type}));
          out.push({sha, type: record.type, width: bitmap.width, height: bitmap.height});
        }
        return out;""",
    )
    photos = [s for s in stored if s["type"].startswith("image/")]
    assert len(photos) == 1
    assert photos[0]["type"] == "image/jpeg"
    assert max(photos[0]["width"], photos[0]["height"]) == 1600
    assert (photos[0]["width"], photos[0]["height"]) == (1600, 1067)  # 3:2 kept

    field_context.set_offline(False)
    wait_until(page, "import('/app/db.js').then(async (db) => (await db.counts()).sent === 3)", 60)
    expect(page.locator(".count.sent strong")).to_have_text("3")

    rows, files = server_state(app)
    rows = [row for row in rows if row[0] not in before]
    assert {row[0] for row in rows} == queued  # exactly the three, once each
    by_community = {answers["community"]: answers for _uuid, answers, _c, _d, _lat in rows}
    assert set(by_community) == {"Anexo Yacango", "Cambrune", "Chujulay"}
    with_photo = by_community["Anexo Yacango"]
    assert with_photo["water_problems"] == ["tank"]
    assert files[with_photo["problem_photo"]][0] == "image/jpeg"
    voice = by_community["Cambrune"]["voice_note"]
    assert files[voice][0].startswith("audio/") and files[voice][1] > 0
    located = {answers["community"]: lat for _uuid, answers, _c, _d, lat in rows}
    assert located == {"Anexo Yacango": None, "Cambrune": None, "Chujulay": -17.1934}
    for _uuid, answers, consent, district, _lat in rows:
        assert district == "180101"
        assert consent is False
        # the skipped branches left nothing behind
        assert "project" not in answers and "project_rating" not in answers
        assert "water_hours" not in answers
    assert "problem_photo" not in by_community["Chujulay"]
    # the file on the server is the downscaled JPEG
    saved = next(Path(tmp_path).rglob(with_photo["problem_photo"]))
    assert max(jpeg_size(saved.read_bytes())) == 1600
