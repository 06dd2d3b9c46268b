"""Repeat tables, written in the same pass over the submissions as the main table.

Each submission's answers are walked as they stream by; every instance of a repeat becomes
a row of that repeat's table, linked by ODK Central's keys: the main table's KEY is the
submission's UUID, and an instance's KEY is its PARENT_KEY (the KEY of the row it belongs
to: the submission, or the instance of the enclosing repeat) followed by
`/<repeat id>[<n>]`, n counting from 1:

    3f2c…-9a1b                                  a submission (main table)
    3f2c…-9a1b/members[2]                        its second member
    3f2c…-9a1b/members[2]/vaccinations[1]        that member's first vaccination

For CSV, each repeat table goes to a temporary file while the main table streams into the
ZIP, and is copied into the ZIP after it: memory does not grow with the number of rows."""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from .columns import I_UUID
from .questions import Layout
from .rows import InstanceMaker
from .writers import BOM, neutralise

READ_CHARS = 256 * 1024


class RepeatWalker:
    """Called with each submission's row and answers (`export_rows(each=...)`): writes the
    instances of every exported repeat through `sinks[repeat id]`, which may be filled in
    later but before the first row comes (the XLSX sheets are made by the writer)."""

    def __init__(self, layout: Layout, makers: dict[str, InstanceMaker],
                 sinks: dict[str, Callable[[list], None]]):
        self.makers = makers
        self.sinks = sinks
        self.children = {table.id: [t.id for t in layout.children(table.id)
                                    if t.id in makers] for table in layout.tables}
        self.counts: Counter[str] = Counter()

    def __call__(self, row: Any, answers: dict) -> None:
        self._walk(None, answers, row[I_UUID])

    def _walk(self, table_id: str | None, answers: dict, parent_key: str) -> None:
        for repeat_id in self.children.get(table_id, ()):
            instances = answers.get(repeat_id)
            if isinstance(instances, dict):
                instances = [instances]
            if not isinstance(instances, list) or not instances:
                continue
            make, write = self.makers[repeat_id], self.sinks[repeat_id]
            for n, instance in enumerate(instances, 1):
                inner = instance if isinstance(instance, dict) else {}
                key = f"{parent_key}/{repeat_id}[{n}]"
                write(make(inner, parent_key, key))
                self.counts[repeat_id] += 1
                if self.children.get(repeat_id):
                    self._walk(repeat_id, inner, key)


class CsvSpool:
    """One repeat table's CSV in a temporary file on disk, with the main CSV's dialect (a
    BOM, CRLF line ends, headers neutralised), handed on in chunks once complete."""

    def __init__(self, headers: list[str]):
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow([neutralise(h) for h in headers])
        self.write = self.writer.writerow

    def chunks(self) -> Iterator[bytes]:
        yield BOM
        self.file.seek(0)
        while text := self.file.read(READ_CHARS):
            yield text.encode("utf-8")

    def close(self) -> None:
        self.file.close()
