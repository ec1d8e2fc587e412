"""Klachten rules: the state machine, the Awb deadline and the operations that change a klacht.

States (``status``):

- ``ingediend``: received; handled informally or (once) referred to the COG;
- ``cog_behandeling``: a Commissie Ongewenst Gedrag handles it (term becomes 10 weeks);
- ``cog_advies``: the COG has advised; the competent authority decides next;
- ``afgehandeld``: closed with a ``wijze`` and ``oordeel``.

One adjournment (verdaging) of 1-4 weeks is allowed in any open state: the workflow's
state says whether it has been used (``cog_behandeling_verdaagd``, stored as the status
``cog_behandeling`` with ``verdaging_weken`` set).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import record_audit
from integriteit_shared.crypto.fields import FieldCipher, field_aad
from integriteit_shared.crypto.gegevenssleutels import record_cipher, record_ref
from integriteit_shared.crypto.koppeling import Koppelaar
from integriteit_shared.db.base import utcnow
from integriteit_shared.events.models import (
    CogAdviesUitgebracht,
    CogBehandelingGestart,
    KlachtAfgehandeld,
    KlachtIngediend,
    KlachtVerdaagd,
)
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import BadRequest, Conflict
from integriteit_shared.kalender import amsterdam_date as ontvangstdatum
from integriteit_shared.kalender import klacht_termijn
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.notificaties import Planner
from integriteit_shared.workflow import Workflow
from klachten.klacht import herinneringen
from klachten.klacht.models import Klacht
from klachten.klacht.schemas import (
    AfhandelingCreate,
    CogAdviesCreate,
    CogBehandelingCreate,
    KlachtCreate,
    VerdagingCreate,
)

OBJECT_TYPE: Final = "klacht"

OPEN_STATUSSEN: Final = ("ingediend", "cog_behandeling", "cog_advies")
VERDAAGD: Final = "_verdaagd"


def klacht_toestand(klacht: Klacht) -> str:
    """The status, and for an open klacht whether its one adjournment has been used."""
    if klacht.status in OPEN_STATUSSEN and klacht.verdaging_weken is not None:
        return klacht.status + VERDAAGD
    return klacht.status


def _open(status: str, *, verdaagd: bool) -> dict[str, str]:
    """An open state's actions: its own steps, and (not yet adjourned) one adjournment."""
    suffix = VERDAAGD if verdaagd else ""
    stappen = {
        "ingediend": {
            "cog_behandeling_starten": "cog_behandeling" + suffix,
            "afhandelen": "afgehandeld",
        },
        "cog_behandeling": {"cog_advies_uitbrengen": "cog_advies" + suffix},
        "cog_advies": {"afhandelen": "afgehandeld"},
    }[status]
    return stappen if verdaagd else {**stappen, "verdagen": status + VERDAAGD}


# Anything not in the table is out of order: 409. COG handling starts at most once (there
# is no way back to `ingediend`); during it the advice comes first, then the decision.
KLACHT: Final[Workflow[Klacht]] = Workflow(
    aggregate="klacht",
    initial="ingediend",
    transitions={
        **{s: _open(s, verdaagd=False) for s in OPEN_STATUSSEN},
        **{s + VERDAAGD: _open(s, verdaagd=True) for s in OPEN_STATUSSEN},
        "afgehandeld": {},
    },
    state_of=klacht_toestand,
    stored_status=lambda toestand: toestand.removesuffix(VERDAAGD),
)


def termijn_uiterlijk(
    *, ontvangen_op: datetime, cog_behandeling: bool, verdaging_weken: int | None
) -> date:
    """Last day of the Awb term (`integriteit_shared.kalender.klacht_termijn`)."""
    return klacht_termijn(
        ontvangstdatum(ontvangen_op),
        cog_behandeling=cog_behandeling,
        verdaging_weken=verdaging_weken,
    )


def _herbereken(klacht: Klacht) -> None:
    klacht.termijn_uiterlijk = termijn_uiterlijk(
        ontvangen_op=klacht.ontvangen_op,
        cog_behandeling=klacht.cog_behandeling_datum is not None,
        verdaging_weken=klacht.verdaging_weken,
    )


def _datum_fout(datum: date, *, niet_voor: date, wat: str) -> None:
    if datum < niet_voor:
        raise BadRequest(
            "De invoer is ongeldig: datum",
            invalid_params=[
                {"name": "datum", "reason": f"Mag niet vóór {wat} ({niet_voor.isoformat()})."}
            ],
        )


