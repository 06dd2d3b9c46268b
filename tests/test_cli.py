"""`willay` on a fresh machine: setup migrates, loads places and the demo, prints the links."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

WILLAY = str(Path(sys.executable).with_name("willay"))


def run(args, instance: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WILLAY_")}
    env["WILLAY_INSTANCE_DIR"] = str(instance)
    return subprocess.run([WILLAY, *args], env=env, capture_output=True, text=True, timeout=120)


def test_setup_on_an_empty_instance_then_again(tmp_path):
    first = run(["setup"], tmp_path)
    assert first.returncode == 0, first.stderr
    out = first.stderr
    assert (tmp_path / "willay.sqlite3").exists()
    assert "http://127.0.0.1:8000/app/" in out
    assert re.search(r"Resident feedback link: \S+/app/#/f/[\w-]+", out)
    code = re.search(r"Promoter pairing code:\s+([A-Z0-9]{4}-[A-Z0-9]{4})", out).group(1)
    assert "coordinador@example.org" in out
    assert "http://127.0.0.1:8000/console/" in out
    # the console has sample feedback and interviews to show, all through the real ingest
    assert "Loaded 200 sample submissions." in out
    import sqlite3

    with sqlite3.connect(tmp_path / "willay.sqlite3") as conn:
        assert dict(conn.execute("SELECT channel, count(*) FROM submissions GROUP BY 1")) == {
            "device": 40, "public": 160}
    second = run(["setup"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert "sample submissions" not in second.stderr  # loaded once, never doubled
    new_code = re.search(r"Promoter pairing code:\s+(\S+)", second.stderr).group(1)
    assert new_code != code  # a fresh code each time; codes are stored only as hashes
    listing = run(["devices", "list"], tmp_path)
    assert listing.stdout.count("Demo phone") == 1


def test_willay_is_flasks_cli(tmp_path):
    routes = run(["routes"], tmp_path)
    assert routes.returncode == 0, routes.stderr
    assert "/api/v1/submissions" in routes.stdout
    assert run(["db", "--help"], tmp_path).returncode == 0
