"""Fixtures for the klachten tests: the real app (fresh database, real broker) and helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.crypto.audit import AuditEntry
from integriteit_shared.kalender import AMSTERDAM, vandaag
from integriteit_shared.messaging.models import OutboxMessage
from klachten.klacht.models import Klacht

OMSCHRIJVING = "Mijn sergeant J. de Vries scheldt mij dagelijks uit."
REDEN = "Getuige Petersen is pas na de zomer bereikbaar."


def middag(dagen_geleden: int) -> str:
    """Noon (Amsterdam) of the day `dagen_geleden` before today, as RFC 3339."""
    d = vandaag() - timedelta(days=dagen_geleden)
    return datetime.combine(d, time(12), tzinfo=AMSTERDAM).isoformat()


@dataclass
class Api:
    svc: RunningService
    tokens: TokenFactory
    OMSCHRIJVING = OMSCHRIJVING
    REDEN = REDEN

    @staticmethod
    def middag(dagen_geleden: int) -> str:
        return middag(dagen_geleden)

    def h(self, *roles: str, **kw: Any) -> dict[str, str]:
        return self.tokens.headers(*roles, **kw)

    @property
    def kb(self) -> dict[str, str]:
        return self.h("klachtbehandelaar", sub="kb-1")

    @property
    def cog(self) -> dict[str, str]:
        return self.h("cog_secretaris", sub="cog-1")

    def url(self, path: str) -> str:
        return f"{self.svc.base}{path}"

    async def indienen(self, *, ontvangen_op: str | None = "2024-03-04T10:00:00+01:00", **kw: Any):
        body: dict[str, Any] = {
            "soort": "ongewenst_gedrag",
            "indiener": "medewerker",
            "defensieonderdeel": "CLSK",
            "omschrijving": OMSCHRIJVING,
        }
        if ontvangen_op is not None:
            body["ontvangenOp"] = ontvangen_op
        body.update(kw)
        r = await self.svc.client.post(self.url("/klachten"), json=body, headers=self.kb)
        assert r.status_code == 201, r.text
        return r.json()

    async def post(self, klacht_id: str, stap: str, body: dict[str, Any], headers=None):
        if headers is None:
            headers = self.cog if stap == "cog-advies" else self.kb
        return await self.svc.client.post(
            self.url(f"/klachten/{klacht_id}/{stap}"), json=body, headers=headers
        )

    async def stap(self, klacht_id: str, stap: str, body: dict[str, Any]) -> dict[str, Any]:
        r = await self.post(klacht_id, stap, body)
        assert r.status_code == 200, r.text
        return r.json()

    async def events(self) -> list[tuple[str, dict[str, Any]]]:
        async with self.svc.app.state.db.transaction() as s:
            rows = (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
            return [(r.event_type.rsplit(".", 1)[1], json.loads(r.value)) for r in rows]

    async def aantal(self, model: Any) -> int:
        async with self.svc.app.state.db.transaction() as s:
            return int(await s.scalar(select(func.count()).select_from(model)) or 0)

    async def klacht_rij(self, klacht_id: str) -> Klacht:
        async with self.svc.app.state.db.transaction() as s:
            rij = await s.get(Klacht, klacht_id)
            assert rij is not None
            return rij

    async def audit(self) -> list[AuditEntry]:
        async with self.svc.app.state.db.transaction() as s:
            return list((await s.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars())


@pytest.fixture
async def api(service_factory, tokens) -> Api:
    return Api(await service_factory("klachten"), tokens)


def d(s: str) -> date:
    return date.fromisoformat(s)
