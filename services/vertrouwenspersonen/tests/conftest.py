"""Fixtures of the vertrouwenspersonen tests: the real app on a fresh database and broker."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from integriteit_dev.testing.services import RunningService
from integriteit_shared.messaging.models import OutboxMessage


@pytest.fixture
async def vp(service_factory: Any) -> RunningService:
    svc: RunningService = await service_factory("vertrouwenspersonen")
    return svc


@pytest.fixture
def outbox():
    """`await outbox(svc)`: the published events as (type, data dict, key, headers)."""

    async def read(svc: RunningService) -> list[dict[str, Any]]:
        async with svc.app.state.db.transaction() as s:
            rows = (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
            return [
                {
                    "type": r.event_type,
                    "data": json.loads(r.value),
                    "key": r.key.decode(),
                    "headers": dict(r.headers),
                }
                for r in rows
            ]

    return read
