from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import await_, greenlet_spawn


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # the driver's own implicit BEGIN (only before a write, after the reads) is switched
    # off: `_sqlite_begin` starts every transaction itself (SQLAlchemy's documented recipe)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# execution option: the transaction will write (SQLite: take the write lock at BEGIN)
_WRITES = "integriteit_writes"


def _sqlite_begin(conn: Any) -> None:
    """SQLite: a transaction that will write begins IMMEDIATE, taking the database's write
    lock before its first read. Two requests that read a row and then change it (a
    transition) are serialised, so the second reads the first one's result; with a
    deferred BEGIN both read the old state and both "win". Reads begin deferred and never
    wait for a writer (WAL). PostgreSQL locks the row instead (`load_for_change`)."""
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # each statement commits on its own; a BEGIN would hold a stale snapshot
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITES, False) else "BEGIN")


# PostgreSQL pool: the connections a service keeps open between bursts. SQLAlchemy's default
# (5) closes every connection beyond it on return, so a service serving a few dozen
# concurrent requests kept opening and closing connections (a TCP connect, authentication
# and type set-up each, measured at ~6% of the intake's CPU). Opened only when needed.
PG_POOL_SIZE = 20
PG_MAX_OVERFLOW = 20
# errors after which a connection (and probably its pool) is gone: a broken socket, a
# closed connection, class 08 (connection exception), class 57 (admin/crash shutdown)
_DISCONNECTED = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
)


# A connection back in the pool for less than this is handed out again without a ping.
PING_AFTER_IDLE_S = 1.0
_RETURNED_AT = "integriteit.returned_at"


def _returned(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _ping_postgresql(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Pool checkout: make sure a connection that sat idle still works before handing it out.

    Instead of `pool_pre_ping`, whose asyncpg ping is three round trips (BEGIN, query,
    ROLLBACK: for PgBouncer's transaction mode, which we do not use) on every checkout:
    one round trip, and only for a connection idle for PING_AFTER_IDLE_S or more (dropped
    by a failover or a network timeout while nobody used it). Under load every connection
    is back in use within milliseconds and the ping would be a PostgreSQL round trip (and a
    process switch each way) per request. A connection the server closed (a restart, a
    terminated backend) is known to asyncpg as closed and replaced without a ping. One
    that broke silently since its last use fails its next statement instead; that error
    invalidates the whole pool (see `Database`), so one request sees it, not one per
    pooled connection. DisconnectionError makes the pool throw the connection away and
    take (or open) another.
    """
    driver = dbapi_connection.driver_connection
    if driver.is_closed():  # the server closed it (restart, terminated): known without a ping
        raise DisconnectionError()
    if time.monotonic() - record.info.get(_RETURNED_AT, 0.0) < PING_AFTER_IDLE_S:
        return
    try:
        await_(driver.execute("SELECT 1"))
    except Exception as exc:
        raise DisconnectionError() from exc


class Database:
    """One async engine per service; `transaction()` is the unit of work."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {}
        if not self.is_sqlite:
            kwargs.update(pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW)
        kwargs.update(engine_kwargs)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        self.is_postgresql = self.engine.dialect.name == "postgresql"
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        elif self.is_postgresql and not kwargs.get("pool_pre_ping"):
            event.listen(self.engine.sync_engine, "checkin", _returned)
            event.listen(self.engine.sync_engine, "checkout", _ping_postgresql)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = self.sessionmaker
        if self.is_sqlite:
            self.sessionmaker = async_sessionmaker(
                self.engine.execution_options(**{_WRITES: True}), expire_on_commit=False
            )

    @asynccontextmanager
    async def driver_connection(self) -> AsyncIterator[Any]:
        """PostgreSQL only: a pooled connection as asyncpg itself, outside any transaction.

        For hot paths that are one statement (which then commits on its own, durably, before
        it returns) or that open their own short `conn.transaction()`: no ORM, no BEGIN and
        COMMIT round trips of their own, and the pool's checkout (with its ping) without an
        engine Connection around it. A connection that errored as gone, or that is somehow
        still inside a transaction, is thrown away instead of going back to the pool.
        """
        if not self.is_postgresql:
            raise RuntimeError("driver_connection is for PostgreSQL (asyncpg) only")
        pool = self.engine.sync_engine.pool
        fairy = await greenlet_spawn(pool.connect)
        driver: Any = fairy.driver_connection
        try:
            yield driver
        except _DISCONNECTED as exc:
            # like SQLAlchemy on a disconnect: the others may be gone too (a restart)
            await greenlet_spawn(fairy.invalidate, exc)
            await self.engine.dispose()
            raise
        finally:
            if fairy.is_valid and (driver.is_closed() or driver.is_in_transaction()):
                await greenlet_spawn(fairy.invalidate)
            await greenlet_spawn(fairy.close)

    @asynccontextmanager
    async def transaction(self, *, writes: bool = True) -> AsyncIterator[AsyncSession]:
        """Commit on success, roll back on any exception: nothing half-written.

        `writes=False` for a transaction that only reads (on SQLite it then does not take
        the write lock, so reads never queue behind writers)."""
        maker = self.sessionmaker if writes else self.read_sessionmaker
        async with maker() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
