from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.dependencies import scope_onderdeel
from integriteit_shared.auth.validation import Principal
from integriteit_shared.events.models import (
    IntegriteitsonderzoekAfgerond,
    IntegriteitsonderzoekGestart,
)
from integriteit_shared.http.pagination import Page
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.workflow import Workflow
from meldpunt.behandeling.models import Uitsluiting
from meldpunt.integriteitsonderzoek.models import Integriteitsonderzoek
from meldpunt.integriteitsonderzoek.schemas import IntegriteitsonderzoekCreate
from meldpunt.melding.dependencies import is_uitgesloten
from meldpunt.melding.models import Melding

ONDERZOEK: Workflow[Integriteitsonderzoek] = Workflow(
    aggregate="integriteitsonderzoek",
    initial="lopend",
    transitions={"lopend": {"afronding": "afgerond"}, "afgerond": {}},
    state_of=lambda onderzoek: "lopend" if onderzoek.einddatum is None else "afgerond",
)


async def starten(
    session: AsyncSession, *, data: IntegriteitsonderzoekCreate, principal: Principal
) -> Integriteitsonderzoek:
    fouten = []
    if not scope_onderdeel(principal, data.defensieonderdeel):
        fouten.append({"name": "defensieonderdeel", "reason": "Buiten uw defensieonderdeel."})
    if data.melding_id is not None:
        melding = await session.get(Melding, data.melding_id)
        # a melding outside the caller's scope, or one they are excluded from, is reported
        # as unknown, like a 404
        if (
            melding is None
            or not scope_onderdeel(principal, melding.defensieonderdeel)
            or await is_uitgesloten(session, melding.id, principal.sub)
        ):
            fouten.append({"name": "meldingId", "reason": "Onbekende melding."})
        elif data.startdatum < melding.ontvangen_datum:
            fouten.append(
                {"name": "startdatum", "reason": "Ligt vóór de ontvangst van de melding."}
            )
    if fouten:
        raise BadRequest("Het onderzoek is ongeldig.", invalid_params=fouten)
    onderzoek = Integriteitsonderzoek(
        id=str(uuid.uuid4()),
        defensieonderdeel=data.defensieonderdeel,
        startdatum=data.startdatum,
        melding_id=data.melding_id,
    )
    session.add(onderzoek)
    await session.flush()
    await publish(
        session,
        IntegriteitsonderzoekGestart(
            onderzoek_id=onderzoek.id,
            defensieonderdeel=data.defensieonderdeel,
            startdatum=data.startdatum,
            melding_id=data.melding_id,
        ),
    )
    return onderzoek


async def afronden(
    session: AsyncSession, *, onderzoek: Integriteitsonderzoek, einddatum: date, conclusie: str
) -> None:
    ONDERZOEK.apply(onderzoek, "afronding")
    if einddatum < onderzoek.startdatum:
        raise BadRequest(
            "De einddatum ligt vóór de startdatum.",
            invalid_params=[{"name": "einddatum", "reason": "Ligt vóór de startdatum."}],
        )
    onderzoek.einddatum = einddatum
    onderzoek.conclusie = conclusie
    await session.flush()
    await publish(
        session,
        IntegriteitsonderzoekAfgerond.model_validate(
            {"onderzoek_id": onderzoek.id, "einddatum": einddatum, "conclusie": conclusie}
        ),
    )


async def lijst(
    session: AsyncSession,
    *,
    scope: str | None,
    page: Page,
    melding_id: str | None,
    lezer_sub: str,
) -> tuple[list[Integriteitsonderzoek], int]:
    """One page of the onderzoeken in scope, without those stemming from a melding the
    reader is excluded from."""
    uitgesloten = select(Uitsluiting.melding_id).where(Uitsluiting.sub == lezer_sub)
    conditions = [
        or_(
            Integriteitsonderzoek.melding_id.is_(None),
            Integriteitsonderzoek.melding_id.not_in(uitgesloten),
        )
    ]
    if scope is not None:
        conditions.append(Integriteitsonderzoek.defensieonderdeel == scope)
    if melding_id is not None:
        conditions.append(Integriteitsonderzoek.melding_id == melding_id)
    total = int(
        await session.scalar(select(func.count(Integriteitsonderzoek.id)).where(*conditions)) or 0
    )
    rows = await session.scalars(
        select(Integriteitsonderzoek)
        .where(*conditions)
        .order_by(Integriteitsonderzoek.startdatum.desc(), Integriteitsonderzoek.id)
        .offset(page.offset)
        .limit(page.page_size)
    )
    return list(rows), total
