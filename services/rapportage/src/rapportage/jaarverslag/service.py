"""Render the annual report from the projections, cached per (jaar, peildatum, data version).

The figures per onderdeel are as of `uitsplitsingsdatum` (a month end for a running year),
which is part of every key: it moves on when a month has passed, without a new event.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import io
import json
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from integriteit_shared.db.session import Database
from integriteit_shared.kalender import vandaag
from integriteit_shared.onderdrukking import uitsplitsingsdatum
from rapportage.jaarverslag.indicatoren import Jaarverslag, Tellingen, laad
from rapportage.projecties.models import RapVersie
from rapportage.projecties.service import LokaleVersie


@dataclass(frozen=True)
class Weergave:
    body: bytes
    etag: str


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


Json = dict[str, object]


def render_json(body: Json) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _is_series(node: dict[str, object]) -> bool:
    return bool(node) and all(len(k) == 4 and k.isdigit() for k in node)


def _rows(prefix: str, node: object, jaar: int) -> list[tuple[str, int, object]]:
    if isinstance(node, dict):
        if _is_series(node):
            return [(prefix, int(y), v) for y, v in node.items()]
        if set(node) == {"waarde", "onderdrukt"}:
            return [(prefix, jaar, node["waarde"])]
        out: list[tuple[str, int, object]] = []
        for k, v in node.items():
            out += _rows(f"{prefix}.{k}", v, jaar)
        return out
    if isinstance(node, list):
        return [(f"{prefix}.{item['subcategorie']}", jaar, item["aantal"]) for item in node]
    return [(prefix, jaar, node)]


def render_csv(body: Json) -> bytes:
    """Flat `indicator,jaar,waarde`: one row per series point, dotted indicator names."""
    jaar = body["jaar"]
    assert isinstance(jaar, int)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["indicator", "jaar", "waarde"])
    for key, value in body.items():
        if key in ("jaar", "peildatum", "jaren"):
            continue
        for indicator, y, v in _rows(key, value, jaar):
            w.writerow([indicator, y, "" if v is None else v])
    return buf.getvalue().encode()


async def versie(session: AsyncSession) -> int:
    return int(await session.scalar(select(RapVersie.versie).where(RapVersie.id == 1)) or 0)


class JaarverslagCache:
    """Rendered bodies per (jaar, peildatum, versie, formaat); a new event bumps the version."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, date, date, int, str], Weergave] = OrderedDict()

    def get(self, key: tuple[int, date, date, int, str]) -> Weergave | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: tuple[int, date, date, int, str], item: Weergave) -> None:
        self._items[key] = item
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


_VERSIE = select(RapVersie.versie).where(RapVersie.id == 1)


class VersionWatcher:
    """The data version, read from the database at most once per `ttl_s`.

    A commit in this process that bumps the version (consumer, rebuild endpoint) makes the
    next reader look again at once; a change by another process (`python -m
    rapportage.rebuild`, a second replica) is seen within `ttl_s`. Concurrent readers share
    one query.

    The query runs in a task of its own (a reader that goes away does not cancel the read
    the others wait for) on a connection kept for it between reads, in autocommit: one
    round trip instead of a pool checkout with its liveness check, BEGIN and ROLLBACK, at
    about a fifth of the CPU. A read that fails drops that connection and is tried once
    more on a fresh one from the pool, so a restarted database costs no error. `close()`
    gives the connection back (at shutdown).
    """

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._version: int | None = None
        self._generation = -1
        self._read_at = 0.0
        self._reading: asyncio.Task[int] | None = None
        self._connection: AsyncConnection | None = None
        self._engine: AsyncEngine | None = None

    def _fresh(self) -> bool:
        return (
            self._version is not None
            and self._generation == LokaleVersie.generatie
            and time.monotonic() - self._read_at < self.ttl_s
        )

    def remember(self, version: int, generation: int, read_at: float) -> None:
        if read_at >= self._read_at:
            self._version, self._generation, self._read_at = version, generation, read_at

    async def current(self, db: Database) -> int:
        if self._fresh():
            assert self._version is not None
            return self._version
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._read(db))
            # retrieved: no "never retrieved" warning when every reader went away
            self._reading.add_done_callback(lambda t: t.cancelled() or t.exception())
        return await asyncio.shield(self._reading)

    async def _read(self, db: Database) -> int:
        try:
            generation, read_at = LokaleVersie.generatie, time.monotonic()
            for attempt in range(2):
                conn = await self._connection_for(db)
                try:
                    v = int(await conn.scalar(_VERSIE) or 0)
                except Exception:
                    await self._drop(conn)
                    if attempt:
                        raise
                    continue
                self.remember(v, generation, read_at)
                return v
            raise AssertionError("unreachable")
        finally:
            self._reading = None

    async def _connection_for(self, db: Database) -> AsyncConnection:
        if self._connection is not None and self._engine is db.engine:
            return self._connection
        await self._close_connection()
        conn = await db.engine.connect()
        try:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
        except BaseException:
            await conn.close()
            raise
        self._connection, self._engine = conn, db.engine
        return conn

    async def _drop(self, conn: AsyncConnection) -> None:
        self._connection = None
        with contextlib.suppress(Exception):
            await conn.invalidate()
        with contextlib.suppress(Exception):
            await conn.close()

    async def close(self) -> None:
        """Wait for a read under way, then give the connection back."""
        if self._reading is not None:
            await asyncio.wait([self._reading])
        await self._close_connection()

    async def _close_connection(self) -> None:
        conn, self._connection = self._connection, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()


