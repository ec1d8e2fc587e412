"""Write events into the outbox inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

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


# PostgreSQL fast path (asyncpg, numbered parameters): the outbox columns a writer fills, in
# the order of `outbox_params`; id and published_at are left to the database.
OUTBOX_COLUMNS = (
    "event_id",
    "source",
    "event_type",
    "topic",
    "key",
    "value",
    "headers",
    "created_at",
)


def outbox_params(env: Envelope, created_at: datetime) -> tuple[Any, ...]:
    """One outbox row as asyncpg parameters (`headers` is a json column: its text)."""
    record = to_kafka(env)
    headers = json.dumps([[k, v.decode()] for k, v in record.headers])
    return (
        env.id,
        env.source,
        env.type,
        record.topic,
        record.key,
        record.value,
        headers,
        created_at,
    )


@cache
def outbox_insert_sql(rows: int, first_param: int) -> str:
    """`INSERT INTO outbox (...) VALUES (...), ...` for `rows` rows whose parameters start at
    $`first_param`, in the order of `outbox_params`. Ids follow the row order."""
    width = len(OUTBOX_COLUMNS)
    values = ", ".join(
        "(" + ", ".join(f"${first_param + r * width + c}" for c in range(width)) + ")"
        for r in range(rows)
    )
    # column names and numbered placeholders only: no input in the text
    return f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)}) VALUES {values}"  # noqa: S608


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
