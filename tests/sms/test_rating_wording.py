"""An SMS rating reads like the phone app's stars: the prompt and its correction name 1 and 5
with the star widget's own words, in Spanish and in Quechua."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.i18n.rating import in_sentence

REPO = Path(__file__).resolve().parents[2]
MSGID = re.compile(r'_\("([^"]+)"\)')


def widget_msgids() -> list[str]:
    source = (REPO / "pwa/form/widgets.js").read_text(encoding="utf-8")
    body = re.search(r"export function ratingWords\(\) \{(.*?)\n\}", source, re.DOTALL)
    assert body, "pwa/form/widgets.js has no ratingWords()"
    return MSGID.findall(body.group(1))


def python_msgids() -> list[str]:
    source = (REPO / "server/i18n/rating.py").read_text(encoding="utf-8")
    body = re.search(r"def rating_words\(\).*?return \((.*?)\)\n", source, re.DOTALL)
    return MSGID.findall(body.group(1))


def test_the_server_and_the_star_widget_use_the_same_five_messages():
    assert widget_msgids() == python_msgids()
    assert len(python_msgids()) == 5


def star_words(client, tag: str) -> tuple[str, str]:
    """What the stars say for 1 and 5, as the phone app gets it from the server."""
    messages = client.get(f"/api/v1/i18n/{tag}").get_json()["messages"]
    first, *_rest, last = widget_msgids()
    return in_sentence(messages[first]), in_sentence(messages[last])


@pytest.mark.parametrize(("keyword", "tag", "district"),
                         [("OPINION", "es", "carumas"), ("RIMAY", "qu", "Ichuña")])
def test_the_sms_rating_prompt_and_its_correction_use_the_stars_words(
        sms_app, resident, phone, keyword, tag, district):
    worst, best = star_words(sms_app.test_client(), tag)
    resident.send(keyword)
    resident.send("1")  # a theme
    resident.send("0")  # no project
    resident.send(district)
    rating_prompt = phone.texts()[-1]
    assert f"1 = {worst}, 5 = {best}" in rating_prompt
    # the survey's own hint spells the same scale: said once, not twice
    assert rating_prompt.count("5 =") == 1
    resident.send("8")
    correction = phone.texts()[-1]
    assert f"1 ({worst})" in correction and f"5 ({best})" in correction
