"""More than one of everything, on PostgreSQL and the real broker (ARCHITECTURE.md, scaling).

Two meldpunt processes share one database, and requests alternate between them, so a
melding's steps leave through two relays. Two rapportage processes form one consumer group
over the three partitions of each topic. Shown from the outside:

- every event is counted once (`/afstemming` equals meldpunt's outbox);
- the figures equal those of a single rapportage process that read the same topics on its
  own, so no step projected out of order changed a figure;
- both replicas answer the same ETag and body;
- kill -9 of one rapportage replica mid-stream hands its partitions to the other, and the
  figures still equal the single-process run.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from integriteit_dev.broker import DevBroker
from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.processes import ServiceProcess
from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.messaging.models import OutboxMessage

ADVISEUR = "coid_adviseur"
CATEGORIEEN = [
    ("CLSK", "ongewenst_gedrag", "pesten"),
    ("CLAS", "ongewenst_gedrag", "intimidatie"),
    ("CZSK", "zakelijke_integriteit", "misbruik_positie"),
    ("DOSCO", "overig", "arbeidsconflict"),
]
# Each melding's steps, in order, each sent to the other meldpunt than the step before.
STAPPEN: list[tuple[str, dict[str, Any]]] = [
    ("ontvangstbevestiging", {}),
    ("afdoening", {"afdoening": "gespreksbegeleiding"}),
    ("terugkoppeling", {}),
    ("afronding", {"conclusie": "geen_schending"}),
]
JAAR = datetime.now(UTC).year


@dataclass
class Cluster:
    tokens: TokenFactory
    meldpunt_db: str
    rapportage_db: str
    meldpunten: list[ServiceProcess]
    rapportages: list[ServiceProcess]
    make: Any  # (service, database_url, **env) -> ServiceProcess, started
    failures: list[str] = field(default_factory=list)
    _turn: Iterator[int] = field(default_factory=lambda: itertools.cycle((0, 1)))

    def next_meldpunt(self) -> ServiceProcess:
        return self.meldpunten[next(self._turn)]

    async def handle(self, client: httpx.AsyncClient, n: int, steps: int) -> None:
        """One melding: intake and `steps` steps, alternating between the replicas."""
        onderdeel, hoofd, sub = CATEGORIEEN[n % len(CATEGORIEEN)]
        body = {
            "kanaal": "mid",
            "defensieonderdeel": onderdeel,
            "hoofdcategorie": hoofd,
            "subcategorie": sub,
            "omschrijving": f"Melding {n} voor de replicatest.",
            "anoniem": True,
        }
        headers = self.tokens.headers(ADVISEUR)
        r = await client.post(
            f"{self.next_meldpunt().url}/api/meldpunt/v1/meldingen", json=body, headers=headers
        )
        if r.status_code != 201:
            self.failures.append(f"intake {r.status_code}")
            return
        melding = r.json()["id"]
        for stap, stap_body in STAPPEN[:steps]:
            url = f"{self.next_meldpunt().url}/api/meldpunt/v1/meldingen/{melding}/{stap}"
            r = await client.post(url, json=stap_body, headers=headers)
            if r.status_code != 200:
                self.failures.append(f"{stap} {r.status_code}: {r.text[:200]}")
                return

    async def load(self, meldingen: int, *, start: int = 0) -> None:
        """`meldingen` cases handled side by side, some only partly, as in real work."""
        limits = httpx.Limits(max_connections=8)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            await asyncio.gather(
                *(
                    self.handle(client, n, n % (len(STAPPEN) + 1))
                    for n in range(start, start + meldingen)
                )
            )

    async def outbox_count(self) -> int:
        engine = create_async_engine(self.meldpunt_db)
        try:
            async with engine.connect() as conn:
                return int(await conn.scalar(select(func.count()).select_from(OutboxMessage)) or 0)
        finally:
            await engine.dispose()

    async def counted(self, rapportage: ServiceProcess) -> int:
        """Meldpunt events in rapportage's ledger (-1 while it does not answer)."""
        try:
            async with httpx.AsyncClient(base_url=rapportage.url, timeout=5) as c:
                r = await c.get(
                    "/api/rapportage/v1/afstemming", headers=self.tokens.headers("beheerder")
                )
        except httpx.HTTPError:
            return -1
        if r.status_code != 200:
            return -1
        return sum(
            row["aantal"]
            for row in r.json()["perBronEnType"]
            if row["source"] == "urn:nld:integriteit:systeem:meldpunt"
        )

    async def settled(self, rapportage: ServiceProcess) -> None:
        expected = await self.outbox_count()

        async def equal() -> bool:
            return await self.counted(rapportage) == expected

        try:
            await eventually(equal, within=120, interval=0.5)
        except AssertionError:
            raise AssertionError(
                f"outbox={expected} ledger={await self.counted(rapportage)}"
            ) from None

    async def figures(self, rapportage: ServiceProcess) -> tuple[str, Any, Any]:
        """(ETag, annual report, indicators) for this year, as a dashboard reads them."""
        headers = self.tokens.headers("rapportage_lezer")
        async with httpx.AsyncClient(base_url=rapportage.url, timeout=10) as c:
            report = await c.get(f"/api/rapportage/v1/jaarverslagen/{JAAR}", headers=headers)
            indicators = await c.get(f"/api/rapportage/v1/indicatoren?jaar={JAAR}", headers=headers)
        assert report.status_code == 200, report.text
        assert indicators.status_code == 200, indicators.text
        return report.headers["etag"], report.json(), indicators.json()


