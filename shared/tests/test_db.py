"""Database: the pool's ping of idle connections and the asyncpg fast path (PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from integriteit_dev.testing.databases import database_url_for_tests
from integriteit_shared.db import session as db_session
from integriteit_shared.db.session import Database

pytestmark = pytest.mark.skipif(
    database_url_for_tests() is None, reason="PostgreSQL only (TEST_DATABASE_URL)"
)


@pytest.fixture
async def db() -> AsyncIterator[Database]:
    server_url = database_url_for_tests()
    assert server_url is not None
    name = f"test_db_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        database = Database(make_url(server_url).set(database=name).render_as_string(False))
        try:
            async with database.driver_connection() as conn:
                await conn.execute("CREATE TABLE t (n int)")
            yield database
        finally:
            await database.dispose()
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def _backend_pid(db: Database) -> int:
    async with db.driver_connection() as conn:
        return int(await conn.fetchval("SELECT pg_backend_pid()"))


async def _terminate(db: Database, pid: int) -> None:
    """Kill a backend from outside the pool (as a restart or an administrator would)."""
    admin = create_async_engine(db.url, poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await admin.dispose()


def _break_silently(monkeypatch: pytest.MonkeyPatch, victim: asyncpg.Connection) -> None:
    """From now on `victim` fails like a socket that broke without asyncpg noticing (a
    network failure): it still says it is open, and using it raises ConnectionResetError."""

    def broken(method: Any) -> Any:
        async def call(self: asyncpg.Connection, *args: Any, **kwargs: Any) -> Any:
            if self is victim:
                raise ConnectionResetError("connection reset by peer")
            return await method(self, *args, **kwargs)

        return call

    for name in ("execute", "fetchval"):
        monkeypatch.setattr(asyncpg.Connection, name, broken(getattr(asyncpg.Connection, name)))


async def _pooled(db: Database) -> tuple[asyncpg.Connection, int]:
    async with db.driver_connection() as conn:
        return conn, int(await conn.fetchval("SELECT pg_backend_pid()"))


async def test_a_statement_on_the_driver_connection_commits_by_itself(db: Database) -> None:
    async with db.driver_connection() as conn:
        await conn.execute("INSERT INTO t VALUES (1)")
    async with db.transaction() as s:  # another connection sees it: committed
        assert (await s.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1


async def test_a_connection_left_in_a_transaction_is_not_reused(db: Database) -> None:
    async with db.driver_connection() as conn:
        pid = await conn.fetchval("SELECT pg_backend_pid()")
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO t VALUES (1)")
    # thrown away (its open transaction rolled back by the server), not handed out again
    assert await _backend_pid(db) != pid
    async with db.transaction() as s:
        assert (await s.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_a_connection_the_server_closed_is_replaced_without_an_error(db: Database) -> None:
    pid = await _backend_pid(db)
    await _terminate(db, pid)  # a restart while the connection sat in the pool
    await asyncio.sleep(0.2)  # the server's goodbye reaches the idle connection
    async with db.transaction() as s:  # the ORM path checks out through the same pool
        assert (await s.execute(text("SELECT 1"))).scalar_one() == 1
    assert await _backend_pid(db) != pid


async def test_an_idle_connection_that_broke_silently_is_pinged_and_replaced(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn, pid = await _pooled(db)
    _break_silently(monkeypatch, conn)
    monkeypatch.setattr(db_session, "PING_AFTER_IDLE_S", 0.0)  # it has been idle "long"
    assert await _backend_pid(db) != pid  # the ping failed: thrown away, another one used


async def test_a_connection_that_broke_while_in_use_fails_once_and_the_pool_is_renewed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn, pid = await _pooled(db)  # returned just now: its next checkout has no ping
    others = await asyncio.gather(*(_hold(db) for _ in range(3)))  # more in the pool
    _break_silently(monkeypatch, conn)
    with pytest.raises(ConnectionResetError):
        await _backend_pid(db)
    # every connection of the old pool is gone (a restart would have broken them all)
    assert await _backend_pid(db) not in {pid, *others}


async def _hold(db: Database) -> int:
    async with db.driver_connection() as conn:
        pid = int(await conn.fetchval("SELECT pg_backend_pid()"))
        await asyncio.sleep(0.05)
        return pid
