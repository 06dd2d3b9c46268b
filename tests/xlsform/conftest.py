from __future__ import annotations

import pytest
from flask_babel import force_locale


@pytest.fixture
def convert(app):
    """convert(bytes) -> ImportResult, with messages in English (the msgids)."""
    from server.xlsform import import_file

    def run(data: bytes, filename: str = "form.xlsx"):
        with app.test_request_context(), force_locale("en"):
            return import_file(filename, data)

    return run
