"""Freshness: meldingen at a fixed rate; how long until the annual report counts each one.

A sender posts meldingen open-loop (on a fixed schedule, not waiting for answers) and
records the moment of each 201. A poller reads `GET /jaarverslagen/{jaar}` as often as
it can and records (moment the answer arrived, meldingen.totaal of this year). The k-th
201 (in time order) is counted at the first poll that arrived after it and shows at
least base + k: an upper bound of the real delay (it includes the poll's own time).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from lib import percentile

AMS = ZoneInfo("Europe/Amsterdam")
MELDING = {
    "kanaal": "mid",
    "defensieonderdeel": "CLSK",
    "hoofdcategorie": "ongewenst_gedrag",
    "subcategorie": "pesten",
    "omschrijving": "Tijdens de oefening werd een collega herhaaldelijk uitgelachen en "
    "buitengesloten door leden van het eigen team.",
    "anoniem": False,
    "melder": {"naam": "A. de Vries", "email": "a.devries@example.org"},
}


@dataclass
class FreshnessResult:
    sent: int
    ok: int
    failed: int
    p50_s: float
    p99_s: float
    max_s: float
    polls: int
    poll_p50_ms: float
    not_counted: int

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in vars(self).items()}


async def _count(client: httpx.AsyncClient, jaar: int, headers: dict[str, str]) -> int:
    r = await client.get(f"/api/rapportage/v1/jaarverslagen/{jaar}", headers=headers)
    r.raise_for_status()
    return int(r.json()["meldingen"]["totaal"][str(jaar)])


def _delays(
    created: list[float], polls: list[tuple[float, int]], base: int
) -> tuple[list[float], int]:
    """(delay of each 201 until a poll counted it, how many no poll counted).

    `created` in time order; a 201 no poll counted has an infinite delay.
    """
    delays: list[float] = []
    not_counted = 0
    j = 0
    for k, t in enumerate(created, start=1):
        while j < len(polls) and not (polls[j][0] >= t and polls[j][1] - base >= k):
            j += 1
        if j == len(polls):
            not_counted = len(created) - k + 1
            break
        delays.append(polls[j][0] - t)
    if not delays:
        delays = [float("inf")]
    if not_counted:
        delays += [float("inf")] * not_counted
    return delays, not_counted


async def measure(
    meldpunt_url: str,
    rapportage_url: str,
    *,
    melder_headers: dict[str, str],
    lezer_headers: dict[str, str],
    rate: float,
    seconds: float,
    settle_s: float = 30,
) -> FreshnessResult:
    jaar = datetime.now(AMS).year
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with (
        httpx.AsyncClient(base_url=meldpunt_url, timeout=30, limits=limits) as mp,
        httpx.AsyncClient(base_url=rapportage_url, timeout=30) as rp,
    ):
        base = await _count(rp, jaar, lezer_headers)
        created: list[float] = []
        failed = 0
        polls: list[tuple[float, int]] = []
        poll_ms: list[float] = []
        sending = True

        async def post() -> None:
            nonlocal failed
            try:
                r = await mp.post(
                    "/api/meldpunt/v1/meldingen", json=MELDING, headers=melder_headers
                )
            except httpx.HTTPError:
                failed += 1
                return
            if r.status_code == 201:
                created.append(time.monotonic())
            else:
                failed += 1

        async def poller() -> None:
            deadline: float | None = None
            while True:
                t0 = time.monotonic()
                n = await _count(rp, jaar, lezer_headers)
                t1 = time.monotonic()
                polls.append((t1, n))
                poll_ms.append((t1 - t0) * 1000)
                if not sending:
                    deadline = deadline or t1 + settle_s
                    if n - base >= len(created) or t1 > deadline:
                        return
                await asyncio.sleep(max(0.0, 0.02 - (t1 - t0)))

        poll_task = asyncio.create_task(poller())
        total = int(rate * seconds)
        start = time.monotonic()
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post()))
        await asyncio.gather(*tasks)
        sending = False
        await poll_task

    delays, not_counted = _delays(sorted(created), polls, base)
    return FreshnessResult(
        sent=total,
        ok=len(created),
        failed=failed,
        p50_s=percentile(delays, 50),
        p99_s=percentile(delays, 99),
        max_s=max(delays),
        polls=len(polls),
        poll_p50_ms=percentile(poll_ms, 50),
        not_counted=not_counted,
    )
