"""VersieWachter: the report's data version, read on a connection kept for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from integriteit_dev.testing.databases import TestDatabases
from integriteit_shared.db.session import Database
from rapportage.jaarverslag.service import VersieWachter
from rapportage.projecties.service import bump_versie


@pytest.fixture
async def db(databases: TestDatabases) -> AsyncIterator[Database]:
    database = Database(await databases.create("rapportage"))
    try:
        yield database
    finally:
        await database.dispose()


async def _bump(db: Database) -> None:
    async with db.transaction() as s:
        await bump_versie(s)


async def test_reads_on_one_kept_connection_and_sees_other_commits(db: Database) -> None:
    wachter = VersieWachter(ttl_s=0)  # no caching: every call reads
    v = await wachter.huidig(db)
    await _bump(db)
    assert await wachter.huidig(db) == v + 1
    await _bump(db)
    assert await wachter.huidig(db) == v + 2
    assert db.engine.pool.checkedout() == 1  # its own connection, kept between reads
    await wachter.sluit()
    assert db.engine.pool.checkedout() == 0


async def test_a_lost_connection_costs_no_error(db: Database) -> None:
    wachter = VersieWachter(ttl_s=0)
    v = await wachter.huidig(db)
    # the database closes the connection (restart, idle timeout): the next read reconnects
    conn = wachter._verbinding
    assert conn is not None
    raw = await conn.get_raw_connection()
    await raw.driver_connection.close()
    await _bump(db)
    assert await wachter.huidig(db) == v + 1
    assert wachter._verbinding is not conn
    await wachter.sluit()
    assert db.engine.pool.checkedout() == 0


async def test_a_reader_that_goes_away_does_not_cancel_the_shared_read(db: Database) -> None:
    wachter = VersieWachter(ttl_s=0)
    v = await wachter.huidig(db)
    first = asyncio.create_task(wachter.huidig(db))
    second = asyncio.create_task(wachter.huidig(db))
    await asyncio.sleep(0)  # both wait for the same read now
    first.cancel()
    assert await second == v
    with pytest.raises(asyncio.CancelledError):
        await first
    await wachter.sluit()
