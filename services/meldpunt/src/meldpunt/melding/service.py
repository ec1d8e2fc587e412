"""Rules of a melding: intake, the handling state machine, misstand track, clocks, lists."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypeAliasType

from integriteit_shared.auth.validation import Principal
from integriteit_shared.crypto.audit import record_audit
from integriteit_shared.crypto.fields import FieldCipher
from integriteit_shared.crypto.gegevenssleutels import (
    RecordCipher,
    nieuwe_gegevenssleutel,
    record_cipher,
)
from integriteit_shared.crypto.koppeling import Koppelaar
from integriteit_shared.db.base import utcnow
from integriteit_shared.db.session import Database
from integriteit_shared.events import new_envelope
from integriteit_shared.events.models import (
    EventData,
    MeldingAfdoeningBepaald,
    MeldingAfgerond,
    MeldingGecategoriseerd,
    MeldingOntvangen,
    MeldingOntvangstBevestigd,
    MeldingTerugkoppelingGegeven,
    MisstandAfgerond,
    MisstandVermoedenGeregistreerd,
)
from integriteit_shared.http.pagination import Page, pagina
from integriteit_shared.http.problems import BadRequest
from integriteit_shared.messaging.outbox import publish
from integriteit_shared.notificaties import Planner
from meldpunt import herinneringen
from meldpunt.melding.dependencies import niet_uitgesloten
from meldpunt.melding.models import Melding, melder_aad, melding_ref, omschrijving_aad
from meldpunt.melding.opslag import intake_opslaan
from meldpunt.melding.schemas import MeldingCreate, TermijnSignaal
from meldpunt.melding.workflow import MELDING, MISSTAND, melding_toestand
from meldpunt.nazorg import service as nazorg
from meldpunt.termijnen import amsterdam_date, bereken_termijnen, vandaag
from meldpunt.tijdlijn.service import ANONIEM, MELDER, registreer_stap, stap_kolommen
from meldpunt.volgsessie import codes as volgcodes

# Who may do what at intake beyond the contract's role list (CONTRACT.md leaves it to us):
# a receipt moment in the past (phone, paper, history) is set by whoever registers on
# someone else's behalf; kanaal "leidinggevende" is the chain of command.
ROLLEN_ONTVANGEN_OP = ("coid_adviseur", "leidinggevende")
ROLLEN_KANAAL_LEIDINGGEVENDE = ("coid_adviseur", "leidinggevende")
# who may follow up their own named melding (/mijn/meldingen) with their token
ROLLEN_EIGEN_MELDING = ("medewerker", "leidinggevende")


def eigen_melding(data: MeldingCreate, principal: Principal | None) -> bool:
    """Did the caller file this melding under their own name? Not when it is anonymous,
    nor when staff file on someone's behalf: the meldpunt (phone, paper), a receipt moment
    in the past, or a leidinggevende passing on what was reported to them."""
    return (
        principal is not None
        and not data.anoniem
        and principal.has_any(*ROLLEN_EIGEN_MELDING)
        and not principal.has_any("coid_adviseur", "coid_coordinator")
        and data.ontvangen_op is None
        and data.kanaal != "leidinggevende"
    )


# --- intake ----------------------------------------------------------------------------


def intake_fouten(data: MeldingCreate, principal: Principal | None) -> list[dict[str, str]]:
    """Checks that depend on who calls; collected so one 400 names every field."""
    fouten: list[dict[str, str]] = []
    if principal is None:
        if not data.anoniem:
            fouten.append(
                {"name": "anoniem", "reason": "Zonder token kan alleen anoniem worden gemeld."}
            )
        if data.ontvangen_op is not None:
            fouten.append({"name": "ontvangenOp", "reason": "Alleen medewerkers van het meldpunt."})
    elif data.ontvangen_op is not None and not principal.has_any(*ROLLEN_ONTVANGEN_OP):
        fouten.append({"name": "ontvangenOp", "reason": "Niet toegestaan voor uw rol."})
    if data.kanaal == "leidinggevende" and (
        principal is None or not principal.has_any(*ROLLEN_KANAAL_LEIDINGGEVENDE)
    ):
        fouten.append(
            {
                "name": "kanaal",
                "reason": "Kanaal 'leidinggevende' is voor leidinggevenden en het meldpunt.",
            }
        )
    ontvangen = data.ontvangen_op or datetime.now(UTC)
    if data.datum_voorval is not None and data.datum_voorval > amsterdam_date(ontvangen):
        fouten.append({"name": "datumVoorval", "reason": "Ligt na de ontvangst van de melding."})
    return fouten


def _melding_kolommen(
    data: MeldingCreate,
    principal: Principal | None,
    service_cipher: FieldCipher,
    koppelaar: Koppelaar,
) -> tuple[dict[str, Any], str | None, dict[str, Any]]:
    """Every column of a new melding except its referentie, the volgcode (anonymous) and
    the melding's data key (its row in gegevenssleutels)."""
    melding_id = str(uuid.uuid4())
    cipher, sleutel = nieuwe_gegevenssleutel(service_cipher, melding_ref(melding_id))
    ontvangen_op = (data.ontvangen_op or datetime.now(UTC)).astimezone(UTC)
    ontvangen_datum = amsterdam_date(ontvangen_op)
    termijnen = bereken_termijnen(ontvangen_datum)
    volgcode = volgcodes.nieuwe_volgcode() if data.anoniem else None
    eigen = eigen_melding(data, principal)
    nu = utcnow()
    kolommen: dict[str, Any] = {
        "id": melding_id,
        "status": "ontvangen",
        "kanaal": data.kanaal,
        "defensieonderdeel": data.defensieonderdeel,
        "hoofdcategorie": data.hoofdcategorie,
        "subcategorie": data.subcategorie,
        "anoniem": data.anoniem,
        "vermoeden_misstand": data.vermoeden_misstand,
        "datum_voorval": data.datum_voorval,
        "omschrijving": cipher.encrypt(data.omschrijving, aad=omschrijving_aad(melding_id)),
        "melder": (
            cipher.encrypt(
                json.dumps(data.melder.model_dump(), ensure_ascii=False),
                aad=melder_aad(melding_id),
            )
            if data.melder is not None
            else None
        ),
        "ontvangen_op": ontvangen_op,
        "ontvangen_datum": ontvangen_datum,
        "ontvangstbevestiging_uiterlijk": termijnen.ontvangstbevestiging_uiterlijk,
        "terugkoppeling_uiterlijk": termijnen.terugkoppeling_uiterlijk,
        "ontvangstbevestiging_datum": None,
        "afdoening": None,
        "afdoening_datum": None,
        "terugkoppeling_datum": None,
        "conclusie": None,
        "afronding_datum": None,
        "misstand_vermoeden_datum": ontvangen_datum if data.vermoeden_misstand else None,
        "misstand_vastgesteld": None,
        "misstand_afronding_datum": None,
        "volgcode_selector": volgcodes.selector(volgcode) if volgcode else None,
        "volgcode_hash": None,  # hashed (Argon2, in a thread) by the caller
        # nothing may tie an anonymous melding to whoever filed it, and a melder's own
        # melding is tied to them only through the keyed hash
        "geregistreerd_door": (
            None if data.anoniem or principal is None or eigen else principal.sub
        ),
        "behandelaar": None,
        "behandelaar_adres": None,
        "melder_koppeling": koppelaar(principal.sub) if eigen and principal else None,
        "created_at": nu,
        "updated_at": nu,
    }
    return kolommen, volgcode, sleutel


