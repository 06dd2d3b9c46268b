"""A small per-process cache of computed figures, so that a busy dashboard does not repeat
the same scans of a million rows on every page view.

- Figures younger than WILLAY_DASHBOARD_CACHE_SECONDS are served as they are.
- Older ones, up to STALE_FACTOR times that age, are still served at once while one
  background thread recomputes them (stale-while-revalidate).
- Figures never computed, or older still, are computed in a background thread. The
  request waits for them at most `wait` seconds and otherwise gets PENDING: the page then
  says so and reloads itself. A slow first computation therefore never runs into the app
  server's request timeout, and it is not thrown away.
- 0 seconds turns caching off: every request computes in the request.

The page shows when its figures were computed."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)
MAX_ENTRIES = 128
STALE_FACTOR = 10
REQUEST_WAIT = 8.0  # seconds a request waits for figures being computed
# at most this many computations at once per process: a user trying many filters cannot
# start a scan of a million rows per request nor take every database connection
MAX_RUNNING = 2
_KEY = "willay_dashboard_cache"
PENDING = object()


class FigureCache:
    def __init__(self, seconds: float, max_entries: int = MAX_ENTRIES,
                 wait: float = REQUEST_WAIT, max_running: int = MAX_RUNNING):
        self.seconds = seconds
        self.max_running = max_running
        self.wait = wait
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any],
                       app: Flask | None = None) -> Any:
        """The figures, or PENDING when they are still being computed after `self.wait` s."""
        if self.seconds <= 0:
            return compute()
        with self._lock:
            hit = self._entries.get(key)
            age = time.monotonic() - hit[0] if hit is not None else None
            usable = age is not None and age < self.seconds * STALE_FACTOR
            if usable and age < self.seconds:
                self._entries.move_to_end(key)
                return hit[1]
            running = self._running.get(key)
            if running is None and app is not None:
                if len(self._running) >= self.max_running:
                    return hit[1] if usable else PENDING  # busy: the page asks again later
                running = self._running[key] = threading.Event()
                threading.Thread(target=self._compute_in_background, name="dashboard-figures",
                                 args=(app, key, compute, running), daemon=True).start()
        if usable:
            return hit[1]  # stale: served now, fresh figures are on their way
        if app is None:
            value = compute()
            self._store(key, time.monotonic(), value)
            return value
        running.wait(self.wait)
        with self._lock:
            fresh = self._entries.get(key)
        if fresh is not None and time.monotonic() - fresh[0] < self.seconds * STALE_FACTOR:
            return fresh[1]
        return PENDING

    def _compute_in_background(self, app: Flask, key: Hashable, compute: Callable[[], Any],
                               done: threading.Event) -> None:
        try:
            with app.app_context():
                started = time.monotonic()
                self._store(key, started, compute())
        except Exception:  # the next view tries again
            log.exception("computing dashboard figures failed")
        finally:
            with self._lock:
                self._running.pop(key, None)
            done.set()

    def _store(self, key: Hashable, at: float, value: Any) -> None:
        with self._lock:
            self._entries[key] = (at, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def figure_cache() -> FigureCache:
    """The app's cache (one per app, so tests never share figures)."""
    cache = current_app.extensions.get(_KEY)
    if cache is None:
        seconds = current_app.config["WILLAY"].get("DASHBOARD_CACHE_SECONDS", 60)
        cache = current_app.extensions.setdefault(_KEY, FigureCache(float(seconds)))
    return cache


def cached_figures(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Figures for this request (or PENDING), computed with the current app."""
    return figure_cache().get_or_compute(key, compute, current_app._get_current_object())
