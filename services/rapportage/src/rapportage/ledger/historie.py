"""The historical import: history loaded into the ledger with its original registration
moments, explicitly, by a `beheerder`, audited.

Everything else enters the ledger at the moment rapportage receives it (`geboekt_op`, set
by the consumer), whatever `time` its producer reports, so the figures as of a past
peildatum never change afterwards. Loading the history of the old registers (or the seed
dataset in the tests) needs the moments at which it was really registered: here they are
the events' own `time`. Each import is one audit entry and one row in
`rap_historische_imports`, listed in `/afstemming`.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import record_audit
from integriteit_shared.db.base import Base, new_id, utcnow
from integriteit_shared.events import Envelope, EventData, InvalidEvent, from_structured, parse
from integriteit_shared.events.models import AuditKetenkop
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.messaging.consumer import store_many_in_inbox
from rapportage.ledger.service import na_batch, on_event

MAX_IMPORT = 1000


class HistorischeImport(Base):
    __tablename__ = "rap_historische_imports"

    id: Mapped[str] = mapped_column(primary_key=True)
    moment: Mapped[datetime]
    door: Mapped[str]  # the beheerder's sub (an opaque id, as in the audit log)
    aantal: Mapped[int]
    dubbel: Mapped[int]
    vroegste: Mapped[datetime]
    laatste: Mapped[datetime]


async def boek(session: AsyncSession, items: list[tuple[Envelope, EventData]]) -> int:
    """Store in the ledger at each envelope's `geboekt_op` and project, in the caller's
    transaction: what the consumer does for a batch. Returns how many were new."""
    nieuw = await store_many_in_inbox(session, [(env, event.topic()) for env, event in items])
    geboekt = 0
    for env, event in items:
        if (env.source, env.id) in nieuw:
            nieuw.discard((env.source, env.id))  # a repeat within the import: once
            await on_event(session, env, event)
            geboekt += 1
    await na_batch(session)
    return geboekt


def _historisch(item: Any, nu: datetime) -> tuple[Envelope, EventData]:
    if not isinstance(item, dict):
        raise InvalidEvent("geen JSON-object")
    env = from_structured(item)
    event = parse(env)
    if isinstance(event, AuditKetenkop):
        raise InvalidEvent("een anker van een auditlog is geen geschiedenis")
    if env.time > nu:
        raise InvalidEvent("'time' ligt in de toekomst")
    return dataclasses.replace(env, geboekt_op=env.time), event


async def importeer(
    session: AsyncSession, items: list[Any], principal: Principal, request_id: str | None
) -> HistorischeImport:
    """All or nothing: every event valid, else 400 naming each invalid one."""
    nu = utcnow()
    geldig: list[tuple[Envelope, EventData]] = []
    fouten: list[dict[str, str]] = []
    for i, item in enumerate(items):
        try:
            geldig.append(_historisch(item, nu))
        except InvalidEvent as exc:
            fouten.append({"name": f"gebeurtenissen.{i}", "reason": exc.reason})
    if fouten:
        raise BadRequest(
            "Niets geïmporteerd: niet elke gebeurtenis is geldig.", invalid_params=fouten
        )
    geboekt = await boek(session, geldig)
    tijden = [env.time for env, _ in geldig]
    imp = HistorischeImport(
        id=new_id(),
        moment=nu,
        door=principal.sub,
        aantal=geboekt,
        dubbel=len(geldig) - geboekt,
        vroegste=min(tijden),
        laatste=max(tijden),
    )
    session.add(imp)
    await record_audit(
        session,
        actor=principal.sub,
        action="historische-import",
        object_type="grootboek",
        object_id=imp.id,
        fields=["gebeurtenissen"],
        request_id=request_id,
    )
    return imp


async def imports(session: AsyncSession) -> list[HistorischeImport]:
    query = select(HistorischeImport).order_by(HistorischeImport.moment, HistorischeImport.id)
    return list((await session.scalars(query)).all())