def _intake_events(m: dict[str, Any]) -> list[EventData]:
    events: list[EventData] = [
        MeldingOntvangen(
            melding_id=m["id"],
            ontvangen_op=m["ontvangen_op"],
            kanaal=m["kanaal"],
            defensieonderdeel=m["defensieonderdeel"],
            hoofdcategorie=m["hoofdcategorie"],
            subcategorie=m["subcategorie"],
            anoniem=m["anoniem"],
            vermoeden_misstand=m["vermoeden_misstand"],
        )
    ]
    if m["vermoeden_misstand"]:
        events.append(
            MisstandVermoedenGeregistreerd(melding_id=m["id"], datum=m["ontvangen_datum"])
        )
    return events


def _intake_stap(m: dict[str, Any], principal: Principal | None) -> dict[str, Any]:
    """The timeline's first step: who filed it (the melder themself as `melder`)."""
    if m["anoniem"] or principal is None:
        actor = ANONIEM
    elif m["melder_koppeling"] is not None:
        actor = MELDER
    else:
        actor = principal.sub
    return stap_kolommen(
        m["id"],
        "ontvangen",
        actor,
        m["created_at"],
        {
            "kanaal": m["kanaal"],
            "hoofdcategorie": m["hoofdcategorie"],
            "subcategorie": m["subcategorie"],
            "anoniem": m["anoniem"],
            "vermoeden_misstand": m["vermoeden_misstand"],
        },
    )


