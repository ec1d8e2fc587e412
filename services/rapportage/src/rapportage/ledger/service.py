"""The ledger: every valid event once (the shared inbox table, unique on source + id)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.events import Envelope, EventData
from integriteit_shared.events.models import EVENT_TYPES
from integriteit_shared.messaging.models import InboxMessage
from rapportage.projecties.service import (
    bump_versie,
    feiten,
    projecteer,
    versie_gebumpt,
    wis_projecties,
)


async def on_event(session: AsyncSession, envelope: Envelope, event: EventData) -> None:
    """Called in the ledger insert's transaction for each new event.

    The consumer runner has already stored the event in the ledger; here the projections
    the annual indicators are served from are updated, in the same transaction. The
    version bump comes first: it takes the row lock a rebuild also takes, so a rebuild and
    a live event never interleave. A transaction that carries a batch of events bumps the
    version once (at its first event), and the fact rows are written at its commit, all in
    a few multi-row statements instead of a round trip per event.
    """
    if not versie_gebumpt(session):
        await bump_versie(session)
    projecteer(session, envelope, event)


def envelope_uit_grootboek(row: InboxMessage) -> Envelope:
    return Envelope(
        id=row.event_id,
        source=row.source,
        type=row.event_type,
        time=row.time,
        subject=row.subject,
        data=json.loads(row.data),
    )


BATCH = 5000


def _waarden(feit: object) -> dict[str, Any]:
    """The column values of a fact row built by `feiten` (its own id left to the database)."""
    table: Table = feit.__table__  # type: ignore[attr-defined]
    return {c.key: getattr(feit, c.key) for c in table.columns if c.key != "id"}


async def herbereken(session: AsyncSession) -> int:
    """Truncate the projections and replay the ledger in (time, id) order; returns the count.

    Runs in the caller's transaction: readers see the old figures until it commits. The
    ledger is read in one ordered pass; each batch's fact rows (the same `feiten` the
    consumer writes) are inserted per table with one multi-row statement.
    """
    await bump_versie(session)
    await wis_projecties(session)
    n = 0
    i = InboxMessage
    query = (
        select(i.event_id, i.source, i.event_type, i.time, i.subject, i.data)
        .order_by(i.time, i.id)
        .execution_options(yield_per=BATCH)
    )
    result = await session.stream(query)
    async for part in result.partitions(BATCH):
        per_tabel: defaultdict[type[object], list[dict[str, Any]]] = defaultdict(list)
        for event_id, source, event_type, time, subject, data in part:
            env = Envelope(
                id=event_id,
                source=source,
                type=event_type,
                time=time,
                subject=subject,
                data=json.loads(data),
            )
            event = EVENT_TYPES[env.type].model_validate(dict(env.data))
            for feit in feiten(env, event):
                per_tabel[type(feit)].append(_waarden(feit))
            n += 1
        for model, rows in per_tabel.items():
            await session.execute(insert(model), rows)
    return n


async def counts_per_source_and_type(session: AsyncSession) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(InboxMessage.source, InboxMessage.event_type, func.count())
        .group_by(InboxMessage.source, InboxMessage.event_type)
        .order_by(InboxMessage.source, InboxMessage.event_type)
    )
    return [(source, event_type, int(n)) for source, event_type, n in rows.all()]
