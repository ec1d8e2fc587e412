"""Fixtures for the rapportage tests: the real app (fresh database, real broker) and helpers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.events import Envelope, EventData, new_envelope, to_structured
from integriteit_shared.messaging.models import InboxMessage
from rapportage.ledger.historie import MAX_IMPORT, boek

PEIL = "2025-01-01"


@dataclass
class Rap:
    svc: RunningService
    tokens: TokenFactory

    def h(self, *roles: str, **kw: Any) -> dict[str, str]:
        return self.tokens.headers(*(roles or ("rapportage_lezer",)), **kw)

    async def zet(
        self, event: EventData, time: datetime | str, event_id: str | None = None
    ) -> Envelope:
        """Store in the ledger and project, registered at `time` (not at now): the code path
        of the historical import (`historie.boek`), without its audit entry."""
        t = datetime.fromisoformat(time) if isinstance(time, str) else time
        env = new_envelope(event, time=t, event_id=event_id)
        env = dataclasses.replace(env, geboekt_op=env.time)
        async with self.svc.app.state.db.transaction() as s:
            await boek(s, [(env, event)])
        return env

    async def importeer(self, items: list[tuple[EventData, datetime]]) -> dict[str, Any]:
        """POST /historische-imports as a beheerder, in batches of its maximum."""
        body: dict[str, Any] = {}
        for i in range(0, len(items), MAX_IMPORT):
            batch = [to_structured(new_envelope(e, time=t)) for e, t in items[i : i + MAX_IMPORT]]
            r = await self.svc.client.post(
                "/api/rapportage/v1/historische-imports",
                json={"gebeurtenissen": batch},
                headers=self.h("beheerder", sub="beheerder-1"),
            )
            assert r.status_code == 201, r.text
            body = r.json()
        return body

    async def verslag(self, jaar: int = 2024, peildatum: str = PEIL) -> dict[str, Any]:
        r = await self.svc.client.get(
            f"/api/rapportage/v1/jaarverslagen/{jaar}",
            params={"peildatum": peildatum},
            headers=self.h(),
        )
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    async def ledger_count(self) -> int:
        async with self.svc.app.state.db.transaction() as s:
            return int(await s.scalar(select(func.count()).select_from(InboxMessage)) or 0)


@pytest.fixture
async def rap(service_factory: Any, tokens: TokenFactory) -> Rap:
    return Rap(await service_factory("rapportage"), tokens)
