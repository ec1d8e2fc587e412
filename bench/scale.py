"""A large ledger: the seed dataset copied k times with new ids, bulk-loaded with COPY.

Copy c of the seed keeps every registration time and business date and replaces every
aggregate id (fields ending in `Id`, and the subject) by a bijection of (id, c), so each
copy is an independent, consistent set of cases: the report's counts grow by a factor k.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import make_url

from integriteit_dev.demo.jaarverslag import events
from integriteit_shared.events import new_envelope

COLUMNS = ("source", "event_id", "event_type", "time", "subject", "topic", "data", "received_at")


def _remap(value: str, c: int) -> str:
    """A UUID-shaped id, distinct per copy: XOR the copy number into the last 48 bits."""
    if c == 0:
        return value
    if len(value) != 36:
        return f"{value}-{c}"
    return f"{value[:24]}{int(value[24:], 16) ^ c:012x}"


def _templates() -> list[tuple[str, str, datetime, str | None, str, dict[str, Any], list[str]]]:
    out = []
    for event, registered_at in events():
        env = new_envelope(event, time=registered_at)
        data = dict(env.data)
        id_keys = [k for k, v in data.items() if k.endswith("Id") and isinstance(v, str)]
        out.append((env.source, env.type, env.time, env.subject, env.topic, data, id_keys))
    return out


def seed_size() -> int:
    return len(events())


def rows(n: int, *, stride: int = 1) -> Iterator[tuple[Any, ...]]:
    """`n` ledger rows: whole copies of the seed, then part of one (every `stride`-th event)."""
    now = datetime.now(UTC)
    tpl = _templates()[::stride]
    made, c = 0, 0
    while made < n:
        for source, type_, time, subject, topic, tpl_data, id_keys in tpl:
            if made >= n:
                return
            data = tpl_data
            if c:
                data = dict(data)
                for k in id_keys:
                    data[k] = _remap(data[k], c)
            subj = subject
            if c and subject is not None and any(tpl_data[k] == subject for k in id_keys):
                subj = _remap(subject, c)
            body = json.dumps(data, sort_keys=True, separators=(",", ":"))
            yield (source, str(uuid.uuid4()), type_, time, subj, topic, body, now)
            made += 1
        c += 1


async def load_ledger(database_url: str, n: int, *, stride: int = 1, chunk: int = 50_000) -> None:
    """COPY `n` rows into the `inbox` table of a PostgreSQL database."""
    url = make_url(database_url).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        batch: list[tuple[Any, ...]] = []
        for row in rows(n, stride=stride):
            batch.append(row)
            if len(batch) >= chunk:
                await conn.copy_records_to_table("inbox", records=batch, columns=COLUMNS)
                batch = []
        if batch:
            await conn.copy_records_to_table("inbox", records=batch, columns=COLUMNS)
        await conn.execute("ANALYZE inbox")
    finally:
        await conn.close()
