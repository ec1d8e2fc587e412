"""Write events into the outbox inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.events import Envelope, EventData, new_envelope, to_kafka
from integriteit_shared.messaging.models import OutboxMessage


def outbox_row(env: Envelope) -> OutboxMessage:
    record = to_kafka(env)
    return OutboxMessage(
        event_id=env.id,
        source=env.source,
        event_type=env.type,
        topic=record.topic,
        key=record.key,
        value=record.value,
        headers=[[k, v.decode()] for k, v in record.headers],
    )


async def publish(
    session: AsyncSession, event: EventData, *, time: datetime | None = None
) -> Envelope:
    """Record `event` for publication; it leaves only if the transaction commits."""
    env = new_envelope(event, time=time)
    session.add(outbox_row(env))
    return env


async def publish_envelope(session: AsyncSession, env: Envelope) -> None:
    session.add(outbox_row(env))


def decode_headers(raw: list[list[str]]) -> list[tuple[str, bytes]]:
    return [(k, v.encode()) for k, v in raw]


def envelope_json(env: Envelope) -> str:
    return json.dumps(dict(env.data), sort_keys=True, separators=(",", ":"))
