"""The ledger: every valid event once (the shared inbox table, unique on source + id)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.events import Envelope, EventData
from integriteit_shared.messaging.models import InboxMessage


async def on_event(session: AsyncSession, envelope: Envelope, event: EventData) -> None:
    """Called in the ledger insert's transaction for each new event.

    The consumer runner has already stored the event in the ledger; projections that
    the annual indicators are served from hook in here.
    """


async def counts_per_source_and_type(session: AsyncSession) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(InboxMessage.source, InboxMessage.event_type, func.count())
        .group_by(InboxMessage.source, InboxMessage.event_type)
        .order_by(InboxMessage.source, InboxMessage.event_type)
    )
    return [(source, event_type, int(n)) for source, event_type, n in rows.all()]
