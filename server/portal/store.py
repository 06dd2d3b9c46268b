"""Solved publications, stored (docs/portal.md, "Stored publications"): a page reads the
department's stored solution and never solves; a background job (kind `portal_publish`)
solves again when the inputs changed.

- `solution(department)`: the stored one (kept decoded per app process while its
  fingerprint is the same). When it was last checked more than DASHBOARD_CACHE_SECONDS ago,
  a refresh is asked for: run inline with WILLAY_JOBS_URL=immediate, else queued (one live
  job per department). Nothing stored yet, or stored under another k or rule version: it is
  solved inline, once (a publication solved under a smaller k must never be shown).
- `refresh(department)`: read the counts, compare their fingerprint with the stored one;
  when equal only `checked_at` moves, else solve and store the whole solution at once.

A stored solution is a complete solution of one consistent earlier state, so showing it
while a newer one is being solved is as private as showing the newer one; every figure of a
page, download, widget or badge comes from that one document, never mixed with figures of
another state."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ..db_types import utcnow
from ..extensions import db
from .counts import department_data
from .models import PortalPublication
from .publication import build
from .solution import SOLVER, Solution, encode, fingerprint

log = logging.getLogger(__name__)
KIND = "portal_publish"
_lock = threading.Lock()


@dataclass(frozen=True)
class Stored:
    """A department's solution with when it was solved and last found up to date."""

    solution: Solution
    fingerprint: str
    solved_at: datetime
    checked_at: datetime


def _k() -> int:
    return current_app.config["WILLAY"]["PORTAL_K"]


def _cache() -> dict[str, Stored]:
    return current_app.extensions.setdefault("portal_solutions", {})


def solution(department: str) -> Stored:
    row = db.session.execute(select(
        PortalPublication.fingerprint, PortalPublication.k, PortalPublication.solver,
        PortalPublication.solved_at, PortalPublication.checked_at).where(
        PortalPublication.department_ubigeo == department)).first()
    if row is None or row.k != _k() or row.solver != SOLVER:
        return refresh(department)
    seconds = current_app.config["WILLAY"]["DASHBOARD_CACHE_SECONDS"]
    if row.checked_at <= utcnow() - timedelta(seconds=seconds):
        if current_app.config["WILLAY"]["JOBS_URL"] == "immediate":
            return refresh(department)
        _ask_for_refresh(department)
    with _lock:
        cached = _cache().get(department)
    if cached is not None and cached.fingerprint == row.fingerprint:
        return Stored(cached.solution, row.fingerprint, row.solved_at, row.checked_at)
    text = db.session.scalar(select(PortalPublication.figures).where(
        PortalPublication.department_ubigeo == department,
        PortalPublication.fingerprint == row.fingerprint))
    if text is None:  # solved again between the two reads
        return solution(department)
    return _keep(department, Stored(Solution.decode(text), row.fingerprint, row.solved_at,
                                    row.checked_at))


def _keep(department: str, stored: Stored) -> Stored:
    with _lock:
        _cache()[department] = stored
    return stored


def solve(department: str, k: int | None = None):
    """The department's publication solved from the counts as they are now, with the counts
    (for the store, and for tests that attack it)."""
    data = department_data(department)
    k = _k() if k is None else k
    return build(department, data.provinces, data.rows, data.project_districts, data.themes,
                 k), data


def refresh(department: str) -> Stored:
    """Bring the stored publication up to date with the counts (see the module's notes).
    Written on its own connection: a page's session is left as it was."""
    k = _k()
    data = department_data(department)
    current = fingerprint(department, data, k)
    now = utcnow()
    with db.engine.begin() as conn:
        row = conn.execute(select(PortalPublication.fingerprint, PortalPublication.k,
                                  PortalPublication.solver, PortalPublication.solved_at).where(
            PortalPublication.department_ubigeo == department)).first()
        if row is not None and (row.fingerprint, row.k, row.solver) == (current, k, SOLVER):
            conn.execute(update(PortalPublication).where(
                PortalPublication.department_ubigeo == department).values(checked_at=now))
            with _lock:
                cached = _cache().get(department)
            found = (cached.solution if cached and cached.fingerprint == current
                     else Solution.decode(conn.scalar(select(PortalPublication.figures).where(
                         PortalPublication.department_ubigeo == department))))
            return _keep(department, Stored(found, current, row.solved_at, now))
    pub = build(department, data.provinces, data.rows, data.project_districts, data.themes, k)
    text = encode(pub, data)
    values = {"fingerprint": current, "k": k, "solver": SOLVER, "figures": text,
              "solved_at": now, "checked_at": now}
    try:
        _write(department, values)
    except IntegrityError:  # another process stored its first solve a moment ago
        _write(department, values)
    log.info("portal publication of %s solved (%s figures hidden of %s)", department,
             len(pub.hidden), len(pub.values))
    return _keep(department, Stored(Solution.decode(text), current, now, now))


def _write(department: str, values: dict) -> None:
    """Replace the department's document in one statement (or store the first one)."""
    with db.engine.begin() as conn:
        done = conn.execute(update(PortalPublication).where(
            PortalPublication.department_ubigeo == department).values(**values)).rowcount
        if not done:
            conn.execute(insert(PortalPublication).values(department_ubigeo=department,
                                                          **values))


def _ask_for_refresh(department: str) -> None:
    """Queue one refresh job per department (a live one is shared). A queue or database
    that cannot take it now only delays the refresh: the page shows the stored figures."""
    from ..jobs.services import request_job, start

    try:
        job, created = request_job(KIND, {"department": department}, shared=True)
        if created:
            start(job)
    except Exception:  # noqa: BLE001 - the stored figures are still complete and private
        db.session.rollback()
        log.exception("could not queue the portal refresh of %s", department)
