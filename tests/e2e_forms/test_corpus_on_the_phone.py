"""Every corpus XLSForm, end to end: imported with its files and published (conftest),
downloaded by a paired phone, filled in Chromium with a short script that uses the form's
feature (scripts.py), finished, synced; the stored submission holds the nested answers,
the calculated values and the readable name; the CSV (a ZIP of linked tables when there
are repeats), XLSX and JSON Lines exports hold them too."""

from __future__ import annotations

import pytest

from e2e_forms.flow import PHONE_FORMS, code_of, csv_tables, exported
from e2e_forms.scripts import SCRIPTS

pytestmark = pytest.mark.browser


def contains(actual, expected, where: str = "answers") -> None:
    """`expected` is found in `actual`: dict keys recursively, lists item by item."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), (where, actual)
        for key, value in expected.items():
            assert key in actual, (f"{where}.{key} missing", actual)
            contains(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list) and expected and isinstance(expected[0], dict):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, actual)
        for i, (got, wanted) in enumerate(zip(actual, expected, strict=True)):
            contains(got, wanted, f"{where}[{i}]")
    else:
        assert actual == expected, (where, actual, expected)


def test_every_corpus_form_is_covered():
    assert set(SCRIPTS) == set(PHONE_FORMS)


@pytest.mark.parametrize("name", PHONE_FORMS)
def test_a_corpus_form_filled_on_the_phone_arrives_and_exports(phone, e2e_server, name):
    code = code_of(name)
    phone.new(code)
    expected = SCRIPTS[name](phone)
    phone.finish()
    stored = e2e_server.submission(code)
    contains({**stored["answers"], **stored["personal"]}, expected.answers)
    assert stored["district"] == expected.district
    assert stored["language"] == expected.language
    if expected.instance_name:
        assert stored["instance_name"] == expected.instance_name
    files = exported(e2e_server, code)
    files["labels"] = csv_tables(e2e_server.export(code, "csv", "es"))
    uuid = stored["uuid"]
    main = files["csv"].get(f"{code}.csv") or files["csv"]["main"]
    assert [row["_uuid"] for row in main] == [uuid]
    assert any(row.get("_uuid") == uuid for row in next(iter(files["xlsx"].values())))
    assert len(files["jsonl"]) == 1
    if expected.exports:
        expected.exports(files, stored)
