"""Outbox relay: publishes committed outbox rows in order, at least once, through outages.

Before a row is first sent it gets its `sequence`: per source in the outbox, one more
than the last, in the order the rows became visible, one numbering transaction at a time.
The event carries it as the CloudEvents `sequence` extension; a consumer that sees a gap
asks for the range again (`messaging.herpublicatie`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, text, update

from integriteit_shared.db.base import utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.events import topics
from integriteit_shared.events.envelope import SEQUENCE_HEADER
from integriteit_shared.messaging.kafka import (
    PartitionMismatch,
    check_partitions,
    make_producer,
    prepare_topics,
)
from integriteit_shared.messaging.models import OutboxMessage
from integriteit_shared.messaging.outbox import decode_headers
from integriteit_shared.observability import Metrics
from integriteit_shared.settings import ServiceSettings
from integriteit_shared.tasks import stop_task

_log = structlog.get_logger("outbox")
# Arbitrary constant bigint naming the transaction-scoped lock under which rows are numbered.
SEQUENCE_LOCK_KEY = 0x5E0_0E1CE


class OutboxRelay:
    def __init__(
        self, db: Database, settings: ServiceSettings, metrics: Metrics | None = None
    ) -> None:
        self.database = db
        self.settings = settings
        self.metrics = metrics
        self.broker_ok = False
        # set when a topic this service uses has another partition count than the settings
        self.partition_problem: str | None = None
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
                    await prepare_topics(self.settings, self._topics())
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
                    await self._check_partitions(producer)
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

    def _topics(self) -> tuple[str, ...]:
        """The topics to create and check: all of them (an outbox may hold events for
        several, and the control and audit topics serve everyone); where production ACLs
        forbid creating or describing one, it is skipped."""
        return topics.ALL

    async def _check_partitions(self, producer: AIOKafkaProducer) -> None:
        try:
            await check_partitions(producer, self._topics(), self.settings.kafka_partitions)
        except PartitionMismatch as exc:
            if self.partition_problem is None:
                _log.error("topic_partitions_mismatch", problem=str(exc))
            self.partition_problem = str(exc)
        else:
            self.partition_problem = None

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

    async def number_rows(self) -> int:
        """Give the committed, unsent rows without a `sequence` the next numbers of their
        source, in id order; returns how many. (One outbox can hold several sources:
        rapportage's REST ingress publishes KMar's and ECLD's events.) Serialised:
        PostgreSQL takes an advisory lock (the relays of several replicas share the
        outbox), SQLite its write lock."""
        unnumbered = (
            select(OutboxMessage.id)
            .where(OutboxMessage.sequence.is_(None), OutboxMessage.published_at.is_(None))
            .limit(1)
        )
        async with self.database.read_sessionmaker() as s:
            if await s.scalar(unnumbered) is None:
                return 0  # the common case when idle: no write transaction, no lock
        async with self.database.transaction() as session:
            if self.database.is_postgresql:
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCE_LOCK_KEY}
                )
            rows = (
                await session.execute(
                    select(OutboxMessage.id, OutboxMessage.source)
                    .where(OutboxMessage.sequence.is_(None), OutboxMessage.published_at.is_(None))
                    .order_by(OutboxMessage.id)
                    .limit(self.settings.outbox_batch_size)
                )
            ).all()
            if not rows:
                return 0
            last: dict[str, int] = {}
            for source in {r.source for r in rows}:
                highest = await session.scalar(
                    select(func.max(OutboxMessage.sequence)).where(OutboxMessage.source == source)
                )
                last[source] = int(highest or 0)
            numbers = []
            for row in rows:
                last[row.source] += 1
                numbers.append({"id": row.id, "sequence": last[row.source]})
            await session.execute(update(OutboxMessage), numbers)
        return len(rows)

    async def highest_published(self) -> dict[str, int]:
        """Per source in the outbox, the highest `sequence` sent (and acknowledged)."""
        async with self.database.read_sessionmaker() as s:
            rows = await s.execute(
                select(OutboxMessage.source, func.max(OutboxMessage.sequence))
                .where(OutboxMessage.published_at.is_not(None), OutboxMessage.sequence.is_not(None))
                .group_by(OutboxMessage.source)
            )
            return {source: int(highest) for source, highest in rows if highest is not None}

    async def drain_once(self, producer: AIOKafkaProducer) -> int:
        await self.number_rows()
        if self.database.is_postgresql:
            return await self._drain_postgresql(producer)
        # SQLite (development, one relay per database): read, send, then mark in a short
        # write transaction of its own, so that the database's one write lock is not held
        # while the broker is slow or away. A crash between send and mark sends again.
        async with self.database.transaction(writes=False) as session:
            query = (
                select(OutboxMessage.id, OutboxMessage.topic, OutboxMessage.key)
                .add_columns(OutboxMessage.value, OutboxMessage.headers, OutboxMessage.sequence)
                .where(OutboxMessage.published_at.is_(None), OutboxMessage.sequence.is_not(None))
                .order_by(OutboxMessage.id)
                .limit(self.settings.outbox_batch_size)
            )
            rows = (await session.execute(query)).all()
        if not rows:
            return 0
        await self._send(
            producer,
            [(r.topic, r.key, r.value, _with_sequence(r.headers, r.sequence)) for r in rows],
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
                    (
                        r["topic"],
                        r["key"],
                        r["value"],
                        _with_sequence(_json(r["headers"]), r["sequence"]),
                    )
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


def _with_sequence(headers: list[list[str]], sequence: int) -> list[tuple[str, bytes]]:
    """The row's CloudEvents headers with its `sequence` extension."""
    return [*decode_headers(headers), (SEQUENCE_HEADER, str(sequence).encode())]


def _json(value: Any) -> Any:
    # SQLAlchemy's asyncpg dialect registers a json codec on its connections (text in,
    # Python objects out); a bare asyncpg connection would give the text.
    return json.loads(value) if isinstance(value, str) else value


# The oldest unpublished rows, locked (SKIP LOCKED: concurrent relays take other rows) and
# marked published in the same statement; the transaction around it ends after the send.
_CLAIM_PG = (
    "UPDATE outbox SET published_at = $2 WHERE id IN ("
    "SELECT id FROM outbox WHERE published_at IS NULL AND sequence IS NOT NULL "
    "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, topic, key, value, headers, sequence"
)
