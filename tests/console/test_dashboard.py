"""The dashboard (/console/): figures from real submissions sent through the ingest API,
honouring the shared filters and the user's area limits, with a table beside every chart,
and nothing personal for anyone."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from helpers import feedback_item, household_item
from sqlalchemy import func, select

from server.extensions import db
from server.submissions.models import Submission

FEEDBACK = [  # (district, theme, project, rating)
    ("180301", "water", None, 2),
    ("180301", "water", "MOQ-RIE-002", 1),
    ("180204", "services", "MOQ-AGU-001", 5),
    ("180204", "services", "MOQ-AGU-001", 4),
    ("180204", "services", "MOQ-AGU-001", 4),
    ("180101", "environment", None, 3),
]


@pytest.fixture
def app(app_factory):
    # every request recomputes, so a test sees what it has just sent
    return app_factory(DASHBOARD_CACHE_SECONDS=0)


def send(client, headers, items):
    response = client.post("/api/v1/submissions", json={"submissions": items}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert [r["outcome"] for r in response.get_json()["results"]] == ["stored"] * len(items)


def feedback(district, theme, project, rating, **answers):
    values = {"theme": theme, "district": district, "rating": rating,
              "comment": "Yaku mana chayamunchu", "consent": "no", **answers}
    if project:
        values["project"] = project
    return feedback_item(answers=values)


@pytest.fixture
def sent(client, demo, link_headers, device_headers):
    send(client, link_headers, [feedback(*row) for row in FEEDBACK])
    send(client, device_headers, [
        household_item(answers={"district": "180206"}),
        household_item(answers={"district": "180101", "knows_projects": "yes",
                                "project": "MOQ-HID-007", "project_rating": 5}),
    ])


def section_rows(page: str, section: str) -> dict[str, list[str]]:
    """A section's table: first cell (text) -> the other cells, as shown."""
    match = re.search(rf'<section class="dash-section" id="{section}".*?</section>', page, re.S)
    assert match, f"no section {section}"
    rows = {}
    for row in re.findall(r"<tbody>.*?</tbody>", match.group(0), re.S)[0].split("<tr>")[1:]:
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in
                 re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def has_section(page: str, section: str) -> bool:
    return f'id="{section}"' in page


def svg_districts(page: str) -> dict[str, str]:
    """The choropleth's districts: ubigeo -> colour class (q0 lightest .. q4, q-none)."""
    return {u: css for css, u in re.findall(
        r'<path class="district (q[\w-]+)" d="[^"]+" data-ubigeo="(\d+)"', page)}


def coloured(page: str) -> set[str]:
    return {u for u, css in svg_districts(page).items() if css != "q-none"}


def db_count(app, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Submission).where(*where))


def total_shown(page: str) -> int:
    return int(re.search(r'class="dash-total"[^>]*><strong>[^<]*?([\d,]+)</strong>',
                         page).group(1).replace(",", ""))


def test_counts_in_the_tables_and_the_map_match_the_database(app, sent, console_as):
    page = console_as("coordinator").get("/console/?lang=es").get_data(as_text=True)
    assert total_shown(page) == db_count(app) == 8

    with app.app_context():
        by_district = dict(db.session.execute(select(
            Submission.district_ubigeo, func.count()).group_by(Submission.district_ubigeo)).all())
    districts = section_rows(page, "district")
    assert {cells[0]: int(cells[1]) for cells in districts.values()} == by_district
    assert districts["Ichuña"][1] == "3"
    # every district of Moquegua drawn; those with feedback coloured, the most the darkest
    shapes = svg_districts(page)
    # 21 outlines: the boundaries know San Antonio (180107, 2014), the ubigeo list does not
    assert len(shapes) == 21 and set(by_district) <= set(shapes)
    assert {u for u, css in shapes.items() if css != "q-none"} == set(by_district)
    assert max((css, u) for u, css in shapes.items() if css != "q-none")[1] == "180204"

    themes = section_rows(page, "theme")
    water = next(k for k in themes if "recursos hídricos" in k)
    # the household interview about Pasto Grande (a water project) counts for water too
    assert themes[water][0] == "3"
    projects = {k.split(" · ")[0]: v[0] for k, v in section_rows(page, "project").items()}
    assert projects["MOQ-AGU-001"] == "3" and projects["MOQ-HID-007"] == "1"

    ratings = [section_rows(page, s) for s in ("rating-0", "rating-1")]
    feedback_ratings = next(r for r in ratings if r["★★★★ (4)"][0] == "2")
    expected = Counter(rating for *_, rating in FEEDBACK)
    assert {int(k[-2]): int(v[0]) for k, v in feedback_ratings.items()} == {
        v: expected.get(v, 0) for v in range(1, 6)}
    statuses = section_rows(page, "status")
    assert statuses == {"Recibido": ["8", "100.0%"]}


def test_filters_narrow_every_figure(app, sent, console_as):
    console = console_as("viewer")
    page = console.get("/console/?place=180300").get_data(as_text=True)  # province of Ilo
    assert total_shown(page) == db_count(app, Submission.district_ubigeo.like("1803%")) == 2
    assert coloured(page) == {"180301"}

    page = console.get("/console/?theme=services&channel=public").get_data(as_text=True)
    assert total_shown(page) == 3
    assert list(section_rows(page, "district")) == ["Ichuña"]

    page = console.get("/console/?survey=moq-household").get_data(as_text=True)
    assert total_shown(page) == 2
    assert section_rows(page, "rating-0")["★★★★★ (5)"][0] == "1"

    page = console.get("/console/?from=2001-01-01&to=2001-01-31").get_data(as_text=True)
    assert total_shown(page) == 0
    assert "Ningún envío coincide con estos filtros." in page
    assert not has_section(page, "district")


