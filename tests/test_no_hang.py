"""No test may hang the run: a browser promise that never settles, or a server that never
answers, fails its own test with pytest-timeout's message while the next test still runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS

STUCK = textwrap.dedent(f"""
    import socket

    import pytest
    from playwright.sync_api import sync_playwright


    @pytest.mark.timeout(4)
    def test_a_promise_that_never_settles():
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path={CHROMIUM!r}, args={CHROMIUM_ARGS!r})
            page = browser.new_page()
            page.evaluate("new Promise(() => {{}})")


    @pytest.mark.timeout(2)
    def test_a_server_that_never_answers():
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        client.recv(1)


    def test_the_run_goes_on():
        assert True
""")


@pytest.mark.browser
def test_a_stuck_test_fails_with_a_message_and_the_run_goes_on(tmp_path):
    (tmp_path / "test_stuck.py").write_text(STUCK)
    began = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o",
         "timeout_method=signal", str(tmp_path / "test_stuck.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - began
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 failed, 1 passed" in run.stdout, run.stdout
    for stuck in ("a_promise_that_never_settles", "a_server_that_never_answers"):
        assert f"FAILED test_stuck.py::test_{stuck} - Failed: Timeout" in run.stdout, run.stdout
    assert took < 60, took
