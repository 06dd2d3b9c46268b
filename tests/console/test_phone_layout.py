"""Every console page at phone width (390 px), as an admin, with the demo and sample
feedback loaded: nothing is wider than the screen. The pages come from the console
blueprint's routes, so a new page is checked without being listed here."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from server.extensions import db

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# where the screenshots go (looked at by hand; not part of the repository)
SHOTS = Path(os.environ.get("WILLAY_SHOTS", "/tmp/willay-console-shots"))
SKIP_ENDPOINTS = {"console.sign_in"}  # an admin is redirected away from it


def _first_value(app, rule, argument: str):
    """A real value for a URL argument: the first row of the table the path names
    ('/console/surveys/<code>' -> surveys.code), or the version number of that survey."""
    segments = [s for s in rule.rule.split("/") if s]
    position = next(i for i, s in enumerate(segments) if argument in s)
    table_name = segments[position - 1]
    tables = db.metadata.tables
    if argument == "number":  # /surveys/<code>/versions/<int:number>
        table_name = "survey_versions"
    if argument == "name" or table_name not in tables:
        return None
    table = tables[table_name]
    column = {"code": "code", "number": "number"}.get(argument) or next(
        iter(table.primary_key.columns)).name
    with app.app_context():
        return db.session.scalar(select(table.c[column]).order_by(table.c[column]).limit(1))


def console_pages(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("console.") or "GET" not in rule.methods:
            continue
        if rule.endpoint in SKIP_ENDPOINTS or rule.rule.endswith((".json", "/source", "/xform")):
            continue
        values = {arg: _first_value(app, rule, arg) for arg in rule.arguments}
        if any(v is None for v in values.values()):
            continue  # nothing of that kind in the demo (e.g. a media file by its hash)
        url = rule.rule
        for arg, value in values.items():
            url = re.sub(rf"<(?:\w+:)?{arg}>", str(value), url)
        urls.append(url)
    return sorted(urls)


@pytest.fixture
def loaded(live_server, app):
    from server.demo.cajamarca_samples import load_cajamarca_samples
    from server.demo.samples import load_samples

    with app.app_context():
        load_samples(60)
        load_cajamarca_samples(30)
        db.session.remove()
    return live_server


# the deepest elements that stick out on the right, to name the culprit in the failure
WIDEST = """(() => [...document.querySelectorAll('body *')]
  .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > innerWidth + 1)
  .filter(e => ![...e.children].some(
    c => c.checkVisibility() && c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' +
                   Math.round(e.getBoundingClientRect().right)))()"""


def _sign_in(page, url: str, lang: str) -> None:
    from server.demo.loader import DEMO_EMAIL, DEMO_PASSWORD

    page.goto(f"{url}/console/sign-in?lang={lang}")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/console/(?!sign-in)"))
    if lang == "qu":  # the console's own language switch (the sign-in page's is not kept yet)
        page.locator("header button[name=lang][value=qu]").evaluate("b => b.click()")
        page.wait_for_selector("html[lang=qu]")


def test_no_console_page_is_wider_than_a_phone(loaded, app, browser):
    pages = console_pages(app)
    assert {"/console/", "/console/submissions", "/console/audit", "/console/users"} <= set(pages)
    assert any(p.startswith("/console/submissions/") for p in pages)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in(page, loaded.url, "es")
    too_wide = {}
    for path in pages:
        response = page.goto(loaded.url + path)
        assert response.status < 500, path
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = (width, page.evaluate(WIDEST))
    context.close()
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"


def test_phone_dashboard_shows_a_figure_first_and_folds_filters_and_menu(loaded, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in(page, loaded.url, "es")
    page.goto(loaded.url + "/console/")
    # the filter form and the menu are folded: the first figure is on the first screen
    assert not page.locator("form.filters select[name=survey]").is_visible()
    assert not page.locator("header nav a").first.is_visible()
    top = page.locator(".headline, .dash-total").first.bounding_box()
    assert top and top["y"] < PHONE["height"] / 2
    page.click("header summary")
    assert page.locator("header nav a").first.is_visible()
    page.click("form.filters summary, details.filters-fold > summary")
    assert page.locator("select[name=survey]").is_visible()
    # tables become cards with their column names
    page.goto(loaded.url + "/console/submissions")
    cell = page.locator("table.submissions tbody td").first
    assert cell.get_attribute("data-label")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


@pytest.mark.parametrize("lang", ["es", "qu"])
def test_screenshots_at_phone_and_desktop_width(loaded, browser, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        _sign_in(page, loaded.url, lang)
        for slug, path in (("dashboard", "/console/"), ("submissions", "/console/submissions"),
                           ("audit", "/console/audit")):
            page.goto(loaded.url + path)
            page.screenshot(path=str(SHOTS / f"{slug}-{lang}-{name}.png"))  # the first screen
            if slug == "dashboard":
                page.locator(".map-set").screenshot(path=str(SHOTS / f"map-{lang}-{name}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_quote_button_sits_under_its_answer_and_labels_stay_beside_answers(
        loaded, app, browser, viewport):
    """The "Allow quoting in the portal" button is an extra cell of the answers' grid: it
    goes under the free text it quotes, and every question label stays in the first
    column (a stray cell used to push later labels into the answers' column)."""
    from server.submissions.models import Submission

    with app.app_context():
        found = db.session.scalars(select(Submission).where(
            Submission.channel == "public").order_by(Submission.id)).all()
        sid = next(s.id for s in found if (s.answers or {}).get("comment"))
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    _sign_in(page, loaded.url, "es")
    page.goto(f"{loaded.url}/console/submissions/{sid}")
    control = page.locator("dl.answers dd.quote-control").first
    assert control.is_visible()
    cells = page.evaluate("""(() => [...document.querySelectorAll('dl.answers')].map(dl =>
      [...dl.children].map(e => [e.tagName, e.className, Math.round(
        e.getBoundingClientRect().left - dl.getBoundingClientRect().left)])))()""")
    for grid in cells:
        labels = {left for tag, _cls, left in grid if tag == "DT"}
        answers = {left for tag, _cls, left in grid if tag == "DD"}
        assert labels == {0}, grid
        assert len(answers) == 1 and min(answers) > 0, grid
    context.close()