async def registreren(
    db: Database,
    *,
    cipher: FieldCipher,
    koppelaar: Koppelaar,
    data: MeldingCreate,
    principal: Principal | None,
    request_id: str | None = None,
) -> tuple[dict[str, Any], str | None]:
    """Register a melding with its gapless reference, its events and the audit entry of
    its protected text, committed when this returns. Gives every column (referentie
    included) and the volgcode (anonymous only)."""
    fouten = intake_fouten(data, principal)
    if fouten:
        raise BadRequest("De melding is ongeldig.", invalid_params=fouten)
    m, volgcode, sleutel = _melding_kolommen(data, principal, cipher, koppelaar)
    if volgcode:
        m["volgcode_hash"] = await volgcodes.hash_volgcode(volgcode)
    envelopes = [new_envelope(e) for e in _intake_events(m)]
    stap = _intake_stap(m, principal)
    audit: dict[str, Any] = {
        # nothing may tie an anonymous melding to whoever filed it, nor a named melder's
        # own melding to their sub (only the keyed hash does)
        "actor": stap["actor"],
        "action": "schrijven",
        "object_type": "melding",
        "object_id": m["id"],
        "fields": ["omschrijving"] + (["melder"] if m["melder"] is not None else []),
        "request_id": request_id,
    }
    m["referentie"] = await intake_opslaan(
        db, melding=m, envelopes=envelopes, audit=audit, stap=stap, sleutel=sleutel
    )
    return m, volgcode


async def beschermd_lezen(
    session: AsyncSession,
    *,
    cipher: FieldCipher,
    melding: Melding,
    lezer: Principal,
    request_id: str | None,
) -> dict[str, Any]:
    """The melding's protected text (omschrijving), decrypted; the read is audited. The
    melder's identity is not in it: only `melder-inzage` gives that, with a reason."""
    await record_audit(
        session,
        actor=lezer.sub,
        action="lezen",
        object_type="melding",
        object_id=melding.id,
        fields=["omschrijving"],
        request_id=request_id,
    )
    rc = await record_cipher(session, cipher, melding_ref(melding.id), aanmaken=False)
    return {"omschrijving": omschrijving_lezen(rc, melding)}


def melder_lezen(cipher: RecordCipher, melding: Melding) -> dict[str, Any] | None:
    """The melder's contact details; None for an anonymous melding or once destroyed."""
    if melding.melder is None:
        return None
    data: dict[str, Any] = json.loads(cipher.decrypt(melding.melder, aad=melder_aad(melding.id)))
    return data


def omschrijving_lezen(cipher: RecordCipher, melding: Melding) -> str:
    return cipher.decrypt(melding.omschrijving, aad=omschrijving_aad(melding.id))


# --- handling: the state machine (`meldpunt.melding.workflow`) ---------------------------


@dataclass(frozen=True)
class Stap:
    """What a handling step records besides its state: its date, and the earlier steps'
    dates it may not precede."""

    datum_veld: str
    na: tuple[str, ...]


STAPPEN: dict[str, Stap] = {
    "ontvangstbevestiging": Stap("ontvangstbevestiging_datum", ()),
    "afdoening": Stap("afdoening_datum", ("ontvangstbevestiging_datum",)),
    "terugkoppeling": Stap(
        "terugkoppeling_datum", ("ontvangstbevestiging_datum", "afdoening_datum")
    ),
    "afronding": Stap(
        "afronding_datum",
        ("ontvangstbevestiging_datum", "afdoening_datum", "terugkoppeling_datum"),
    ),
}


def _check_datum(melding: Melding, datum: date, na: Sequence[str]) -> None:
    grenzen = [("ontvangen_datum", melding.ontvangen_datum)] + [
        (veld, getattr(melding, veld)) for veld in na
    ]
    for veld, grens in grenzen:
        if grens is not None and datum < grens:
            raise BadRequest(
                "De datum ligt vóór een eerdere stap.",
                invalid_params=[
                    {"name": "datum", "reason": f"Ligt vóór {grens.isoformat()} ({veld})."}
                ],
            )


def _zet_stap(melding: Melding, actie: str, datum: date | None) -> date:
    """Check the step against the workflow table and its date, then record both."""
    stap = STAPPEN[actie]
    dag = datum or vandaag()
    MELDING.next_state(melding_toestand(melding), actie)  # 409 before any date check
    _check_datum(melding, dag, stap.na)
    MELDING.apply(melding, actie)
    setattr(melding, stap.datum_veld, dag)
    return dag