@asynccontextmanager
async def momentopname(db: Database) -> AsyncIterator[AsyncSession]:
    """A read-only transaction; on PostgreSQL one snapshot for all its queries.

    The report joins many fact tables; under READ COMMITTED each query would see the
    commits made since the previous one (a melding without its category). PostgreSQL gets
    REPEATABLE READ. On SQLite every transaction begins with an explicit BEGIN (see
    `Database`), a deferred one here, which gives the same: one snapshot (WAL) for every
    read, and no wait for writers.
    """
    async with db.read_sessionmaker() as session:
        if db.is_sqlite:
            await session.connection()
        else:
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            await session.rollback()


def _bereken(
    tellingen: Tellingen, jaar: int, drempel: int, formaat: str, uitsplitsing: Tellingen
) -> bytes:
    body = Jaarverslag(tellingen, jaar, drempel, uitsplitsing).body()
    return render_csv(body) if formaat == "csv" else render_json(body)


class Weergaven:
    """One render at a time per (jaar, peildatum, formaat); concurrent readers share it.

    A reader that finds a render of its key under way waits for it and takes its result
    when that render saw at least the data version the reader saw (else it renders anew,
    again shared). So a burst of readers after a change costs one render, not one each,
    and no reader ever gets a body older than the version it observed.
    """

    def __init__(self) -> None:
        self._bezig: dict[tuple[int, date, date, str], asyncio.Future[tuple[int, Weergave]]] = {}

    async def gedeeld(
        self,
        key: tuple[int, date, date, str],
        minimaal: int,
        render: Callable[[], Awaitable[tuple[int, Weergave]]],
    ) -> Weergave:
        while True:
            fut = self._bezig.get(key)
            if fut is None:
                break
            try:
                v, item = await asyncio.shield(fut)
            except asyncio.CancelledError:
                if fut.cancelled():  # that render's request went away: render here
                    continue
                raise
            if v >= minimaal:
                return item
        fut = asyncio.get_running_loop().create_future()
        self._bezig[key] = fut
        try:
            result = await render()
            fut.set_result(result)
            return result[1]
        except asyncio.CancelledError:
            fut.cancel()
            raise
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            if self._bezig.get(key) is fut:
                del self._bezig[key]


async def jaarverslag(
    db: Database,
    cache: JaarverslagCache,
    version_watcher: VersionWatcher,
    *,
    jaar: int,
    peildatum: date,
    formaat: str,
    drempel: int,
    weergaven: Weergaven | None = None,
) -> Weergave:
    """Served from memory while the data version is unchanged; else computed on a snapshot.

    The facts are read on the event loop; the indicators are computed and rendered in a
    worker thread, so the consumer and other requests keep running meanwhile.
    """
    v = await version_watcher.current(db)
    per_onderdeel = uitsplitsingsdatum(jaar, peildatum, vandaag())
    hit = cache.get((jaar, peildatum, per_onderdeel, v, formaat))
    if hit is not None:
        return hit

    async def render() -> tuple[int, Weergave]:
        async with momentopname(db) as session:
            gezien = await versie(session)
            key = (jaar, peildatum, per_onderdeel, gezien, formaat)
            hit = cache.get(key)
            if hit is not None:
                return gezien, hit
            feiten = await laad(session, peildatum)
            uitsplitsing = (
                feiten if per_onderdeel == peildatum else await laad(session, per_onderdeel)
            )
            stabiel = not db.is_sqlite or await versie(session) == gezien
        data = await asyncio.to_thread(_bereken, feiten, jaar, drempel, formaat, uitsplitsing)
        item = Weergave(body=data, etag=etag_of(data))
        if stabiel:  # only cache what belongs to one version
            cache.put(key, item)
        return gezien, item

    if weergaven is None:
        return (await render())[1]
    return await weergaven.gedeeld((jaar, peildatum, per_onderdeel, formaat), v, render)


async def indicatoren(
    db: Database,
    *,
    jaar: int,
    peildatum: date,
    onderdelen: list[str],
    drempel: int,
) -> list[Json]:
    """The figures per onderdeel as of `uitsplitsingsdatum` (docs/privacy.md)."""
    per_onderdeel = uitsplitsingsdatum(jaar, peildatum, vandaag())
    async with momentopname(db) as session:
        tellingen = await laad(session, per_onderdeel)
    return Jaarverslag(tellingen, jaar, drempel).indicatoren(onderdelen)
