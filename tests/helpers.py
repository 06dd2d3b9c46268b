"""Builders shared by the tests."""

from __future__ import annotations

import uuid

# Debian's Chromium, quiet and sandbox-free, for the browser tests
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# a camera and a microphone that need no one to allow them (photos, voice notes, prompts)
MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
# where the phones' fake location puts them (Moquegua)
MOQUEGUA = {"latitude": -17.1934, "longitude": -70.9350, "accuracy": 12}


def console_sign_in(page, url: str, email: str, password: str) -> None:
    """Sign in to the console in the browser, in Spanish, and wait for the dashboard."""
    from playwright.sync_api import expect

    page.goto(f"{url}/console/sign-in")
    page.get_by_label("Correo").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Panel", exact=True)).to_be_visible()


def household_item(**overrides) -> dict:
    """A valid submission of the demo household survey (version 1)."""
    answers = {
        "district": "180101", "community": "Anexo Yacango", "household_size": 4,
        "water_source": "network_home", "water_daily": "yes", "water_problems": ["none"],
        "knows_projects": "no", "rainy_road": "good", "health_minutes": 30,
        "activities": ["agriculture"], "consent": "no",
    }
    item = {
        "uuid": str(uuid.uuid4()), "survey": "moq-household", "version": 1,
        "answers": answers,
        "meta": {"language": "qu", "started_at": "2026-11-20T14:00:00-05:00",
                 "completed_at": "2026-11-20T14:20:00-05:00", "consent": True,
                 "location": {"lat": -17.19, "lon": -70.93, "accuracy": 12.0},
                 "app_version": "1.0.0"},
        "attachments": [],
    }
    for key, value in overrides.items():
        if key == "answers":
            item["answers"] = {**answers, **value}
        else:
            item[key] = value
    return item


def feedback_item(**overrides) -> dict:
    """A valid resident feedback (the demo's public form, version 1)."""
    item = {"uuid": str(uuid.uuid4()), "survey": "moq-feedback", "version": 1,
            "answers": {"theme": "water", "district": "180301", "rating": 2,
                        "comment": "Yaku mana chayamunchu", "consent": "no"},
            "meta": {"language": "qu"}}
    item.update(overrides)
    return item
