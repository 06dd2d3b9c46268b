"""The server names the PWA's version after its content and serves the service worker
with it: no manual bumps, and browsers always check for a new worker."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from server.web.shell import shell


@pytest.fixture
def pwa_copy(tmp_path, app):
    source = app.config["WILLAY"]["PWA_DIR"]
    target = tmp_path / "pwa"
    shutil.copytree(source, target)
    return target


def _injected(body: str) -> tuple[str, list[str]]:
    version = re.search(r'const VERSION = "([0-9a-f]+)";', body).group(1)
    files = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    return version, files


def test_sw_is_served_with_the_content_version_and_the_shell_to_precache(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    version, files = _injected(response.get_data(as_text=True))
    assert "__WILLAY" not in response.get_data(as_text=True)
    plain = {url.split("?v=")[0] for url in files}  # most files at their hashed address
    assert {"/app/", "/app/index.html", "/app/app.js", "/app/db.js", "/app/sync.js",
            "/app/version.js", "/app/manifest.webmanifest", "/app/icons/icon-192.png"} <= plain
    assert "/app/sw.js" not in plain
    module = client.get("/app/version.js")
    assert module.headers["Cache-Control"] == "no-cache"  # its hashed address is immutable
    assert module.get_data(as_text=True) == f'export const VERSION = "{version}";\n'
    for url in files:  # every precached file exists, or the install would fail
        assert client.get(url).status_code == 200, url


def test_changing_one_byte_of_the_app_changes_the_version(app_factory, pwa_copy):
    before = app_factory(PWA_DIR=str(pwa_copy)).test_client().get("/app/version.js").get_data()
    again = app_factory(PWA_DIR=str(pwa_copy)).test_client().get("/app/version.js").get_data()
    assert before == again  # stable while nothing changes
    with (pwa_copy / "i18n.js").open("a") as handle:
        handle.write("\n")
    after = app_factory(PWA_DIR=str(pwa_copy)).test_client().get("/app/version.js").get_data()
    assert after != before


def test_a_new_file_changes_the_version_and_joins_the_precache(pwa_copy):
    first = shell(str(pwa_copy))
    (pwa_copy / "ui").mkdir(exist_ok=True)
    (pwa_copy / "ui" / "extra.js").write_text("export const x = 1;\n")
    second = shell(str(pwa_copy))
    assert second.version != first.version
    assert second.address("ui/extra.js") in second.precache()
    (pwa_copy / ".hidden.swp").write_text("editor leftovers")
    assert shell(str(pwa_copy)) == second  # hidden files are not part of the app


def test_manifest_has_its_media_type_and_installable_icons(client):
    response = client.get("/app/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = client.get(f"/app/{icon['src']}")
        assert image.mimetype == "image/png"
        width, height = (int.from_bytes(image.data[at:at + 4], "big") for at in (16, 20))
        assert f"{width}x{height}" == icon["sizes"]


def test_the_content_security_policy_lets_the_app_run_its_worker(client):
    policy = client.get("/app/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert "'unsafe-eval'" not in policy


def test_the_page_preloads_every_module_at_once(client):
    """On a 400 ms link each level of imports would cost a round trip: the page names them all."""
    page = client.get("/app/").get_data(as_text=True)
    preloaded = {href.removeprefix("/app/").split("?v=")[0] for href in
                 re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)}
    modules = {name for name in shell(client.application.config["WILLAY"]["PWA_DIR"]).files
               if name.endswith(".js") and name != "sw.js"}
    assert modules and modules | {"version.js"} == preloaded
    assert client.get("/app/index.html").get_data(as_text=True) == page


def test_the_shell_travels_compressed_but_api_answers_do_not(client):
    import gzip

    plain = client.get("/app/app.js").get_data()
    packed = client.get("/app/app.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain
    assert len(packed.get_data()) < len(plain) / 2
    places = client.get("/api/v1/places", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in places.headers  # ETag'd JSON stays as the server wrote it
