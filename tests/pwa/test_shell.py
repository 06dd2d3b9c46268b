"""The app shell in a real Chromium: language choice, pairing from the QR link or a typed
code, surveys, and a resident's receipt look-up."""

from __future__ import annotations

import re

import pytest
import requests
from helpers import household_item
from playwright.sync_api import expect
from pwa.fieldapp import catalog, db_call, enrol

pytestmark = pytest.mark.browser


def test_pairing_from_the_qr_link_lists_surveys_in_quechua(live_server, page):
    code = enrol(live_server)
    page.goto(f"{live_server.url}/app/")
    page.get_by_role("button", name="Runasimi").click()
    expect(page.locator("html")).to_have_attribute("lang", "qu")
    page.goto(f"{live_server.url}/app/#pair={code}")
    expect(page.locator("#send-now")).to_have_text(catalog(live_server, "qu")["Send now"])
    token = db_call(page, "return db.getSetting('token')")
    assert token
    title = requests.get(
        f"{live_server.url}/api/v1/surveys",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()["surveys"][0]["title"]["qu"]
    expect(page.get_by_text(title)).to_be_visible()
    assert "#pair" not in page.url  # the code does not linger in the address bar


def test_pairing_with_a_typed_code_and_a_wrong_one(live_server, page):
    page.goto(f"{live_server.url}/app/")
    page.get_by_role("button", name="Español").click()
    page.get_by_label("Código de vinculación").fill("2345-6789")
    page.get_by_role("button", name="Vincular", exact=True).click()
    message = requests.post(
        f"{live_server.url}/api/v1/devices/pair",
        json={"code": "2345-6789"},
        headers={"Accept-Language": "es-PE"},
        timeout=10,
    ).json()["error"]["message"]
    expect(page.get_by_text(message)).to_be_visible()
    page.get_by_label("Código de vinculación").fill(enrol(live_server).lower())
    page.get_by_role("button", name="Vincular", exact=True).click()
    expect(page.get_by_role("link", name="Empezar una entrevista")).to_be_visible()


def test_a_resident_checks_a_receipt_in_spanish(live_server, page):
    token = requests.post(
        f"{live_server.url}/api/v1/devices/pair", json={"code": enrol(live_server)}, timeout=10
    ).json()["token"]
    receipt = requests.post(
        f"{live_server.url}/api/v1/submissions",
        json={"submissions": [household_item()]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()["results"][0]["receipt"]
    page.goto(f"{live_server.url}/app/#/receipt")
    page.get_by_role("button", name="Español").click()
    page.locator("#receipt").fill(receipt.lower())
    page.locator("form button[type=submit]").click()
    label = requests.get(f"{live_server.url}/api/v1/receipts/{receipt}?lang=es", timeout=10).json()[
        "status_label"
    ]
    expect(page.get_by_text(re.compile(re.escape(label)))).to_be_visible()
    expect(page.locator(".receipt-code")).to_have_text(receipt)
    page.locator("#receipt").fill("2345-6789")
    page.locator("form button[type=submit]").click()
    message = requests.get(
        f"{live_server.url}/api/v1/receipts/2345-6789?lang=es", timeout=10
    ).json()["error"]["message"]
    expect(page.get_by_text(message)).to_be_visible()
