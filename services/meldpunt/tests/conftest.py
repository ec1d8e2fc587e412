"""Fixtures for the meldpunt tests: the real app (fresh database, real broker) and helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text

from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.messaging.models import OutboxMessage
from meldpunt.melding.models import Melding
from meldpunt.termijnen import AMSTERDAM, vandaag

OMSCHRIJVING = "Kapitein K. Jansen intimideert mij sinds maart in de kantine."
MELDER = {"naam": "Piet Pietersen", "email": "piet@example.org", "telefoon": "+31 6 12345678"}
PERSOONSGEGEVENS = ("Jansen", "Pietersen", "piet@example.org", "12345678", "kantine")


def middag(dagen_geleden: int) -> str:
    d = vandaag() - timedelta(days=dagen_geleden)
    return datetime.combine(d, time(12), tzinfo=AMSTERDAM).isoformat()


@dataclass
class Api:
    svc: RunningService
    tokens: TokenFactory

    def h(self, *roles: str, **kw: Any) -> dict[str, str]:
        return self.tokens.headers(*roles, **kw)

    @property
    def adviseur(self) -> dict[str, str]:
        return self.h("coid_adviseur", sub="adviseur-1")

    def url(self, path: str) -> str:
        return f"{self.svc.base}{path}"

    async def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return await self.svc.client.post(self.url(path), json=body, headers=headers or {})

    async def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return await self.svc.client.get(self.url(path), headers=headers or {}, params=params)

    def body(self, **kw: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kanaal": "mid",
            "defensieonderdeel": "CLSK",
            "hoofdcategorie": "ongewenst_gedrag",
            "subcategorie": "intimidatie",
            "omschrijving": OMSCHRIJVING,
            "anoniem": False,
            "melder": MELDER,
        }
        data.update(kw)
        return {k: v for k, v in data.items() if v is not None}

    async def melden(self, headers: dict[str, str] | None = None, **kw: Any) -> dict[str, Any]:
        r = await self.post("/meldingen", self.body(**kw), headers or self.adviseur)
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    async def anoniem_melden(self, **kw: Any) -> dict[str, Any]:
        r = await self.post("/meldingen", self.body(anoniem=True, melder=None, **kw))
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    async def stap(self, melding_id: str, actie: str, body: dict[str, Any] | None = None) -> Any:
        return await self.post(f"/meldingen/{melding_id}/{actie}", body or {}, self.adviseur)

    async def outbox(self) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
        async with self.svc.app.state.db.transaction() as s:
            rows = (await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        return [(r.event_type, json.loads(r.value), dict(r.headers)) for r in rows]

    async def count(self, model: Any) -> int:
        async with self.svc.app.state.db.transaction() as s:
            return int(await s.scalar(select(func.count()).select_from(model)) or 0)

    async def audit(self, action: str | None = None) -> list[AuditEntry]:
        """The audit log once everything queued is chained (as the service does in the
        background), optionally only the entries of one action."""
        await self.svc.app.state.audit_chainer.chain_all()
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        async with self.svc.app.state.db.transaction() as s:
            return list((await s.scalars(query)).all())

    async def database_tekst(self) -> str:
        """Every row of every table, as text: what someone with a copy of the database
        sees (to show that something is nowhere in it in clear)."""
        delen: list[str] = []
        async with self.svc.app.state.db.transaction() as s:
            conn = await s.connection()
            tabellen = await conn.run_sync(lambda c: inspect(c).get_table_names())
            for tabel in tabellen:
                rows = (await s.execute(text(f'SELECT * FROM "{tabel}"'))).all()  # noqa: S608
                delen.extend(repr(tuple(r)) for r in rows)
        return "\n".join(delen)

    async def melding_row(self, melding_id: str) -> Melding:
        async with self.svc.app.state.db.transaction() as s:
            row = await s.get(Melding, melding_id)
            assert row is not None
            return row


@pytest.fixture
async def api(service_factory: Any, tokens: TokenFactory) -> Api:
    return Api(await service_factory("meldpunt"), tokens)
