"""The ledger: every valid event once (the shared inbox table, unique on source + id)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.db.session import Database
from integriteit_shared.events import Envelope, EventData
from integriteit_shared.messaging.models import InboxMessage
from rapportage.ledger.herbouw import herbereken
from rapportage.projecties.models import RapVersie
from rapportage.projecties.service import (
    PROJECTIE_VERSIE,
    bump_versie,
    flush_facts,
    projecteer,
    versie_gebumpt,
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
    await flush_facts(session)


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
