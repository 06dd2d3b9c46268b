"""Photos, voice notes and other files in every format: the file's name as it is in the ZIP
(`media/<sha256>.jpg`) and a link to it in the console, which a signed-in coordinator can
open."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from console.conftest import PASSWORD, sign_in
from exports.roster import PDF_SHA, VIDEO, VIDEO_SHA, publish_roster, store_households

from server.users.services import create_user

PUBLIC = "https://willay.example.pe"
MISSING_SHA = "ab" * 32  # an answer whose file never reached the server


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def public_url(app):
    app.config["WILLAY"]["PUBLIC_URL"] = PUBLIC + "/"  # a trailing slash is not doubled
    return PUBLIC


def test_csv_names_the_photo_as_in_the_zip_and_links_it(seeded, export, public_url, app):
    rows = {r["community"]: r for r in rows_of(export("--survey", "moq-household"))}
    with_photo = rows["Añaschaca Ñuñunhuayo"]
    assert with_photo["problem_photo"] == f"media/{seeded['sha']}.jpg"
    link = with_photo["problem_photo_url"]
    assert link == f"{PUBLIC}/console/media/{seeded['sha']}"
    without = next(r for name, r in rows.items() if name != "Añaschaca Ñuñunhuayo")
    assert without["problem_photo"] == "" and without["problem_photo_url"] == ""
    # the link is the console's route: a coordinator who may see the submission opens it
    with app.app_context():
        create_user("coord@example.org", "Coord", "coordinator", PASSWORD)
    coordinator = sign_in(app.test_client(), "coord@example.org")
    opened = coordinator.get(link.removeprefix(PUBLIC))
    assert opened.status_code == 200 and opened.data == seeded["photo"]
    assert app.test_client().get(link.removeprefix(PUBLIC)).status_code in (302, 401, 403)
    # the same name inside the ZIP with media
    archive = zipfile.ZipFile(io.BytesIO(export("--survey", "moq-household", "--media")))
    assert archive.read(with_photo["problem_photo"]) == seeded["photo"]


def test_xlsx_and_json_lines_carry_the_same_name_and_link(seeded, export, public_url,
                                                          tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(export("--survey", "moq-household", "--format", "xlsx"))
    sheet = list(openpyxl.load_workbook(path, read_only=True)["data"].iter_rows(
        values_only=True))
    name, link = sheet[0].index("problem_photo"), sheet[0].index("problem_photo_url")
    assert link == name + 1
    assert {(r[name], r[link]) for r in sheet[1:]} == {
        (f"media/{seeded['sha']}.jpg", f"{PUBLIC}/console/media/{seeded['sha']}"),
        (None, None)}
    lines = export("--survey", "moq-household", "--format", "jsonl").decode().splitlines()
    records = [json.loads(line) for line in lines]
    photo = next(r for r in records if r["problem_photo"])
    assert photo["problem_photo"] == f"media/{seeded['sha']}.jpg"
    assert photo["problem_photo_url"] == f"{PUBLIC}/console/media/{seeded['sha']}"


@pytest.fixture
def roster(app):
    with app.app_context():
        version_id = publish_roster()
        store_households(version_id)
    return version_id


def test_repeat_tables_name_and_link_their_files(roster, export, public_url, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(export("--survey", "roster")))
    members = rows_of(archive.read("roster-members.csv"))
    rosa = next(r for r in members if r["m_name"] == "Rosa")
    assert rosa["m_video"] == f"media/{VIDEO_SHA}.mp4"
    assert rosa["m_video_url"] == f"{PUBLIC}/console/media/{VIDEO_SHA}"
    main = {r["HH_name"]: r for r in rows_of(archive.read("roster.csv"))}
    assert main["Quispe"]["bill"] == f"media/{PDF_SHA}.pdf"
    assert main["Quispe"]["bill_url"] == f"{PUBLIC}/console/media/{PDF_SHA}"
    # the workbook's member sheet
    path = tmp_path / "roster.xlsx"
    path.write_bytes(export("--survey", "roster", "--format", "xlsx"))
    sheet = list(openpyxl.load_workbook(path, read_only=True)["members"].iter_rows(
        values_only=True))
    video = sheet[0].index("m_video")
    assert sheet[0][video + 1] == "m_video_url"
    assert (f"media/{VIDEO_SHA}.mp4", f"{PUBLIC}/console/media/{VIDEO_SHA}") in {
        (r[video], r[video + 1]) for r in sheet[1:]}
    # JSON Lines: inside each instance, beside the answer
    records = [json.loads(line) for line in export(
        "--survey", "roster", "--format", "jsonl").decode().splitlines()]
    quispe = next(r for r in records if r["HH_name"] == "Quispe")
    assert quispe["members"][0]["m_video"] == f"media/{VIDEO_SHA}.mp4"
    assert quispe["members"][0]["m_video_url"] == f"{PUBLIC}/console/media/{VIDEO_SHA}"
    assert "m_video_url" not in quispe["members"][1]  # no video, no link
    assert quispe["bill_url"] == f"{PUBLIC}/console/media/{PDF_SHA}"


def test_a_file_the_server_never_received_keeps_its_hash_and_has_no_link(
        roster, app, export, public_url):
    from exports.roster import CONDORI, store_submission

    with app.app_context():
        store_submission(roster, {**CONDORI, "HH_name": "Sinfoto", "bill": MISSING_SHA},
                         minutes=20)
    archive = zipfile.ZipFile(io.BytesIO(export("--survey", "roster", "--media")))
    main = {r["HH_name"]: r for r in rows_of(archive.read("roster.csv"))}
    assert main["Sinfoto"]["bill"] == MISSING_SHA and main["Sinfoto"]["bill_url"] == ""
    assert archive.read(f"media/{VIDEO_SHA}.mp4") == VIDEO
    assert not any(MISSING_SHA in name for name in archive.namelist())


def test_labelled_headers_name_the_link_after_the_question(seeded, export, public_url):
    def header(*labels: str) -> list[str]:
        return next(csv.reader(io.StringIO(export("--survey", "moq-household", *labels)
                                           .decode("utf-8-sig"))))

    photo = header().index("problem_photo")
    labelled = header("--labels", "es")
    assert labelled[photo + 1].startswith(labelled[photo] + ": ")
