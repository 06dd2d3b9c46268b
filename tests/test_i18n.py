"""Language choice: Accept-Language or ?lang=, Quechua and Spanish from the same catalogs."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("tag", ["qu", "qu-PE", "quz", "quy;q=0.9, es;q=0.5"])
def test_quechua_tags_get_quechua(client, tag):
    response = client.get("/api/v1/surveys", headers={"Accept-Language": tag})
    assert response.headers["Content-Language"] == "qu"
    quechua = response.get_json()["error"]["message"]
    spanish = client.get("/api/v1/surveys", headers={"Accept-Language": "es-PE"})
    assert spanish.headers["Content-Language"] == "es-PE"
    assert quechua != spanish.get_json()["error"]["message"]


def test_query_parameter_wins_and_spanish_is_the_default(client):
    default = client.get("/api/v1/surveys", headers={"Accept-Language": "en-US"})
    assert default.headers["Content-Language"] == "es-PE"
    chosen = client.get("/api/v1/surveys?lang=qu", headers={"Accept-Language": "es"})
    assert chosen.headers["Content-Language"] == "qu"


def test_pwa_strings_come_from_the_catalogs(client):
    qu = client.get("/api/v1/i18n/qu")
    es = client.get("/api/v1/i18n/es-PE")
    assert qu.status_code == es.status_code == 200
    qu_messages, es_messages = qu.get_json()["messages"], es.get_json()["messages"]
    assert "Check your receipt" in qu_messages
    assert qu_messages["Check your receipt"] != es_messages["Check your receipt"]
    # only the app's own strings travel to the phone
    assert "Unknown field." not in qu_messages
    again = client.get("/api/v1/i18n/qu", headers={"If-None-Match": qu.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/api/v1/i18n/fr").status_code == 404


def test_the_home_page_speaks_both_languages(client):
    qu = client.get("/?lang=qu").get_data(as_text=True)
    es = client.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="qu">' in qu and '<html lang="es-PE">' in es
    assert qu != es
