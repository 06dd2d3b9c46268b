"""What a resident of Carumas noticed walking the portal in Quechua on a 320 px phone:
table headings and "5-manta pisi" broken in the middle of a word, a four-column project
table too wide for the screen, a Spanish badge on a Quechua page, an empty monthly table."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server.extensions import db

# Every word of a table heading, a figure or a project's name on one line (no "willaku-
# ykuna", no "5-" left alone); returns the broken words.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const el of document.querySelectorAll("th, .fig-small, td a, .cards td")) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def _canal(app) -> int:
    from server.plans.models import Project

    with app.app_context():
        found = db.session.scalar(select(Project.id).where(Project.code == "MOQ-RIE-002"))
        db.session.remove()
    return found


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["qu", "es"])
def test_carumas_pages_keep_words_whole_at_320_px(live_server, browser, app, lang):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        for path in ("/region/180000", "/provincia/180100", "/distrito/180102",
                     f"/proyecto/{_canal(app)}"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (path, width)
            assert page.evaluate(BROKEN_WORDS) == [], path
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_phone_the_plan_table_labels_each_figure(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/region/180000?lang=qu")
        first = page.locator("table.cards tr").nth(1)
        labels = first.locator("td.n").evaluate_all(
            "(cells) => cells.map((c) => getComputedStyle(c, '::before').content)")
        assert labels == ['"Ñawpaqman puriy"', '"Willakuykuna"', '"Kusisqa"']
    finally:
        context.close()


def test_the_badge_and_the_widget_code_speak_the_pages_language(client, demo, app):
    page = client.get(f"/proyecto/{_canal(app)}?lang=qu").get_data(as_text=True)
    assert f"/proyecto/{_canal(app)}/insignia.svg?lang=qu" in page
    assert f"/proyecto/{_canal(app)}/widget?lang=qu" in page
    badge = client.get(f"/proyecto/{_canal(app)}/insignia.svg?lang=qu").get_data(as_text=True)
    assert "Avance" not in badge and "Satisfechos" not in badge


def test_a_project_without_monthly_figures_shows_no_empty_table(client, demo, app):
    page = client.get(f"/proyecto/{_canal(app)}?lang=qu").get_data(as_text=True)
    assert "Sapa killa willakuykuna" not in page  # "Feedback by month", with no month
    assert "5\u2011manta pisi" in page  # a hyphen that does not break


def test_portal_dates_are_numeric_in_quechua(client, demo):
    page = client.get("/actor/gore-cajamarca?lang=qu")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert not re.search(r"\b\d{1,2} (Ene|Feb|Mar|Abr|May|Jun|Jul|Ago|Set|Oct|Nov|Dic)", text)
    assert re.search(r"\b\d{2}/\d{2}/20\d{2}\b", text)


def test_the_receipt_code_is_shown_large_to_read_aloud(client, demo, app):
    """Glossary §8: the code in a large monospace font, exactly as issued."""
    from server.demo.samples import load_samples
    from server.submissions.models import Submission

    with app.app_context():
        load_samples()
        db.session.commit()
        code = db.session.scalar(select(Submission.receipt_code).where(
            Submission.receipt_code.is_not(None)).limit(1))
        db.session.remove()
    page = client.get(f"/recibo?codigo={code}&lang=qu").get_data(as_text=True)
    assert f'<p class="code">{code}</p>' in page
    assert ".code{font:700 1.5rem" in page


@pytest.mark.parametrize("lang, small, protected", [
    ("es", "menos de 5", "reservado (privacidad)"),
    ("qu", "5\u2011manta pisi", None)])
def test_a_hidden_share_says_why_instead_of_a_bare_dash(app, lang, small, protected):
    """The district card read "— satisfied; ratings given: 35": a dash beside a shown total
    looks like "nobody". A share whose part is suppressed says so in the page's words."""
    from flask_babel import gettext, refresh

    from server.portal.figures import Share
    from server.portal.present import share_text
    from server.portal.privacy import PROTECTED, SMALL, Figure

    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        shown = Figure(35, None)
        assert share_text(Share(Figure(12, None), shown)) in ("34 %", "34\u00a0%", "34%")
        assert share_text(Share(Figure(None, SMALL), shown)) == small
        words = share_text(Share(Figure(None, PROTECTED), shown))
        assert words == (protected or gettext("not shown (privacy)")) and words != "—"
        assert share_text(Share(Figure(None, PROTECTED), shown), compact=True) == "—"
        assert share_text(Share(Figure(0, None), Figure(0, None))) == "—"
