"""Exports of a survey with repeats two deep (tests/exports/roster.py), parsed back as a
coordinator's spreadsheet or script would read them: one CSV per table in a ZIP linked by
KEY/PARENT_KEY, one XLSX sheet per repeat, nested JSON Lines."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter

import openpyxl
import pytest
from exports.roster import (
    CONDORI,
    FORMULA,
    MEMBERS,
    PDF,
    PDF_SHA,
    VACCINATIONS,
    VIDEO,
    VIDEO_SHA,
    publish_roster,
    store_households,
    store_submission,
)

from server.audit.models import AuditEvent
from server.extensions import db


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def roster(app):
    with app.app_context():
        version_id = publish_roster()
        uuids = store_households(version_id)
    return {"version_id": version_id, "uuids": uuids}


def tables(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def test_csv_of_a_survey_with_repeats_is_a_zip_of_linked_tables(roster, export, app):
    files = tables(export("--survey", "roster"))
    assert sorted(files) == ["roster-members.csv", "roster-vaccinations.csv", "roster.csv"]
    main = read_csv(files["roster.csv"])
    members = read_csv(files["roster-members.csv"])
    vaccinations = read_csv(files["roster-vaccinations.csv"])
    assert (len(main), len(members), len(vaccinations)) == (3, MEMBERS, VACCINATIONS)
    # the main table's KEY is the submission's UUID
    assert {row["KEY"] for row in main} == set(roster["uuids"].values())
    assert all(row["KEY"] == row["_uuid"] for row in main)
    quispe = roster["uuids"]["Quispe"]
    # each member points at its household, numbered from 1 in its order
    assert Counter(row["PARENT_KEY"] for row in members) == {
        quispe: 2, roster["uuids"]["Condori"]: 2}
    rosa = next(row for row in members if row["m_name"] == "Rosa")
    assert rosa["KEY"] == f"{quispe}/members[1]" and rosa["PARENT_KEY"] == quispe
    # an instance without answers keeps its row and its place
    empty = next(row for row in members if row["KEY"].endswith("/members[1]")
                 and row["PARENT_KEY"] == roster["uuids"]["Condori"])
    assert empty["m_name"] == "" and empty["age"] == ""
    # vaccinations point at members, which exist
    member_keys = {row["KEY"] for row in members}
    assert {row["PARENT_KEY"] for row in vaccinations} <= member_keys
    assert Counter(row["PARENT_KEY"] for row in vaccinations) == {
        f"{quispe}/members[1]": 2, f"{quispe}/members[2]": 1,
        f"{roster['uuids']['Condori']}/members[2]": 3}
    second = next(row for row in vaccinations
                  if row["KEY"] == f"{quispe}/members[1]/vaccinations[2]")
    assert second["vac"] == "other" and second["vac_other"] == "'" + FORMULA  # neutralised
    # calculated values are columns like any answer; groups do not nest them
    assert (rosa["m_pos"], rosa["age"], rosa["born"], rosa["sex"]) == ("1", "46",
                                                                      "1980-04-02", "f")
    by_name = {row["HH_name"]: row for row in main}
    assert by_name["Quispe"]["adults"] == "1" and by_name["Quispe"]["village"] == "carumas"
    assert by_name["Quispe"]["_instance_name"] == "Quispe — Carumas"


def test_columns_follow_document_order_and_repeats_stay_out_of_the_main_table(roster, export):
    files = tables(export("--survey", "roster"))
    main = header(files["roster.csv"])
    questions = main[main.index("_consent") + 1:]
    assert questions == ["district", "HH_name", "village", "consent", "size", "adults",
                         "visit_time", "visited_at", "ack", "meter", "score", "bill", "bill_url",
                         "KEY"]
    assert main.index("_instance_name") == main.index("_receipt") + 1
    assert header(files["roster-members.csv"]) == [
        "m_name", "m_pos", "born", "age", "sex", "m_video", "m_video_url", "PARENT_KEY", "KEY"]
    assert header(files["roster-vaccinations.csv"]) == [
        "vac", "vac_other", "vac_date", "PARENT_KEY", "KEY"]


def test_new_types_come_out_as_stored(roster, export):
    main = {row["HH_name"]: row for row in read_csv(tables(export("--survey", "roster"))[
        "roster.csv"])}["Quispe"]
    assert (main["visit_time"], main["visited_at"], main["ack"], main["meter"],
            main["score"]) == ("10:15", "2026-12-02T10:15:00-05:00", "OK", "7750001", "7")
    # the file's name as in the ZIP with media, even without media
    assert main["bill"] == f"media/{PDF_SHA}.pdf"


def test_personal_data_in_repeats_only_when_asked(roster, export):
    plain = export("--survey", "roster")
    assert b"987654321" not in plain and b"-17.1" not in plain
    files = tables(export("--survey", "roster", "--personal"))
    members = read_csv(files["roster-members.csv"])
    rosa = next(row for row in members if row["m_name"] == "Rosa")
    assert rosa["m_where"] == "-17.1 -70.9 5.0"  # a location in a repeat is exact too
    assert {row["m_where"] for row in members if row["m_name"] != "Rosa"} == {""}
    main = {row["HH_name"]: row for row in read_csv(files["roster.csv"])}
    assert main["Quispe"]["phone"] == "987654321"


def test_personal_answers_go_back_into_their_instances():
    """Were personal answers ever kept per instance, they would land in their own."""
    from server.exports.rows import merged

    answers = {"a": 1, "members": [{"m": "Rosa"}, {"m": "Juan"}], "kept": [1, 2]}
    personal = {"phone": "9", "members": [{"m_phone": "91"}, {}, {"m_phone": "93"}]}
    assert merged(answers, personal) == {
        "a": 1, "phone": "9", "kept": [1, 2],
        "members": [{"m": "Rosa", "m_phone": "91"}, {"m": "Juan"}, {"m_phone": "93"}]}
    assert answers["members"][0] == {"m": "Rosa"}  # the stored answers are not changed


def test_labels_in_any_content_language_with_the_list_from_the_file(roster, export):
    files = tables(export("--survey", "roster", "--labels", "qu"))
    main = {row["Ayllu suti"]: row for row in read_csv(files["roster.csv"])}
    assert main["Quispe"]["Llaqta"] == "Karumas"  # from the CSV list's label::qu
    assert main["Mamani"]["Llaqta"] == "Kuchumpaya"
    vaccinations = read_csv(files["roster-vaccinations.csv"])
    assert "PARENT_KEY" in vaccinations[0] and "KEY" in vaccinations[0]
    english = tables(export("--survey", "roster", "--labels", "en"))
    main = {row["Surname"]: row for row in read_csv(english["roster.csv"])}
    assert main["Quispe"]["Village"] == "Carumas village"
    assert main["Mamani"]["Village"] == "Cuchumbaya"  # no English label: the default language
    assert main["Quispe"]["Interview name"] == "Quispe — Carumas"
    members = read_csv(english["roster-members.csv"])
    assert {row["Sexo"] for row in members if row["Name"] == "Rosa"} == {"Woman"}
    assert "Nacimiento" in members[0]  # no English label: the default language's
    vaccinations = read_csv(english["roster-vaccinations.csv"])
    assert "'" + FORMULA in {row["¿Cuál?: other"] for row in vaccinations}
    assert "Other" in {row["¿Cuál?"] for row in vaccinations}


def test_every_export_of_repeats_is_audited_with_each_table_counted(roster, export, app):
    export("--survey", "roster", "--format", "xlsx")
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "export")).one()
        assert event.details["rows"] == 3 and event.details["completed"] is True
        assert event.details["repeat_rows"] == {"members": MEMBERS,
                                                "vaccinations": VACCINATIONS}


def test_xlsx_has_one_sheet_per_repeat(roster, export, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(export("--survey", "roster", "--format", "xlsx"))
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["data", "members", "vaccinations"]
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert [len(rows[n]) - 1 for n in book.sheetnames] == [3, MEMBERS, VACCINATIONS]
    members = rows["members"]
    key = members[0].index("KEY")
    parent = members[0].index("PARENT_KEY")
    main_keys = {row[rows["data"][0].index("KEY")] for row in rows["data"][1:]}
    assert {row[parent] for row in members[1:]} <= main_keys
    vaccinations = rows["vaccinations"]
    assert {row[vaccinations[0].index("PARENT_KEY")] for row in vaccinations[1:]} <= {
        row[key] for row in members[1:]}
    other = vaccinations[0].index("vac_other")
    assert FORMULA in {row[other] for row in vaccinations[1:]}  # typed text, no apostrophe
    size = rows["data"][0].index("size")
    assert {row[size] for row in rows["data"][1:]} == {2, 0}  # numbers stay numbers


def test_sheet_names_are_short_unique_and_allowed():
    from server.exports.xlsx import SheetNames

    names = SheetNames()
    long = "household_members_with_a_very_long_repeat_name"
    first, second = names.claim(long), names.claim(long.upper())
    assert len(first) <= 31 and len(second) <= 31 and first.lower() != second.lower()
    assert names.claim("History") != "History"  # Excel keeps that name for itself
    assert names.claim("a/b:c") == "a_b_c"


def test_json_lines_nest_the_repeats_as_stored(roster, export):
    lines = [json.loads(line) for line in export("--survey", "roster", "--format",
                                                 "jsonl").decode().splitlines()]
    by_name = {record["HH_name"]: record for record in lines}
    quispe = by_name["Quispe"]
    assert [m["m_name"] for m in quispe["members"]] == ["Rosa", "Juan"]
    assert quispe["members"][0]["vaccinations"] == [
        {"vac": "bcg", "vac_date": "1980-05-01"}, {"vac": "other", "vac_other": FORMULA}]
    assert quispe["members"][0]["age"] == "46"  # calculated
    assert "m_where" not in quispe["members"][0]
    assert by_name["Mamani"]["members"] is None
    assert by_name["Condori"]["members"][0] == {}  # an empty instance keeps its place
    assert len(by_name["Condori"]["members"][1]["vaccinations"]) == 3
    assert "KEY" not in quispe
    labelled = [json.loads(line) for line in export(
        "--survey", "roster", "--format", "jsonl", "--labels", "en",
        "--personal").decode().splitlines()]
    rosa = next(r for r in labelled if r["HH_name"] == "Quispe")["members"][0]
    assert rosa["sex"] == "Woman"
    assert rosa["m_where"] == {"lat": -17.1, "lon": -70.9, "accuracy": 5.0}


def test_geojson_keeps_to_the_main_table(roster, export):
    collection = json.loads(export("--survey", "roster", "--format", "geojson"))
    assert len(collection["features"]) == 3
    assert all("members" not in f["properties"] and "KEY" not in f["properties"]
               for f in collection["features"])


def test_media_of_repeats_go_into_the_zip_with_the_tables(roster, export):
    files = tables(export("--survey", "roster", "--media"))
    assert files[f"media/{VIDEO_SHA}.mp4"] == VIDEO and files[f"media/{PDF_SHA}.pdf"] == PDF
    members = read_csv(files["roster-members.csv"])
    assert f"media/{VIDEO_SHA}.mp4" in {row["m_video"] for row in members}
    main = {row["HH_name"]: row for row in read_csv(files["roster.csv"])}
    assert main["Quispe"]["bill"] == f"media/{PDF_SHA}.pdf"


def test_an_interview_name_made_of_personal_answers_is_personal_data(app, export):
    from exports.roster import DEFINITION

    definition = {**DEFINITION, "instance_name": "concat(${phone}, ' ', ${HH_name})"}
    with app.app_context():
        version_id = publish_roster(definition, code="named")
        store_submission(version_id, CONDORI, {"phone": "955555555"}, "955555555 Condori")
    rows = read_csv(tables(export("--survey", "named"))["named.csv"])
    assert rows[0]["_instance_name"] == "" and b"955555555" not in export("--survey", "named")
    rows = read_csv(tables(export("--survey", "named", "--personal"))["named.csv"])
    assert rows[0]["_instance_name"] == "955555555 Condori"


def test_versions_add_columns_and_tables_without_losing_old_answers(roster, app, export):
    from exports.roster import DEFINITION

    definition = json.loads(json.dumps(DEFINITION))
    members = definition["pages"][0]["questions"][4]
    members["questions"].append({"id": "school", "type": "text", "label": {"es": "Colegio"}})
    definition["pages"][1]["questions"].append(
        {"id": "visits", "type": "repeat", "label": {"es": "Visita"}, "questions": [
            {"id": "visit_by", "type": "text", "label": {"es": "Quién"}}]})
    with app.app_context():
        version_id = publish_roster(definition)
        store_submission(version_id, {**CONDORI, "HH_name": "Nuevo",
                                      "visits": [{"visit_by": "Ana"}]}, minutes=10)
    files = tables(export("--survey", "roster"))
    assert "roster-visits.csv" in files
    assert header(files["roster-members.csv"])[:8] == [
        "m_name", "m_pos", "born", "age", "sex", "m_video", "m_video_url", "school"]
    assert len(read_csv(files["roster.csv"])) == 4
    assert len(read_csv(files["roster-members.csv"])) == MEMBERS + 2
    assert [r["visit_by"] for r in read_csv(files["roster-visits.csv"])] == ["Ana"]
    only_v1 = tables(export("--survey", "roster", "--version", "1"))
    assert "roster-visits.csv" not in only_v1


def test_a_survey_without_repeats_still_gets_a_plain_csv(seeded, export):
    data = export("--survey", "moq-household")
    assert data.startswith(b"\xef\xbb\xbf")  # a CSV, not a ZIP
    columns = header(data)
    assert "KEY" not in columns and "_instance_name" not in columns
    assert columns[:3] == ["_uuid", "_receipt", "_survey"]
