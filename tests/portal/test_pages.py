"""The public portal as a visitor without an account reads it, in Spanish and Quechua."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from server.extensions import db

PAGE_LIMIT = 60 * 1024


def test_home_drills_down_to_a_project(portal_app, sampled):
    client = portal_app.test_client()
    home = client.get("/?lang=es").get_data(as_text=True)
    assert "CAJAMARCA" in home.upper() and "MOQUEGUA" in home.upper()
    assert 'href="/console/' in home and 'href="/app/' in home  # the old welcome links
    region = client.get("/region/060000?lang=es").get_data(as_text=True)
    province = re.search(r'href="(/provincia/\d{6}\?lang=es)"', region).group(1)
    districts = client.get(province).get_data(as_text=True)
    assert re.search(r'href="/distrito/\d{6}\?lang=es"', districts)
    project = re.search(r'href="(/proyecto/\d+\?lang=es)"', region).group(1)
    page = client.get(project).get_data(as_text=True)
    assert 'class="fig' in page and "★" in page


@pytest.mark.parametrize("lang, html_lang", [("es", "es-PE"), ("qu", "qu")])
def test_every_page_answers_in_the_chosen_language(portal_app, public_paths, lang, html_lang):
    client = portal_app.test_client()
    for path in public_paths:
        response = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert f'<html lang="{html_lang}">' in body, path
        # links inside the portal keep the language
        for link in re.findall(r'href="(/(?:region|provincia|distrito|proyecto|actor)/[^"]*)"',
                               body):
            assert f"lang={lang}" in link, (path, link)


def test_unknown_places_and_projects_are_not_found(portal_app, sampled):
    client = portal_app.test_client()
    for path in ("/region/999999", "/region/150000", "/provincia/060000", "/distrito/06",
                 "/proyecto/999999", "/proyecto/99999999999", "/actor/nobody"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.content_type


def test_every_page_weighs_at_most_60_kb(portal_app, public_paths):
    client = portal_app.test_client()
    for path in public_paths:
        for lang in ("es", "qu"):
            size = len(client.get(f"{path}?lang={lang}").data)
            assert size <= PAGE_LIMIT, (path, lang, size)


def test_a_project_shows_progress_commitments_residents_and_updates(portal_app, sampled):
    from server.commitments.models import Commitment
    from server.portal.models import PublicUpdate

    client = portal_app.test_client()
    with portal_app.app_context():
        update = db.session.scalars(select(PublicUpdate).order_by(PublicUpdate.id)).first()
        commitment = db.session.scalars(select(Commitment).where(
            Commitment.project_id == update.project_id)).first()
        title_qu, what_es = update.title_qu, commitment.what_es if commitment else None
        project_id = update.project_id
    es = client.get(f"/proyecto/{project_id}?lang=es").get_data(as_text=True)
    qu = client.get(f"/proyecto/{project_id}?lang=qu").get_data(as_text=True)
    assert f'id="update-{update.id}"' in es
    assert title_qu in html.unescape(qu)
    if what_es:
        assert what_es in html.unescape(es)
    assert "%" in es and "★" in es


def test_the_district_page_shows_who_is_heard(portal_app, sampled):
    from server.portal.place_facts import place_facts

    client = portal_app.test_client()
    body = client.get("/distrito/060701?lang=es").get_data(as_text=True)  # Bambamarca
    facts = place_facts("060701")
    assert facts.population and facts.population > 10_000
    assert "IDH" in body
    assert f"{facts.idh_2019:.3f}".replace(".", ",") in body or f"{facts.idh_2019:.3f}" in body


def test_the_actor_page_counts_commitments_and_amounts(portal_app, sampled):
    from server.commitments.models import Actor, Commitment

    client = portal_app.test_client()
    with portal_app.app_context():
        actor = db.session.scalar(select(Actor).where(Actor.code == "gore-cajamarca"))
        mine = list(db.session.scalars(select(Commitment).where(
            Commitment.actor_id == actor.id)))
        name = actor.name_es
    body = client.get("/actor/gore-cajamarca?lang=es").get_data(as_text=True)
    assert name in html.unescape(body)
    for commitment in mine:
        assert commitment.what_es in body
    total = sum(c.amount_pen or 0 for c in mine)
    assert f"{total:,.2f}" in body  # es_PE groups with commas, decimals with a point


def test_the_receipt_page_links_to_the_update_that_answers_it(portal_app, sampled):
    from server.portal.models import PublicUpdate, UpdateAnswer
    from server.submissions.models import Submission

    client = portal_app.test_client()
    with portal_app.app_context():
        code, update_id, project_id, title = db.session.execute(
            select(Submission.receipt_code, PublicUpdate.id, PublicUpdate.project_id,
                   PublicUpdate.title_qu)
            .join(UpdateAnswer, UpdateAnswer.submission_id == Submission.id)
            .join(PublicUpdate, PublicUpdate.id == UpdateAnswer.update_id)).first()
    body = client.get(f"/recibo?codigo={code.lower().replace('-', '')}&lang=qu"
                      ).get_data(as_text=True)
    link = re.search(r'<a id="answer-update" href="([^"]+)">([^<]+)</a>', body)
    assert link, body
    assert link.group(1) == f"/proyecto/{project_id}?lang=qu#update-{update_id}"
    assert title in html.unescape(link.group(2))
    page = client.get(link.group(1).split("#")[0]).get_data(as_text=True)
    assert f'id="update-{update_id}"' in page


def test_a_wrong_receipt_code_says_so(portal_app, sampled):
    client = portal_app.test_client()
    for typed in ("ZZZZ-ZZZZ", "<script>", "x" * 500):
        response = client.get("/recibo", query_string={"codigo": typed, "lang": "es"})
        assert response.status_code == 200
        assert 'role="alert"' in response.get_data(as_text=True)
        assert "<script>" not in response.get_data(as_text=True)


def test_open_data_downloads_the_same_figures_under_a_licence(portal_app, sampled):
    import csv
    import io

    client = portal_app.test_client()
    page = client.get("/datos?lang=qu").get_data(as_text=True)
    assert "CC BY 4.0" in page and 'rel="license"' in page
    for region in sampled["regions"]:
        assert f'href="/datos/{region}/cifras.csv"' in page
    rows = list(csv.DictReader(io.StringIO(
        client.get("/datos/060000/cifras.csv").get_data(as_text=True).lstrip("\ufeff"))))
    whole = client.get("/datos/060000.json").get_json()
    assert whole["licence"]["name"] == "CC BY 4.0" and whole["k"] == 5
    assert len(whole["figures"]) == len(rows)
    region_total = next(r for r in rows if r["measure"] == "feedback"
                        and r["ubigeo"] == "060000")
    shown = client.get("/region/060000").get_data(as_text=True)
    assert f'<span class="fig">{region_total["value"]}</span>' in shown
    commitments = client.get("/datos/060000/compromisos.csv").get_data(as_text=True)
    assert "gore-cajamarca" in commitments
    assert client.get("/datos/150000/cifras.csv").status_code == 404


def test_a_public_update_shows_its_photo(portal_app, sampled):
    import hashlib
    import io

    from server.attachments.services import media_store
    from server.portal.models import PublicUpdate

    photo = b"\xff\xd8\xff\xe0" + b"fake jpeg body" * 20
    sha = hashlib.sha256(photo).hexdigest()
    with portal_app.app_context():
        media_store().save(sha, io.BytesIO(photo), len(photo))
        update = db.session.scalars(select(PublicUpdate).order_by(PublicUpdate.id)).first()
        update.photo_sha256, update.photo_type = sha, "image/jpeg"
        other = db.session.scalars(select(PublicUpdate).order_by(PublicUpdate.id)).all()[1]
        other.photo_sha256, other.photo_type = sha, "text/html"  # never served as a page
        db.session.commit()
        ids = (update.id, update.project_id, other.id)
    client = portal_app.test_client()
    page = client.get(f"/proyecto/{ids[1]}").get_data(as_text=True)
    assert f'src="/novedad/{ids[0]}/foto"' in page
    response = client.get(f"/novedad/{ids[0]}/foto")
    assert response.status_code == 200 and response.data == photo
    assert response.mimetype == "image/jpeg"
    assert client.get(f"/novedad/{ids[2]}/foto").status_code == 404
    assert client.get("/novedad/999999/foto").status_code == 404


def test_a_project_can_be_embedded_in_another_website(portal_app, sampled):
    client = portal_app.test_client()
    project_id = sampled["projects"]["CAJ-RIE-002"]
    widget = client.get(f"/proyecto/{project_id}/widget?lang=qu")
    assert widget.status_code == 200
    assert "frame-ancestors *" in widget.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get(f"/proyecto/{project_id}").headers[
        "Content-Security-Policy"]  # the portal's own pages stay unframeable
    body = widget.get_data(as_text=True)
    assert 'target="_blank"' in body and 'class="fig' in body
    badge = client.get(f"/proyecto/{project_id}/insignia.svg?lang=es")
    assert badge.mimetype == "image/svg+xml"
    svg = badge.get_data(as_text=True)
    assert svg.startswith("<svg") and "30 %" in svg
    page = client.get(f"/proyecto/{project_id}").get_data(as_text=True)
    assert f"/proyecto/{project_id}/widget" in page
    assert client.get("/proyecto/999999/insignia.svg").status_code == 404
