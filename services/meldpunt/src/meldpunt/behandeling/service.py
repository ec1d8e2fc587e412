"""Handling a melding: who handles it, who is kept out, internal notes, and the melder's
identity on a need-to-know basis. Every step goes to the timeline (`registreer_stap`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import queue_audit, record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import RecordCipher, record_cipher
from integriteit_shared.events.models import MeldingToegewezen
from integriteit_shared.http.pagination import Page
from integriteit_shared.http.problems import Conflict, Forbidden, NotFound
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.notificaties import Planner
from meldpunt.behandeling.models import MelderInzage, Notitie, Uitsluiting
from meldpunt.behandeling.schemas import NotitieRead
from meldpunt.melding.dependencies import (
    is_behandelaar_of_coordinator,
    is_coordinator,
    is_uitgesloten,
)
from meldpunt.melding.models import Melding, behandelaar_adres_aad, melding_ref, notities_ref
from meldpunt.melding.service import melder_lezen
from meldpunt.nazorg import service as nazorg
from meldpunt.termijnen import vandaag
from meldpunt.tijdlijn.service import registreer_stap


async def toewijzen(
    session: AsyncSession,
    *,
    melding: Melding,
    behandelaar: str,
    principal: Principal,
    planner: Planner,
) -> None:
    """A coordinator assigns or reassigns; an adviser may only take an unassigned melding.
    Aftercare still pending goes to the new behandelaar (a closed melding is handed over
    for its check-ins too)."""
    cipher = planner.cipher
    if not is_coordinator(principal) and (
        melding.behandelaar is not None or behandelaar != principal.sub
    ):
        raise Forbidden(
            "Een adviseur kan alleen een melding zonder behandelaar aan zichzelf toewijzen."
        )
    if await is_uitgesloten(session, melding.id, behandelaar):
        raise Conflict("Deze medewerker is van de melding uitgesloten.")
    melding.behandelaar = behandelaar
    # reminders reach the behandelaar at the address their own token gives, when they
    # took it themselves; an assignment by a coordinator leaves them to the team
    adres = principal.claims.get("email") if behandelaar == principal.sub else None
    melding.behandelaar_adres = (
        cipher.encrypt(str(adres), aad=behandelaar_adres_aad(melding.id)) if adres else None
    )
    await session.flush()
    await nazorg.overgedragen(session, planner, melding)
    await registreer_stap(session, melding.id, "toewijzing", principal.sub)
    await publish(session, MeldingToegewezen(melding_id=melding.id, datum=vandaag()))


def reden_aad(table: str, row_id: str) -> str:
    return field_aad(table, "reden", row_id)


async def uitsluiten(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    sub: str,
    reden: str,
    principal: Principal,
    request_id: str | None,
) -> Uitsluiting:
    if not is_behandelaar_of_coordinator(principal, melding):
        raise Forbidden("Alleen de behandelaar of een coördinator sluit iemand uit.")
    if sub == melding.behandelaar:
        raise Conflict("De behandelaar kan pas worden uitgesloten na een nieuwe toewijzing.")
    if await is_uitgesloten(session, melding.id, sub):
        raise Conflict("Deze medewerker is al uitgesloten.")
    uitsluiting_id = str(uuid.uuid4())
    uitsluiting = Uitsluiting(
        id=uitsluiting_id,
        melding_id=melding.id,
        sub=sub,
        reden=cipher.encrypt(reden, aad=reden_aad("melding_uitsluitingen", uitsluiting_id)),
        door=principal.sub,
    )
    session.add(uitsluiting)
    await session.flush()
    await registreer_stap(session, melding.id, "uitsluiting", principal.sub)
    await queue_audit(
        session,
        actor=principal.sub,
        action="schrijven",
        object_type="uitsluiting",
        object_id=melding.id,
        fields=["reden"],
        request_id=request_id,
    )
    return uitsluiting


# --- notes -------------------------------------------------------------------------------


def tekst_aad(notitie_id: str) -> str:
    return field_aad("melding_notities", "tekst", notitie_id)


def _notitie_read(cipher: RecordCipher, n: Notitie) -> NotitieRead:
    return NotitieRead.model_validate(
        {
            "id": n.id,
            "melding_id": n.melding_id,
            "auteur": n.auteur,
            "tekst": cipher.decrypt(n.tekst, aad=tekst_aad(n.id)),
            "moment": n.moment,
        }
    )


def _notitie_audit(actor: str, action: str, melding_id: str, rid: str | None) -> dict[str, Any]:
    return {
        "actor": actor,
        "action": action,
        "object_type": "notities",
        "object_id": melding_id,
        "fields": ["tekst"],
        "request_id": rid,
    }


async def notitie_plaatsen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    tekst: str,
    principal: Principal,
    request_id: str | None,
) -> NotitieRead:
    notitie_id = str(uuid.uuid4())
    rc = await record_cipher(session, cipher, notities_ref(melding.id))
    notitie = Notitie(
        id=notitie_id,
        melding_id=melding.id,
        auteur=principal.sub,
        tekst=rc.encrypt(tekst, aad=tekst_aad(notitie_id)),
    )
    session.add(notitie)
    await session.flush()
    await registreer_stap(session, melding.id, "notitie", principal.sub)
    await queue_audit(session, **_notitie_audit(principal.sub, "schrijven", melding.id, request_id))
    return _notitie_read(rc, notitie)


async def notities_lezen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    principal: Principal,
    page: Page,
    request_id: str | None,
) -> tuple[list[NotitieRead], int]:
    """One page of the notes, oldest first, decrypted; every read is audited."""
    waar = Notitie.melding_id == melding.id
    total = int(await session.scalar(select(func.count(Notitie.id)).where(waar)) or 0)
    rows = list(
        await session.scalars(
            select(Notitie)
            .where(waar)
            .order_by(Notitie.moment, Notitie.id)
            .offset(page.offset)
            .limit(page.page_size)
        )
    )
    if rows:
        await record_audit(
            session, **_notitie_audit(principal.sub, "lezen", melding.id, request_id)
        )
    rc = await record_cipher(session, cipher, notities_ref(melding.id), aanmaken=False)
    return [_notitie_read(rc, n) for n in rows], total


# --- identity on a need-to-know basis --------------------------------------------------------


async def melder_inzien(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    reden: str,
    principal: Principal,
    request_id: str | None,
) -> dict[str, Any]:
    """The melder's identity, for the behandelaar or a coordinator. The request is stored
    with its reason (encrypted), audited, and shown in the timeline."""
    if not is_behandelaar_of_coordinator(principal, melding):
        raise Forbidden("Alleen de behandelaar of een coördinator ziet wie de melder is.")
    rc = await record_cipher(session, cipher, melding_ref(melding.id), aanmaken=False)
    melder = melder_lezen(rc, melding)
    if melder is None:
        raise NotFound("Deze melding heeft geen bekende melder.")
    inzage_id = str(uuid.uuid4())
    session.add(
        MelderInzage(
            id=inzage_id,
            melding_id=melding.id,
            actor=principal.sub,
            reden=cipher.encrypt(reden, aad=reden_aad("melder_inzagen", inzage_id)),
            request_id=request_id,
        )
    )
    await session.flush()
    await registreer_stap(session, melding.id, "melder-inzage", principal.sub)
    await record_audit(
        session,
        actor=principal.sub,
        action="melder-inzage",
        object_type="melding",
        object_id=melding.id,
        fields=["melder", "reden"],
        request_id=request_id,
    )
    return melder
