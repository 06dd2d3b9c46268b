"""The server names the PWA's version after its content and serves the service worker
with it: no manual bumps, and browsers always check for a new worker."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path

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


def test_the_page_preloads_the_first_screens_then_the_form_engine(client):
    """On a 400 ms link each level of imports would cost a round trip: the page preloads app.js
    and everything it imports, then the form engine, in one wave; every module is in the
    import map, and the screens a first visit does not open are left to load when asked."""
    page = client.get("/app/").get_data(as_text=True)
    order = [href.removeprefix("/app/").split("?v=")[0] for href in
             re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)]
    preloaded = set(order)
    mapped = json.loads(re.search(r'<script type="importmap">(.*?)</script>', page).group(1))
    modules = {name for name in shell(client.application.config["WILLAY"]["PWA_DIR"]).files
               if name.endswith(".js") and name not in ("sw.js", "boot.js")}
    first = {"version.js", "app.js", "db.js", "i18n.js", "sync.js", "ui/home.js",
             "ui/pairing.js", "ui/layout.js"}
    engine = {"form/interview.js", "form/render.js", "ui/interview-screen.js", "expressions.js"}
    assert first | engine <= preloaded
    assert max(order.index(name) for name in first) < min(order.index(name) for name in engine)
    assert not {"ui/settings.js", "ui/receipt.js", "ui/preview.js", "ui/saved.js",
                "transfer.js"} & preloaded
    assert {f"/app/{name}" for name in modules | {"version.js"}} == set(mapped["imports"])
    for name in preloaded:  # each preloaded module's own imports are preloaded too
        source = client.get(f"/app/{name}").get_data(as_text=True)
        for target in re.findall(r'^import .*? from "(\.{1,2}/[^"]+)";', source, re.M):
            resolved = str((Path("/" + name).parent / target).resolve()).lstrip("/")
            assert resolved in preloaded, (name, target)
    assert client.get("/app/index.html").get_data(as_text=True) == page


def test_the_first_requests_start_inline_allowed_by_their_hash(client):
    response = client.get("/app/")
    page = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    inline = re.findall(r"<script(?: type=\"importmap\")?>(.*?)</script>", page, re.S)
    assert len(inline) == 2  # the import map and the first requests (pwa/boot.js)
    for source in inline:
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    boot = inline[0]
    assert page.index(boot) < page.index('rel="stylesheet"')  # not held back by the styles
    assert "/api/v1/i18n/" in boot and "/api/v1/devices/pair" in boot
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "__WILLAY" not in boot and "'unsafe-inline'" not in scripts


def test_the_shell_travels_compressed_and_so_do_the_first_days_answers(client):
    import gzip

    import brotli

    plain = client.get("/app/app.js").get_data()
    packed = client.get("/app/app.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain
    assert len(packed.get_data()) < len(plain) / 2
    best = client.get("/app/form/interview.js", headers={"Accept-Encoding": "gzip, br"})
    assert best.headers["Content-Encoding"] == "br"
    source = client.get("/app/form/interview.js").get_data()
    assert brotli.decompress(best.get_data()) == source
    assert len(best.get_data()) <= len(brotli.compress(source, quality=9))  # the strongest
    assert "Accept-Encoding" in best.headers["Vary"]
    places = client.get("/api/v1/places", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in places.headers  # other API answers stay as written
    strings = client.get("/api/v1/i18n/qu", headers={"Accept-Encoding": "br"})
    assert strings.headers["Content-Encoding"] == "br"
    assert json.loads(brotli.decompress(strings.get_data()))["locale"] == "qu"
    tag = strings.headers["ETag"]
    assert tag.startswith('W/"')  # another representation: weak, and still matched
    again = client.get("/api/v1/i18n/qu", headers={"Accept-Encoding": "br", "If-None-Match": tag})
    assert again.status_code == 304
    bulk = client.get("/api/v1/places/bulk/180000", headers={"Accept-Encoding": "gzip"})
    assert bulk.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(bulk.get_data()))["department"] == "180000"
    refused = client.get("/app/app.js", headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "Content-Encoding" not in refused.headers and refused.get_data() == plain


def test_modules_travel_with_their_comment_lines_blank(client, tmp_path):
    """Whole-line comments are sent empty (every line number stays); the code is untouched
    and still parses."""
    import shutil
    import subprocess

    root = Path(client.application.config["WILLAY"]["PWA_DIR"])
    names = [name for name in shell(str(root)).files if name.endswith(".js")
             and name not in ("sw.js", "boot.js")]
    for name in names:
        disk = (root / name).read_text(encoding="utf-8")
        sent = client.get(f"/app/{name}").get_data(as_text=True)
        assert sent.count("\n") == disk.count("\n"), name
        for was, now in zip(disk.split("\n"), sent.split("\n"), strict=True):
            assert now == was or (now == "" and was.lstrip().startswith("//")), (name, was)
        target = tmp_path / (name.replace("/", "_") + ".mjs")
        target.write_text(sent, encoding="utf-8")
    if shutil.which("node"):
        for target in tmp_path.glob("*.mjs"):
            checked = subprocess.run(["node", "--check", str(target)], capture_output=True,
                                     text=True, timeout=30)
            assert checked.returncode == 0, (target.name, checked.stderr)
    tagged = client.get("/app/app.js")
    assert client.get("/app/app.js", headers={"If-None-Match": tagged.headers["ETag"]}
                      ).status_code == 304
