"""The per-day counters: any arrival order and batching gives what a rebuild gives.

The consumer updates the counters incrementally, one batch at a time, from each touched
aggregate's facts before and after; a rebuild computes them from all facts at once. Both
must give the same report at every peildatum, whatever order the events arrive in.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest
from sqlalchemy import select

from integriteit_dev.demo.jaarverslag import events
from integriteit_shared.events import new_envelope
from integriteit_shared.messaging.consumer import store_in_inbox
from rapportage.ledger.herbouw import herbereken
from rapportage.ledger.service import na_batch, on_event
from rapportage.projecties.models import RapTelling, RapTotaal

BASE = "/api/rapportage/v1"
PEILDATA = ("2022-06-30", "2023-12-31", "2024-03-15", "2024-10-01", "2025-01-01", "2025-06-30")


async def _verslagen(rap: Any) -> dict[tuple[int, str], bytes]:
    out = {}
    for jaar in (2023, 2024):
        for peil in PEILDATA:
            r = await rap.svc.client.get(
                f"{BASE}/jaarverslagen/{jaar}", params={"peildatum": peil}, headers=rap.h()
            )
            assert r.status_code == 200, r.text
            out[(jaar, peil)] = r.content
    return out


async def _tellers(rap: Any) -> tuple[dict[tuple[Any, str], int], dict[str, int]]:
    async with rap.svc.app.state.db.transaction() as s:
        per_dag = {
            (d, k): n
            for d, k, n in await s.execute(
                select(RapTelling.dag, RapTelling.sleutel, RapTelling.aantal)
            )
            if n
        }
        totaal = {
            k: n for k, n in await s.execute(select(RapTotaal.sleutel, RapTotaal.aantal)) if n
        }
    return per_dag, totaal


@pytest.mark.parametrize(
    ("seed", "werkers", "vreemd_subject"),
    [
        (1, 0, False),
        (2, 0, False),
        # forked workers on PostgreSQL (on SQLite the same call runs in one process)
        (3, 2, False),
        # a producer that sends another subject than the aggregate id: the rebuild reads
        # the ledger grouped by subject and must settle those facts apart
        (4, 2, True),
        (5, 0, True),
    ],
)
async def test_shuffled_batches_equal_a_rebuild_at_every_peildatum(
    rap: Any, seed: int, werkers: int, vreemd_subject: bool
) -> None:
    rng = random.Random(seed)  # noqa: S311 - a reproducible order, not a secret
    # a sample of the seed year data, every kind of event, in a random arrival order
    sample = events()[seed::7]
    rng.shuffle(sample)
    i = 0
    vreemd = 0
    while i < len(sample):
        size = rng.choice((1, 2, 5, 17, 60))
        async with rap.svc.app.state.db.transaction() as s:
            for event, registered_at in sample[i : i + size]:
                # registered at the seed's moments, as the historical import books them
                env = new_envelope(event, time=registered_at)
                env = dataclasses.replace(env, geboekt_op=env.time)
                if vreemd_subject and rng.random() < 0.2:
                    subject = rng.choice((None, "ander-id", f"{env.subject}-x"))
                    env = dataclasses.replace(env, subject=subject)
                    vreemd += 1
                if await store_in_inbox(s, env, event.topic()):
                    await on_event(s, env, event)
            await na_batch(s)
        i += size
    assert vreemd or not vreemd_subject
    incrementeel = await _verslagen(rap)
    tellers = await _tellers(rap)
    assert tellers[1], "counters were written"

    async with rap.svc.app.state.db.transaction() as s:
        assert await herbereken(s, werkers=werkers) == len(sample)
    assert await _tellers(rap) == tellers
    assert await _verslagen(rap) == incrementeel