def test_a_table_row_links_to_the_narrower_view(app, sent, console_as):
    page = console_as("viewer").get("/console/?channel=public").get_data(as_text=True)
    assert 'href="/console/?channel=public&amp;place=180204"' in page


def test_the_time_chart_counts_peru_days(app, sent, console_as):
    page = console_as("viewer").get("/console/").get_data(as_text=True)
    rows = section_rows(page, "time")
    assert sum(int(v[0]) for v in rows.values()) == 8
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", label) for label in rows)


def test_an_area_limited_user_sees_only_their_areas(app, sent, console_as):
    console = console_as("limited")  # province General Sánchez Cerro: 1802xx
    page = console.get("/console/").get_data(as_text=True)
    assert total_shown(page) == db_count(app, Submission.district_ubigeo.like("1802%")) == 4
    assert coloured(page) == {"180204", "180206"}
    # asking for another province shows nothing rather than its figures
    page = console.get("/console/?place=180300").get_data(as_text=True)
    assert total_shown(page) == 0
    # and the place picker offers only the user's own area
    options = re.findall(r'<option value="(\d{6})"', page)
    assert options and all(code.startswith("1802") for code in options)


def test_nobody_sees_personal_data_or_free_text(app, client, demo, link_headers, console_as):
    send(client, link_headers, [feedback("180301", "water", None, 1, consent="yes",
                                         phone="951234567",
                                         comment="Denuncio a Juan Quispe por robo")])
    send(client, link_headers, [feedback("180301", "water", None, 4, comment="Todo bien")])
    admin = console_as("admin").get("/console/?q=quispe").get_data(as_text=True)
    assert total_shown(admin) == 1  # a coordinator or admin may narrow by text
    # a viewer's text search is ignored (and not offered): counts per search would let
    # them test what residents wrote
    viewer = console_as("viewer").get("/console/?q=quispe").get_data(as_text=True)
    assert total_shown(viewer) == 2 and 'name="q"' not in viewer
    for page in (admin, viewer):
        assert "951234567" not in page and "Quispe" not in page.replace('value="quispe"', "")
        assert "Denuncio" not in page


def test_bad_filters_get_a_translated_message(app, sent, console_as):
    response = console_as("viewer").get("/console/?status=lost&from=yesterday&lang=qu")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Some filters are not valid" not in page  # translated, not English
    assert 'role="alert"' in page and "<svg" not in page


def test_titles_follow_the_console_language(app, sent, console_as):
    console = console_as("viewer")
    spanish = console.get("/console/?lang=es").get_data(as_text=True)
    quechua = console.get("/console/?lang=qu").get_data(as_text=True)
    assert "Envíos por distrito" in spanish
    assert "Envíos por distrito" not in quechua
    title = re.search(r'<title id="ch-map[-\d]*-t">([^<]+)</title>', quechua).group(1)
    assert title and title != "Submissions by district"


def test_anonymous_visitors_are_sent_to_sign_in(app, console_as):
    response = console_as(None).get("/console/")
    assert response.status_code == 302 and "/console/sign-in" in response.headers["Location"]


def test_cached_figures_are_reused_until_they_expire(app, sent, client, link_headers,
                                                   console_as):
    """With caching on, a second view within the time limit shows the same figures, with
    the time they were computed; fresh figures once the entry has expired."""
    from server.dashboard.cache import FigureCache

    app.extensions["willay_dashboard_cache"] = cache = FigureCache(3600)
    console = console_as("viewer")
    before = console.get("/console/").get_data(as_text=True)
    send(client, link_headers, [feedback("180301", "water", None, 2)])
    again = console.get("/console/").get_data(as_text=True)
    assert total_shown(again) == total_shown(before) == 8
    stamp = re.compile(r'class="dash-total".*?<span class="muted">([^<]+)</span>', re.S)
    assert stamp.search(again).group(1) == stamp.search(before).group(1)
    cache.clear()
    assert total_shown(console.get("/console/").get_data(as_text=True)) == 9


def test_every_chart_has_a_title_a_description_and_a_table(app, sent, console_as):
    page = console_as("viewer").get("/console/?lang=qu").get_data(as_text=True)
    sections = re.findall(r'<section class="dash-section".*?</section>', page, re.S)
    assert len(sections) == 7  # time, theme, district, project, 2 rating questions, status
    for section in sections:
        svg = re.search(r"<svg [^>]*role=\"img\" aria-labelledby=\"([^\"]+)\"", section)
        title_id, desc_id = svg.group(1).split()
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', section)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', section)
        assert "<table class=\"keep-table\">" in section and "<tbody>" in section


def test_slow_figures_give_a_page_that_reloads_itself(app, sent, console_as):
    """When figures take longer than the request may wait, the page says so and reloads;
    the figures computed meanwhile are shown next time."""
    from server.dashboard.cache import FigureCache

    app.extensions["willay_dashboard_cache"] = FigureCache(3600, wait=0)
    console = console_as("viewer")
    first = console.get("/console/?lang=es").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in first
    assert 'role="status"' in first and "<svg" not in first
    for _ in range(100):
        page = console.get("/console/?lang=es").get_data(as_text=True)
        if "<svg" in page:
            break
        time.sleep(0.05)
    assert total_shown(page) == 8 and 'http-equiv="refresh"' not in page
