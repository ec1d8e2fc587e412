"""No silent loss: a consumer that misses events finds out, and the producer sends them again.

Every event our own services publish carries a `sequence` (per source, one more each
time; `messaging.relay` numbers the outbox). On the control topic
`integriteit.herpublicatie.v1` two kinds of message go round, keyed by the source:

- `stand`: each producer says, every `herpublicatie_stand_interval_s`, the highest
  sequence it has sent. Without it a lost *tail* (the last events before a broker lost
  its data, nothing after them) would leave no gap for anyone to see.
- `verzoek`: a consumer (rapportage) that has been caught up for a while but still misses
  a range of a source asks for it; that source's relay marks the range unsent and sends
  it again. Consumers deduplicate on source + id, so a repeat is always harmless.

`Volledigheid` keeps the consumer's view: per source the highest sequence without a hole
below it in the inbox, the announced head, and since when a gap has been open. A gap
open longer than `herpublicatie_gat_na_s` makes `/health/ready` say "degraded" with the
source and range, and asks for the range again, until it is filled. Services still never
call each other: it all goes over the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import structlog
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import exists, func, select, true, update
from sqlalchemy.orm import aliased

from integriteit_shared.db.session import Database
from integriteit_shared.events import topics
from integriteit_shared.messaging.kafka import make_consumer, make_producer, prepare_topics
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from integriteit_shared.settings import ServiceSettings

_log = structlog.get_logger("herpublicatie")


class Stand(BaseModel):
    """A producer's head: it has sent every sequence from 1 up to `hoogste`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    soort: Literal["stand"] = "stand"
    bron: str
    hoogste: int = Field(ge=1)


class Verzoek(BaseModel):
    """A consumer's request to send the sequences `vanaf` to `tot` (inclusive) again."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    soort: Literal["verzoek"] = "verzoek"
    bron: str
    vanaf: int = Field(ge=1)
    tot: int = Field(ge=1)


class _Bericht(BaseModel):
    bericht: Stand | Verzoek = Field(discriminator="soort")


def encode(message: Stand | Verzoek) -> tuple[bytes, bytes]:
    """Key (the source) and value of a control message."""
    return message.bron.encode(), message.model_dump_json().encode()


def decode(value: bytes | None) -> Stand | Verzoek | None:
    """A control message, or None for anything else (it is skipped, never fatal)."""
    try:
        return _Bericht.model_validate({"bericht": json.loads(value or b"")}).bericht
    except (ValueError, ValidationError):
        return None


async def republish_range(db: Database, bron: str, vanaf: int, tot: int) -> int:
    """Mark the outbox rows of `bron` with a sequence in [vanaf, tot] unsent; the relay
    sends them again. Returns how many rows were marked (0 when this outbox does not hold
    that source)."""
    async with db.transaction() as session:
        result: Any = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.source == bron,
                OutboxMessage.sequence.between(vanaf, tot),
                OutboxMessage.published_at.is_not(None),
            )
            .values(published_at=None)
        )
    return int(result.rowcount or 0)


async def republish_between(db: Database, vanaf: datetime, tot: datetime | None) -> int:
    """Mark the outbox rows written from `vanaf` up to (not including) `tot` unsent, for
    `integriteit outbox-herpubliceren`: the service's relay sends them again (consumers
    deduplicate, so this is always safe). Returns how many rows were marked."""
    created = OutboxMessage.created_at
    async with db.transaction() as session:
        result: Any = await session.execute(
            update(OutboxMessage)
            .where(
                created >= vanaf,
                created < tot if tot is not None else true(),
                OutboxMessage.published_at.is_not(None),
            )
            .values(published_at=None)
        )
    return int(result.rowcount or 0)


@dataclass(frozen=True)
class Gat:
    """Sequences `vanaf` to `tot` of `bron` are missing; open since `sinds` (monotonic)."""

    bron: str
    vanaf: int
    tot: int
    sinds: float

    def json(self) -> dict[str, Any]:
        return {"bron": self.bron, "vanaf": self.vanaf, "tot": self.tot}


async def contiguous_high(db: Database, source: str) -> tuple[int, int]:
    """(c, m): every sequence 1..c of `source` is in the inbox and c+1 is not; m is the
    highest sequence present (0 when none)."""
    seq = InboxMessage.sequence
    async with db.read_sessionmaker() as s:
        count, highest = (
            await s.execute(
                select(func.count(seq), func.max(seq)).where(
                    InboxMessage.source == source, seq.is_not(None)
                )
            )
        ).one()
        highest = int(highest or 0)
        if int(count or 0) == highest:  # sequences are unique per source: no hole
            return highest, highest
        if not await s.scalar(select(exists().where(InboxMessage.source == source, seq == 1))):
            return 0, highest
        following = aliased(InboxMessage)
        first_missing = await s.scalar(
            select(func.min(seq) + 1).where(
                InboxMessage.source == source,
                seq.is_not(None),
                ~exists().where(following.source == source, following.sequence == seq + 1),
            )
        )
        return int(first_missing or 1) - 1, highest


@dataclass
class Volledigheid:
    """The consumer's side: which ranges of which sources it misses, and for how long."""

    database: Database
    gat_na_s: float
    clock: Callable[[], float] = time.monotonic
    koppen: dict[str, int] = field(default_factory=dict)
    _open: dict[str, Gat] = field(default_factory=dict)
    _gevraagd: dict[str, float] = field(default_factory=dict)

    def stand(self, stand: Stand) -> None:
        self.koppen[stand.bron] = max(stand.hoogste, self.koppen.get(stand.bron, 0))

    async def _bronnen(self) -> set[str]:
        async with self.database.read_sessionmaker() as s:
            seen = await s.scalars(
                select(InboxMessage.source).where(InboxMessage.sequence.is_not(None)).distinct()
            )
            return set(seen) | set(self.koppen)

    async def bijwerken(self) -> list[Gat]:
        """Look again; returns the gaps open now (each with the moment it opened)."""
        now = self.clock()
        for bron in sorted(await self._bronnen()):
            c, highest = await contiguous_high(self.database, bron)
            top = max(highest, self.koppen.get(bron, 0))
            if top <= c:
                self._open.pop(bron, None)
                continue
            earlier = self._open.get(bron)
            sinds = earlier.sinds if earlier is not None and earlier.vanaf == c + 1 else now
            self._open[bron] = Gat(bron, c + 1, top, sinds)
        return list(self._open.values())

    def lang_open(self) -> list[Gat]:
        """Gaps open longer than `gat_na_s`: what /health/ready reports."""
        now = self.clock()
        return [g for g in self._open.values() if now - g.sinds >= self.gat_na_s]

    def te_vragen(self) -> list[Verzoek]:
        """Requests for the long-open gaps, each at most once per `gat_na_s`."""
        now = self.clock()
        verzoeken = []
        for gat in self.lang_open():
            if now - self._gevraagd.get(gat.bron, -float("inf")) >= self.gat_na_s:
                self._gevraagd[gat.bron] = now
                verzoeken.append(Verzoek(bron=gat.bron, vanaf=gat.vanaf, tot=gat.tot))
        return verzoeken