# how a medewerker filing their own klacht is named in the audit log: never by their sub
EIGEN_INDIENER = "indiener"


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    klacht_id: str,
    fields: list[str],
    request_id: str | None,
    *,
    actor: str | None = None,
) -> None:
    await record_audit(
        session,
        actor=actor or principal.sub,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=klacht_id,
        fields=fields,
        request_id=request_id,
    )


def klacht_ref(klacht_id: str) -> str:
    """The record whose data key protects a klacht's texts (klachten.bewaren)."""
    return record_ref("klachten", klacht_id)


def omschrijving_aad(klacht_id: str) -> str:
    return field_aad("klachten", "omschrijving", klacht_id)


def reden_aad(klacht_id: str) -> str:
    return field_aad("klachten", "verdaging_reden", klacht_id)


async def indienen(
    session: AsyncSession,
    *,
    data: KlachtCreate,
    principal: Principal,
    staff: bool,
    cipher: FieldCipher,
    planner: Planner,
    koppelaar: Koppelaar,
    request_id: str | None,
) -> Klacht:
    if data.ontvangen_op is not None and not staff:
        raise BadRequest(
            "De invoer is ongeldig: ontvangenOp",
            invalid_params=[
                {
                    "name": "ontvangenOp",
                    "reason": "Alleen een klachtbehandelaar mag het ontvangstmoment opgeven.",
                }
            ],
        )
    klacht_id = str(uuid.uuid4())
    rc = await record_cipher(session, cipher, klacht_ref(klacht_id))
    ontvangen_op = (data.ontvangen_op or utcnow()).astimezone(UTC)
    klacht = Klacht(
        id=klacht_id,
        status="ingediend",
        soort=data.soort,
        indiener=data.indiener,
        defensieonderdeel=data.defensieonderdeel,
        omschrijving=rc.encrypt(data.omschrijving, aad=omschrijving_aad(klacht_id)),
        ontvangen_op=ontvangen_op,
        ingediend_door=principal.sub if staff else EIGEN_INDIENER,
        indiener_koppeling=None if staff else koppelaar(principal.sub),
    )
    _herbereken(klacht)
    session.add(klacht)
    await session.flush()
    await _audit(
        session,
        principal,
        "schrijven",
        klacht_id,
        ["omschrijving"],
        request_id,
        actor=None if staff else EIGEN_INDIENER,
    )
    await herinneringen.bijwerken(session, planner, klacht)
    await publish(
        session,
        KlachtIngediend(
            klacht_id=klacht_id,
            ontvangen_op=ontvangen_op,
            soort=data.soort,
            indiener=data.indiener,
            defensieonderdeel=data.defensieonderdeel,
        ),
    )
    return klacht


async def cog_behandeling_starten(
    session: AsyncSession, *, klacht: Klacht, data: CogBehandelingCreate, planner: Planner
) -> Klacht:
    KLACHT.next_state(klacht_toestand(klacht), "cog_behandeling_starten")
    _datum_fout(data.datum, niet_voor=ontvangstdatum(klacht.ontvangen_op), wat="de ontvangst")
    KLACHT.apply(klacht, "cog_behandeling_starten")
    klacht.cog_behandeling_datum = data.datum
    _herbereken(klacht)
    await session.flush()
    await herinneringen.bijwerken(session, planner, klacht)
    await publish(session, CogBehandelingGestart(klacht_id=klacht.id, datum=data.datum))
    return klacht


async def cog_advies_uitbrengen(
    session: AsyncSession, *, klacht: Klacht, data: CogAdviesCreate, planner: Planner
) -> Klacht:
    KLACHT.next_state(klacht_toestand(klacht), "cog_advies_uitbrengen")
    assert klacht.cog_behandeling_datum is not None  # guaranteed by the transitions table
    _datum_fout(data.datum, niet_voor=klacht.cog_behandeling_datum, wat="de COG-behandeling")
    KLACHT.apply(klacht, "cog_advies_uitbrengen")
    klacht.cog_advies = data.advies
    klacht.cog_advies_datum = data.datum
    _herbereken(klacht)
    await session.flush()
    await herinneringen.bijwerken(session, planner, klacht)
    await publish(
        session, CogAdviesUitgebracht(klacht_id=klacht.id, advies=data.advies, datum=data.datum)
    )
    return klacht


