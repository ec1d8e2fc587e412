"""Twenty identical transitions sent at once to one object: one wins, nineteen get 409.

A double click in a frontend or a retry by a proxy sends the same step twice. Every
transition route of every service is tried here on SQLite and on PostgreSQL: exactly one
request answers 200, the others 409 problem+json naming the allowed actions, and exactly
one event of the step reaches the topic. So are the routes that record something once
without a transition: a nazorg check-in (one 201, one contact done, one event), a legal
hold on a melding or klacht and its lifting (one 201 or 204, one row placed or removed,
one audit entry, no event).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

import pytest
from sqlalchemy import func, select

from integriteit_dev.testing.databases import TestDatabases
from integriteit_dev.testing.kafka import read_topic
from integriteit_dev.testing.plugin import eventually
from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.bewaartermijnen import Bewaarplicht
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.events import models as ev
from integriteit_shared.events import topics
from integriteit_shared.kalender import vandaag
from integriteit_shared.messaging.models import OutboxMessage
from meldpunt.nazorg.models import NazorgContact

GELIJKTIJDIG = 20

ADVISEUR = ("coid_adviseur",)
ONDERZOEKER = ("coid_onderzoeker",)
KLACHTBEHANDELAAR = ("klachtbehandelaar",)
COG = ("cog_secretaris",)
VERTROUWENSPERSOON = ("vertrouwenspersoon",)
CVP = ("cvp",)

MELDING = {
    "kanaal": "mid",
    "defensieonderdeel": "CLSK",
    "hoofdcategorie": "ongewenst_gedrag",
    "subcategorie": "pesten",
    "omschrijving": "Melding voor de gelijktijdigheidstest.",
    "anoniem": False,
}
KLACHT = {
    "soort": "ongewenst_gedrag",
    "indiener": "medewerker",
    "defensieonderdeel": "CLSK",
    "omschrijving": "Klacht voor de gelijktijdigheidstest.",
    "ontvangenOp": "2024-03-04T10:00:00+01:00",
}
REDEN = "Verdaagd voor de gelijktijdigheidstest."

Stap = tuple[str, dict[str, Any], tuple[str, ...]]  # path under the object, body, roles


@dataclass(frozen=True)
class Geval:
    service: str
    topic: str
    create: Stap  # POST that makes the object (path from the API base)
    before: tuple[Stap, ...]  # steps that bring it to the state the transition needs
    transition: Stap
    event: type[ev.EventData]

    @property
    def naam(self) -> str:
        return f"{self.service}:{self.create[0]}/{self.transition[0]}"


def _melding(
    before: tuple[Stap, ...],
    transition: Stap,
    event: type[ev.EventData],
    *,
    create: dict[str, Any] = MELDING,
) -> Geval:
    return Geval(
        "meldpunt",
        topics.MELDPUNT,
        ("/meldingen", create, ADVISEUR),
        before,
        transition,
        event,
    )


BEVESTIGD: Stap = ("ontvangstbevestiging", {}, ADVISEUR)
AFDOENING: Stap = ("afdoening", {"afdoening": "gespreksbegeleiding"}, ADVISEUR)
TERUGKOPPELING: Stap = ("terugkoppeling", {}, ADVISEUR)
COG_BEHANDELING: Stap = ("cog-behandeling", {"datum": "2024-03-20"}, KLACHTBEHANDELAAR)
COG_ADVIES: Stap = ("cog-advies", {"datum": "2024-04-20", "advies": "deels_gegrond"}, COG)

GEVALLEN = [
    _melding((), BEVESTIGD, ev.MeldingOntvangstBevestigd),
    _melding((BEVESTIGD,), AFDOENING, ev.MeldingAfdoeningBepaald),
    _melding((BEVESTIGD, AFDOENING), TERUGKOPPELING, ev.MeldingTerugkoppelingGegeven),
    _melding(
        (BEVESTIGD, AFDOENING, TERUGKOPPELING),
        ("afronding", {"conclusie": "geen_schending"}, ADVISEUR),
        ev.MeldingAfgerond,
    ),
    _melding((), ("misstand-vermoeden", {}, ADVISEUR), ev.MisstandVermoedenGeregistreerd),
    _melding(
        (),
        ("misstand-afronding", {"vastgesteld": True}, ADVISEUR),
        ev.MisstandAfgerond,
        create={**MELDING, "vermoedenMisstand": True},
    ),
    Geval(
        "meldpunt",
        topics.MELDPUNT,
        (
            "/integriteitsonderzoeken",
            {"defensieonderdeel": "DOSCO", "startdatum": "2024-01-08"},
            ONDERZOEKER,
        ),
        (),
        ("afronding", {"einddatum": "2024-03-01", "conclusie": "geen_schending"}, ONDERZOEKER),
        ev.IntegriteitsonderzoekAfgerond,
    ),
    Geval(
        "meldpunt",
        topics.MELDPUNT,
        (
            "/nevenwerkzaamheden",
            {"defensieonderdeel": "CLAS", "omschrijving": "Schilder", "betaald": True},
            ADVISEUR,
        ),
        (),
        ("advies", {"advies": "positief"}, ADVISEUR),
        ev.NevenwerkzaamheidGeadviseerd,
    ),
    Geval(
        "klachten",
        topics.KLACHTEN,
        ("/klachten", KLACHT, KLACHTBEHANDELAAR),
        (),
        COG_BEHANDELING,
        ev.CogBehandelingGestart,
    ),
    Geval(
        "klachten",
        topics.KLACHTEN,
        ("/klachten", KLACHT, KLACHTBEHANDELAAR),
        (COG_BEHANDELING,),
        COG_ADVIES,
        ev.CogAdviesUitgebracht,
    ),
    Geval(
        "klachten",
        topics.KLACHTEN,
        ("/klachten", KLACHT, KLACHTBEHANDELAAR),
        (COG_BEHANDELING, COG_ADVIES),
        (
            "afhandeling",
            {"datum": "2024-05-01", "wijze": "besluit", "oordeel": "deels_gegrond"},
            KLACHTBEHANDELAAR,
        ),
        ev.KlachtAfgehandeld,
    ),
    Geval(
        "klachten",
        topics.KLACHTEN,
        ("/klachten", KLACHT, KLACHTBEHANDELAAR),
        (),
        ("verdaging", {"weken": 2, "reden": REDEN}, KLACHTBEHANDELAAR),
        ev.KlachtVerdaagd,
    ),
    Geval(
        "vertrouwenspersonen",
        topics.VERTROUWENSPERSONEN,
        (
            "/casussen",
            {
                "defensieonderdeel": "CZSK",
                "datum": "2024-03-01",
                "hoofdcategorie": "zakelijke_integriteit",
                "subcategorie": "misbruik_positie",
            },
            VERTROUWENSPERSOON,
        ),
        (),
        ("afsluiting", {"datum": "2024-04-02"}, VERTROUWENSPERSOON),
        ev.CasusAfgesloten,
    ),
    Geval(
        "vertrouwenspersonen",
        topics.VERTROUWENSPERSONEN,
        (
            "/vertrouwenspersonen",
            {"defensieonderdeel": "CLSK", "aanstellingsdatum": "2023-01-15"},
            CVP,
        ),
        (),
        ("beeindiging", {"datum": "2024-06-30"}, CVP),
        ev.VertrouwenspersoonBeeindigd,
    ),
]


@dataclass
class Client:
    svc: RunningService
    tokens: TokenFactory
    headers: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)

    def auth(self, roles: tuple[str, ...]) -> dict[str, str]:
        # one token per role set, so twenty requests are twenty identical requests
        if roles not in self.headers:
            self.headers[roles] = self.tokens.headers(*roles, sub="gelijktijdig-1")
        return self.headers[roles]

    async def post(self, path: str, body: dict[str, Any], roles: tuple[str, ...]) -> Any:
        return await self.svc.client.post(
            f"{self.svc.base}{path}", json=body, headers=self.auth(roles)
        )

    async def outbox_count(self) -> int:
        async with self.svc.app.state.db.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


class _Geval(Protocol):
    service: str
    create: Stap
    before: tuple[Stap, ...]


async def _object(
    geval: _Geval,
    engine: str,
    service_factory: Any,
    databases: TestDatabases,
    sqlite_databases: TestDatabases,
    tokens: TokenFactory,
) -> tuple[Client, str, str]:
    """The service on the engine, and the object brought to the state the requests need:
    the client, the object's id and its path."""
    if engine == "postgresql" and not databases.is_postgres:
        pytest.skip("TEST_DATABASE_URL is not set")
    dbs = databases if engine == "postgresql" else sqlite_databases
    svc = await service_factory(geval.service, database_url=await dbs.create(geval.service))
    client = Client(svc, tokens)
    path, body, roles = geval.create
    r = await client.post(path, body, roles)
    assert r.status_code == 201, r.text
    object_id = r.json()["id"]
    base = f"{path}/{object_id}"
    for stap, stap_body, stap_roles in geval.before:
        r = await client.post(f"{base}/{stap}", stap_body, stap_roles)
        assert r.status_code in (200, 201), (stap, r.text)
    return client, object_id, base


