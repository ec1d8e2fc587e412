from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import queue_audit, record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import record_cipher, record_ref
from integriteit_shared.events.models import (
    NevenwerkzaamheidGeadviseerd,
    NevenwerkzaamheidGeregistreerd,
)
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.notificaties import Planner
from integriteit_shared.workflow import Workflow
from meldpunt import herinneringen
from meldpunt.nevenwerkzaamheid.models import Nevenwerkzaamheid
from meldpunt.nevenwerkzaamheid.schemas import NevenwerkzaamheidCreate
from meldpunt.termijnen import vandaag

ROLLEN_VERLEDEN_DATUM = ("coid_adviseur",)
OBJECT_TYPE = "nevenwerkzaamheid"

NEVENWERKZAAMHEID: Workflow[Nevenwerkzaamheid] = Workflow(
    aggregate="nevenwerkzaamheid",
    initial="open",
    transitions={"open": {"advies": "geadviseerd"}, "geadviseerd": {}},
    state_of=lambda nevenwerkzaamheid: (
        "open" if nevenwerkzaamheid.advies is None else "geadviseerd"
    ),
)


def omschrijving_aad(nevenwerkzaamheid_id: str) -> str:
    return field_aad("nevenwerkzaamheden", "omschrijving", nevenwerkzaamheid_id)


async def registreren(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    data: NevenwerkzaamheidCreate,
    principal: Principal,
    planner: Planner,
    request_id: str | None,
) -> Nevenwerkzaamheid:
    dag = vandaag()
    fouten = []
    if (
        data.registratiedatum is not None
        and data.registratiedatum != dag
        and not principal.has_any(*ROLLEN_VERLEDEN_DATUM)
    ):
        fouten.append(
            {"name": "registratiedatum", "reason": "Een eerdere datum alleen door het meldpunt."}
        )
    if fouten:
        raise BadRequest("De nevenwerkzaamheid is ongeldig.", invalid_params=fouten)
    nw_id = str(uuid.uuid4())
    rc = await record_cipher(session, cipher, record_ref("nevenwerkzaamheden", nw_id))
    registratiedatum = data.registratiedatum or dag
    nw = Nevenwerkzaamheid(
        id=nw_id,
        defensieonderdeel=data.defensieonderdeel,
        omschrijving=rc.encrypt(data.omschrijving, aad=omschrijving_aad(nw_id)),
        betaald=data.betaald,
        registratiedatum=registratiedatum,
        geregistreerd_door=principal.sub,
    )
    session.add(nw)
    await session.flush()
    await herinneringen.nevenwerkzaamheid_geregistreerd(session, planner, nw)
    await publish(
        session,
        NevenwerkzaamheidGeregistreerd(
            nevenwerkzaamheid_id=nw_id,
            defensieonderdeel=data.defensieonderdeel,
            registratiedatum=registratiedatum,
            betaald=data.betaald,
        ),
    )
    await queue_audit(
        session,
        actor=principal.sub,
        action="schrijven",
        object_type=OBJECT_TYPE,
        object_id=nw_id,
        fields=["omschrijving"],
        request_id=request_id,
    )
    return nw


async def omschrijving_lezen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    nevenwerkzaamheid: Nevenwerkzaamheid,
    principal: Principal,
    request_id: str | None,
) -> str:
    """The decrypted omschrijving; every read is audited."""
    await record_audit(
        session,
        actor=principal.sub,
        action="lezen",
        object_type=OBJECT_TYPE,
        object_id=nevenwerkzaamheid.id,
        fields=["omschrijving"],
        request_id=request_id,
    )
    rc = await record_cipher(
        session, cipher, record_ref("nevenwerkzaamheden", nevenwerkzaamheid.id), aanmaken=False
    )
    return rc.decrypt(nevenwerkzaamheid.omschrijving, aad=omschrijving_aad(nevenwerkzaamheid.id))


async def adviseren(
    session: AsyncSession,
    *,
    nevenwerkzaamheid: Nevenwerkzaamheid,
    advies: str,
    datum: date | None,
) -> None:
    nw = nevenwerkzaamheid
    NEVENWERKZAAMHEID.apply(nevenwerkzaamheid, "advies")
    dag = datum or vandaag()
    if dag < nw.registratiedatum:
        raise BadRequest(
            "De datum ligt vóór de registratie.",
            invalid_params=[{"name": "datum", "reason": "Ligt vóór de registratiedatum."}],
        )
    nw.advies = advies
    nw.advies_datum = dag
    await session.flush()
    await herinneringen.nevenwerkzaamheid_geadviseerd(session, nw)
    await publish(
        session,
        NevenwerkzaamheidGeadviseerd.model_validate(
            {"nevenwerkzaamheid_id": nw.id, "advies": advies, "datum": dag}
        ),
    )


@dataclass(frozen=True)
class NevenwerkzaamheidFilter:
    defensieonderdeel: str | None = None
    advies: str | None = None  # positief | negatief | open (none yet)
    vanaf: date | None = None
    tot: date | None = None


def _gefilterd(query: Select[Any], f: NevenwerkzaamheidFilter, scope: str | None) -> Select[Any]:
    nw = Nevenwerkzaamheid
    if scope is not None:  # a token bound to an onderdeel sees only its own
        query = query.where(nw.defensieonderdeel == scope)
    if f.defensieonderdeel is not None:
        query = query.where(nw.defensieonderdeel == f.defensieonderdeel)
    if f.advies == "open":
        query = query.where(nw.advies.is_(None))
    elif f.advies is not None:
        query = query.where(nw.advies == f.advies)
    if f.vanaf is not None:
        query = query.where(nw.registratiedatum >= f.vanaf)
    if f.tot is not None:
        query = query.where(nw.registratiedatum <= f.tot)
    return query


async def lijst(
    session: AsyncSession, *, filter: NevenwerkzaamheidFilter, scope: str | None, page: Page
) -> tuple[list[Nevenwerkzaamheid], int]:
    """One page, newest registration first; the omschrijving stays encrypted and unread."""
    nw = Nevenwerkzaamheid
    query = _gefilterd(select(nw), filter, scope)
    return await pagina(
        session, query.order_by(nw.registratiedatum.desc(), nw.created_at.desc(), nw.id), page
    )
