"""Outbox relay: publishes committed outbox rows in order, at least once, through outages."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update

from integriteit_shared.db.base import utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.messaging.kafka import make_producer
from integriteit_shared.messaging.models import OutboxMessage
from integriteit_shared.messaging.outbox import decode_headers
from integriteit_shared.observability import Metrics
from integriteit_shared.settings import ServiceSettings
from integriteit_shared.tasks import stop_task

_log = structlog.get_logger("outbox")


class OutboxRelay:
    def __init__(
        self, db: Database, settings: ServiceSettings, metrics: Metrics | None = None
    ) -> None:
        self.database = db
        self.settings = settings
        self.metrics = metrics
        self.broker_ok = False
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        # A start may follow a crash that coincided with a broker losing data: treat it
        # like the end of an outage and re-send the last window once connected.
        self._outage_since: datetime | None = utcnow()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    def notify(self) -> None:
        """Wake the relay after a commit so events leave without waiting for the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        await stop_task(self._task)
        self._task = None
        if self._producer is not None:
            # what was written just before the stop (the audit chain's last head) leaves
            # now rather than at the next start
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.drain_once(self._producer), 5)
        await self._close_producer()

    async def backlog(self) -> int:
        async with self.database.read_sessionmaker() as s:
            count = await s.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))
            )
        n = int(count or 0)
        if self.metrics:
            self.metrics.outbox_backlog.labels(self.metrics.service).set(n)
        return n

    async def _close_producer(self) -> None:
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()
            self._producer = None

    async def _run(self) -> None:
        backoff = 0.2
        loop = asyncio.get_running_loop()
        last_probe = loop.time()
        while not self._stopping:
            try:
                if self._producer is None:
                    producer = make_producer(self.settings)
                    try:
                        await producer.start()
                    except BaseException:
                        with contextlib.suppress(Exception):
                            await producer.stop()
                        raise
                    self._producer = producer
                    self.broker_ok = True
                    _log.info("outbox_relay_connected")
                    if self._outage_since is not None:
                        await self._requeue_recent(self._outage_since)
                        self._outage_since = None
                sent = await self.drain_once(self._producer)
                backoff = 0.2
                if sent == 0 and loop.time() - last_probe > self.settings.outbox_probe_interval_s:
                    # Idle: ask the broker for metadata so an outage (and the events it
                    # may have lost) is noticed even when nothing is being sent.
                    last_probe = loop.time()
                    await asyncio.wait_for(self._producer.client.fetch_all_metadata(), 5)
                if 0 < sent < self.settings.outbox_batch_size:
                    # Caught up: let the next rows gather for a moment instead of claiming
                    # them a few at a time (each claim is a transaction and a broker round
                    # trip). A full batch means a backlog: go on at once.
                    await asyncio.sleep(self.settings.outbox_linger_s)
                if sent == 0:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self._wake.wait(), timeout=self.settings.outbox_poll_interval_s
                        )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Broker or database away: keep the rows, retry with backoff, never drop.
                if self.broker_ok:
                    _log.warning("outbox_relay_unavailable", error=type(exc).__name__)
                if self._outage_since is None:
                    self._outage_since = utcnow()
                self.broker_ok = False
                await self._close_producer()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _requeue_recent(self, outage_since: datetime) -> None:
        """Send again what was published just before an outage.

        A broker that went down may have acknowledged events no consumer had read yet and
        then lost them (a broker without durable storage, or an unclean failover). The
        outbox is the record: re-sending a recent window is cheap, and consumers drop the
        duplicates on source + id.
        """
        since = outage_since - timedelta(seconds=self.settings.outbox_republish_window_s)
        async with self.database.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.published_at >= since)
                .values(published_at=None)
            )
        n = int(getattr(result, "rowcount", 0) or 0)
        if n:
            _log.info("outbox_requeued_after_outage", events=n)

    async def drain_once(self, producer: AIOKafkaProducer) -> int:
        if self.database.is_postgresql:
            return await self._drain_postgresql(producer)
        # SQLite (development, one relay per database): read, send, then mark in a short
        # write transaction of its own, so that the database's one write lock is not held
        # while the broker is slow or away. A crash between send and mark sends again.
        async with self.database.transaction(writes=False) as session:
            query = (
                select(OutboxMessage.id, OutboxMessage.topic, OutboxMessage.key)
                .add_columns(OutboxMessage.value, OutboxMessage.headers)
                .where(OutboxMessage.published_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(self.settings.outbox_batch_size)
            )
            rows = (await session.execute(query)).all()
        if not rows:
            return 0
        await self._send(
            producer, [(r.topic, r.key, r.value, decode_headers(r.headers)) for r in rows]
        )
        async with self.database.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([r.id for r in rows]))
                .values(published_at=utcnow())
            )
        return len(rows)

    async def _drain_postgresql(self, producer: AIOKafkaProducer) -> int:
        """Claim a batch (marked published, row-locked: another relay skips it), send it,
        then commit. A failed send rolls the marks back, so the rows go again later; a
        commit that fails after the send means they go twice (consumers dedupe)."""
        async with self.database.driver_connection() as conn, conn.transaction():
            rows = await conn.fetch(_CLAIM_PG, self.settings.outbox_batch_size, utcnow())
            if not rows:
                return 0
            rows.sort(key=lambda r: r["id"])  # RETURNING has no order of its own
            await self._send(
                producer,
                [
                    (r["topic"], r["key"], r["value"], decode_headers(_json(r["headers"])))
                    for r in rows
                ],
            )
        return len(rows)

    async def _send(
        self, producer: AIOKafkaProducer, records: list[tuple[str, bytes, bytes, Any]]
    ) -> None:
        """Send in outbox order and wait until the broker has acknowledged every one."""
        futures = [
            await producer.send(topic, value=value, key=key, headers=headers)
            for topic, key, value, headers in records
        ]
        await asyncio.gather(*futures)
        if self.metrics:
            for topic, n in Counter(r[0] for r in records).items():
                self.metrics.events_published.labels(self.metrics.service, topic).inc(n)


def _json(value: Any) -> Any:
    # SQLAlchemy's asyncpg dialect registers a json codec on its connections (text in,
    # Python objects out); a bare asyncpg connection would give the text.
    return json.loads(value) if isinstance(value, str) else value


# The oldest unpublished rows, locked (SKIP LOCKED: concurrent relays take other rows) and
# marked published in the same statement; the transaction around it ends after the send.
_CLAIM_PG = (
    "UPDATE outbox SET published_at = $2 WHERE id IN ("
    "SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 "
    "FOR UPDATE SKIP LOCKED) "
    "RETURNING id, topic, key, value, headers"
)
