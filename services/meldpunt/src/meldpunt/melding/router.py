"""HTTP for meldingen: intake, handling, misstand track, lists, termijnbewaking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from integriteit_shared import codes
from integriteit_shared.auth.dependencies import optional_principal, optional_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import CipherDep, KoppelaarDep, PlannerDep, SessionDep
from integriteit_shared.http.body import voor_body
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.http.problems import controleer_periode
from meldpunt.common import location
from meldpunt.limits import limiters
from meldpunt.melding import service
from meldpunt.melding.dependencies import (
    Adviseur,
    AdviseurMelding,
    DetailLezer,
    MeldingId,
    MeldingLezerStaf,
    laad_melding,
)
from meldpunt.melding.models import Melding
from meldpunt.melding.schemas import (
    AfdoeningBody,
    AfrondingBody,
    CategoriseringBody,
    MeldingAangemaakt,
    MeldingCreate,
    MeldingDetail,
    MeldingRead,
    MeldingStatusRead,
    MisstandAfrondingBody,
    MisstandVermoedenBody,
    OntvangstbevestigingBody,
    TermijnSignaal,
    TerugkoppelingBody,
)
from meldpunt.termijnen import vandaag
from meldpunt.volgsessie.service import VolgsessieToegang

router = APIRouter(tags=["meldingen"])


def read_data(m: Melding) -> dict[str, Any]:
    return _read_data(partial(getattr, m))


def _read_data(v: Callable[[str], Any]) -> dict[str, Any]:
    """The read shape from a column getter (an ORM row's attributes or a dict of columns)."""
    return {
        "id": v("id"),
        "referentie": v("referentie"),
        "status": v("status"),
        "kanaal": v("kanaal"),
        "defensieonderdeel": v("defensieonderdeel"),
        "hoofdcategorie": v("hoofdcategorie"),
        "subcategorie": v("subcategorie"),
        "anoniem": v("anoniem"),
        "vermoeden_misstand": v("vermoeden_misstand"),
        "datum_voorval": v("datum_voorval"),
        "ontvangen_op": v("ontvangen_op"),
        "termijnen": {
            "ontvangstbevestiging_uiterlijk": v("ontvangstbevestiging_uiterlijk"),
            "terugkoppeling_uiterlijk": v("terugkoppeling_uiterlijk"),
        },
        "ontvangstbevestiging_datum": v("ontvangstbevestiging_datum"),
        "afdoening": v("afdoening"),
        "afdoening_datum": v("afdoening_datum"),
        "terugkoppeling_datum": v("terugkoppeling_datum"),
        "conclusie": v("conclusie"),
        "afronding_datum": v("afronding_datum"),
        "behandelaar": v("behandelaar"),
        "melder_bekend": v("melder") is not None,
        "misstand": (
            {
                "vermoeden_datum": v("misstand_vermoeden_datum"),
                "vastgesteld": v("misstand_vastgesteld"),
                "afronding_datum": v("misstand_afronding_datum"),
            }
            if v("vermoeden_misstand")
            else None
        ),
    }


def to_read(m: Melding) -> MeldingRead:
    return MeldingRead.model_validate(read_data(m))


async def anonieme_intake_limiet(request: Request) -> None:
    """Anonymous intake is rate-limited per client, before the body is even read: the token
    (if any) is checked first (cached for the route's own guard), then a caller without one
    is counted."""
    if await optional_principal(request, None) is None:
        lim = limiters(request)
        await lim.intake.hit(lim.key(request))


intake_caller = optional_roles(Rol.medewerker, Rol.leidinggevende, Rol.coid_adviseur)


@router.post(
    "/meldingen",
    status_code=201,
    response_model=MeldingAangemaakt,
    operation_id="registreerMelding",
    summary="Een melding registreren (ook anoniem, zonder token)",
    responses={429: {"description": "Te veel anonieme meldingen; zie `Retry-After`."}},
)
@voor_body(anonieme_intake_limiet)
async def registreer_melding(
    body: MeldingCreate,
    request: Request,
    response: Response,
    cipher: CipherDep,
    koppelaar: KoppelaarDep,
    principal: Annotated[Principal | None, Depends(intake_caller)],
) -> MeldingAangemaakt:
    # No request session: the intake commits itself (on PostgreSQL in one statement)
    # before this returns, so a 201 always means stored.
    state = request.app.state
    melding, volgcode = await service.registreren(
        state.db,
        cipher=cipher,
        koppelaar=koppelaar,
        data=body,
        principal=principal,
        request_id=request_id(request),
    )
    state.relay.notify()
    response.headers["Location"] = location(request, f"/meldingen/{melding['id']}")
    return MeldingAangemaakt.model_validate(
        {**_read_data(melding.__getitem__), "volgcode": volgcode}
    )


@router.get(
    "/meldingen",
    response_model=list[MeldingRead],
    operation_id="zoekMeldingen",
    summary="Meldingen zoeken (zonder beschermde tekst)",
)
async def zoek_meldingen(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: MeldingLezerStaf,
    page: PageDep,
    status: Annotated[codes.MeldingStatus | None, Query()] = None,
    defensieonderdeel: Annotated[codes.Defensieonderdeel | None, Query()] = None,
    hoofdcategorie: Annotated[codes.Hoofdcategorie | None, Query()] = None,
    ontvangen_vanaf: Annotated[
        date | None, Query(alias="ontvangenVanaf", description="Ontvangstdatum vanaf (inclusief).")
    ] = None,
    ontvangen_tot: Annotated[
        date | None, Query(alias="ontvangenTot", description="Ontvangstdatum tot en met.")
    ] = None,
    referentie: Annotated[
        str | None, Query(max_length=20, description="Het meldingsnummer, zoals MID-2024-000001.")
    ] = None,
    behandelaar: Annotated[
        str | None,
        Query(max_length=200, description="De `sub` van de behandelaar, of `mij` voor uzelf."),
    ] = None,
    termijn: Annotated[
        service.TermijnFilter | None,
        Query(
            description="`verlopen`: een open wettelijke termijn is verstreken; "
            "`binnen-7-dagen`: een open termijn verstrijkt vandaag of binnen 7 dagen."
        ),
    ] = None,
) -> list[MeldingRead]:
    controleer_periode(
        ontvangen_vanaf, ontvangen_tot, vanaf_naam="ontvangenVanaf", tot_naam="ontvangenTot"
    )
    rows, total = await service.lijst(
        session,
        filter=service.MeldingFilter(
            status=status,
            defensieonderdeel=defensieonderdeel,
            hoofdcategorie=hoofdcategorie,
            ontvangen_vanaf=ontvangen_vanaf,
            ontvangen_tot=ontvangen_tot,
            referentie=referentie,
            behandelaar=principal.sub if behandelaar == "mij" else behandelaar,
            termijn=termijn,
        ),
        scope=principal.defensieonderdeel,
        page=page,
        lezer_sub=principal.sub,
    )
    set_link_header(request, response, page, total)
    return [to_read(m) for m in rows]


@router.get(
    "/meldingen/{id}",
    response_model=MeldingDetail | MeldingStatusRead,
    operation_id="raadpleegMelding",
    summary="Een melding raadplegen (met volgsessie-token: alleen status en termijnen)",
)
async def raadpleeg_melding(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    lezer: DetailLezer,
) -> MeldingDetail | MeldingStatusRead:
    melding = await laad_melding(session, melding_id, lezer)
    if isinstance(lezer, VolgsessieToegang):
        return MeldingStatusRead.model_validate(read_data(melding))
    beschermd = await service.beschermd_lezen(
        session, cipher=cipher, melding=melding, lezer=lezer, request_id=request_id(request)
    )
    return MeldingDetail.model_validate({**read_data(melding), **beschermd})


@router.post(
    "/meldingen/{id}/ontvangstbevestiging",
    response_model=MeldingRead,
    operation_id="bevestigOntvangst",
    summary="De ontvangst van een melding bevestigen",
)
async def ontvangst_bevestigen(
    body: OntvangstbevestigingBody,
    session: SessionDep,
    melding: AdviseurMelding,
    principal: Adviseur,
) -> MeldingRead:
    await service.ontvangst_bevestigen(
        session, actor=principal.sub, melding=melding, datum=body.datum
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/afdoening",
    response_model=MeldingRead,
    operation_id="bepaalAfdoening",
    summary="De afdoening bepalen (de melding gaat in behandeling)",
)
async def afdoening_bepalen(
    body: AfdoeningBody, session: SessionDep, melding: AdviseurMelding, principal: Adviseur
) -> MeldingRead:
    await service.afdoening_bepalen(
        session, actor=principal.sub, melding=melding, afdoening=body.afdoening, datum=body.datum
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/terugkoppeling",
    response_model=MeldingRead,
    operation_id="geefTerugkoppeling",
    summary="Terugkoppeling aan de melder vastleggen",
)
async def terugkoppeling_geven(
    body: TerugkoppelingBody, session: SessionDep, melding: AdviseurMelding, principal: Adviseur
) -> MeldingRead:
    await service.terugkoppeling_geven(
        session, actor=principal.sub, melding=melding, datum=body.datum
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/afronding",
    response_model=MeldingRead,
    operation_id="rondMeldingAf",
    summary="Een melding afronden met een conclusie",
)
async def rond_melding_af(
    body: AfrondingBody,
    session: SessionDep,
    melding: AdviseurMelding,
    principal: Adviseur,
    planner: PlannerDep,
) -> MeldingRead:
    await service.afronden(
        session,
        actor=principal.sub,
        melding=melding,
        conclusie=body.conclusie,
        datum=body.datum,
        planner=planner,
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/categorisering",
    response_model=MeldingRead,
    operation_id="categoriseerMelding",
    summary="De categorie van een melding wijzigen",
)
async def categoriseer_melding(
    body: CategoriseringBody, session: SessionDep, melding: AdviseurMelding, principal: Adviseur
) -> MeldingRead:
    await service.categoriseren(
        session,
        actor=principal.sub,
        melding=melding,
        hoofdcategorie=body.hoofdcategorie,
        subcategorie=body.subcategorie,
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/misstand-vermoeden",
    response_model=MeldingRead,
    operation_id="registreerMisstandVermoeden",
    summary="Een melding alsnog als vermoeden van een misstand registreren",
)
async def misstand_vermoeden_registreren(
    body: MisstandVermoedenBody, session: SessionDep, melding: AdviseurMelding, principal: Adviseur
) -> MeldingRead:
    await service.misstand_vermoeden_registreren(
        session, actor=principal.sub, melding=melding, datum=body.datum
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/misstand-afronding",
    response_model=MeldingRead,
    operation_id="rondMisstandAf",
    summary="Het misstandtraject afronden (vastgesteld of niet)",
)
async def misstand_afronden(
    body: MisstandAfrondingBody, session: SessionDep, melding: AdviseurMelding, principal: Adviseur
) -> MeldingRead:
    await service.misstand_afronden(
        session,
        actor=principal.sub,
        melding=melding,
        vastgesteld=body.vastgesteld,
        datum=body.datum,
    )
    return to_read(melding)


@router.get(
    "/termijnbewaking",
    response_model=list[TermijnSignaal],
    operation_id="bewaakTermijnen",
    summary="Meldingen waarvan een wettelijke termijn verstreken is of binnenkort verstrijkt",
)
async def bewaak_termijnen(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Adviseur,
    page: PageDep,
    binnen_dagen: Annotated[
        int,
        Query(
            alias="binnenDagen",
            ge=0,
            le=366,
            description="Ook termijnen die binnen zoveel dagen verstrijken.",
        ),
    ] = 7,
) -> list[TermijnSignaal]:
    signalen = await service.termijnbewaking(
        session,
        binnen_dagen=binnen_dagen,
        scope=principal.defensieonderdeel,
        vandaag_=vandaag(),
        lezer_sub=principal.sub,
    )
    set_link_header(request, response, page, len(signalen))
    return signalen[page.offset : page.offset + page.page_size]
