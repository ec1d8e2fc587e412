"""Process dead letters again once the reason they were refused is gone (`dlq-herverwerken`).

Each letter on `integriteit.dlq.v1` is unsealed with the consuming service's key ring
(`messaging.dlq`) and validated again with the current code, exactly as the consumer does
(`validate_message`). One that now passes goes back onto its original topic, with its
original key, value and headers: the consumer then takes it like any other record, through
the one ingest path there is (its inbox, deduplicated on CloudEvents `source` + `id`, and the
handler in the same transaction). So it counts exactly once however often it is offered
again: by this command run twice, by two operators at once, or after the source re-sent it.
Writing it into the ledger from here would be a second ingest path beside the consumer's,
one more place to keep its dedupe, projections and locks in step with.

A letter whose event is in the inbox already is not offered again (`al_verwerkt`), so a
second run offers nothing and says so. Letters that still fail stay where they are
(`afgewezen`), as do those the key ring cannot open (`onleesbaar`). The report names
letters by CloudEvents id and type only, never by anything from the payload.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import select, tuple_

from integriteit_shared.crypto.fields import DecryptionError, FieldCipher
from integriteit_shared.db.session import Database
from integriteit_shared.events import InvalidEvent, topics
from integriteit_shared.messaging.consumer import validate_message
from integriteit_shared.messaging.dlq import DeadLetter, unseal
from integriteit_shared.messaging.kafka import make_producer
from integriteit_shared.messaging.models import InboxMessage
from integriteit_shared.settings import ServiceSettings

# what became of a letter
OPNIEUW = "opnieuw_aangeboden"  # valid now, back on its topic
AL_VERWERKT = "al_verwerkt"  # its event is in the inbox (an earlier run, or a re-send)
AFGEWEZEN = "afgewezen"  # still refused by the current code
ONLEESBAAR = "onleesbaar"  # not sealed with a key of this key ring
UITKOMSTEN = (OPNIEUW, AL_VERWERKT, AFGEWEZEN, ONLEESBAAR)
STALL_S = 15.0  # reading the topic gives up when this long brings no record before its end


@dataclass(frozen=True)
class Brief:
    """One dead letter as the report names it: CloudEvents id and type, and the outcome."""

    id: str | None
    type: str | None
    uitkomst: str


@dataclass
class Uitslag:
    brieven: list[Brief] = field(default_factory=list)
    verwerkt: int = 0  # of those offered again: in the inbox when the command finished

    def aantal(self, uitkomst: str) -> int:
        return sum(1 for b in self.brieven if b.uitkomst == uitkomst)

    def rapport(self) -> dict[str, Any]:
        return {
            **{uitkomst: self.aantal(uitkomst) for uitkomst in UITKOMSTEN},
            "verwerkt": self.verwerkt,
            "brieven": [{"id": b.id, "type": b.type, "uitkomst": b.uitkomst} for b in self.brieven],
        }


def _header(headers: Sequence[tuple[str, bytes | None]], name: str) -> str | None:
    for key, value in headers:
        if key == name and value is not None:
            return value.decode("utf-8", errors="replace")
    return None


async def read_dead_letters(
    consumer: AIOKafkaConsumer, *, vanaf: datetime | None = None
) -> list[Any]:
    """Every record on the dead-letter topic up to its current end (from `vanaf` on, by the
    time the letter was written), in offset order per partition."""
    await consumer.topics()  # the metadata of every topic, the dead-letter topic's too
    partitions = consumer.partitions_for_topic(topics.DLQ) or set()
    tps = [TopicPartition(topics.DLQ, p) for p in sorted(partitions)]
    if not tps:
        return []
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    end = await consumer.end_offsets(tps)
    vanaf_ms = None if vanaf is None else int(vanaf.timestamp() * 1000)
    records: list[Any] = []
    remaining = {tp for tp in tps if end[tp] > 0}
    loop = asyncio.get_running_loop()
    progress = loop.time()
    while remaining:
        for tp, batch in (await consumer.getmany(*remaining, timeout_ms=500)).items():
            if batch:
                progress = loop.time()
            records.extend(m for m in batch if vanaf_ms is None or m.timestamp >= vanaf_ms)
            if batch and batch[-1].offset + 1 >= end[tp]:
                remaining.discard(tp)
        if remaining and loop.time() - progress > STALL_S:
            raise TimeoutError(f"{topics.DLQ}: no records for {STALL_S:.0f} s before its end")
    return records


async def _in_inbox(db: Database, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    wanted = sorted(keys)
    async with db.transaction(writes=False) as session:
        for start in range(0, len(wanted), 500):
            rows = await session.execute(
                select(InboxMessage.source, InboxMessage.event_id).where(
                    tuple_(InboxMessage.source, InboxMessage.event_id).in_(
                        wanted[start : start + 500]
                    )
                )
            )
            found.update((source, event_id) for source, event_id in rows.all())
    return found


def _open(cipher: FieldCipher, record: Any) -> DeadLetter | None:
    try:
        return unseal(cipher, record.value or b"", list(record.headers or ()))
    except (DecryptionError, KeyError, ValueError):
        return None


async def herverwerk(
    *,
    consumer: AIOKafkaConsumer,
    producer: AIOKafkaProducer,
    db: Database,
    cipher: FieldCipher,
    event_type: str | None = None,
    vanaf: datetime | None = None,
    wacht_s: float = 30.0,
) -> Uitslag:
    """Offer every dead letter (of `event_type`, written from `vanaf` on) that now passes
    validation and is not in the inbox yet back to its topic; then wait up to `wacht_s` for
    the consumer to have stored them. `consumer` and `producer` are started clients."""
    uitslag = Uitslag()
    kandidaten: list[tuple[Brief, DeadLetter, tuple[str, str]]] = []
    gezien: set[tuple[str, str]] = set()
    for record in await read_dead_letters(consumer, vanaf=vanaf):
        headers = list(record.headers or ())
        ce_type = _header(headers, "ce_type")
        if event_type is not None and ce_type != event_type:
            continue
        ce_id = _header(headers, "ce_id")
        letter = _open(cipher, record)
        if letter is None:
            uitslag.brieven.append(Brief(ce_id, ce_type, ONLEESBAAR))
            continue
        try:
            env, _ = validate_message(letter.topic, letter.key, letter.value, letter.headers)
        except InvalidEvent:
            uitslag.brieven.append(Brief(ce_id, ce_type, AFGEWEZEN))
            continue
        key = (env.source, env.id)
        if key in gezien:  # the same event dead-lettered more than once
            uitslag.brieven.append(Brief(env.id, env.type, AL_VERWERKT))
            continue
        gezien.add(key)
        kandidaten.append((Brief(env.id, env.type, OPNIEUW), letter, key))

    al_binnen = await _in_inbox(db, gezien)
    aangeboden: set[tuple[str, str]] = set()
    for brief, letter, key in kandidaten:
        if key in al_binnen:
            uitslag.brieven.append(Brief(brief.id, brief.type, AL_VERWERKT))
            continue
        await producer.send_and_wait(
            letter.topic, value=letter.value, key=letter.key, headers=letter.headers
        )
        aangeboden.add(key)
        uitslag.brieven.append(brief)

    deadline = time.monotonic() + wacht_s
    while True:
        uitslag.verwerkt = len(await _in_inbox(db, aangeboden))
        if uitslag.verwerkt == len(aangeboden) or time.monotonic() >= deadline:
            return uitslag
        await asyncio.sleep(0.2)


async def herverwerk_dienst(
    settings: ServiceSettings,
    *,
    event_type: str | None = None,
    vanaf: datetime | None = None,
    wacht_s: float = 30.0,
) -> Uitslag:
    """`herverwerk` for the service these settings configure: its database (inbox), its key
    ring and its broker."""
    db = Database(settings.database_url)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=None,  # reads the topic without joining or moving any group
        enable_auto_commit=False,
        client_id=f"{settings.service_name}-dlq-herverwerken",
    )
    producer = make_producer(settings, client_id=f"{settings.service_name}-dlq-herverwerken")
    try:
        await consumer.start()
        await producer.start()
        return await herverwerk(
            consumer=consumer,
            producer=producer,
            db=db,
            cipher=FieldCipher.from_setting(settings.encryption_keys),
            event_type=event_type,
            vanaf=vanaf,
            wacht_s=wacht_s,
        )
    finally:
        for client in (producer, consumer):
            with contextlib.suppress(Exception):
                await client.stop()
        await db.dispose()
