"""Helpers for the screen tests: install and pair the app, fill the demo household survey
through its screens as a promoter would, and read what the server stored."""

from __future__ import annotations

import io
import re
import struct
import time
import zlib

import requests
from playwright.sync_api import Page, expect


def wait_until(page: Page, expression: str, timeout: float = 20):
    """Poll a JS expression (may return a promise) until it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)


def catalog(server, locale: str) -> dict[str, str]:
    return requests.get(f"{server.url}/api/v1/i18n/{locale}", timeout=10).json()["messages"]


def enrol(server, label: str = "phone") -> str:
    return re.search(
        r"code (\S+)", server.willay("devices", "enrol", label, "--promoter", "Rosa")
    ).group(1)


def wait_for_worker(page: Page) -> None:
    wait_until(page, "navigator.serviceWorker.controller !== null")


def install_promoter(page: Page, server, language: str = "es_PE") -> None:
    """Open the pairing QR link, wait for the service worker and the home screen."""
    page.goto(f"{server.url}/app/#pair={enrol(server)}")
    expect(page.locator("#send-now")).to_be_visible(timeout=20000)
    wait_for_worker(page)
    if language == "qu":
        page.get_by_role("button", name="Runasimi").click()
        expect(page.locator("html")).to_have_attribute("lang", "qu")


def db_call(page: Page, body: str, arg=None):
    """Run an async function body with `db` (pwa/db.js) and `arg` in scope."""
    return page.evaluate(f"async (arg) => {{ const db = await import('/app/db.js'); {body} }}", arg)


def png_bytes(width: int, height: int) -> bytes:
    """A real PNG (a colour gradient), built by hand so the test needs no imaging library."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        shade = y * 255 // max(1, height - 1)
        rows.extend(bytes((shade, 120, 255 - shade)) * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", header))
    out.write(chunk(b"IDAT", zlib.compress(bytes(rows), 6)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


def next_page(page: Page) -> None:
    page.get_by_role("button", name=NEXT).click()


NEXT = re.compile(r"^(Siguiente|Qatiqman)$")


def fill_household(
    page: Page,
    server,
    *,
    community: str,
    photo: bytes | None = None,
    voice: bool = False,
    knows_project: bool = False,
    location: bool = False,
) -> None:
    """Fill the demo household survey in Spanish from its first page to "Finish and save".

    Without knows_project the project branch (project, rating) is skipped; with a photo the
    water problem is an unfinished tank (which asks for the photo), else "none" (no photo).
    """
    page.get_by_label("Provincia").select_option(label="Mariscal Nieto")
    page.get_by_label("Distrito", exact=True).select_option(label="Moquegua")
    page.get_by_label(re.compile("comunidad o el anexo")).fill(community)
    page.get_by_label(re.compile("Cuántas personas")).fill("4")
    next_page(page)
    page.get_by_label("Pileta pública").check()
    page.get_by_label("Sí, todos los días").check()
    if photo:
        page.get_by_label("Tanque o reservorio sin terminar").check()
        page.locator("#q-problem_photo-file").set_input_files(
            files=[{"name": "tank.png", "mimeType": "image/png", "buffer": photo}]
        )
        expect(page.locator("img.preview")).to_be_visible(timeout=20000)
    else:
        page.get_by_label("Ninguno").check()
    next_page(page)
    if knows_project:
        page.get_by_label("Sí, conozco alguno").check()
        page.get_by_label("¿Qué proyecto conoce?").select_option("MOQ-AGU-001")
        page.get_by_role("radio", name=re.compile("^4 ·")).check()
    else:
        page.get_by_label("Solo he oído hablar").check()
    page.get_by_label("Llegan con dificultad").check()
    page.get_by_label(re.compile("Cuántos minutos")).fill("45")
    next_page(page)
    page.get_by_label("Agricultura").check()
    if voice:
        record_voice(page)
    page.get_by_label("No", exact=True).check()
    next_page(page)
    if location:  # the optional location of the interview, on the last step
        page.get_by_role("button", name="Agregar la ubicación").click()
        expect(page.get_by_text(re.compile("margen de error de unos 12 m"))).to_be_visible()
    page.get_by_role("button", name="Terminar y guardar").click()
    expect(page.get_by_role("heading", name="Entrevista guardada")).to_be_visible()


def record_voice(page: Page, seconds: float = 1.5) -> None:
    page.get_by_role("button", name="Grabar", exact=True).click()
    expect(page.get_by_role("button", name="Detener")).to_be_visible()
    time.sleep(seconds)
    page.get_by_role("button", name="Detener").click()
    expect(page.locator("audio")).to_be_visible(timeout=10000)


def feedback_link(server) -> str:
    """The public link token of the demo's resident feedback form."""
    out = server.willay("surveys", "link", "moq-feedback", "open")
    return re.search(r"public link token: (\S+)", out).group(1)


def fill_household_by_ids(page: Page) -> None:
    """The household survey filled through control ids (any interface language), ending on
    the "check and finish" step; the project branch is taken (knows a project)."""
    page.locator("#q-district-prov").select_option("180100")
    page.locator("#q-district").select_option("180101")
    page.locator("#q-community").fill("Yacango")
    page.locator("#q-household_size").fill("5")
    next_page(page)
    page.locator("#q-water_source-1").check()
    page.locator("#q-water_daily-2").check()
    page.locator("#q-water_hours").fill("3")
    page.locator("#q-water_problems-4").check()
    next_page(page)
    page.locator("#q-knows_projects-0").check()
    page.locator("#q-project").select_option("MOQ-AGU-001")
    page.locator("#q-project_rating-2").check()
    page.locator("#q-rainy_road-0").check()
    page.locator("#q-health_minutes").fill("30")
    next_page(page)
    page.locator("#q-activities-0").check()
    page.locator("#q-consent-0").check()
    page.locator("#q-respondent_name").fill("Juana")
    next_page(page)
