"""Run the JavaScript tests (node --test tests/js/), which hold pwa/expressions.js to the
same vectors as the Python evaluator. Node.js is required: without it this test fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_javascript_tests_pass_with_every_vector() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node (Node.js 20 or newer) is required to test pwa/expressions.js but is not on "
            "PATH; install it (CI does) and run the tests again"
        )
    result = subprocess.run(
        [node, "--test", "tests/js/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"node --test tests/js/ failed:\n{output[-8000:]}"
    # TAP ("# pass N") when not on a terminal, the spec reporter ("ℹ pass N") otherwise
    passed = re.findall(r"^\s*(?:#|ℹ) pass (\d+)\s*$", output, re.MULTILINE)
    assert passed, f"no test summary in the output of node --test:\n{output[-4000:]}"
    vectors = json.loads((REPO / "tests/data/expression_vectors.json").read_text(encoding="utf-8"))
    count = sum(len(vectors[key]) for key in ("cases", "errors", "references"))
    assert int(passed[-1]) >= count, f"only {passed[-1]} JavaScript tests passed, {count} vectors"
