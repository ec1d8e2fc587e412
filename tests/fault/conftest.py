"""Fault tests: the services as real processes that get killed, with a real broker."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.events.models import AuditKetenkop
from integriteit_shared.messaging.models import OutboxMessage

CATEGORIEEN = [
    ("ongewenst_gedrag", "pesten"),
    ("ongewenst_gedrag", "intimidatie"),
    ("zakelijke_integriteit", "misbruik_positie"),
    ("overig", "arbeidsconflict"),
]


@dataclass
class Stack:
    broker: DevBroker
    meldpunt: ServiceProcess
    rapportage: ServiceProcess
    meldpunt_db: str
    tokens: TokenFactory
    created: list[str] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)

    async def outbox_count(self) -> int:
        engine = create_async_engine(self.meldpunt_db)
        try:
            async with engine.connect() as conn:
                # the intake's events only, not the audit chain's anchors
                query = (
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.event_type != AuditKetenkop.event_type)
                )
                return int(await conn.scalar(query) or 0)
        finally:
            await engine.dispose()

    async def last_sequence(self) -> int:
        """The highest sequence number meldpunt gave, anchors of its audit chain included."""
        engine = create_async_engine(self.meldpunt_db)
        try:
            async with engine.connect() as conn:
                query = select(func.max(OutboxMessage.sequence))
                return int(await conn.scalar(query) or 0)
        finally:
            await engine.dispose()

    async def ledger_count(self) -> int:
        headers = self.tokens.headers("beheerder")
        try:
            async with httpx.AsyncClient(base_url=self.rapportage.url, timeout=5) as c:
                r = await c.get("/api/rapportage/v1/afstemming", headers=headers)
        except httpx.HTTPError:
            return -1
        if r.status_code != 200:
            return -1
        return sum(
            row["aantal"]
            for row in r.json()["perBronEnType"]
            if row["source"] == "urn:nld:integriteit:systeem:meldpunt"
            and row["type"] != AuditKetenkop.event_type
        )

    async def intake(self, client: httpx.AsyncClient, n: int) -> None:
        hoofd, sub = CATEGORIEEN[n % len(CATEGORIEEN)]
        body = {
            "kanaal": "mid",
            "defensieonderdeel": "CLSK",
            "hoofdcategorie": hoofd,
            "subcategorie": sub,
            "omschrijving": f"Testmelding nummer {n} voor de storingsproef.",
            "anoniem": False,
        }
        try:
            r = await client.post(
                "/api/meldpunt/v1/meldingen",
                json=body,
                headers=self.tokens.headers("coid_adviseur"),
            )
        except httpx.HTTPError:
            self.failures.append(-1)
            return
        if r.status_code == 201:
            self.created.append(r.json()["id"])
        else:
            self.failures.append(r.status_code)

    async def load(self, *, rate_per_s: float, seconds: float) -> None:
        """Open-loop load: one intake every 1/rate seconds, whatever the answers take."""
        counter = itertools.count()
        tasks: list[asyncio.Task[None]] = []
        async with httpx.AsyncClient(base_url=self.meldpunt.url, timeout=30) as client:
            loop = asyncio.get_running_loop()
            end = loop.time() + seconds
            while loop.time() < end:
                tasks.append(asyncio.create_task(self.intake(client, next(counter))))
                await asyncio.sleep(1 / rate_per_s)
            await asyncio.gather(*tasks)


@pytest.fixture
async def stack(
    databases: TestDatabases,
    dev_keys: DevKeys,
    broker: DevBroker,
    tokens: TokenFactory,
    tmp_path: Path,
) -> AsyncIterator[Stack]:
    assert dev_keys.jwks_path is not None
    meldpunt_db = await databases.create("meldpunt")
    processes = {
        name: ServiceProcess(
            name,
            database_url=url,
            bootstrap=broker.bootstrap,
            jwks_file=dev_keys.jwks_path,
            data_dir=tmp_path,
            log_file=tmp_path / f"{name}.log",
        )
        for name, url in (
            ("meldpunt", meldpunt_db),
            ("rapportage", await databases.create("rapportage")),
        )
    }
    for p in processes.values():
        await asyncio.to_thread(p.start)
    s = Stack(broker, processes["meldpunt"], processes["rapportage"], meldpunt_db, tokens)
    try:
        yield s
    finally:
        for p in processes.values():
            await asyncio.to_thread(p.stop)