class HerpublicatieKanaal:
    """One service's end of the control topic (a task in its lifespan).

    - As a producer: announces the head of each source in its outbox, and answers a
      request for a source its outbox holds by marking the range unsent
      (`republish_range`), then wakes the relay. (Every replica of every service hears
      every request; those without that source mark nothing.)
    - As a consumer of events (`volledigheid` given): keeps the heads it hears, looks for
      gaps, and asks for long-open ones once the event consumer has caught up
      (`bijgewerkt` says whether it has).
    """

    def __init__(
        self,
        db: Database,
        settings: ServiceSettings,
        *,
        hoogste: Callable[[], Awaitable[dict[str, int]]],
        na_herpublicatie: Callable[[], None],
        volledigheid: Volledigheid | None = None,
        bijgewerkt: Callable[[], bool] = lambda: True,
    ) -> None:
        self.database = db
        self.settings = settings
        self.hoogste = hoogste
        self.na_herpublicatie = na_herpublicatie
        self.volledigheid = volledigheid
        self.bijgewerkt = bijgewerkt
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="herpublicatie")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            await prepare_topics(self.settings, (topics.HERPUBLICATIE,))
            # No consumer group and no offsets: every replica hears every message from now
            # on. Heads come again every few seconds and a request missed while a producer
            # was away is asked again, so nothing older is needed; a request answered by
            # two replicas marks the same rows twice, which is harmless.
            consumer = make_consumer(
                self.settings,
                topics.HERPUBLICATIE,
                group_id=None,
                auto_offset_reset="latest",
                client_id=f"{self.settings.service_name}-herpublicatie",
            )
            producer = make_producer(
                self.settings, client_id=f"{self.settings.service_name}-herpublicatie"
            )
            try:
                await asyncio.wait_for(consumer.start(), 15)
                await asyncio.wait_for(producer.start(), 15)
                backoff = 0.5
                await self._loop(consumer, producer)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning("herpublicatie_unavailable", error=type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                for client in (consumer, producer):
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(client.stop(), 15)

    async def _loop(self, consumer: Any, producer: AIOKafkaProducer) -> None:
        interval = self.settings.herpublicatie_stand_interval_s
        next_beat = 0.0
        while True:
            batches = await consumer.getmany(timeout_ms=int(min(interval, 1.0) * 1000))
            for messages in batches.values():
                for msg in messages:
                    await self._handle(decode(msg.value))
            if time.monotonic() >= next_beat:
                next_beat = time.monotonic() + interval
                await self._beat(producer)

    async def _handle(self, message: Stand | Verzoek | None) -> None:
        if isinstance(message, Stand) and self.volledigheid is not None:
            self.volledigheid.stand(message)
        elif isinstance(message, Verzoek):
            n = await republish_range(self.database, message.bron, message.vanaf, message.tot)
            if n:
                _log.warning(
                    "herpublicatie_uitgevoerd",
                    bron=message.bron,
                    vanaf=message.vanaf,
                    tot=message.tot,
                    events=n,
                )
                self.na_herpublicatie()

    async def _beat(self, producer: AIOKafkaProducer) -> None:
        outgoing: list[Stand | Verzoek] = []
        for bron, highest in sorted((await self.hoogste()).items()):
            outgoing.append(Stand(bron=bron, hoogste=highest))
        if self.volledigheid is not None:
            await self.volledigheid.bijwerken()
            if self.bijgewerkt():
                for verzoek in self.volledigheid.te_vragen():
                    _log.warning(
                        "herpublicatie_gevraagd",
                        bron=verzoek.bron,
                        vanaf=verzoek.vanaf,
                        tot=verzoek.tot,
                    )
                    outgoing.append(verzoek)
        for message in outgoing:
            key, value = encode(message)
            await producer.send_and_wait(topics.HERPUBLICATIE, value=value, key=key)
