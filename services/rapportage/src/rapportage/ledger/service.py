"""The ledger: every valid event once (the shared inbox table, unique on source + id)."""

from __future__ import annotations

import json

from sqlalchemy import DateTime, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.db.session import Database
from integriteit_shared.events import Envelope, EventData
from integriteit_shared.events.models import EVENT_TYPES
from integriteit_shared.messaging.models import InboxMessage
from rapportage.projecties.models import RapVersie
from rapportage.projecties.service import (
    PROJECTIE_VERSIE,
    bump_versie,
    feiten,
    herbouw_tellingen,
    projecteer,
    schrijf_feiten,
    versie_gebumpt,
    verwerk,
    wis_projecties,
)


async def on_event(session: AsyncSession, envelope: Envelope, event: EventData) -> None:
    """Called in the ledger insert's transaction for each new event.

    The consumer runner has already stored the event in the ledger; its facts are queued
    in the transaction and written with the counter changes they cause by `na_batch`, at
    the end of the same transaction. The version bump comes first: it takes the row lock a
    rebuild also takes, so a rebuild and a live event never interleave. A transaction that
    carries a batch of events bumps the version once, at its first event.
    """
    if not versie_gebumpt(session):
        await bump_versie(session)
    projecteer(session, envelope, event)


async def na_batch(session: AsyncSession) -> None:
    """End of a consumer transaction: the queued facts and their counters, in a few statements."""
    await verwerk(session)


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


async def herbereken(session: AsyncSession) -> int:
    """Empty the projections and replay the ledger in (time, id) order; returns the count.

    Runs in the caller's transaction: readers see the old figures until it commits. The
    ledger is read in one ordered pass and each batch's fact rows (the same `feiten` the
    consumer writes) are bulk-inserted; then every aggregate's counters are computed from
    its stored facts in one pass per kind.
    """
    await bump_versie(session)
    await wis_projecties(session)
    n = 0
    i = InboxMessage
    conn = await session.connection()
    # PostgreSQL returns aware datetimes itself: skip the column type's per-row conversion
    tijd = (
        type_coerce(i.time, DateTime(timezone=True))
        if conn.dialect.name == "postgresql"
        else i.time
    )
    query = (
        select(i.event_id, i.event_type, tijd, i.data)
        .order_by(i.time, i.id)
        .execution_options(yield_per=BATCH)
    )
    result = await conn.stream(query)
    async for part in result.partitions(BATCH):
        rows: list[object] = []
        for event_id, event_type, time, data in part:
            # the stored JSON straight into the event model (validated as at ingest)
            event = EVENT_TYPES[event_type].model_validate_json(data)
            rows += feiten(event_id, time, event)
            n += 1
        await schrijf_feiten(session, rows)
    await herbouw_tellingen(session)
    return n


async def bijwerken_bij_start(db: Database) -> int | None:
    """Rebuild when the stored projections predate the code's `PROJECTIE_VERSIE`.

    Returns the number of events replayed, or None when the projections were current.
    """
    async with db.transaction() as session:
        await bump_versie(session)  # the rebuild lock first: one replica rebuilds, others wait
        stand = await session.scalar(select(RapVersie.projectie).where(RapVersie.id == 1))
        if (stand or 0) >= PROJECTIE_VERSIE:
            return None
        return await herbereken(session)


async def counts_per_source_and_type(session: AsyncSession) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(InboxMessage.source, InboxMessage.event_type, func.count())
        .group_by(InboxMessage.source, InboxMessage.event_type)
        .order_by(InboxMessage.source, InboxMessage.event_type)
    )
    return [(source, event_type, int(n)) for source, event_type, n in rows.all()]