async def ontvangst_bevestigen(
    session: AsyncSession, *, actor: str, melding: Melding, datum: date | None
) -> None:
    dag = _zet_stap(melding, "ontvangstbevestiging", datum)
    # the 3-month clock runs from the acknowledgement once there is one
    melding.terugkoppeling_uiterlijk = bereken_termijnen(
        melding.ontvangen_datum, dag
    ).terugkoppeling_uiterlijk
    await session.flush()
    await herinneringen.stap_gezet(session, melding, "ontvangstbevestiging")
    await registreer_stap(session, melding.id, "ontvangstbevestiging", actor, datum=dag)
    await publish(session, MeldingOntvangstBevestigd(melding_id=melding.id, datum=dag))


async def afdoening_bepalen(
    session: AsyncSession, *, actor: str, melding: Melding, afdoening: str, datum: date | None
) -> None:
    dag = _zet_stap(melding, "afdoening", datum)
    melding.afdoening = afdoening
    await session.flush()
    await registreer_stap(session, melding.id, "afdoening", actor, afdoening=afdoening, datum=dag)
    await publish(
        session,
        MeldingAfdoeningBepaald.model_validate(
            {"melding_id": melding.id, "afdoening": afdoening, "datum": dag}
        ),
    )


async def terugkoppeling_geven(
    session: AsyncSession, *, actor: str, melding: Melding, datum: date | None
) -> None:
    dag = _zet_stap(melding, "terugkoppeling", datum)
    await session.flush()
    await herinneringen.stap_gezet(session, melding, "terugkoppeling")
    await registreer_stap(session, melding.id, "terugkoppeling", actor, datum=dag)
    await publish(session, MeldingTerugkoppelingGegeven(melding_id=melding.id, datum=dag))


async def afronden(
    session: AsyncSession,
    *,
    actor: str,
    melding: Melding,
    conclusie: str,
    datum: date | None,
    planner: Planner,
) -> None:
    dag = _zet_stap(melding, "afronding", datum)
    melding.conclusie = conclusie
    await session.flush()
    await herinneringen.stap_gezet(session, melding, "afronding")
    await nazorg.plannen(session, planner, melding)  # a named melder: aftercare
    await registreer_stap(session, melding.id, "afronding", actor, conclusie=conclusie, datum=dag)
    await publish(
        session,
        MeldingAfgerond.model_validate(
            {"melding_id": melding.id, "conclusie": conclusie, "datum": dag}
        ),
    )


async def categoriseren(
    session: AsyncSession, *, actor: str, melding: Melding, hoofdcategorie: str, subcategorie: str
) -> None:
    MELDING.apply(melding, "categorisering")
    if (melding.hoofdcategorie, melding.subcategorie) == (hoofdcategorie, subcategorie):
        return  # nothing changed, nothing to tell
    melding.hoofdcategorie = hoofdcategorie
    melding.subcategorie = subcategorie
    await session.flush()
    await registreer_stap(
        session,
        melding.id,
        "categorisering",
        actor,
        hoofdcategorie=hoofdcategorie,
        subcategorie=subcategorie,
    )
    await publish(
        session,
        MeldingGecategoriseerd.model_validate(
            {
                "melding_id": melding.id,
                "hoofdcategorie": hoofdcategorie,
                "subcategorie": subcategorie,
            }
        ),
    )


# --- misstand track ---------------------------------------------------------------------


async def misstand_vermoeden_registreren(
    session: AsyncSession, *, actor: str, melding: Melding, datum: date | None
) -> None:
    MISSTAND.apply(melding, "vermoeden")
    dag = datum or vandaag()
    _check_datum(melding, dag, ())
    melding.vermoeden_misstand = True
    melding.misstand_vermoeden_datum = dag
    await session.flush()
    await registreer_stap(session, melding.id, "misstand-vermoeden", actor, datum=dag)
    await publish(session, MisstandVermoedenGeregistreerd(melding_id=melding.id, datum=dag))


async def misstand_afronden(
    session: AsyncSession, *, actor: str, melding: Melding, vastgesteld: bool, datum: date | None
) -> None:
    MISSTAND.apply(melding, "afronding")
    dag = datum or vandaag()
    _check_datum(melding, dag, ("misstand_vermoeden_datum",))
    melding.misstand_vastgesteld = vastgesteld
    melding.misstand_afronding_datum = dag
    await session.flush()
    await registreer_stap(
        session, melding.id, "misstand-afronding", actor, vastgesteld=vastgesteld, datum=dag
    )
    await publish(
        session, MisstandAfgerond(melding_id=melding.id, vastgesteld=vastgesteld, datum=dag)
    )


# --- lists ---------------------------------------------------------------------------------


TermijnFilter = TypeAliasType("TermijnFilter", Literal["verlopen", "binnen-7-dagen"])