@pytest.fixture
async def cluster(
    databases: TestDatabases,
    dev_keys: DevKeys,
    broker: DevBroker,
    tokens: TokenFactory,
    tmp_path: Path,
) -> AsyncIterator[Cluster]:
    if not databases.is_postgres:
        pytest.skip("replicas share a PostgreSQL database (TEST_DATABASE_URL)")
    assert dev_keys.jwks_path is not None
    started: list[ServiceProcess] = []
    counter = itertools.count()

    async def make(service: str, database_url: str, **env: str) -> ServiceProcess:
        prefix = f"{service.upper()}_"
        p = ServiceProcess(
            service,
            database_url=database_url,
            bootstrap=broker.bootstrap,
            jwks_file=dev_keys.jwks_path,
            data_dir=tmp_path,
            log_file=tmp_path / f"{service}-{next(counter)}.log",
            extra_env={prefix + k: v for k, v in env.items()},
        )
        await asyncio.to_thread(p.start)
        started.append(p)
        return p

    meldpunt_db = await databases.create("meldpunt")
    rapportage_db = await databases.create("rapportage")
    meldpunten = [await make("meldpunt", meldpunt_db) for _ in range(2)]
    rapportages = [await make("rapportage", rapportage_db) for _ in range(2)]
    try:
        yield Cluster(tokens, meldpunt_db, rapportage_db, meldpunten, rapportages, make)
    finally:
        for p in started:
            await asyncio.to_thread(p.stop)


async def single_process_figures(cluster: Cluster, databases: TestDatabases) -> Any:
    """The same topics read by one rapportage process alone (its own group and database)."""
    alone = await cluster.make(
        "rapportage", await databases.create("rapportage"), CONSUMER_GROUP="rapportage-alleen"
    )
    await cluster.settled(alone)
    return await cluster.figures(alone)


async def test_two_of_each_count_every_event_once_and_agree_with_one(
    cluster: Cluster, databases: TestDatabases
) -> None:
    await cluster.load(60)
    assert cluster.failures == []
    for r in cluster.rapportages:
        await cluster.settled(r)

    etag_a, report_a, indicators_a = await cluster.figures(cluster.rapportages[0])
    etag_b, report_b, indicators_b = await cluster.figures(cluster.rapportages[1])
    assert (etag_a, report_a, indicators_a) == (etag_b, report_b, indicators_b)
    assert report_a["meldingen"]["hrhd"][str(JAAR)] == 60  # each intake once

    _, report_one, indicators_one = await single_process_figures(cluster, databases)
    assert report_one == report_a
    assert indicators_one == indicators_a


async def test_kill_9_of_a_rapportage_replica_hands_its_partitions_to_the_other(
    cluster: Cluster, databases: TestDatabases
) -> None:
    survivor, victim = cluster.rapportages

    async def chaos() -> None:
        await asyncio.sleep(1.5)
        await asyncio.to_thread(victim.kill)  # mid-stream: its offsets not committed

    await asyncio.gather(cluster.load(80), chaos())
    assert cluster.failures == []
    await cluster.settled(survivor)
    _, report, _ = await cluster.figures(survivor)
    assert report["meldingen"]["hrhd"][str(JAAR)] == 80

    _, report, indicators = await cluster.figures(survivor)
    _, report_one, indicators_one = await single_process_figures(cluster, databases)
    assert report == report_one
    assert indicators == indicators_one
