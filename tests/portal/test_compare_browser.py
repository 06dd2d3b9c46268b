"""The comparison pages in real Chromium on a basic phone (320 px) and a desktop (1280 px),
in both languages: nothing scrolls sideways, every indicator of a place is on screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from server.extensions import db

WIDTHS = (320, 1280)
PAGES = ("/comparar", "/comparar/060000", "/comparar/180000")


@pytest.fixture
def compare_server(live_server, app):
    from server.demo.samples import load_samples

    with app.app_context():
        load_samples()
        db.session.commit()
        db.session.remove()
    return live_server


@pytest.mark.parametrize("lang", ["es", "qu"])
def test_places_side_by_side_fit_a_phone_and_a_desktop(compare_server, browser, lang, tmp_path):
    shots = Path(os.environ.get("WILLAY_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{compare_server.url}{path}?lang={lang}")
            assert page.locator(f"html[lang={'qu' if lang == 'qu' else 'es-PE'}]").count() == 1
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, width, scroll)
            rows = page.locator("table.cmp tbody tr")
            assert rows.count() >= 2, path
            first = rows.first
            # every indicator of the first place is visible, with its label on a phone
            cells = first.locator("td")
            assert cells.count() == 6
            for i in range(6):
                box = cells.nth(i).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
                    path, width, i, box)
            if width == 320:
                label = cells.first.evaluate(
                    "c => getComputedStyle(c, '::before').content")
                assert label.strip('"'), path
            else:
                assert page.locator("table.cmp thead").is_visible()
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(shots / f"{name}-{lang}-{width}.png"), full_page=True)
        context.close()
