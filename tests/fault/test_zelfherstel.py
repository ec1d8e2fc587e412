"""No silent loss that the system does not find and heal itself (messaging.herpublicatie).

The attack: rapportage is down while meldpunt takes meldingen; the broker then restarts
empty, long after meldpunt's relay sent them (beyond its republish window). Without the
sequence check those events were gone for good while every /health/ready said ok. Now
rapportage sees meldpunt's announced head, reports the gap, asks for the range, and
meldpunt's relay sends it again: every 201 is counted, and nobody ran a command.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.messaging.kafka import ensure_topics

from .conftest import Stack

# Short clocks so the test takes seconds: heads every second, a gap reported and asked for
# after 3 s, and a republish window (the relay's own remedy) far shorter than the outage.
FAST = {
    "HERPUBLICATIE_STAND_INTERVAL_S": "1",
    "HERPUBLICATIE_GAT_NA_S": "3",
    "OUTBOX_REPUBLISH_WINDOW_S": "1",
}


@pytest.fixture
async def healing_stack(
    databases: TestDatabases,
    dev_keys: DevKeys,
    broker: DevBroker,
    tokens: TokenFactory,
    tmp_path: Path,
) -> AsyncIterator[Stack]:
    assert dev_keys.jwks_path is not None
    meldpunt_db = await databases.create("meldpunt")
    processes = {}
    for name, url in (
        ("meldpunt", meldpunt_db),
        ("rapportage", await databases.create("rapportage")),
    ):
        prefix = f"{name.upper()}_"
        processes[name] = ServiceProcess(
            name,
            database_url=url,
            bootstrap=broker.bootstrap,
            jwks_file=dev_keys.jwks_path,
            data_dir=tmp_path,
            log_file=tmp_path / f"{name}.log",
            extra_env={prefix + k: v for k, v in FAST.items()},
        )
        await asyncio.to_thread(processes[name].start)
    stack = Stack(broker, processes["meldpunt"], processes["rapportage"], meldpunt_db, tokens)
    try:
        yield stack
    finally:
        for p in processes.values():
            await asyncio.to_thread(p.stop)


async def _ready(process: ServiceProcess) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(base_url=process.url, timeout=2) as c:
            body: dict[str, Any] = (await c.get("/health/ready")).json()
            return body
    except (httpx.HTTPError, ValueError):
        return {}


async def test_events_lost_by_an_empty_broker_restart_are_found_and_sent_again(
    healing_stack: Stack,
) -> None:
    stack = healing_stack
    await asyncio.to_thread(stack.rapportage.kill)
    await stack.load(rate_per_s=40, seconds=4)
    assert stack.failures == []

    async def all_sent() -> bool:
        return (await _ready(stack.meldpunt)).get("checks", {}).get("outboxAchterstand") == 0

    await eventually(all_sent, within=30, interval=0.2)
    await asyncio.sleep(2)  # beyond the relay's republish window
    stack.broker.stop(kill=True)
    stack.broker.start()
    await ensure_topics(stack.broker.bootstrap)  # empty: the meldingen are gone from it
    await asyncio.to_thread(stack.rapportage.start)

    seen_gap: list[dict[str, Any]] = []

    async def counted() -> bool:
        checks = (await _ready(stack.rapportage)).get("checks", {})
        seen_gap.extend(checks.get("ontbrekendeGebeurtenissen") or [])
        return await stack.ledger_count() == len(stack.created)

    try:
        await eventually(counted, within=90, interval=0.2)
    except AssertionError:
        raise AssertionError(
            f"created={len(stack.created)} ledger={await stack.ledger_count()}"
        ) from None

    # while it was missing, rapportage said so, naming the source and the range
    assert seen_gap, "the gap never showed in /health/ready"
    assert {g["bron"] for g in seen_gap} == {"urn:nld:integriteit:systeem:meldpunt"}
    assert min(g["vanaf"] for g in seen_gap) == 1
    # to the last number meldpunt gave: the meldingen, and any anchor of its audit chain
    # published meanwhile (one a minute)
    assert max(g["tot"] for g in seen_gap) == await stack.last_sequence()

    async def healthy_again() -> bool:
        body = await _ready(stack.rapportage)
        return body.get("status") == "ok" and body["checks"]["ontbrekendeGebeurtenissen"] == []

    await eventually(healthy_again, within=30, interval=0.2)