async def _een_event(
    client: Client, broker: Any, topic: str, event: type[ev.EventData], object_id: str
) -> None:
    """Everything the service wrote reaches the broker, and of `event` for the object
    exactly one."""

    async def relay_klaar() -> bool:
        return bool(await client.svc.app.state.relay.backlog() == 0)

    await eventually(relay_klaar)
    records = await read_topic(broker.bootstrap, topic, at_least=await client.outbox_count())
    stap_events = [
        rec
        for rec in records
        if dict(rec.headers).get("ce_type") == event.event_type.encode()
        and rec.key == object_id.encode()
    ]
    assert len(stap_events) == 1, [dict(rec.headers).get("ce_type") for rec in records]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize("geval", GEVALLEN, ids=lambda g: g.naam)
async def test_twintig_gelijke_overgangen_een_winnaar(
    geval: Geval,
    engine: str,
    service_factory: Any,
    databases: TestDatabases,
    sqlite_databases: TestDatabases,
    tokens: TokenFactory,
    broker: Any,
) -> None:
    client, object_id, base = await _object(
        geval, engine, service_factory, databases, sqlite_databases, tokens
    )

    stap, stap_body, stap_roles = geval.transition
    antwoorden = await asyncio.gather(
        *(client.post(f"{base}/{stap}", stap_body, stap_roles) for _ in range(GELIJKTIJDIG))
    )

    statussen = sorted(a.status_code for a in antwoorden)
    assert statussen == [200] + [409] * (GELIJKTIJDIG - 1), [a.text for a in antwoorden]
    for geweigerd in (a for a in antwoorden if a.status_code == 409):
        assert geweigerd.headers["content-type"].startswith("application/problem+json")
        assert stap not in geweigerd.json()["toegestaneHandelingen"]

    # everything the service wrote reaches the broker; of the step's event exactly one
    await _een_event(client, broker, geval.topic, geval.event, object_id)


