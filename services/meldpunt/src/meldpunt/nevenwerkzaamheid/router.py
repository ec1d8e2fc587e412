from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from typing_extensions import TypeAliasType

from integriteit_shared import codes
from integriteit_shared.auth.dependencies import require_roles, scope_onderdeel
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.db.loading import load_for_change
from integriteit_shared.http.app import CipherDep, PlannerDep, SessionDep
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.http.problems import NotFound, controleer_periode
from meldpunt.common import location
from meldpunt.nevenwerkzaamheid import service
from meldpunt.nevenwerkzaamheid.models import Nevenwerkzaamheid
from meldpunt.nevenwerkzaamheid.schemas import (
    AdviesBody,
    NevenwerkzaamheidCreate,
    NevenwerkzaamheidDetail,
    NevenwerkzaamheidRead,
)

router = APIRouter(tags=["nevenwerkzaamheden"])
# The advies filter: an advies, or `open` for none yet
AdviesFilter = TypeAliasType("AdviesFilter", Literal["positief", "negatief", "open"])

Registreerder = Annotated[Principal, Depends(require_roles(Rol.medewerker, Rol.coid_adviseur))]
Adviseur = Annotated[Principal, Depends(require_roles(Rol.leidinggevende, Rol.coid_adviseur))]
NwId = Annotated[str, Path(alias="id", max_length=36, description="Id van de nevenwerkzaamheid.")]


def _in_scope(principal: Principal) -> Callable[[Nevenwerkzaamheid], bool]:
    return lambda nevenwerkzaamheid: scope_onderdeel(principal, nevenwerkzaamheid.defensieonderdeel)


async def _laad(session: SessionDep, nw_id: str, principal: Principal) -> Nevenwerkzaamheid:
    nevenwerkzaamheid = await session.get(Nevenwerkzaamheid, nw_id)
    if nevenwerkzaamheid is None or not _in_scope(principal)(nevenwerkzaamheid):
        raise NotFound()
    return nevenwerkzaamheid


async def _voor_wijziging(
    session: SessionDep, nw_id: NwId, principal: Adviseur
) -> Nevenwerkzaamheid:
    return await load_for_change(session, Nevenwerkzaamheid, nw_id, visible=_in_scope(principal))


TeWijzigenNevenwerkzaamheid = Annotated[Nevenwerkzaamheid, Depends(_voor_wijziging)]


def to_read(nw: Nevenwerkzaamheid) -> NevenwerkzaamheidRead:
    return NevenwerkzaamheidRead.model_validate(nw, from_attributes=True)


@router.post(
    "/nevenwerkzaamheden",
    status_code=201,
    response_model=NevenwerkzaamheidRead,
    operation_id="registreerNevenwerkzaamheid",
    summary="Een nevenwerkzaamheid registreren",
)
async def registreer_nevenwerkzaamheid(
    body: NevenwerkzaamheidCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    planner: PlannerDep,
    principal: Registreerder,
) -> NevenwerkzaamheidRead:
    nw = await service.registreren(
        session,
        cipher=cipher,
        data=body,
        principal=principal,
        planner=planner,
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/nevenwerkzaamheden/{nw.id}")
    return to_read(nw)


@router.get(
    "/nevenwerkzaamheden",
    response_model=list[NevenwerkzaamheidRead],
    operation_id="zoekNevenwerkzaamheden",
    summary="Nevenwerkzaamheden zoeken (zonder omschrijving), bijvoorbeeld die nog advies wachten",
)
async def zoek_nevenwerkzaamheden(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Adviseur,
    page: PageDep,
    defensieonderdeel: Annotated[codes.Defensieonderdeel | None, Query()] = None,
    advies: Annotated[
        AdviesFilter | None,
        Query(description="`open`: nog zonder advies."),
    ] = None,
    geregistreerd_vanaf: Annotated[
        date | None,
        Query(alias="geregistreerdVanaf", description="Registratiedatum vanaf (inclusief)."),
    ] = None,
    geregistreerd_tot: Annotated[
        date | None,
        Query(alias="geregistreerdTot", description="Registratiedatum tot en met."),
    ] = None,
) -> list[NevenwerkzaamheidRead]:
    controleer_periode(
        geregistreerd_vanaf,
        geregistreerd_tot,
        vanaf_naam="geregistreerdVanaf",
        tot_naam="geregistreerdTot",
    )
    rows, total = await service.lijst(
        session,
        filter=service.NevenwerkzaamheidFilter(
            defensieonderdeel=defensieonderdeel,
            advies=advies,
            vanaf=geregistreerd_vanaf,
            tot=geregistreerd_tot,
        ),
        scope=principal.defensieonderdeel,
        page=page,
    )
    set_link_header(request, response, page, total)
    return [to_read(nw) for nw in rows]


@router.post(
    "/nevenwerkzaamheden/{id}/advies",
    response_model=NevenwerkzaamheidRead,
    operation_id="adviseerNevenwerkzaamheid",
    summary="Positief of negatief adviseren over een nevenwerkzaamheid",
)
async def adviseer_nevenwerkzaamheid(
    body: AdviesBody, session: SessionDep, nevenwerkzaamheid: TeWijzigenNevenwerkzaamheid
) -> NevenwerkzaamheidRead:
    await service.adviseren(
        session, nevenwerkzaamheid=nevenwerkzaamheid, advies=body.advies, datum=body.datum
    )
    return to_read(nevenwerkzaamheid)


@router.get(
    "/nevenwerkzaamheden/{id}",
    response_model=NevenwerkzaamheidDetail,
    operation_id="raadpleegNevenwerkzaamheid",
    summary="Een nevenwerkzaamheid raadplegen (het lezen van de omschrijving wordt gelogd)",
)
async def raadpleeg_nevenwerkzaamheid(
    request: Request, session: SessionDep, cipher: CipherDep, nw_id: NwId, principal: Adviseur
) -> NevenwerkzaamheidDetail:
    nw = await _laad(session, nw_id, principal)
    omschrijving = await service.omschrijving_lezen(
        session,
        cipher=cipher,
        nevenwerkzaamheid=nw,
        principal=principal,
        request_id=request_id(request),
    )
    return NevenwerkzaamheidDetail.model_validate(
        {**to_read(nw).model_dump(), "omschrijving": omschrijving}
    )
