"""Place pickers offer the region's places only (the departments of the plans), with their
accents, and a search box narrows them in the browser."""

from __future__ import annotations

import re

import pytest


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [(v, re.sub(r"^[—\s\u00a0]+", "", t).strip())
            for v, t in re.findall(r'<option value="(\d{6})"[^>]*>([^<]*)</option>', select)]


def test_pickers_offer_only_the_regions_places(app, demo, console_as):
    admin = console_as("admin")
    dashboard = _options(admin.get("/console/?lang=es").get_data(as_text=True), "place")
    departments = {code[:2] for code, _name in dashboard}
    assert departments == {"06", "18"}  # Cajamarca and Moquegua, the demo's plans
    names = dict(dashboard)
    assert names["180200"] == "General Sánchez Cerro" and names["180204"] == "Ichuña"
    submissions = _options(admin.get("/console/submissions").get_data(as_text=True), "place")
    assert {code[:2] for code, _name in submissions} == {"06", "18"}
    areas = _options(admin.get("/console/users/new").get_data(as_text=True), "areas")
    assert {code[:2] for code, _name in areas} == {"06", "18"}
    assert all(code.endswith("00") for code, _name in areas)  # departments and provinces


def test_a_user_with_an_area_outside_the_region_keeps_it_on_offer(app, demo, console_as, users):
    from server.extensions import db
    from server.users.models import User, user_areas

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == users["limited"]))
        db.session.execute(user_areas.insert().values(user_id=user.id, ubigeo="150100"))
        db.session.commit()
        user_id = user.id
    edit = dict(_options(console_as("admin").get(f"/console/users/{user_id}")
                         .get_data(as_text=True), "areas"))
    assert edit["150100"] == "Lima" and "180200" in edit and "060100" in edit
    assert not any(code.startswith("08") for code in edit)  # Cusco is not offered


@pytest.mark.browser
def test_typing_narrows_the_place_picker(live_server, page):
    from server.demo.loader import DEMO_EMAIL, DEMO_PASSWORD

    page.goto(f"{live_server.url}/console/sign-in?lang=es")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/console/")
    box = page.locator("input.option-filter").first
    box.fill("sanchez")  # typed without the accent
    shown = page.eval_on_selector_all(
        "#filter-place option", "os => os.filter(o => !o.hidden && o.value).map(o => o.text)")
    assert shown and all("Sánchez" in text for text in shown)
    page.select_option("#filter-place", label=shown[0])
    page.click("form.filters button[type=submit]")
    assert "place=180200" in page.url
