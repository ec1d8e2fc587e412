"""Nothing lost, nothing counted twice: broker outages and kill -9 of the services."""

from __future__ import annotations

import asyncio

from integriteit_dev.testing.plugin import eventually
from integriteit_shared.messaging.kafka import ensure_topics

from .conftest import Stack


async def _reconciled(stack: Stack) -> None:
    expected = len(stack.created)

    async def equal() -> bool:
        return await stack.outbox_count() == expected and await stack.ledger_count() == expected

    try:
        await eventually(equal, within=90, interval=0.5)
    except AssertionError:
        raise AssertionError(
            f"created={expected} outbox={await stack.outbox_count()} "
            f"ledger={await stack.ledger_count()}"
        ) from None


async def test_broker_down_30s_during_intake_load_loses_nothing(stack: Stack) -> None:
    async def outage() -> None:
        await asyncio.sleep(3)
        stack.broker.stop(kill=True)
        await asyncio.sleep(30)
        stack.broker.start()
        await ensure_topics(stack.broker.bootstrap)

    await asyncio.gather(stack.load(rate_per_s=20, seconds=40), outage())

    assert stack.failures == []  # the broker being away never fails an intake
    assert len(stack.created) > 500
    await _reconciled(stack)


async def test_kill_9_of_rapportage_and_meldpunt_loses_and_doubles_nothing(stack: Stack) -> None:
    async def chaos() -> None:
        await asyncio.sleep(2)
        await asyncio.to_thread(stack.rapportage.kill)  # mid-stream: offsets not committed
        await asyncio.sleep(2)
        await asyncio.to_thread(stack.rapportage.start)

    await asyncio.gather(stack.load(rate_per_s=40, seconds=8), chaos())
    assert stack.failures == []

    # a burst, then kill -9 of meldpunt while its relay is still sending
    stack.broker.stop(kill=True)
    await stack.load(rate_per_s=100, seconds=3)  # piles up in the outbox
    stack.broker.start()
    await ensure_topics(stack.broker.bootstrap)
    await asyncio.sleep(1.2)  # the relay reconnects and starts draining
    await asyncio.to_thread(stack.meldpunt.kill)
    await asyncio.to_thread(stack.meldpunt.start)

    assert stack.failures == []
    await _reconciled(stack)
