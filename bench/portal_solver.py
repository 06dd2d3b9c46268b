"""Time one department's publication solve on synthetic counts, and count the solver's leak
rounds (docs/benchmarks-pending/h15.md). Usage: python bench/portal_solver.py [rows] [seed]

13 provinces × 10 districts, 20 projects of 6 districts, 5 themes, 12 months, CountRows with
n 1–30 (the same data for the same rows and seed). 30,000 rows stand for a department at
about 1,000,000 submissions: pass a third argument, the largest n of a row (e.g. 66)."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.portal import privacy  # noqa: E402
from server.portal.publication import CountRow, build  # noqa: E402


def rows_for(n_rows: int, seed: int, largest: int = 30):
    rnd = random.Random(seed)
    provinces = {f"06{p:02d}00": [f"06{p:02d}{d:02d}" for d in range(1, 11)]
                 for p in range(1, 14)}
    districts = [d for its in provinces.values() for d in its]
    projects = {i: rnd.sample(districts, 6) for i in range(20)}
    themes = list(range(5))
    rows = [CountRow(rnd.choice(districts), rnd.choice([*projects, None]),
                     rnd.choice([*themes, None]), rnd.choice([1, 2, 3, 4, 5, None]),
                     f"2026-{rnd.randint(1, 12):02d}", rnd.random() < .5,
                     rnd.randint(1, largest))
             for _ in range(n_rows)]
    return provinces, rows, projects, themes


def main(n_rows: int = 300, seed: int = 1, largest: int = 30) -> None:
    provinces, rows, projects, themes = rows_for(n_rows, seed, largest)
    rounds = {"n": 0}
    stop = getattr(privacy.Publication, "_stop", None)
    if stop is not None:  # the solver before h15: one leak per round, through _stop
        def counting(self, leak, hidden):
            rounds["n"] += 1
            return stop(self, leak, hidden)

        privacy.Publication._stop = counting
    start = time.perf_counter()
    pub = build("060000", provinces, rows, projects, themes, 5)
    seconds = time.perf_counter() - start
    print(f"rows={n_rows} submissions={sum(r.n for r in rows)} seconds={seconds:.3f} "
          f"figures={len(pub.values)} equations={len(pub.equations)} "
          f"hidden={len(pub.hidden)} rounds={getattr(pub, 'rounds', rounds['n'])}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
