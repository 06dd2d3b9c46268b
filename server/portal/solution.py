"""A solved publication as plain data: what the portal may say about every figure of one
department, without the value of any hidden figure, so that it can be stored (store.py) and
read back by any app process. No database here.

The document: {"solver", "k", "shown": {key: value}, "hidden": {key: reason}, "themes",
"months": {project: [YYYY-MM…]}, "answer_days": {project: median},
"place_answer_days": {ubigeo: median}}. A key is the figure's key tuple as compact JSON;
medians are kept only beside a shown count of answered items (figures.py says why)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from .privacy import PROTECTED, SMALL, UNSHOWN, Figure, Publication

# the suppression rule's version: a stored publication solved by another one is solved again
SOLVER = 2


def key_text(key: Hashable) -> str:
    return json.dumps(key, separators=(",", ":"), ensure_ascii=False)


def _as_key(value):
    return tuple(_as_key(v) for v in value) if isinstance(value, list) else value


def fingerprint(department: str, data, k: int) -> str:
    """A hash of everything a solve reads (the counts, the places, projects and themes, the
    answer delays, k and the rule's version): equal fingerprints, equal publications."""
    canonical = json.dumps({
        "solver": SOLVER, "k": k, "department": department,
        "provinces": sorted((p, sorted(ds)) for p, ds in data.provinces.items()),
        "projects": sorted((str(p), sorted(ds)) for p, ds in data.project_districts.items()),
        "themes": sorted(map(str, data.themes)),
        "rows": sorted(json.dumps([r.district, r.project, r.theme, r.rating, r.month,
                                   r.answered, r.n], default=str) for r in data.rows),
        "answer_days": sorted((str(p), d) for p, d in data.answer_days.items()),
        "place_answer_days": sorted(data.place_answer_days.items()),
    }, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def encode(pub: Publication, data) -> str:
    """The publication as a JSON document (hidden values left out)."""
    shown: dict[str, int] = {}
    hidden: dict[str, str] = {}
    months: dict[str, list[str]] = defaultdict(list)
    for key, value in pub.values.items():
        reason = pub.hidden.get(key)
        if reason is None:
            shown[key_text(key)] = value
        else:
            hidden[key_text(key)] = reason
        if key[0] == "month":
            months[key_text(key[1][1])].append(key[2])

    def beside_answered(scope: tuple) -> bool:
        key = ("answered", scope)
        return key in pub.values and key not in pub.hidden

    return json.dumps({
        "solver": SOLVER, "k": pub.k, "shown": shown, "hidden": hidden,
        "themes": list(data.themes),
        "months": {p: sorted(ms) for p, ms in months.items()},
        "answer_days": {key_text(p): d for p, d in data.answer_days.items()
                        if beside_answered(("proj", p))},
        "place_answer_days": {u: d for u, d in data.place_answer_days.items()
                              if beside_answered(("geo", u))},
    }, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Solution:
    """A stored publication read back: a figure is shown, hidden with its reason, or (never
    counted: no submission) small."""

    k: int
    shown: dict[str, int]
    hidden: dict[str, str]
    themes: list
    months_of: dict[str, list[str]]
    answer_days: dict[str, float]
    place_answer_days: dict[str, float]

    @classmethod
    def decode(cls, text: str) -> Solution:
        doc = json.loads(text)
        return cls(doc["k"], doc["shown"], doc["hidden"], doc["themes"], doc["months"],
                   doc["answer_days"], doc["place_answer_days"])

    def figure(self, key: Hashable) -> Figure:
        text = key_text(key)
        if text in self.shown:
            return Figure(self.shown[text], None)
        reason = self.hidden.get(text, SMALL)
        return Figure(None, PROTECTED if reason == UNSHOWN else reason)

    def months(self, project: Hashable) -> list[str]:
        return self.months_of.get(key_text(project), [])

    def median_days(self, project: Hashable) -> float | None:
        return self.answer_days.get(key_text(project))

    def published_keys(self) -> Iterator[tuple]:
        """Every figure a page may show (never-shown equation parts left out)."""
        for text in self.shown:
            yield _as_key(json.loads(text))
        for text, reason in self.hidden.items():
            if reason != UNSHOWN:
                yield _as_key(json.loads(text))
