"""Phone-side figures of the v2 form engine, in Debian's Chromium at 1x and 4x CPU slowdown
(Chrome DevTools Protocol, as bench/pwa.py does), against a real gunicorn:

- render: a 100-question page built by the app's own form code (pwa/form/interview.js),
  layout included; and the part spent building the DOM (the "willay:render" measure);
- big form: 1,000 rows (700 questions on 14 pages, 300 chained calculates): opening it
  (engine, every calculation, first page) and changing one answer (recomputing what
  depends on it, refreshing the page);
- 50k list: a select_one_from_file of 50,000 villages filtered by `district = ${dist}`:
  changing the district (filter, index, re-render) and one keystroke in its search box;
- on the server: importing XLSForms of the corpus (pyxform, our checks, the conversion and
  the validation of the definition) and checking an uploaded 50,000-row village list.

Usage: .venv/bin/python bench/forms.py [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from live import LiveServer  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

COMMON = """
  const { createInterview } = await import('/app/form/interview.js');
  const t = (s) => ({ es: s, qu: s });
  const open = (definition, target) => {
    const interview = createInterview({ code: 'bench', version: 1, title: t('B'), definition },
      null, { channel: 'device', link: null, preview: true, onDraftCreated() {}, onLeave() {},
        onFinished() {} });
    interview.render(target);
    target.getBoundingClientRect();
    return interview;
  };
  const fresh = () => {
    const d = document.createElement('main');
    document.body.append(d);
    return d;
  };
