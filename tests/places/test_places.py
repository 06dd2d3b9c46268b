"""The ubigeo list: loaded completely, readable names, search, children and bulk download."""

from __future__ import annotations

from sqlalchemy import func, select

from server.extensions import db
from server.places.models import Place


def test_every_department_province_and_district_is_loaded(app):
    with app.app_context():
        counts = dict(db.session.execute(
            select(Place.level, func.count()).group_by(Place.level)).all())
    assert counts["department"] == 25
    assert counts["province"] == 196
    assert counts["district"] >= 1890


def test_names_are_in_proper_case_with_accents_and_coordinates(app):
    with app.app_context():
        ichuna = db.session.get(Place, "180204")
        sjl = db.session.get(Place, "150132")
        assert ichuna.name == "Ichuña" and ichuna.level == "district"
        assert ichuna.parent_ubigeo == "180200" and ichuna.latitude < -15
        assert sjl.name == "San Juan de Lurigancho"
        assert db.session.get(Place, "180000").name == "Moquegua"


def test_search_ignores_accents_and_case(client):
    response = client.get("/api/v1/places?q=ICHUNA")
    assert response.status_code == 200
    [first, *_rest] = response.get_json()["places"]
    assert first["ubigeo"] == "180204" and first["name"] == "Ichuña"
    assert first["path"] == "Ichuña — General Sánchez Cerro — Moquegua"


def test_search_within_a_department(client):
    places = client.get("/api/v1/places?q=san&parent=180000").get_json()["places"]
    assert places and all(p["ubigeo"].startswith("18") for p in places)


def test_children_of_a_place(client):
    departments = client.get("/api/v1/places").get_json()["places"]
    assert len(departments) == 25
    provinces = client.get("/api/v1/places?parent=180000").get_json()["places"]
    assert {p["name"] for p in provinces} == {"Mariscal Nieto", "General Sánchez Cerro", "Ilo"}
    assert client.get("/api/v1/places?parent=999999").status_code == 404


def test_bad_queries_are_422_not_500(client):
    for query in ("q=a", "parent=18", "limit=1000", "level=planet", "q=" + "x" * 100):
        response = client.get(f"/api/v1/places?{query}")
        assert response.status_code == 422, query
        assert response.get_json()["error"]["code"] == "invalid"


def test_bulk_download_of_a_department_is_compact_and_cacheable(client):
    response = client.get("/api/v1/places/bulk/180000")
    assert response.status_code == 200
    body = response.get_json()
    assert body["columns"][:4] == ["ubigeo", "level", "parent", "name"]
    levels = {row[0]: row[1] for row in body["rows"]}
    assert levels["180000"] == body["levels"]["department"]
    assert levels["180200"] == body["levels"]["province"]
    assert levels["180204"] == body["levels"]["district"]
    assert len(response.data) < 8000
    again = client.get("/api/v1/places/bulk/180000",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/api/v1/places/bulk/180100").status_code == 404