async def afhandelen(
    session: AsyncSession, *, klacht: Klacht, data: AfhandelingCreate, planner: Planner
) -> Klacht:
    KLACHT.next_state(klacht_toestand(klacht), "afhandelen")
    if klacht.status == "cog_advies" and data.wijze != "besluit":
        raise Conflict("Na een COG-advies volgt een besluit (wijze 'besluit'), geen informele.")
    if klacht.cog_advies_datum is not None:
        _datum_fout(data.datum, niet_voor=klacht.cog_advies_datum, wat="het COG-advies")
    else:
        _datum_fout(data.datum, niet_voor=ontvangstdatum(klacht.ontvangen_op), wat="de ontvangst")
    KLACHT.apply(klacht, "afhandelen")
    klacht.afhandeling_datum = data.datum
    klacht.afhandeling_wijze = data.wijze
    klacht.afhandeling_oordeel = data.oordeel
    _herbereken(klacht)
    await session.flush()
    await herinneringen.bijwerken(session, planner, klacht)
    await publish(
        session,
        KlachtAfgehandeld(
            klacht_id=klacht.id, wijze=data.wijze, oordeel=data.oordeel, datum=data.datum
        ),
    )
    return klacht


async def verdagen(
    session: AsyncSession,
    *,
    klacht: Klacht,
    data: VerdagingCreate,
    principal: Principal,
    cipher: FieldCipher,
    planner: Planner,
    request_id: str | None,
) -> Klacht:
    KLACHT.apply(klacht, "verdagen")
    klacht.verdaging_weken = data.weken
    rc = await record_cipher(session, cipher, klacht_ref(klacht.id))
    klacht.verdaging_reden = rc.encrypt(data.reden, aad=reden_aad(klacht.id))
    klacht.verdaagd_op = utcnow()
    _herbereken(klacht)
    await session.flush()
    await herinneringen.bijwerken(session, planner, klacht)
    await _audit(session, principal, "schrijven", klacht.id, ["verdagingReden"], request_id)
    await publish(session, KlachtVerdaagd(klacht_id=klacht.id, weken=data.weken))
    return klacht


@dataclass(frozen=True)
class Beschermd:
    omschrijving: str
    verdaging_reden: str | None


async def beschermd_lezen(
    session: AsyncSession,
    *,
    klacht: Klacht,
    principal: Principal,
    cipher: FieldCipher,
    request_id: str | None,
) -> Beschermd:
    """Decrypt the free text of one klacht; every such read is audited."""
    fields = ["omschrijving"]
    reden = None
    rc = await record_cipher(session, cipher, klacht_ref(klacht.id), aanmaken=False)
    if klacht.verdaging_reden is not None:
        reden = rc.decrypt(klacht.verdaging_reden, aad=reden_aad(klacht.id))
        fields.append("verdagingReden")
    omschrijving = rc.decrypt(klacht.omschrijving, aad=omschrijving_aad(klacht.id))
    await _audit(session, principal, "lezen", klacht.id, fields, request_id)
    return Beschermd(omschrijving=omschrijving, verdaging_reden=reden)


def _scoped(query: Select[Klacht], principal: Principal) -> Select[Klacht]:
    if principal.defensieonderdeel is not None:
        query = query.where(Klacht.defensieonderdeel == principal.defensieonderdeel)
    return query


async def lijst(
    session: AsyncSession,
    *,
    principal: Principal,
    page: Page,
    status: str | None,
    soort: str | None,
    defensieonderdeel: str | None,
) -> tuple[list[Klacht], int]:
    query = _scoped(select(Klacht), principal)
    if status is not None:
        query = query.where(Klacht.status == status)
    if soort is not None:
        query = query.where(Klacht.soort == soort)
    if defensieonderdeel is not None:
        query = query.where(Klacht.defensieonderdeel == defensieonderdeel)
    query = query.order_by(Klacht.ontvangen_op.desc(), Klacht.id)
    return await pagina(session, query, page)


async def termijnbewaking(
    session: AsyncSession, *, principal: Principal, page: Page, binnen_dagen: int, peildag: date
) -> tuple[list[Klacht], int]:
    """Open klachten whose term ended or ends within `binnen_dagen` of `peildag`."""
    grens = peildag + timedelta(days=binnen_dagen)
    query = _scoped(select(Klacht), principal).where(
        Klacht.status.in_(OPEN_STATUSSEN), Klacht.termijn_uiterlijk <= grens
    )
    query = query.order_by(Klacht.termijn_uiterlijk, Klacht.ontvangen_op, Klacht.id)
    return await pagina(session, query, page)


async def eigen_klachten(
    session: AsyncSession, *, koppeling: str, page: Page
) -> tuple[list[Klacht], int]:
    """A medewerker's own klachten, newest first."""
    query = (
        select(Klacht)
        .where(Klacht.indiener_koppeling == koppeling)
        .order_by(Klacht.ontvangen_op.desc(), Klacht.id)
    )
    return await pagina(session, query, page)