"""

RENDER = """async (runs) => {""" + COMMON + """
  const choices = [1, 2, 3, 4].map((c) => ({ value: `c${c}`, label: t(`Opción ${c}`) }));
  const types = ['text', 'integer', 'select_one', 'select_multiple', 'decimal'];
  const questions = Array.from({ length: 100 }, (_, i) => {
    const q = { id: `q${i}`, type: types[i % 5], label: t(`Pregunta número ${i + 1}`),
      required: i % 3 === 0 };
    if (q.type.startsWith('select')) q.choices = choices;
    if (i % 10 === 9) q.relevance = `\\${q${i - 1}} != ''`;
    return q;
  });
  const definition = { languages: ['es', 'qu'], default_language: 'es', title: t('B'),
    pages: [{ id: 'p', title: t('Todo'), questions }] };
  const total = [], build = [];
  for (let r = 0; r < runs; r += 1) {
    const target = fresh();
    const started = performance.now();
    open(definition, target);
    total.push(performance.now() - started);
    build.push(performance.getEntriesByName('willay:render').at(-1).duration);
    if (target.querySelectorAll('.question').length !== 100) throw new Error('not 100');
    target.remove();
  }
  return { total, build };
}"""

BIG = """async (runs) => {""" + COMMON + """
  const pages = [];
  for (let p = 0; p < 14; p += 1) {
    const questions = [];
    for (let i = p * 50; i < p * 50 + 50; i += 1) {
      questions.push({ id: `q${i}`, type: i % 2 ? 'integer' : 'text', label: t(`Pregunta ${i}`),
        relevance: i % 10 === 9 ? `\\${q${i - 1}} != ''` : undefined });
    }
    pages.push({ id: `p${p}`, title: t(`Página ${p}`), questions });
  }
  const calcs = [];
  for (let i = 0; i < 300; i += 1) {
    calcs.push({ id: `c${i}`, type: 'calculate',
      calculation: i ? `coalesce(\\${c${i - 1}}, 0) + coalesce(\\${q${(i * 2 + 1) % 700}}, 0)`
        : 'coalesce(${q1}, 0)' });
  }
  pages[13].questions.push(...calcs);
  const definition = { languages: ['es'], default_language: 'es', title: t('Big'), pages };
  const opening = [], change = [];
  for (let r = 0; r < runs; r += 1) {
    const copy = JSON.parse(JSON.stringify(definition)); // nothing cached from the last run
    const target = fresh();
    let started = performance.now();
    open(copy, target);
    opening.push(performance.now() - started);
    const input = target.querySelector('#q-q1');
    input.value = String(r + 3);
    started = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    target.getBoundingClientRect();
    change.push(performance.now() - started);
    target.remove();
  }
  return { opening, change };
}"""

LIST = """async (runs) => {""" + COMMON + """
  const { listFromText, registerFileList } = await import('/app/form/choices.js');
  const lines = ['name,label::es,district'];
  for (let i = 0; i < 50000; i += 1) {
    lines.push(`v${i},Anexo ${i} ${i % 7 ? 'Ñaña' : 'Pampa'},d${i % 100}`);
  }
  const sha = 'b'.repeat(64);
  const spec = { file: 'v.csv', value: 'name', label: 'label' };
  registerFileList(sha, listFromText(lines.join('\\n'), spec));
  const definition = { languages: ['es'], default_language: 'es', title: t('L'),
    files: [{ name: 'v.csv', sha256: sha, size: 1, content_type: 'text/csv' }],
    pages: [{ id: 'p', title: t('Lugar'), questions: [
      { id: 'dist', type: 'select_one', appearance: 'minimal', label: t('Distrito'),
        choices: Array.from({ length: 100 },
          (_, i) => ({ value: `d${i}`, label: t(`Distrito ${i}`) })) },
      { id: 'village', type: 'select_one', label: t('Anexo'),
        choices_from: spec, choice_filter: 'district = ${dist}' },
      { id: 'all', type: 'select_one', label: t('Cualquier anexo'),
        choices_from: spec }] }] };
  const target = fresh();
  open(definition, target);
  const change = [], key = [];
  for (let r = 0; r < runs; r += 1) {
    const select = target.querySelector('#q-dist');
    select.value = `d${(r * 13) % 100}`;
    let started = performance.now();
    select.dispatchEvent(new Event('change', { bubbles: true }));
    target.getBoundingClientRect();
    change.push(performance.now() - started);
    const shown = target.querySelectorAll('[data-question=village] input[type=radio]').length;
    if (shown !== 50) throw new Error(`${shown} rows shown, not 50`);
    const search = target.querySelector('#q-all-search');
    search.value = `pampa ${r + 1}`;
    started = performance.now();
    search.dispatchEvent(new Event('input', { bubbles: true }));
    target.getBoundingClientRect();
    key.push(performance.now() - started);
  }
  return { change, key };
}"""


def measure(page, cdp, script: str, runs: int, cpu: float) -> dict:
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    try:
        return page.evaluate(script, runs)
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def show(name: str, fast: list[float], slow: list[float]) -> None:
    print(f"  {name:42} 1x {statistics.median(fast):7.1f} ms   "
          f"4x {statistics.median(slow):7.1f} ms (target <= 100 ms at 4x)")


def server_side(runs: int) -> list[tuple[str, float]]:
    """Median seconds for importing corpus forms and checking a 50,000-row CSV list."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "xlsform"))
    import corpus  # tests/xlsform/corpus.py
    import corpus_files

    from server import create_app
    from server.survey_files.checks import check_file
    from server.survey_files.references import referenced_files
    from server.xlsform import import_file

    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "WILLAY": {
            "DATABASE_URL": f"sqlite:///{tmp}/x.sqlite3", "SECRET_KEY": "bench"}})
        with app.test_request_context(headers={"Accept-Language": "es"}):
            for name in ("household", "large"):
                data = corpus.build(name)
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    result = import_file(f"{name}.xlsx", data)
                    times.append(time.perf_counter() - start)
                assert result.definition is not None, result.problems[:3]
                rows = len(corpus.sheets(name)["survey"]) - 1  # without the header
                figures.append((f"import {name}.xlsx ({rows} survey rows)",
                                statistics.median(times)))
            use = referenced_files(import_file("household.xlsx", corpus.build(
                "household")).definition)["villages.csv"]
            villages = corpus_files.villages_csv(50_000)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                check_file(use, io.BytesIO(villages), len(villages))
                times.append(time.perf_counter() - start)
            figures.append((f"check a 50,000-row list ({len(villages) / 1e6:.1f} MB)",
                            statistics.median(times)))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(f"sqlite:///{tmp}/bench.sqlite3", Path(tmp) / "instance")
        server.willay("setup", "--no-samples")
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                context = browser.new_context(service_workers="block")
                page = context.new_page()
                page.goto(f"{server.url}/app/")
                page.wait_for_load_state("networkidle")
                cdp = context.new_cdp_session(page)
                scripts = (("render", RENDER), ("big", BIG), ("list", LIST))
                results = {cpu: {name: measure(page, cdp, script, args.runs, cpu)
                                 for name, script in scripts}
                           for cpu in (1, 4)}
                browser.close()
        finally:
            server.stop()
    fast, slow = results[1], results[4]
    print(f"Form engine on the phone (median of {args.runs} runs)")
    show("100-question page, render + layout", fast["render"]["total"], slow["render"]["total"])
    show("  of which building the DOM", fast["render"]["build"], slow["render"]["build"])
    show("1,000 rows / 300 calculates: open", fast["big"]["opening"], slow["big"]["opening"])
    show("1,000 rows / 300 calculates: one change", fast["big"]["change"], slow["big"]["change"])
    show("50,000-row list: change of the filter", fast["list"]["change"], slow["list"]["change"])
    show("50,000-row list: one search keystroke", fast["list"]["key"], slow["list"]["key"])
    print(f"On the server (median of {args.runs} runs)")
    for name, seconds in server_side(args.runs):
        print(f"  {name:52} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
