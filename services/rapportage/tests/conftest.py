"""Fixtures for the rapportage tests: the real app (fresh database, real broker) and helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from integriteit_dev.testing.services import RunningService, TokenFactory
from integriteit_shared.events import Envelope, EventData, new_envelope
from integriteit_shared.messaging.consumer import store_in_inbox
from integriteit_shared.messaging.models import InboxMessage
from rapportage.ledger.service import na_batch, on_event

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
        """Store in the ledger and project, in one transaction: the consumer's code path."""
        t = datetime.fromisoformat(time) if isinstance(time, str) else time
        env = new_envelope(event, time=t, event_id=event_id)
        async with self.svc.app.state.db.transaction() as s:
            if await store_in_inbox(s, env, event.topic()):
                await on_event(s, env, event)
                await na_batch(s)
        return env

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
