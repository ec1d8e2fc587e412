"""A full rebuild of the projections from the ledger, in one pass grouped by aggregate.

The ledger is read ordered by `coalesce(subject, event_id)`, so that each aggregate's events
arrive together (see `projecties.service.Herbouw`), and cut into batches of whole groups.
Each batch gives its fact rows and counter deltas (`project_batch`); the rows are stored
with COPY in the caller's transaction, gathered per table over several batches (`Opslag`)
so that a table with few rows per batch is not one round trip per batch, and the deltas are
summed into the counters at the end.

On PostgreSQL the batches can be worked out by worker processes, each reading its own share
of the groups (by a hash of the group) in the caller's snapshot, so that a rebuild uses
every core while this process stores their results.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import queue
import traceback
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

import asyncpg
from sqlalchemy import DateTime, Integer, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from integriteit_shared.messaging.models import InboxMessage
from rapportage.projecties.service import (
    Herbouw,
    ProjectedBatch,
    Regel,
    Rij,
    Tabelrijen,
    bump_versie,
    project_batch,
    schrijf_tabellen,
    wis_projecties,
)

BATCH = 5000
WACHT_S = 1.0  # how often the collecting process looks whether a worker died
OPSLAG_RIJEN = 5_000  # fact rows of one table gathered before they are stored (bounds memory)


class Opslag:
    """Fact rows of a rebuild's batches, stored per table once `OPSLAG_RIJEN` have come."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rijen: defaultdict[str, list[Rij]] = defaultdict(list)

    async def voeg_toe(self, feiten: Tabelrijen) -> None:
        for naam, rows in feiten.items():
            rijen = self.rijen[naam]
            rijen.extend(rows)
            if len(rijen) >= OPSLAG_RIJEN:
                await schrijf_tabellen(self.session, {naam: rijen})
                del self.rijen[naam]

    async def leeg(self) -> None:
        """Store what is left."""
        await schrijf_tabellen(self.session, self.rijen)
        self.rijen.clear()


async def herbereken(session: AsyncSession, *, werkers: int = 0) -> int:
    """Empty the projections and replay the whole ledger; returns the number of events.

    Runs in the caller's transaction: readers see the old figures until it commits. With
    `werkers` > 1 on PostgreSQL, that many forked processes work out the batches.
    """
    await bump_versie(session)
    await wis_projecties(session)
    conn = await session.connection()
    herbouw = Herbouw()
    opslag = Opslag(session)
    if conn.dialect.name == "postgresql" and werkers > 1:
        n = await _met_werkers(conn, herbouw, opslag, werkers)
    else:
        n = 0
        result = await conn.stream(_query(conn).execution_options(yield_per=BATCH))
        async for regels in _partijen(result.partitions(BATCH)):
            batch = project_batch(regels)
            await opslag.voeg_toe(batch.feiten)
            herbouw.merge(batch)
            n += batch.gebeurtenissen
    await opslag.leeg()  # every fact stored before `finish` reads some back
    await herbouw.finish(session)
    return n


def _query(conn: AsyncConnection, *, deel: int = 0, delen: int = 1) -> Any:
    i = InboxMessage
    pg = conn.dialect.name == "postgresql"
    # PostgreSQL returns aware datetimes itself: skip the column type's per-row conversion
    # the ledger moment: what the live projection registers a fact at (`projecteer`)
    tijd = type_coerce(i.received_at, DateTime(timezone=True)) if pg else i.received_at
    groep = func.coalesce(i.subject, i.event_id)
    query = select(groep, i.event_id, i.event_type, tijd, i.data)
    if delen > 1:  # a worker's share: the groups whose hash falls to it
        query = query.where(
            type_coerce(func.hashtext(groep), Integer).op("&")(0x7FFFFFFF) % delen == deel
        )
    # grouping needs equal values together, not a language's order: bytes are fastest
    return query.order_by(groep.collate("C") if pg else groep, i.received_at, i.id)


async def _partijen(delen: AsyncIterator[Iterable[Any]]) -> AsyncIterator[list[Regel]]:
    """Batches of ledger rows ordered by group, re-cut so that no group spans two."""
    rest: list[Regel] = []
    async for deel in delen:
        regels: list[Regel] = rest + [tuple(r) for r in deel]
        if not regels:
            continue
        laatste, cut = regels[-1][0], len(regels)
        while cut > 0 and regels[cut - 1][0] == laatste:
            cut -= 1
        rest = regels[cut:]
        if cut:
            yield regels[:cut]
    if rest:
        yield rest


# --- worker processes (PostgreSQL) -------------------------------------------------------------


async def _met_werkers(
    conn: AsyncConnection, herbouw: Herbouw, opslag: Opslag, werkers: int
) -> int:
    # the workers read the ledger as this transaction sees it
    snapshot = (await conn.exec_driver_sql("SELECT pg_export_snapshot()")).scalar_one()
    dsn = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("fork")  # the code is loaded already: start at once
    uit: Any = ctx.Queue(maxsize=2 * werkers)
    procs = []
    for deel in range(werkers):
        sql = str(
            _query(conn, deel=deel, delen=werkers).compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True}
            )
        )
        procs.append(ctx.Process(target=_werker, args=(dsn, snapshot, sql, uit), daemon=True))
    loop = asyncio.get_running_loop()
    n = klaar = 0
    try:
        for p in procs:
            p.start()
        while klaar < werkers:
            try:
                item = await loop.run_in_executor(None, uit.get, True, WACHT_S)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise RuntimeError("herberekening: een werkproces stopte onverwacht") from None
                continue
            if item is None:
                klaar += 1
            elif isinstance(item, str):
                raise RuntimeError(f"herberekening: een werkproces faalde:\n{item}")
            else:
                await opslag.voeg_toe(item.feiten)
                herbouw.merge(item)
                n += item.gebeurtenissen
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join(5)
        uit.close()
    return n


def _werker(dsn: str, snapshot: str, sql: str, uit: Any) -> None:
    """A worker process: its share of the ledger, as batches of results on `uit`."""
    try:
        asyncio.run(_werk(dsn, snapshot, sql, uit))
        uit.put(None)
    except BaseException:
        uit.put(traceback.format_exc())


async def _werk(dsn: str, snapshot: str, sql: str, uit: Any) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            await conn.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            cursor = await conn.cursor(sql)

            async def delen() -> AsyncIterator[list[Any]]:
                while deel := await cursor.fetch(BATCH):
                    yield deel

            async for regels in _partijen(delen()):
                batch: ProjectedBatch = project_batch(regels)
                uit.put(batch)
    finally:
        with contextlib.suppress(Exception):
            await conn.close()
