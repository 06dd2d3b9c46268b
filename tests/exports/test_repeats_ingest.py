"""The whole way: a roster survey published as a JSON definition, interviews sent through
the real sync API (answers nested as docs/survey-format.md says), exported and parsed
back, with personal answers and locations only when asked."""

from __future__ import annotations

import copy
import csv
import io
import json
import uuid
import zipfile

from exports.roster import CONDORI, DEFINITION, MAMANI, QUISPE, QUISPE_PERSONAL


def _definition() -> dict:
    """The roster without attached files (a list and media would need uploading first)."""
    definition = copy.deepcopy(DEFINITION)
    definition.pop("files")
    definition["instance_name"] = "concat(${HH_name}, ' — ', ${village})"
    group = definition["pages"][0]["questions"][1]
    group["questions"][1] = {"id": "village", "type": "select_one",
                             "label": {"es": "Anexo", "qu": "Llaqta"},
                             "choices": [{"value": v, "label": {"es": v.title()}}
                                         for v in ("carumas", "cuchumbaya", "yacango")]}
    members = definition["pages"][0]["questions"][4]
    # personal questions are refused inside repeats (one flat personal object per
    # submission); a geopoint there is still an exact location
    members["questions"] = [q for q in members["questions"]
                            if q["id"] not in ("m_video", "m_phone")]
    visit = definition["pages"][1]
    visit["questions"] = [q for q in visit["questions"] if q["id"] != "bill"]
    return definition


def _item(answers: dict, name: str) -> dict:
    answers = copy.deepcopy(answers)
    answers.pop("bill", None)
    for member in answers.get("members", []):
        member.pop("m_video", None)
    return {"uuid": str(uuid.uuid4()), "survey": "roster-api", "version": 1,
            "answers": answers,
            "meta": {"language": "es", "instance_name": name,
                     "started_at": "2026-12-02T10:00:00-05:00",
                     "completed_at": "2026-12-02T10:20:00-05:00"}}


def test_nested_repeats_go_in_through_the_api_and_out_as_linked_tables(app, client,
                                                                       device_headers,
                                                                       export):
    from server.surveys.services import publish_definition

    with app.app_context():
        publish_definition("roster-api", _definition(), for_promoters=True)
    quispe = {**QUISPE, "phone": QUISPE_PERSONAL["phone"]}
    items = [_item(quispe, "Quispe — carumas"), _item(MAMANI, "Mamani — cuchumbaya"),
             _item(CONDORI, "Condori — yacango")]
    response = client.post("/api/v1/submissions", json={"submissions": items},
                           headers=device_headers)
    assert [r["outcome"] for r in response.get_json()["results"]] == ["stored"] * 3, (
        response.get_json())
    archive = zipfile.ZipFile(io.BytesIO(export("--survey", "roster-api", "--personal")))
    read = {name: list(csv.DictReader(io.StringIO(
        archive.read(name).decode("utf-8-sig"), newline=""))) for name in archive.namelist()}
    main = read["roster-api.csv"]
    members = read["roster-api-members.csv"]
    vaccinations = read["roster-api-vaccinations.csv"]
    assert (len(main), len(members), len(vaccinations)) == (3, 4, 6)
    keys = {row["_uuid"]: row for row in main}
    assert {items[0]["uuid"], items[2]["uuid"]} == {row["PARENT_KEY"] for row in members}
    assert keys[items[0]["uuid"]]["_instance_name"] == "Quispe — carumas"
    rosa = next(row for row in members if row["m_name"] == "Rosa")
    assert rosa["KEY"] == f"{items[0]['uuid']}/members[1]"
    assert rosa["m_where"] == "-17.1 -70.9 5.0" and rosa["age"] == "46"
    assert keys[items[0]["uuid"]]["phone"] == "987654321"  # stored apart, put back
    assert {row["PARENT_KEY"] for row in vaccinations} <= {row["KEY"] for row in members}
    plain = export("--survey", "roster-api")
    assert b"-17.1" not in plain and b"987654321" not in plain
    lines = [json.loads(line) for line in export(
        "--survey", "roster-api", "--format", "jsonl").decode().splitlines()]
    # one batch: its rows come in the order the server stored them (by UUID), so match by UUID
    by_uuid = {r["_uuid"]: r for r in lines}
    assert [len(by_uuid[item["uuid"]]["members"] or []) for item in items] == [2, 0, 2]