@dataclass(frozen=True)
class MeldingFilter:
    status: str | None = None
    defensieonderdeel: str | None = None
    hoofdcategorie: str | None = None
    ontvangen_vanaf: date | None = None
    ontvangen_tot: date | None = None
    referentie: str | None = None
    behandelaar: str | None = None
    termijn: TermijnFilter | None = None


def open_termijn(van: date | None, tot: date) -> ColumnElement[bool]:
    """A melding with a legal clock still open whose deadline lies in [van, tot]."""

    def venster(kolom: Any) -> ColumnElement[bool]:
        return and_(kolom <= tot, kolom >= van) if van is not None else kolom <= tot

    return or_(
        and_(
            Melding.ontvangstbevestiging_datum.is_(None),
            venster(Melding.ontvangstbevestiging_uiterlijk),
        ),
        and_(
            Melding.terugkoppeling_datum.is_(None),
            Melding.status != "afgerond",
            venster(Melding.terugkoppeling_uiterlijk),
        ),
    )


def _termijn_conditie(termijn: TermijnFilter, vandaag_: date) -> ColumnElement[bool]:
    if termijn == "verlopen":
        return open_termijn(None, vandaag_ - timedelta(days=1))
    return open_termijn(vandaag_, vandaag_ + timedelta(days=7))


def _gefilterd(query: Select[Any], f: MeldingFilter, scope: str | None) -> Select[Any]:
    gelijk = {
        Melding.defensieonderdeel: scope,
        Melding.status: f.status,
        Melding.hoofdcategorie: f.hoofdcategorie,
        Melding.referentie: f.referentie,
        Melding.behandelaar: f.behandelaar,
    }
    for kolom, waarde in gelijk.items():
        if waarde is not None:
            query = query.where(kolom == waarde)
    if f.defensieonderdeel is not None:
        query = query.where(Melding.defensieonderdeel == f.defensieonderdeel)
    if f.ontvangen_vanaf is not None:
        query = query.where(Melding.ontvangen_datum >= f.ontvangen_vanaf)
    if f.ontvangen_tot is not None:
        query = query.where(Melding.ontvangen_datum <= f.ontvangen_tot)
    if f.termijn is not None:
        query = query.where(_termijn_conditie(f.termijn, vandaag()))
    return query


async def lijst(
    session: AsyncSession,
    *,
    filter: MeldingFilter,
    scope: str | None,
    page: Page,
    lezer_sub: str,
) -> tuple[list[Melding], int]:
    """One page of the meldingen in scope, without those the reader is excluded from."""
    query = _gefilterd(select(Melding), filter, scope).where(niet_uitgesloten(lezer_sub))
    return await pagina(
        session, query.order_by(Melding.ontvangen_op.desc(), Melding.referentie.desc()), page
    )


async def termijnbewaking(
    session: AsyncSession,
    *,
    binnen_dagen: int,
    scope: str | None,
    vandaag_: date,
    lezer_sub: str,
) -> list[TermijnSignaal]:
    """Open clocks whose deadline has passed or falls within `binnen_dagen` days."""
    grens = date.fromordinal(vandaag_.toordinal() + binnen_dagen)
    query = select(Melding).where(open_termijn(None, grens), niet_uitgesloten(lezer_sub))
    if scope is not None:
        query = query.where(Melding.defensieonderdeel == scope)
    signalen: list[TermijnSignaal] = []
    for m in await session.scalars(query):
        kandidaten: list[tuple[str, date]] = []
        if m.ontvangstbevestiging_datum is None and m.ontvangstbevestiging_uiterlijk <= grens:
            kandidaten.append(("ontvangstbevestiging", m.ontvangstbevestiging_uiterlijk))
        if (
            m.terugkoppeling_datum is None
            and m.status != "afgerond"
            and m.terugkoppeling_uiterlijk <= grens
        ):
            kandidaten.append(("terugkoppeling", m.terugkoppeling_uiterlijk))
        for termijn, uiterlijk in kandidaten:
            dagen = (uiterlijk - vandaag_).days
            signalen.append(
                TermijnSignaal.model_validate(
                    {
                        "melding_id": m.id,
                        "referentie": m.referentie,
                        "defensieonderdeel": m.defensieonderdeel,
                        "status": m.status,
                        "termijn": termijn,
                        "uiterlijk": uiterlijk,
                        "dagen_resterend": dagen,
                        "verlopen": dagen < 0,
                    }
                )
            )
    signalen.sort(key=lambda s: (s.uiterlijk, s.referentie, s.termijn))
    return signalen
