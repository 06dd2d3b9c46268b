"""Shortcuts for the outbox tests: a paired phone and a photo in its storage."""

from __future__ import annotations

import base64
import re

# a 1×1 JPEG is enough: the server checks the type and the SHA-256, not the picture
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcp"
    "LDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAA"
    "AAD/2gAIAQEAAD8AKp//2Q==")


def pair_in_the_app(pwa, label="phone"):
    """A promoter opens the QR link: the app pairs and downloads the surveys."""
    out = pwa.server.willay("devices", "enrol", label, "--promoter", "Rosa")
    code = re.search(r"code (\S+)", out).group(1)
    pwa.page.goto(f"{pwa.server.url}/app/#pair={code}")
    pwa.poll("import('/app/db.js').then((db) => db.getSetting('token'))")
    pwa.poll("import('/app/db.js').then(async (db) => (await db.latestSurveys()).length > 0)")


def store_photo(pwa) -> str:
    data = base64.b64encode(JPEG).decode()
    return pwa.js("""
        const bytes = Uint8Array.from(atob(arg), (c) => c.charCodeAt(0));
        return (await db.putAttachment(new Blob([bytes], {type: 'image/jpeg'}))).sha256;""", data)
