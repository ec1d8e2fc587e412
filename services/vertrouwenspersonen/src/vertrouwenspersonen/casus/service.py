"""Casussen: registration, closing (the `CASUS` workflow) and counts for the cvp."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared import codes
from integriteit_shared.crypto.audit import record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.db.base import new_id as nieuw_id
from integriteit_shared.events.models import CasusAfgesloten, CasusGeregistreerd
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.onderdrukking import Cel, onderdruk_tabel
from integriteit_shared.workflow import Workflow
from vertrouwenspersonen.casus.models import Casus

OBJECT_TYPE = "casus"

CASUS: Workflow[Casus] = Workflow(
    aggregate="casus",
    initial="open",
    transitions={"open": {"afsluiten": "afgesloten"}, "afgesloten": {}},
    state_of=lambda casus: casus.status,
    stored_status=lambda toestand: toestand,
)


def notitie_aad(casus_id: str) -> str:
    return field_aad("casussen", "notitie", casus_id)


async def registreren(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    eigenaar: str,
    defensieonderdeel: str,
    datum: date,
    hoofdcategorie: str,
    subcategorie: str,
    notitie: str | None,
    request_id: str | None,
) -> Casus:
    casus_id = nieuw_id()
    casus = Casus(
        id=casus_id,
        eigenaar=eigenaar,
        defensieonderdeel=defensieonderdeel,
        datum=datum,
        hoofdcategorie=hoofdcategorie,
        subcategorie=subcategorie,
        notitie=cipher.encrypt(notitie, aad=notitie_aad(casus_id)) if notitie else None,
        status="open",
    )
    session.add(casus)
    await session.flush()
    if notitie:
        await record_audit(
            session,
            actor=eigenaar,
            action="schrijven",
            object_type=OBJECT_TYPE,
            object_id=casus_id,
            fields=["notitie"],
            request_id=request_id,
        )
    # Codes and dates only: no adviser, no note.
    await publish(
        session,
        CasusGeregistreerd.model_validate(
            {
                "casus_id": casus_id,
                "defensieonderdeel": defensieonderdeel,
                "datum": datum,
                "hoofdcategorie": hoofdcategorie,
                "subcategorie": subcategorie,
            }
        ),
    )
    return casus


async def afsluiten(
    session: AsyncSession, *, casus: Casus, datum: date, doorverwezen_naar: str | None
) -> Casus:
    CASUS.next_state(casus.status, "afsluiten")
    if datum < casus.datum:
        raise BadRequest(
            "De afsluiting ligt vóór de datum van de casus.",
            invalid_params=[
                {"name": "datum", "reason": "Mag niet vóór de datum van de casus liggen."}
            ],
        )
    CASUS.apply(casus, "afsluiten")
    casus.afsluitdatum = datum
    casus.doorverwezen_naar = doorverwezen_naar
    await session.flush()
    await publish(
        session,
        CasusAfgesloten.model_validate(
            {"casus_id": casus.id, "datum": datum, "doorverwezen_naar": doorverwezen_naar}
        ),
    )
    return casus


async def notitie_lezen(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    casus: Casus,
    lezer: str,
    request_id: str | None,
) -> str | None:
    """The decrypted note, with the read written to the audit log in the same transaction."""
    if casus.notitie is None:
        return None
    tekst = cipher.decrypt(casus.notitie, aad=notitie_aad(casus.id))
    await record_audit(
        session,
        actor=lezer,
        action="lezen",
        object_type=OBJECT_TYPE,
        object_id=casus.id,
        fields=["notitie"],
        request_id=request_id,
    )
    return tekst


def _lijst_query(
    *,
    eigenaar: str,
    status: str | None,
    hoofdcategorie: str | None,
    datum_vanaf: date | None,
    datum_tot: date | None,
) -> Select[Casus]:
    query = select(Casus).where(Casus.eigenaar == eigenaar)
    if status is not None:
        query = query.where(Casus.status == status)
    if hoofdcategorie is not None:
        query = query.where(Casus.hoofdcategorie == hoofdcategorie)
    if datum_vanaf is not None:
        query = query.where(Casus.datum >= datum_vanaf)
    if datum_tot is not None:
        query = query.where(Casus.datum <= datum_tot)
    return query


async def lijst(
    session: AsyncSession,
    *,
    eigenaar: str,
    status: str | None,
    hoofdcategorie: str | None,
    datum_vanaf: date | None,
    datum_tot: date | None,
    page: Page,
) -> tuple[list[Casus], int]:
    query = _lijst_query(
        eigenaar=eigenaar,
        status=status,
        hoofdcategorie=hoofdcategorie,
        datum_vanaf=datum_vanaf,
        datum_tot=datum_tot,
    )
    return await pagina(session, query.order_by(Casus.datum.desc(), Casus.id), page)


async def tellingen(
    session: AsyncSession, *, jaar: int, onderdeel: str | None, drempel: int
) -> tuple[Cel, dict[str, Cel]]:
    """Casussen registered in the year per hoofdcategorie. Per onderdeel, counts from 1 to
    `drempel` are suppressed, and then the total too (else it would give the hidden count
    away); Defensie-wide counts are never suppressed."""
    query = (
        select(Casus.hoofdcategorie, func.count())
        .where(Casus.datum >= date(jaar, 1, 1), Casus.datum <= date(jaar, 12, 31))
        .group_by(Casus.hoofdcategorie)
    )
    if onderdeel is not None:
        query = query.where(Casus.defensieonderdeel == onderdeel)
    aantallen = {h: int(n) for h, n in await session.execute(query)}
    return onderdruk_tabel(
        {h: aantallen.get(h, 0) for h in codes.HOOFDCATEGORIEEN},
        drempel=None if onderdeel is None else drempel,
    )
