"""Casussen: registration, closing (the `CASUS` workflow) and counts for the cvp."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared import codes
from integriteit_shared.crypto.audit import record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import record_cipher, record_ref
from integriteit_shared.db.base import new_id as nieuw_id
from integriteit_shared.events.models import CasusAfgesloten, CasusGeregistreerd
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.kalender import AMSTERDAM, vandaag
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.onderdrukking import Cel, onderdruk_kruistabel, uitsplitsingsdatum
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


def casus_ref(casus_id: str) -> str:
    """The record whose data key protects a casus note (vertrouwenspersonen.bewaren)."""
    return record_ref("casussen", casus_id)


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
    rc = await record_cipher(session, cipher, casus_ref(casus_id)) if notitie else None
    casus = Casus(
        id=casus_id,
        eigenaar=eigenaar,
        defensieonderdeel=defensieonderdeel,
        datum=datum,
        hoofdcategorie=hoofdcategorie,
        subcategorie=subcategorie,
        notitie=rc.encrypt(notitie, aad=notitie_aad(casus_id)) if rc and notitie else None,
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
    rc = await record_cipher(session, cipher, casus_ref(casus.id), aanmaken=False)
    tekst = rc.decrypt(casus.notitie, aad=notitie_aad(casus.id))
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
    """Casussen registered in the year per hoofdcategorie, with their total: of one
    onderdeel (suppressed, `beveiligde_tellingen`), or Defensie-wide (never suppressed).

    Per onderdeel, a year still running counts the casussen registered by the last month
    end (`uitsplitsingsdatum`, as rapportage's figures per onderdeel): day by day, the
    difference would tie each new casus to its onderdeel (docs/privacy.md)."""
    query = (
        select(Casus.defensieonderdeel, Casus.hoofdcategorie, func.count())
        .where(Casus.datum >= date(jaar, 1, 1), Casus.datum <= date(jaar, 12, 31))
        .group_by(Casus.defensieonderdeel, Casus.hoofdcategorie)
    )
    nu = vandaag()
    stand = uitsplitsingsdatum(jaar, nu, nu)
    if onderdeel is not None and stand < nu:
        tot = datetime.combine(stand + timedelta(days=1), time(), tzinfo=AMSTERDAM)
        query = query.where(Casus.created_at < tot.astimezone(UTC))
    aantallen = {(o, h): int(n) for o, h, n in await session.execute(query)}
    return beveiligde_tellingen(aantallen, onderdeel=onderdeel, drempel=drempel)


def beveiligde_tellingen(
    aantallen: Mapping[tuple[str, str], int], *, onderdeel: str | None, drempel: int
) -> tuple[Cel, dict[str, Cel]]:
    """The total and the counts per hoofdcategorie of one onderdeel (None: Defensie-wide,
    never suppressed), from the counts per (onderdeel, hoofdcategorie) of one year.

    Per onderdeel the whole table (every onderdeel by hoofdcategorie) is protected at once
    (`integriteit_shared.onderdrukking.onderdruk_kruistabel`): small counts and enough
    more cells that none follows from the totals. An onderdeel's total is hidden only when
    the same rule hides it in rapportage's `GET /indicatoren` (casussen per onderdeel):
    when it is small itself, is the complement of one that is, or holds every casus of
    the year. Else it is shown, also next to hidden cells: the cells hidden with them (in
    this row and in another onderdeel's) keep them from being worked out.
    """
    if onderdeel is None:
        per = {
            h: sum(n for (_, h2), n in aantallen.items() if h2 == h) for h in codes.HOOFDCATEGORIEEN
        }
        return Cel(sum(per.values()), False), {h: Cel(n, False) for h, n in per.items()}
    totalen, cellen = onderdruk_kruistabel(
        aantallen, rijen=codes.DEFENSIEONDERDELEN, kolommen=codes.HOOFDCATEGORIEEN, drempel=drempel
    )
    return totalen[onderdeel], {h: cellen[(onderdeel, h)] for h in codes.HOOFDCATEGORIEEN}
