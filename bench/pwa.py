"""PWA benchmark: shell size, time to an interactive survey on a slow phone, render time of a
100-question survey, and syncing 200 queued interviews over a 2G-like link.

Usage: .venv/bin/python bench/pwa.py [--repeat 3] [--items 200] [--parts shell,interactive,...]
       [--timeline]   (the request timeline of the fastest first visit, direct and through nginx)

Runs Debian's Chromium through Playwright against a real gunicorn (tests/live.py) on a fresh
SQLite database, directly (HTTP/1.1, no TLS) and through the repo's nginx configuration
(deploy/, rendered for 127.0.0.1 with a self-signed certificate: TLS 1.3 + HTTP/2 + gzip;
tests/deploy/nginx_proxy.py), and emulates networks and CPUs with the Chrome DevTools Protocol:

- shell: every response the first visit fetches (page and service-worker precache),
  measured raw and gzip-compressed (gunicorn does not compress; a reverse proxy would).
  The target (<= 100 KB) is about the compressed size, images excluded.
- interactive: slow 3G (400 ms RTT, 400 kbps) and 4x CPU slowdown. First visit: a fresh
  phone opens the pairing link, the survey downloads, the promoter taps "Start" — until the
  first question can be answered. Repeat visit: the same phone, offline, opens a new interview.
  The first visit is measured with service workers blocked, because DevTools network
  emulation does not reach requests a service worker makes itself.
- render: a made-up survey of 100 questions on one page (text, number, choices), rendered by
  the app's own form code (pwa/form/interview.js), without and with the 4x CPU slowdown.
- sync: 200 interviews queued on the phone, then sent over 800 ms RTT, 250 kbps by the sync
  engine (batches), beside the same 200 sent one request each. Times and request counts.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from deploy.nginx_proxy import Nginx  # noqa: E402  (the nginx the deploy tests run)
from live import LiveServer  # noqa: E402  (the same real gunicorn the tests use)

# --ignore-certificate-errors: the nginx run's certificate is self-signed, and Chromium
# refuses to install a service worker from an origin with a certificate error otherwise
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--ignore-certificate-errors"]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
           "uploadThroughput": 400_000 / 8}
TWO_G = {"offline": False, "latency": 800, "downloadThroughput": 250_000 / 8,
         "uploadThroughput": 250_000 / 8}
SURVEY = "moq-household"


def household(index: int) -> dict:
    return {"uuid": str(uuid.uuid4()), "survey": SURVEY, "version": 1,
            "answers": {"district": "180101", "community": f"Anexo {index}", "household_size": 4,
                        "water_source": "network_home", "water_daily": "yes",
                        "water_problems": ["none"], "knows_projects": "no", "rainy_road": "good",
                        "health_minutes": 30, "activities": ["agriculture"], "consent": "no"},
            "meta": {"language": "es", "started_at": "2026-11-20T14:00:00-05:00",
                     "completed_at": "2026-11-20T14:20:00-05:00", "consent": True}}


def enrol(server: LiveServer) -> str:
    return re.search(r"code (\S+)", server.willay("devices", "enrol", "bench")).group(1)


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


# ---- shell size ----

def shell_size(server: LiveServer, browser) -> dict:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived",
           lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda e: seen.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(f"{server.url}/app/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    precache = page.evaluate("""async () => {
        const names = await caches.keys();
        const shell = names.find((n) => n.startsWith('willay-shell-'));
        return shell ? (await (await caches.open(shell)).keys()).map((r) => r.url) : []; }""")
    context.close()
    page_urls = sorted({urls[r] for r in seen if r in urls})
    wire = sum(seen.values())
    everything = sorted(set(page_urls) | set(precache))
    rows = []
    for url in everything:
        body = requests.get(url, timeout=10).content
        rows.append((url, len(body), len(gzip.compress(body, 6))))
    def image(url: str) -> bool:  # hashed addresses end in ?v=<hash>
        return url.split("?", 1)[0].endswith(".png")
    images = [r for r in rows if image(r[0])]
    code = [r for r in rows if not image(r[0])]
    return {"page_requests": len(page_urls), "page_wire_bytes": wire,
            "precached_files": len(precache), "files": len(rows),
            "raw": sum(r[1] for r in code), "gzip": sum(r[2] for r in code),
            "images_raw": sum(r[1] for r in images),
            "largest": sorted(code, key=lambda r: -r[2])[:5]}


# ---- interactive on a slow phone ----

def throttle(context, page, network: dict | None, cpu: float) -> object:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    return cdp


FIRST_QUESTION = ".question input, .question select, .question button"


def first_visit(server: LiveServer, browser, base: str) -> dict:
    context = browser.new_context(service_workers="block", ignore_https_errors=True)
    page = context.new_page()
    cdp = throttle(context, page, SLOW_3G, 4)
    protocols: dict[str, str] = {}
    requests_seen: dict[str, dict] = {}  # requestId -> url, start, end, bytes (the timeline)
    cdp.on("Network.requestWillBeSent", lambda e: requests_seen.setdefault(
        e["requestId"], {"url": e["request"]["url"], "method": e["request"]["method"],
                         "start": e["timestamp"], "end": None, "bytes": 0}))
    cdp.on("Network.responseReceived", lambda e: protocols.__setitem__(
        e["response"]["url"], e["response"].get("protocol", "?")))

    def finished(event: dict) -> None:
        if event["requestId"] in requests_seen:
            requests_seen[event["requestId"]].update(end=event["timestamp"],
                                                     bytes=event["encodedDataLength"])
    cdp.on("Network.loadingFinished", finished)
    code = enrol(server)
    started = time.perf_counter()
    page.goto(f"{base}/app/#pair={code}")
    start_link = page.locator(f"a[href^='#/new/{SURVEY}/']")
    start_link.wait_for(timeout=120_000)
    home = time.perf_counter() - started
    start_link.click()
    page.locator(FIRST_QUESTION).first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - started
    context.close()
    api = sorted(url.split("/api/v1", 1)[1] for url in protocols if "/api/v1/" in url)
    return {"seconds": elapsed, "home": home, "requests": len(protocols), "api": api,
            "protocols": sorted(set(protocols.values())),
            "timeline": sorted(requests_seen.values(), key=lambda r: r["start"])}


def print_timeline(visit: dict) -> None:
    """Each request of a first visit: when it started and ended (s after the page's request),
    its bytes on the wire; the same address twice is marked (a duplicate download)."""
    rows = visit["timeline"]
    if not rows:
        return
    zero = rows[0]["start"]
    seen: set[tuple[str, str]] = set()
    print(f"    request timeline (home shown at {visit['home']:.2f} s, first question at "
          f"{visit['seconds']:.2f} s):")
    for row in rows:
        path = row["url"].split("/", 3)[-1].split("?")[0]
        again = " (again)" if (row["method"], path) in seen else ""
        seen.add((row["method"], path))
        end = f"{row['end'] - zero:5.2f}" if row["end"] else "  -  "
        print(f"      {row['start'] - zero:5.2f} → {end} s {kb(row['bytes']):>9}  "
              f"{row['method']} /{path}{again}")
    total = sum(row["bytes"] for row in rows)
    print(f"      {len(rows)} requests, {kb(total)} on the wire")


def installed_phone(server: LiveServer, browser, base: str):
    """A phone that visited once (service worker installed, paired, survey downloaded)."""
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.goto(f"{base}/app/#pair={enrol(server)}")
    page.locator(f"a[href^='#/new/{SURVEY}/']").wait_for(timeout=60_000)
    deadline = time.monotonic() + 30
    while not page.evaluate("navigator.serviceWorker.controller !== null"):
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker never took control")
        time.sleep(0.1)
    return context, page


def repeat_visit_offline(context, base: str) -> float:
    context.set_offline(True)
    page = context.new_page()
    throttle(context, page, None, 4)
    started = time.perf_counter()
    page.goto(f"{base}/app/#/new/{SURVEY}/1")
    page.locator(FIRST_QUESTION).first.wait_for(timeout=60_000)
    elapsed = time.perf_counter() - started
    page.close()
    context.set_offline(False)
    return elapsed


# ---- render of a 100-question survey ----

RENDER = """async (runs) => {
  const { createInterview } = await import('/app/form/interview.js');
  const label = (n) => ({ es: `Pregunta número ${n}`, qu: `${n} tapukuy` });
  const choices = [1, 2, 3, 4].map((c) => ({ value: `c${c}`,
    label: { es: `Opción ${c}`, qu: `${c} akllana` } }));
  const types = ['text', 'integer', 'select_one', 'select_multiple', 'decimal'];
  const questions = Array.from({ length: 100 }, (_, i) => {
    const q = { id: `q${i}`, type: types[i % types.length], label: label(i + 1),
      required: i % 3 === 0 };
    if (q.type.startsWith('select')) q.choices = choices;
    if (i % 10 === 9) q.relevance = `\\${q${i - 1}} != ''`;
    return q;
  });
  const survey = { code: 'bench', version: 1, title: { es: 'Bench', qu: 'Bench' },
    definition: { languages: ['es', 'qu'], default_language: 'es',
      title: { es: 'Bench', qu: 'Bench' },
      pages: [{ id: 'p1', title: { es: 'Todo', qu: 'Llapan' }, questions }] } };
  const times = [];
  for (let r = 0; r < runs; r += 1) {
    const target = document.createElement('div');
    document.body.append(target);
    const started = performance.now();
    const interview = createInterview(survey, null, { channel: 'device', link: null,
      onDraftCreated() {}, onLeave() {}, onFinished() {} });
    interview.render(target);
    target.getBoundingClientRect();  // layout included
    times.push(performance.now() - started);
    const count = target.querySelectorAll('.question').length;
    if (count !== 100) throw new Error(`rendered ${count} questions`);
    target.remove();
  }
  return times;
}"""


def render_times(context, page, cpu: float, runs: int) -> list[float]:
    cdp = throttle(context, page, None, cpu)
    times = page.evaluate(RENDER, runs)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return times


# ---- sync of 200 queued interviews ----

QUEUE = """async (items) => {
  const db = await import('/app/db.js');
  // keep this tab's automatic uploads waiting while the queue fills
  await new Promise((locked) => navigator.locks.request('willay-outbox',
    () => { locked(); return new Promise((release) => { window.releaseQueue = release; }); }));
  for (const item of items) {
    await db.saveDraft({ ...item, channel: 'device', link: null, attachments: [], page: 0 });
    await db.finalize(item.uuid, { completed_at: item.meta.completed_at });
  }
  return (await db.counts()).waiting;
}"""

SEND = """async () => {
  const sync = await import('/app/sync.js');
  const db = await import('/app/db.js');
  window.releaseQueue();
  const started = performance.now();
  const report = await sync.syncNow();
  return { ms: performance.now() - started, report, counts: await db.counts() };
}"""

ONE_BY_ONE = """async (items) => {
  const db = await import('/app/db.js');
  const headers = { 'Content-Type': 'application/json',
    Authorization: `Bearer ${await db.getSetting('token')}` };
  const started = performance.now();
  for (const item of items) {
    const response = await fetch('/api/v1/submissions', { method: 'POST', headers,
      body: JSON.stringify({ submissions: [item] }) });
    const { results } = await response.json();
    if (results[0].outcome !== 'stored') throw new Error(results[0].outcome);
  }
  return performance.now() - started;
}"""


def sync_run(server: LiveServer, browser, count: int) -> dict:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(f"{server.url}/app/")
    page.evaluate("(c) => import('/app/sync.js').then((s) => s.pair(c))", enrol(server))
    waiting = page.evaluate(QUEUE, [household(i) for i in range(count)])
    assert waiting == count, waiting
    cdp = throttle(context, page, TWO_G, 1)
    api_requests = []
    cdp.on("Network.requestWillBeSent",
           lambda e: api_requests.append(e["request"]["url"]) if "/api/v1/" in e["request"]["url"]
           else None)
    batched = page.evaluate(SEND)
    assert batched["counts"]["waiting"] == 0 and batched["counts"]["sent"] == count, batched
    batched_requests = len(api_requests)
    api_requests.clear()
    single_ms = page.evaluate(ONE_BY_ONE, [household(i) for i in range(count)])
    single_requests = len(api_requests)
    context.close()
    return {"batched_s": batched["ms"] / 1000, "batched_requests": batched_requests,
            "single_s": single_ms / 1000, "single_requests": single_requests}


PARTS = ("shell", "interactive", "render", "sync")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"which measurements, comma-separated ({', '.join(PARTS)})")
    parser.add_argument("--timeline", action="store_true",
                        help="print the request timeline of the fastest first visit")
    args = parser.parse_args()
    args.parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(f"sqlite:///{tmp}/bench.sqlite3", Path(tmp) / "instance")
        server.env["WILLAY_PROXY_HOPS"] = "1"  # as deployed behind nginx
        server.willay("setup")
        server.start()
        proxy = Nginx([f"127.0.0.1:{server.port}"])
        try:
            proxy.start()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                run(server, proxy, browser, args)
                browser.close()
        finally:
            proxy.close()
            server.stop()


def interactive(server: LiveServer, browser, base: str, label: str, repeat: int,
                timeline: bool = False) -> None:
    firsts = [first_visit(server, browser, base) for _ in range(repeat)]
    context, _page = installed_phone(server, browser, base)
    repeats = [repeat_visit_offline(context, base) for _ in range(repeat)]
    context.close()
    times = [f["seconds"] for f in firsts]
    print(f"Survey interactive, slow 3G (400 ms RTT, 400 kbps) + 4x CPU, {label}")
    print(f"  first visit (pair, download, start): median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)}; target <= 3 s)")
    print(f"    {firsts[0]['requests']} requests ({', '.join(firsts[0]['protocols'])}); "
          f"API: {' '.join(firsts[0]['api'])}")
    if timeline:
        print_timeline(min(firsts, key=lambda f: f["seconds"]))
    print(f"  repeat visit offline: median {statistics.median(repeats):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in repeats)}; target <= 1 s)")


def run(server: LiveServer, proxy: Nginx, browser, args) -> None:
    if "shell" in args.parts:
        shell_report(server, browser)
    if "interactive" in args.parts:
        interactive(server, browser, server.url, "direct to gunicorn (HTTP/1.1)", args.repeat,
                    args.timeline)
        interactive(server, browser, proxy.url, "through nginx (TLS + HTTP/2)", args.repeat,
                    args.timeline)
    if "render" in args.parts:
        context, page = installed_phone(server, browser, server.url)
        fast = render_times(context, page, 1, 7)
        slow = render_times(context, page, 4, 7)
        context.close()
        print("Render a 100-question survey page (pwa/form), including layout")
        print(f"  no slowdown: median {statistics.median(fast):.1f} ms; 4x CPU: median "
              f"{statistics.median(slow):.1f} ms (target <= 100 ms)")
    if "sync" in args.parts:
        result = sync_run(server, browser, args.items)
        print(f"Sync {args.items} queued interviews, 800 ms RTT, 250 kbps")
        print(f"  outbox (batches): {result['batched_s']:.1f} s, "
              f"{result['batched_requests']} requests")
        print(f"  one request each: {result['single_s']:.1f} s, "
              f"{result['single_requests']} requests")
        print(f"  ratio: {result['single_s'] / result['batched_s']:.1f}x faster, "
              f"{result['single_requests'] / max(1, result['batched_requests']):.0f}x fewer "
              "requests")


def shell_report(server: LiveServer, browser) -> None:
    size = shell_size(server, browser)
    print("App shell, first visit")
    print(f"  page requests: {size['page_requests']}, on the wire (direct, as gunicorn "
          f"compresses): {kb(size['page_wire_bytes'])}; files precached by the service "
          f"worker: {size['precached_files']}")
    print(f"  code + styles + strings ({size['files']} files incl. images): raw {kb(size['raw'])}, "
          f"gzip {kb(size['gzip'])} (target <= 100 KB gzip); images {kb(size['images_raw'])}")
    for url, raw, packed in size["largest"]:
        print(f"    {url.split('/', 3)[-1]:40} raw {kb(raw):>9}  gzip {kb(packed):>9}")


if __name__ == "__main__":
    main()
