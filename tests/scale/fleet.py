"""Simulated promoter phones syncing through a load balancer (asyncio + httpx, one connection
per phone, like a phone's browser). Each keeps an outbox as the app does: an item leaves it
only when the server answered `stored` or `duplicate` for it; a refused request (503 or 429
with Retry-After), a gateway error or a broken connection leaves the outbox as it was, and
the same items (same UUIDs) are sent again later. Used by tests/scale and bench/scale.py."""

from __future__ import annotations

import asyncio
import hashlib
import random
import ssl
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx

DISTRICTS = ["180101", "180102", "180103", "180104", "180106", "180204", "180210", "180301"]
KEPT = {"stored", "duplicate"}  # the server holds the item: it leaves the outbox


def household(rng: random.Random, photo: str | None = None) -> dict:
    """A valid submission of the demo household survey, optionally with a photo."""
    answers = {
        "district": rng.choice(DISTRICTS), "community": f"Anexo {rng.randint(1, 300)}",
        "household_size": rng.randint(1, 12), "water_source": rng.choice(
            ["network_home", "standpipe", "spring", "river", "well"]),
        "water_daily": "yes", "water_problems": ["tank"] if photo else ["none"],
        "knows_projects": "no", "rainy_road": rng.choice(["good", "difficult", "cut_off"]),
        "health_minutes": rng.randint(5, 240), "activities": ["agriculture"], "consent": "no",
    }
    if photo:
        answers["problem_photo"] = photo
    return {"uuid": str(uuid.uuid4()), "survey": "moq-household", "version": 1,
            "answers": answers, "attachments": [photo] if photo else [],
            "meta": {"language": rng.choice(["es", "qu"]), "consent": True,
                     "started_at": "2026-11-20T14:00:00-05:00",
                     "completed_at": "2026-11-20T14:20:00-05:00",
                     "location": {"lat": -17.19, "lon": -70.93, "accuracy": 10.0},
                     "app_version": "scale"}}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, requests answered 200
    statuses: Counter = field(default_factory=Counter)  # every answer, by status or error
    created: set[str] = field(default_factory=set)  # every UUID a phone put in its outbox
    kept: Counter = field(default_factory=Counter)  # UUID -> times the server said it holds it
    rejected: list[dict] = field(default_factory=list)  # items the server refused (a bug here)
    unsent: int = 0  # items still in an outbox when the run ended
    photos: set[str] = field(default_factory=set)  # hashes of photos uploaded
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def insecure_tls() -> ssl.SSLContext:
    """The tests' nginx has a self-signed certificate; one context for every phone."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Fleet:
    """`Fleet(url, tokens).run(60)`: every phone adds `batch` new items every `think`
    seconds for `seconds`, then delivers what is left in its outbox (`drain` seconds at most).
    `think=(0, 0)` is a closed loop: the next batch leaves as soon as the last is answered."""

    def __init__(self, url: str, tokens: list[str], *, think=(2.0, 4.0), batch=(1, 3),
                 photo_every: int = 0, seed: int = 11, timeout: float = 15.0):
        self.url, self.tokens = url, tokens
        self.think, self.batch = think, batch
        self.photo_every = photo_every  # phone i % photo_every == 0 sends one photo
        self.rng = random.Random(seed)
        self.timeout = timeout
        self.tally = Tally()
        self.generating = True
        self.tls = insecure_tls()

    def run(self, seconds: float, drain: float = 30.0, during=None) -> Tally:
        """`during`: an async function run beside the phones (e.g. killing a server)."""
        # in a thread of its own: an earlier test in the same process may have left an event
        # loop running in this one (asyncio.run refuses to nest)
        outcome: dict = {}

        def drive() -> None:
            try:
                outcome["tally"] = asyncio.run(self._run(seconds, drain, during))
            except BaseException as exc:  # noqa: BLE001 - re-raised below in the test's thread
                outcome["error"] = exc

        runner = threading.Thread(target=drive, name="fleet")
        runner.start()
        runner.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["tally"]

    async def _run(self, seconds: float, drain: float, during) -> Tally:
        started = time.monotonic()
        phones = [asyncio.create_task(self._phone(i, token, started + seconds + drain))
                  for i, token in enumerate(self.tokens)]
        side = asyncio.create_task(during()) if during else None
        await asyncio.sleep(seconds)
        self.generating = False
        await asyncio.gather(*phones)
        if side is not None:
            await side
        self.tally.seconds = time.monotonic() - started
        return self.tally

    async def _send(self, client: httpx.AsyncClient, method: str, path: str,
                    **kwargs) -> httpx.Response | None:
        began = time.monotonic()
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.HTTPError as err:
            self.tally.statuses[type(err).__name__] += 1
            return None
        self.tally.statuses[response.status_code] += 1
        if response.status_code == 200:
            self.tally.latencies.append(time.monotonic() - began)
        return response

    async def _phone(self, index: int, token: str, deadline: float) -> None:
        rng = random.Random(self.rng.random())
        outbox: list[dict] = []
        photo = (f"scale photo {index} ".encode() * 64 if self.photo_every
                 and index % self.photo_every == 0 else None)
        wait = 0.0 if self.think[1] == 0 else rng.uniform(0, self.think[1])  # phones spread
        headers = {"Authorization": f"Bearer {token}", "X-Willay-App": "scale"}
        async with httpx.AsyncClient(base_url=self.url, verify=self.tls, headers=headers,
                                     timeout=self.timeout) as client:
            while time.monotonic() < deadline:
                await asyncio.sleep(wait)
                wait = rng.uniform(*self.think)
                if photo is not None:
                    if not await self._upload(client, photo):
                        wait = 1.0
                        continue
                    outbox.append(self._new(rng, hashlib.sha256(photo).hexdigest()))
                    photo = None
                if self.generating:
                    outbox += [self._new(rng) for _n in range(rng.randint(*self.batch))]
                elif not outbox:
                    return
                if outbox:
                    wait = await self._deliver(client, outbox) or wait
        self.tally.unsent += len(outbox)

    def _new(self, rng: random.Random, photo: str | None = None) -> dict:
        item = household(rng, photo)
        self.tally.created.add(item["uuid"])
        return item

    async def _upload(self, client: httpx.AsyncClient, photo: bytes) -> bool:
        sha = hashlib.sha256(photo).hexdigest()
        response = await self._send(client, "PUT", f"/api/v1/attachments/{sha}", content=photo,
                                    headers={"Content-Type": "image/jpeg"})
        if response is not None and response.status_code in (200, 201):
            self.tally.photos.add(sha)
            return True
        return False

    async def _deliver(self, client: httpx.AsyncClient, outbox: list[dict]) -> float | None:
        """Send the outbox's first 100 items; the seconds to wait if the server said so."""
        batch = outbox[:100]
        response = await self._send(client, "POST", "/api/v1/submissions",
                                    json={"submissions": batch})
        if response is None:
            return 1.0
        if response.status_code in (429, 503):
            return float(response.headers.get("Retry-After", "2"))
        if response.status_code != 200:
            return 1.0
        done = set()
        for result in response.json()["results"]:
            if result["outcome"] in KEPT:
                self.tally.kept[result["uuid"]] += 1
                done.add(result["uuid"])
            else:
                self.tally.rejected.append(result)
                done.add(result["uuid"])  # sending it again would not change the answer
        outbox[:] = [item for item in outbox if item["uuid"] not in done]
        return None
