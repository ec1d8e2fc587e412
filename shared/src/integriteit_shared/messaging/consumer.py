"""Consumer runner: validate, dedupe on source+id in the inbox, handle in one transaction,
commit the offset after; invalid events go to the dead-letter topic with the reason.

The valid messages of one fetch (all its partitions, each partition's order kept) are
deduplicated in the inbox with one statement and handled in ONE transaction: one commit per
fetch instead of one per event, so the consumer keeps up with bursts. When that transaction
fails, the batch is processed again one message per transaction, so a database outage is
retried without skipping and only a message that keeps failing goes to the dead-letter
topic. Offsets are committed only after the database commit. A dead letter's record is
sealed with the service's field key (`messaging.dlq`): a refused payload may hold personal data.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import bindparam, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.db.base import utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.events import Envelope, EventData, InvalidEvent, from_kafka, parse, topics
from integriteit_shared.messaging.dlq import DeadLetter, seal
from integriteit_shared.messaging.kafka import (
    PartitionMismatch,
    check_partitions,
    make_consumer,
    make_producer,
    prepare_topics,
)
from integriteit_shared.messaging.models import InboxMessage
from integriteit_shared.messaging.outbox import envelope_json
from integriteit_shared.observability import Metrics
from integriteit_shared.settings import ServiceSettings

Handler = Callable[[AsyncSession, Envelope, EventData], Awaitable[None]]
BatchDone = Callable[[AsyncSession], Awaitable[None]]
_log = structlog.get_logger("consumer")
_TRANSIENT = (OperationalError, InterfaceError, DBAPIError, OSError, ConnectionError)
MAX_HANDLER_ATTEMPTS = 3


def validate_message(
    topic: str, key: bytes | None, value: bytes | None, headers: Any
) -> tuple[Envelope, EventData]:
    env = from_kafka(key, value, list(headers or ()))
    event = parse(env)
    if type(event).topic() != topic:
        raise InvalidEvent(f"type '{env.type}' hoort niet op topic '{topic}'")
    return env, event


class LedgerClock:
    """The moment each event enters the ledger: now, and strictly later than the previous
    one of this process, so a batch keeps its order even within one clock tick."""

    def __init__(self) -> None:
        self._last = datetime.min.replace(tzinfo=UTC)

    def __call__(self) -> datetime:
        now = max(utcnow(), self._last + timedelta(microseconds=1))
        self._last = now
        return now


def stamped(env: Envelope, clock: Callable[[], datetime]) -> Envelope:
    """The envelope with its ledger moment (`geboekt_op`), unless it already has one."""
    return env if env.geboekt_op is not None else dataclasses.replace(env, geboekt_op=clock())


def _inbox_values(env: Envelope, topic: str) -> dict[str, Any]:
    return {
        "source": env.source,
        "event_id": env.id,
        "event_type": env.type,
        "time": env.time,
        "subject": env.subject,
        "topic": topic,
        "data": envelope_json(env),
        "received_at": env.geboekt_op or utcnow(),
        "sequence": env.sequence,
    }


async def _backfill_sequences(session: AsyncSession, repeats: list[Envelope]) -> None:
    """An event stored before it had a `sequence` (sent before numbering began, then
    re-sent with one) gets it now, so that the range it fills does not stay a gap."""
    numbered = [env for env in repeats if env.sequence is not None]
    if not numbered:
        return
    conn = await session.connection()  # Core executemany: one UPDATE, many parameter sets
    await conn.execute(
        update(InboxMessage)
        .where(
            InboxMessage.source == bindparam("b_source"),
            InboxMessage.event_id == bindparam("b_id"),
            InboxMessage.sequence.is_(None),
        )
        .values(sequence=bindparam("b_sequence")),
        [{"b_source": e.source, "b_id": e.id, "b_sequence": e.sequence} for e in numbered],
    )


async def store_many_in_inbox(
    session: AsyncSession, items: list[tuple[Envelope, str]]
) -> set[tuple[str, str]]:
    """Insert each (envelope, topic) once, in one statement; returns the (source, id) pairs
    that were new (absent ones were already stored, or repeated earlier in `items`)."""
    if not items:
        return set()
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert_fn: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert_fn(InboxMessage)
        .values([_inbox_values(env, topic) for env, topic in items])
        .on_conflict_do_nothing(index_elements=["source", "event_id"])
        .returning(InboxMessage.source, InboxMessage.event_id)
    )
    conn = await session.connection()
    result = await conn.execute(stmt)
    new = {(source, event_id) for source, event_id in result.all()}
    await _backfill_sequences(session, [env for env, _ in items if (env.source, env.id) not in new])
    return new


async def store_in_inbox(session: AsyncSession, env: Envelope, topic: str) -> bool:
    """Insert once; False when this source+id was already stored (a duplicate)."""
    values = _inbox_values(env, topic)
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    stmt: Any
    if dialect == "postgresql":
        stmt = (
            pg_insert(InboxMessage)
            .values(values)
            .on_conflict_do_nothing(index_elements=["source", "event_id"])
        )
    elif dialect == "sqlite":
        stmt = (
            sqlite_insert(InboxMessage)
            .values(values)
            .on_conflict_do_nothing(index_elements=["source", "event_id"])
        )
    else:  # pragma: no cover - other databases are not supported
        stmt = insert(InboxMessage).values(values)
    result: Any = await session.execute(stmt)
    stored = bool(result.rowcount == 1)
    if not stored:
        await _backfill_sequences(session, [env])
    return stored


REJOIN_AFTER_S = 20.0
CLIENT_TIMEOUT_S = 15.0


class ConsumerStuck(Exception):
    """The consumer has had no group coordinator for too long; it is recreated."""


T = TypeVar("T")


async def _bounded(aw: Awaitable[T], timeout_s: float, *, cancel: bool = True) -> T:
    """`aw`, or TimeoutError after `timeout_s` without waiting for it to wind down.

    `asyncio.wait_for` cancels the late awaitable and then waits for it; an aiokafka
    client retrying its bootstrap can take its time over that, and the consumer then
    hangs where it meant to give up and start afresh (seen in the broker fault test).
    """
    task = asyncio.ensure_future(aw)
    done, _ = await asyncio.wait({task}, timeout=timeout_s)
    if not done:
        if cancel:
            task.cancel()
        # an abandoned task's late error is not news: retrieve it so nothing is logged
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        raise TimeoutError
    if task.cancelled():
        # aiokafka's stop() can end in the CancelledError of a task of its own; passed on,
        # that would end the consumer loop without a word (seen in the broker fault test)
        raise ConsumerStuck("the client cancelled its own work")
    return task.result()


def _coordinator_known(consumer: AIOKafkaConsumer) -> bool:
    # aiokafka exposes no public state for this; without the attribute, assume all is well
    coordinator = getattr(consumer, "_coordinator", None)
    return getattr(coordinator, "coordinator_id", 0) is not None


class ConsumerRunner:
    def __init__(
        self,
        db: Database,
        settings: ServiceSettings,
        *,
        topic_names: tuple[str, ...],
        group_id: str,
        handler: Handler,
        metrics: Metrics | None = None,
        batch_done: BatchDone | None = None,
    ) -> None:
        self.database = db
        self.settings = settings
        self.topic_names = topic_names
        self.group_id = group_id
        self.handler = handler
        self.batch_done = batch_done
        self.metrics = metrics
        # dead letters are sealed with the service's own field key (see messaging.dlq)
        self.cipher = FieldCipher.from_setting(settings.encryption_keys)
        self.connected = False
        # set when a consumed topic has another partition count than the settings say
        self.partition_problem: str | None = None
        # the last fetch found nothing new: what is on the topics has been handled
        self.caught_up = False
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._clock = LedgerClock()

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.group_id}")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = 0.2
        while not self._stopping:
            consumer: AIOKafkaConsumer | None = None
            producer: AIOKafkaProducer | None = None
            try:
                await prepare_topics(self.settings, self.topic_names)
                consumer = make_consumer(self.settings, *self.topic_names, group_id=self.group_id)
                producer = make_producer(self.settings)
                # a broker that comes and goes can leave aiokafka waiting for ever: bounded
                await _bounded(consumer.start(), CLIENT_TIMEOUT_S)
                await _bounded(producer.start(), CLIENT_TIMEOUT_S)
                self.connected = True
                backoff = 0.2
                _log.info("consumer_connected", group=self.group_id)
                await self._check_partitions(producer)
                coordinator_sinds = time.monotonic()
                while not self._stopping:
                    if _coordinator_known(consumer):
                        coordinator_sinds = time.monotonic()
                    elif time.monotonic() - coordinator_sinds > REJOIN_AFTER_S:
                        # aiokafka can stay stuck looking for a group coordinator on a node
                        # it no longer reaches after the broker restarted: start anew
                        raise ConsumerStuck("no group coordinator")
                    batches = await consumer.getmany(timeout_ms=200, max_records=500)
                    batches = {tp: msgs for tp, msgs in batches.items() if msgs}
                    self.caught_up = not batches
                    if batches:
                        # every partition's messages in one transaction (each partition's
                        # order kept), then all offsets in one commit after the DB commit
                        await self._process_batch(
                            producer, [msg for msgs in batches.values() for msg in msgs]
                        )
                        # committing waits for the group coordinator: bounded, like the
                        # start (a timeout restarts the client; the inbox dedupes redelivery)
                        await _bounded(
                            consumer.commit(
                                {tp: msgs[-1].offset + 1 for tp, msgs in batches.items()}
                            ),
                            CLIENT_TIMEOUT_S,
                        )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning(
                    "consumer_unavailable" if self.connected else "consumer_start_failed",
                    error=type(exc).__name__,
                )
                self.connected = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                self.connected = False
                self.caught_up = False
                for client in (consumer, producer):
                    if client is not None:
                        # leaving a group whose coordinator is gone can hang: give up after
                        # a while and start a new client (the old one is abandoned)
                        with contextlib.suppress(Exception):
                            # a stop that takes too long goes on by itself: the old
                            # client still leaves its group once the broker is back
                            await _bounded(client.stop(), CLIENT_TIMEOUT_S, cancel=False)

    async def _check_partitions(self, producer: AIOKafkaProducer) -> None:
        try:
            await check_partitions(producer, self.topic_names, self.settings.kafka_partitions)
        except PartitionMismatch as exc:
            if self.partition_problem is None:
                _log.error("topic_partitions_mismatch", problem=str(exc))
            self.partition_problem = str(exc)
        else:
            self.partition_problem = None

    async def _process_batch(self, producer: AIOKafkaProducer, messages: list[Any]) -> None:
        """Validate each message (invalid ones to the DLQ), then store and handle the valid
        ones in one transaction; on failure fall back to one transaction per message."""
        valid: list[tuple[Any, Envelope, EventData]] = []
        for msg in messages:
            try:
                env, event = validate_message(msg.topic, msg.key, msg.value, msg.headers)
            except InvalidEvent as exc:
                await self._dead_letter(producer, msg, exc.reason)
                continue
            valid.append((msg, stamped(env, self._clock), event))
        if len(valid) > 1:
            try:
                outcomes: list[tuple[str, str]] = []
                async with self.database.transaction() as session:
                    # one statement for the whole batch's dedupe, then the handler per new event
                    nieuw = await store_many_in_inbox(
                        session, [(env, msg.topic) for msg, env, _ in valid]
                    )
                    for msg, env, event in valid:
                        stored = (env.source, env.id) in nieuw
                        nieuw.discard((env.source, env.id))  # a repeat in this batch: dubbel
                        if stored:
                            await self.handler(session, env, event)
                        outcomes.append((msg.topic, "opgeslagen" if stored else "dubbel"))
                    if self.batch_done is not None:
                        await self.batch_done(session)
            except Exception as exc:
                # Rolled back as a whole: redo it message by message (a database outage is
                # retried there without skipping; a bad message is isolated and retried or
                # dead-lettered alone; duplicates of committed work are caught by the inbox).
                _log.warning("consumer_batch_fallback", error=type(exc).__name__, n=len(valid))
                if isinstance(exc, _TRANSIENT):
                    await asyncio.sleep(0.2)
            else:
                for topic, outcome in outcomes:
                    self._count(topic, outcome)
                return
        for msg, env, event in valid:
            await self._process(producer, msg, env, event)

    async def _process(
        self, producer: AIOKafkaProducer, msg: Any, env: Envelope, event: EventData
    ) -> None:
        attempts = 0
        while True:
            attempts += 1
            try:
                async with self.database.transaction() as session:
                    stored = await store_in_inbox(session, env, msg.topic)
                    if stored:
                        await self.handler(session, env, event)
                        if self.batch_done is not None:
                            await self.batch_done(session)
                self._count(msg.topic, "opgeslagen" if stored else "dubbel")
                return
            except _TRANSIENT as exc:
                # The database is away: wait and retry the same message, never skip it.
                _log.warning("consumer_db_retry", error=type(exc).__name__, attempt=attempts)
                await asyncio.sleep(min(0.2 * attempts, 5.0))
            except Exception as exc:
                if attempts >= MAX_HANDLER_ATTEMPTS:
                    await self._dead_letter(producer, msg, f"verwerkingsfout: {type(exc).__name__}")
                    return
                await asyncio.sleep(0.1)

    async def _dead_letter(self, producer: AIOKafkaProducer, msg: Any, reason: str) -> None:
        # sealed with this service's field key: a refused payload may hold personal data
        sealed = seal(
            self.cipher,
            DeadLetter(
                topic=msg.topic,
                partition=msg.partition,
                offset=msg.offset,
                reason=reason,
                key=msg.key,
                value=msg.value,
                headers=[(k, v) for k, v in (msg.headers or ()) if not k.startswith("dlq_")],
            ),
            group=self.group_id,
        )
        await _bounded(
            producer.send_and_wait(topics.DLQ, value=sealed.value, headers=sealed.headers),
            CLIENT_TIMEOUT_S,
        )
        self._count(msg.topic, "dlq")
        _log.info("event_dead_lettered", topic=msg.topic, offset=msg.offset, reason=reason)

    def _count(self, topic: str, outcome: str) -> None:
        if self.metrics:
            self.metrics.events_consumed.labels(self.metrics.service, topic, outcome).inc()


__all__ = [
    "BatchDone",
    "ConsumerRunner",
    "Handler",
    "TopicPartition",
    "store_in_inbox",
    "store_many_in_inbox",
    "validate_message",
]
