"""A coordinator who reads Quechua keeps it from the portal through the sign-in form into
the console (found walking the journeys: the portal's ?lang=qu was lost at sign-in)."""

from __future__ import annotations

import re

from .conftest import PASSWORD, ConsoleClient

_CONSOLE_LINK = re.compile(r'href="([^"]*/console/[^"]*)"')


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_from_the_portal_in_quechua_the_console_stays_quechua_after_sign_in(app, users):
    client = app.test_client()
    portal = client.get("/?lang=qu").get_data(as_text=True)
    link = _CONSOLE_LINK.search(portal).group(1).replace("&amp;", "&")
    sign_in_page = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert _lang(sign_in_page) == "qu"
    console = ConsoleClient(client, users["coordinator"])
    response = console.post("/console/sign-in?next=/console/",
                            {"email": users["coordinator"], "password": PASSWORD},
                            follow_redirects=True)
    page = response.get_data(as_text=True)
    assert _lang(page) == "qu"
    assert "Lluqsiy" in page  # "Sign out"
    # and the next page too, with no ?lang= in its address
    assert _lang(client.get("/console/surveys").get_data(as_text=True)) == "qu"


def test_a_sign_in_address_with_lang_qu_keeps_quechua_after_signing_in(app, users):
    client = app.test_client()
    assert _lang(client.get("/console/sign-in?lang=qu").get_data(as_text=True)) == "qu"
    console = ConsoleClient(client, users["coordinator"])
    response = console.post("/console/sign-in?lang=qu",
                            {"email": users["coordinator"], "password": PASSWORD},
                            follow_redirects=True)
    assert _lang(response.get_data(as_text=True)) == "qu"


def test_the_buttons_choice_still_wins_over_an_earlier_lang(app, users):
    client = app.test_client()
    client.get("/console/sign-in?lang=qu")
    console = ConsoleClient(client, None)
    console.post("/console/language", {"lang": "es", "next": "/console/sign-in"})
    assert _lang(client.get("/console/sign-in").get_data(as_text=True)) == "es-PE"
