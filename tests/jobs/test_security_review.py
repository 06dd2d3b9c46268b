"""Retention from the security review: an export file nobody can download any more (a
worker killed mid-write leaves its `.part`) is still personal data, deleted after the
keeping time like every export."""

from __future__ import annotations

import os
import time
from pathlib import Path


def test_leftover_export_files_are_deleted_after_the_keeping_time(app_factory):
    from server.jobs.services import purge_expired

    app = app_factory(EXPORT_KEEP_DAYS=3)
    with app.app_context():
        folder = Path(app.config["WILLAY"]["EXPORT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        old_part = folder / "job-7-0123456789abcdef.csv.part"  # its worker was killed
        old_orphan = folder / "job-8-0123456789abcdef.zip"  # its job row is gone
        fresh_part = folder / "job-9-0123456789abcdef.csv.part"  # being written now
        other = folder / "notes.txt"  # not ours: left alone
        four_days_ago = time.time() - 4 * 86400
        for path in (old_part, old_orphan, fresh_part, other):
            path.write_text("dni,phone\n12345678,951234567\n")
        for path in (old_part, old_orphan, other):
            os.utime(path, (four_days_ago, four_days_ago))
        purge_expired()
        assert not old_part.exists() and not old_orphan.exists()
        assert fresh_part.exists() and other.exists()