# --- the routes that are no transition: a check-in, a legal hold and its lifting --------------

COORDINATOR = ("coid_coordinator",)
AFRONDING: Stap = ("afronding", {"conclusie": "geen_schending"}, ADVISEUR)
VANDAAG = vandaag().isoformat()  # the check-in is on the day of the closing
HOLD = {"reden": "Gelijktijdigheidstest: een lopende procedure."}


@dataclass(frozen=True)
class Vastlegging:
    """Twenty identical requests that each would write one thing: one 2xx, nineteen 409."""

    naam: str
    service: str
    create: Stap
    before: tuple[Stap, ...]
    method: str  # "POST" or "DELETE"
    request: Stap
    status: int
    event: type[ev.EventData] | None  # the one event of the winner, if the step emits one
    audit: str | None  # the one audit entry of the winner, if the step is audited


VASTLEGGINGEN = [
    # a double click on "contact vastgelegd": without `maanden` the earliest open check-in
    Vastlegging(
        "meldpunt:nazorg",
        "meldpunt",
        ("/meldingen", MELDING, ADVISEUR),
        (BEVESTIGD, AFDOENING, TERUGKOPPELING, AFRONDING),
        "POST",
        ("nazorg", {"datum": VANDAAG, "benadelingGemeld": False}, ADVISEUR),
        201,
        ev.NazorgUitgevoerd,
        None,
    ),
    Vastlegging(
        "meldpunt:nazorg-maanden",
        "meldpunt",
        ("/meldingen", MELDING, ADVISEUR),
        (BEVESTIGD, AFDOENING, TERUGKOPPELING, AFRONDING),
        "POST",
        ("nazorg", {"datum": VANDAAG, "benadelingGemeld": True, "maanden": 3}, ADVISEUR),
        201,
        ev.NazorgUitgevoerd,
        None,
    ),
    Vastlegging(
        "meldpunt:bewaarplicht",
        "meldpunt",
        ("/meldingen", MELDING, ADVISEUR),
        (),
        "POST",
        ("bewaarplicht", HOLD, COORDINATOR),
        201,
        None,
        "bewaarplicht_geplaatst",
    ),
    Vastlegging(
        "meldpunt:bewaarplicht-opheffen",
        "meldpunt",
        ("/meldingen", MELDING, ADVISEUR),
        (("bewaarplicht", HOLD, COORDINATOR),),
        "DELETE",
        ("bewaarplicht", {}, COORDINATOR),
        204,
        None,
        "bewaarplicht_opgeheven",
    ),
    Vastlegging(
        "klachten:bewaarplicht",
        "klachten",
        ("/klachten", KLACHT, KLACHTBEHANDELAAR),
        (),
        "POST",
        ("bewaarplicht", HOLD, KLACHTBEHANDELAAR),
        201,
        None,
        "bewaarplicht_geplaatst",
    ),
]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize("geval", VASTLEGGINGEN, ids=lambda g: g.naam)
async def test_twintig_gelijke_vastleggingen_een_winnaar(
    geval: Vastlegging,
    engine: str,
    service_factory: Any,
    databases: TestDatabases,
    sqlite_databases: TestDatabases,
    tokens: TokenFactory,
    broker: Any,
) -> None:
    client, object_id, base = await _object(
        geval, engine, service_factory, databases, sqlite_databases, tokens
    )
    svc = client.svc
    outbox_voor = await client.outbox_count()

    stap, stap_body, stap_roles = geval.request
    url = f"{svc.base}{base}/{stap}"
    if geval.method == "DELETE":
        verzoeken = (
            svc.client.delete(url, headers=client.auth(stap_roles)) for _ in range(GELIJKTIJDIG)
        )
    else:
        verzoeken = (
            svc.client.post(url, json=stap_body, headers=client.auth(stap_roles))
            for _ in range(GELIJKTIJDIG)
        )
    antwoorden = await asyncio.gather(*verzoeken)

    statussen = sorted(a.status_code for a in antwoorden)
    assert statussen == sorted([geval.status] + [409] * (GELIJKTIJDIG - 1)), [
        a.text for a in antwoorden
    ]
    for geweigerd in (a for a in antwoorden if a.status_code == 409):
        assert geweigerd.headers["content-type"].startswith("application/problem+json")
        assert geweigerd.json()["status"] == 409

    # exactly one effect: one row written or removed, one audit entry, at most one event
    async with svc.app.state.db.transaction() as session:
        if stap == "nazorg":
            gedaan = await session.scalar(
                select(func.count())
                .select_from(NazorgContact)
                .where(NazorgContact.melding_id == object_id, NazorgContact.datum.is_not(None))
            )
            assert gedaan == 1
        else:
            holds = await session.scalar(
                select(func.count())
                .select_from(Bewaarplicht)
                .where(Bewaarplicht.object_id == object_id)
            )
            assert holds == (0 if geval.method == "DELETE" else 1)
        if geval.audit is not None:
            entries = await session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == geval.audit, AuditEntry.object_id == object_id)
            )
            assert entries == 1
    if geval.event is None:
        assert await client.outbox_count() == outbox_voor  # a hold emits nothing
        return
    await _een_event(client, broker, topics.MELDPUNT, geval.event, object_id)
