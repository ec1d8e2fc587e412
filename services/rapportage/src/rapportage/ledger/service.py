"""The ledger: every valid event once (the shared inbox table, unique on source + id)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.events import Envelope, EventData
from integriteit_shared.events.models import EVENT_TYPES
from integriteit_shared.messaging.models import InboxMessage
from rapportage.projecties.service import bump_versie, projecteer, wis_projecties


async def on_event(session: AsyncSession, envelope: Envelope, event: EventData) -> None:
    """Called in the ledger insert's transaction for each new event.

    The consumer runner has already stored the event in the ledger; here the projections
    the annual indicators are served from are updated, in the same transaction. The
    version bump comes first: it takes the row lock a rebuild also takes, so a rebuild and
    a live event never interleave.
    """
    await bump_versie(session)
    await projecteer(session, envelope, event)


def envelope_uit_grootboek(row: InboxMessage) -> Envelope:
    return Envelope(
        id=row.event_id,
        source=row.source,
        type=row.event_type,
        time=row.time,
        subject=row.subject,
        data=json.loads(row.data),
    )


BATCH = 2000


async def herbereken(session: AsyncSession) -> int:
    """Truncate the projections and replay the ledger in (time, id) order; returns the count.

    Runs in the caller's transaction: readers see the old figures until it commits.
    """
    await bump_versie(session)
    await wis_projecties(session)
    n = 0
    after: tuple[datetime, int] | None = None
    while True:
        query = select(InboxMessage).order_by(InboxMessage.time, InboxMessage.id).limit(BATCH)
        if after is not None:
            t, i = after
            query = query.where(
                or_(InboxMessage.time > t, and_(InboxMessage.time == t, InboxMessage.id > i))
            )
        rows = (await session.scalars(query)).all()
        if not rows:
            return n
        for row in rows:
            env = envelope_uit_grootboek(row)
            event = EVENT_TYPES[env.type].model_validate(dict(env.data))
            await projecteer(session, env, event)
            n += 1
        after = (rows[-1].time, rows[-1].id)


async def counts_per_source_and_type(session: AsyncSession) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(InboxMessage.source, InboxMessage.event_type, func.count())
        .group_by(InboxMessage.source, InboxMessage.event_type)
        .order_by(InboxMessage.source, InboxMessage.event_type)
    )
    return [(source, event_type, int(n)) for source, event_type, n in rows.all()]
