"""Time one department's publication solve on synthetic counts, and count the solver's leak
rounds (docs/benchmarks-pending/h10.md). Usage: python bench/portal_solver.py [rows] [seed]"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.portal import privacy  # noqa: E402
from server.portal.publication import CountRow, build  # noqa: E402


def main(n_rows: int = 300, seed: int = 1) -> None:
    rnd = random.Random(seed)
    provinces = {f"06{p:02d}00": [f"06{p:02d}{d:02d}" for d in range(1, 11)]
                 for p in range(1, 14)}
    districts = [d for its in provinces.values() for d in its]
    projects = {i: rnd.sample(districts, 6) for i in range(20)}
    themes = list(range(5))
    rows = [CountRow(rnd.choice(districts), rnd.choice([*projects, None]),
                     rnd.choice([*themes, None]), rnd.choice([1, 2, 3, 4, 5, None]),
                     f"2026-{rnd.randint(1, 12):02d}", rnd.random() < .5, rnd.randint(1, 30))
             for _ in range(n_rows)]
    rounds = {"n": 0}
    stop = privacy.Publication._stop

    def counting(self, leak, hidden):
        rounds["n"] += 1
        return stop(self, leak, hidden)

    privacy.Publication._stop = counting
    start = time.perf_counter()
    pub = build("060000", provinces, rows, projects, themes, 5)
    seconds = time.perf_counter() - start
    print(f"rows={n_rows} seconds={seconds:.2f} figures={len(pub.values)} "
          f"equations={len(pub.equations)} hidden={len(pub.hidden)} rounds={rounds['n']}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
