"""The expressions an XLSForm is converted to give the same answers on the phone
(pwa/expressions.js, run by Node.js) as on the server, and the answers ODK would give."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from xlsform_builders import ES, QU, good_form, xlsx

from server.surveys.expressions import parse

REPO = Path(__file__).resolve().parents[2]
NODE_SCRIPT = """
import { parse } from '%s';
const cases = JSON.parse(await new Promise((resolve) => {
  let text = ''; process.stdin.on('data', (d) => { text += d; });
  process.stdin.on('end', () => resolve(text));
}));
const out = cases.map((c) => parse(c.expr).evaluateBool(c.answers,
  { current: c.current ?? null, today: c.today ?? '2026-11-23' }));
process.stdout.write(JSON.stringify(out));
"""


def _node(cases: list[dict]) -> list[bool]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js 20 or newer) is required to run pwa/expressions.js")
    script = NODE_SCRIPT % (REPO / "pwa" / "expressions.js").as_uri()
    done = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(cases),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_converted_expressions_agree_on_server_phone_and_odk(convert):
    pages = convert(good_form()).definition["pages"]
    good = {q["id"]: q for page in pages for q in page["questions"]}
    farm = next(page for page in pages if page["id"] == "farm")  # a group: one page
    survey = [["type", "name", ES, QU, "constraint", "constraint_message::es",
               "constraint_message::qu"],
              ["text", "dni", "DNI", "DNI", "regex(., '[0-9]{8}')", "m", "m"],
              ["text", "dni_exact", "DNI", "DNI", "regex(., '^[0-9]{8}$')", "m", "m"],
              ["date", "born", "Nacimiento", "Paqarisqa", ". >= date('1900-01-01')", "m", "m"],
              ["integer", "n", "N", "N", ". > .5 and . mod 2 = 0", "m", "m"]]
    extra = {q["id"]: q for page in convert(xlsx(survey, None, [
        ["form_title", "form_title::qu", "form_id"], ["T", "T", "t"]])).definition["pages"]
        for q in page["questions"]}
    # (expression, answers, current, what ODK Collect answers)
    cases = [
        (good["tank_detail"]["relevance"], {"problems": ["tank"], "people": 3}, None, True),
        (good["tank_detail"]["relevance"], {"problems": ["pipe"], "people": 3}, None, False),
        (good["tank_detail"]["relevance"], {"problems": ["tank"]}, None, False),
        (farm["relevance"], {"place_type": "rural"}, None, True),
        (farm["relevance"], {}, None, False),
        (good["area"]["constraint"], {}, 0.75, True),
        (good["area"]["constraint"], {}, 0.5, False),
        (good["people"]["constraint"], {}, 31, False),
        (good["harvest"]["constraint"], {}, "2026-11-24", False),
        (good["harvest"]["constraint"], {}, "2026-11-23", True),
        (good["photo"]["relevance"], {"problems": []}, None, False),
        (extra["dni"]["constraint"], {}, "12345678", True),
        # ODK Collect and Enketo find the pattern anywhere: 9 digits contain 8
        (extra["dni"]["constraint"], {}, "123456789", True),
        (extra["dni"]["constraint"], {}, "1234567", False),
        (extra["dni_exact"]["constraint"], {}, "123456789", False),
        (extra["dni_exact"]["constraint"], {}, "12345678", True),
        (extra["born"]["constraint"], {}, "1899-12-31", False),
        (extra["born"]["constraint"], {}, "1960-05-01", True),
        (extra["n"]["constraint"], {}, 4, True),
        (extra["n"]["constraint"], {}, 3, False),
    ]
    on_server = [parse(e).evaluate_bool(a, current=c, today="2026-11-23")
                 for e, a, c, _odk in cases]
    on_phone = _node([{"expr": e, "answers": a, "current": c} for e, a, c, _odk in cases])
    odk = [expected for *_rest, expected in cases]
    assert on_server == odk
    assert on_phone == odk
