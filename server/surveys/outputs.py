"""`${name}` inside a question's label (XLSForm's output in labels), as the console shows
it: filled with the answers of the interview the label belongs to, or "…" in a column
header shared by every row of a repeat — never the raw reference."""

from __future__ import annotations

import re
from collections.abc import Callable

OUTPUT = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
ELLIPSIS = "…"


def fill_outputs(text: str, value_of: Callable[[str], str | None]) -> str:
    """`text` with each `${name}` replaced by `value_of(name)` ("…" when it gives None)."""
    if "${" not in text:
        return text
    return OUTPUT.sub(lambda match: _shown(value_of(match.group(1))), text)


def _shown(value: str | None) -> str:
    return ELLIPSIS if value is None or value == "" else value


def header(text: str) -> str:
    return fill_outputs(text, lambda _name: None)
