"""The app shell in a real Chromium: language choice, pairing from the QR link, surveys,
and a resident's receipt look-up."""

from __future__ import annotations

import re

import pytest
import requests
from helpers import household_item
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_pairing_from_the_qr_link_lists_surveys_in_quechua(live_server, page):
    code = re.search(r"code (\S+)", live_server.willay("devices", "enrol", "phone")).group(1)
    page.goto(f"{live_server.url}/app/")
    page.get_by_role("button", name="Runasimi").click()
    expect(page.locator("html")).to_have_attribute("lang", "qu")
    page.goto(f"{live_server.url}/app/#pair={code}")
    paired = requests.get(f"{live_server.url}/api/v1/i18n/qu", timeout=10).json()
    expect(page.get_by_text(paired["messages"]["This phone is paired."])).to_be_visible()
    token = page.evaluate("localStorage.getItem('willay.token')")
    assert token
    title = requests.get(f"{live_server.url}/api/v1/surveys",
                         headers={"Authorization": f"Bearer {token}"},
                         timeout=10).json()["surveys"][0]["title"]["qu"]
    expect(page.get_by_text(title)).to_be_visible()
    assert "#pair" not in page.url  # the code does not linger in the address bar


def test_a_resident_checks_a_receipt_in_spanish(live_server, page):
    code = re.search(r"code (\S+)", live_server.willay("devices", "enrol", "p")).group(1)
    token = requests.post(f"{live_server.url}/api/v1/devices/pair", json={"code": code},
                          timeout=10).json()["token"]
    receipt = requests.post(f"{live_server.url}/api/v1/submissions",
                            json={"submissions": [household_item()]},
                            headers={"Authorization": f"Bearer {token}"},
                            timeout=10).json()["results"][0]["receipt"]
    page.goto(f"{live_server.url}/app/")
    page.get_by_role("button", name="Español").click()
    page.locator("#receipt").fill(receipt.lower())
    page.locator("form button[type=submit]").click()
    label = requests.get(f"{live_server.url}/api/v1/receipts/{receipt}?lang=es",
                         timeout=10).json()["status_label"]
    expect(page.get_by_text(label)).to_be_visible()
    page.locator("#receipt").fill("2345-6789")
    page.locator("form button[type=submit]").click()
    message = requests.get(f"{live_server.url}/api/v1/receipts/2345-6789?lang=es",
                           timeout=10).json()["error"]["message"]
    expect(page.get_by_text(message)).to_be_visible()
