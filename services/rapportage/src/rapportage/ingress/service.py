"""REST ingress for KMar (BPS) and ECLD: each event checked, valid new ones to the outbox.

From the outbox the relay publishes them to their topic, where the consumer stores them in
the ledger exactly as if the source had published to Kafka itself; a `source`+`id` already
in the ledger or the outbox (or twice in one batch) is reported as `dubbel` and counted once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.roles import Rol
from integriteit_shared.events import InvalidEvent, from_structured, parse
from integriteit_shared.events.topics import TYPE_PREFIX
from integriteit_shared.messaging.models import InboxMessage, OutboxMessage
from integriteit_shared.messaging.outbox import publish_envelope

MAX_BATCH = 1000
TYPE_PREFIXES_PER_ROL: dict[str, str] = {
    Rol.kmar_bps: f"{TYPE_PREFIX}kmar-bps.",
    Rol.ecld: f"{TYPE_PREFIX}ecld.",
}


@dataclass
class Uitslag:
    geaccepteerd: int = 0
    dubbel: int = 0
    afgewezen: list[dict[str, Any]] = field(default_factory=list)


def _id_of(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])
    return None


async def _bestaat(session: AsyncSession, source: str, event_id: str) -> str | None:
    """'dubbel' when this source+id is known; 'bezet' when the id is used by another source."""
    in_ledger = await session.scalar(
        select(InboxMessage.id).where(
            InboxMessage.source == source, InboxMessage.event_id == event_id
        )
    )
    if in_ledger is not None:
        return "dubbel"
    outbox_source = await session.scalar(
        select(OutboxMessage.source).where(OutboxMessage.event_id == event_id)
    )
    if outbox_source is None:
        return None
    return "dubbel" if outbox_source == source else "bezet"


async def ontvang(session: AsyncSession, items: list[Any], rollen: Iterable[str]) -> Uitslag:
    prefixes = tuple(p for r, p in TYPE_PREFIXES_PER_ROL.items() if r in set(rollen))
    uitslag = Uitslag()
    gezien: set[tuple[str, str]] = set()
    for item in items:
        try:
            if not isinstance(item, dict):
                raise InvalidEvent("geen JSON-object")
            env = from_structured(item)
            if not env.type.startswith(prefixes):
                raise InvalidEvent(f"type '{env.type}' is niet toegestaan voor deze rol")
            parse(env)
        except InvalidEvent as exc:
            uitslag.afgewezen.append({"id": _id_of(item), "reden": exc.reason})
            continue
        key = (env.source, env.id)
        status = "dubbel" if key in gezien else await _bestaat(session, *key)
        if status == "bezet":
            uitslag.afgewezen.append({"id": env.id, "reden": "'id' is al in gebruik"})
            continue
        if status == "dubbel":
            uitslag.dubbel += 1
            continue
        gezien.add(key)
        await publish_envelope(session, env)
        uitslag.geaccepteerd += 1
    await session.flush()
    return uitslag
