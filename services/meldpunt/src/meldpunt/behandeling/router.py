"""HTTP for handling a melding: toewijzing, uitsluitingen, notities, melder-inzage."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from integriteit_shared.http.app import CipherDep, PlannerDep, SessionDep
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from meldpunt.behandeling import service
from meldpunt.behandeling.schemas import (
    MelderInzageBody,
    NotitieCreate,
    NotitieRead,
    ToewijzingBody,
    UitsluitingBody,
    UitsluitingRead,
)
from meldpunt.common import location
from meldpunt.melding.dependencies import (
    Adviseur,
    AdviseurMelding,
    BehandelMelding,
    MeldingId,
    laad_melding_voor_wijziging,
)
from meldpunt.melding.router import to_read
from meldpunt.melding.schemas import MelderRead, MeldingRead

router = APIRouter(tags=["behandeling"])


@router.post(
    "/meldingen/{id}/toewijzing",
    response_model=MeldingRead,
    operation_id="wijsMeldingToe",
    summary="Een behandelaar toewijzen (een adviseur neemt een melding zonder behandelaar)",
)
async def wijs_melding_toe(
    body: ToewijzingBody,
    session: SessionDep,
    melding_id: MeldingId,
    principal: Adviseur,
    planner: PlannerDep,
) -> MeldingRead:
    melding = await laad_melding_voor_wijziging(session, melding_id, principal)
    await service.toewijzen(
        session, melding=melding, behandelaar=body.behandelaar, principal=principal, planner=planner
    )
    return to_read(melding)


@router.post(
    "/meldingen/{id}/uitsluitingen",
    status_code=201,
    response_model=UitsluitingRead,
    operation_id="sluitUitVanMelding",
    summary="Een medewerker van de melding uitsluiten (belangenverstrengeling)",
)
async def sluit_uit(
    body: UitsluitingBody,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    principal: Adviseur,
) -> UitsluitingRead:
    melding = await laad_melding_voor_wijziging(session, melding_id, principal)
    uitsluiting = await service.uitsluiten(
        session,
        cipher=cipher,
        melding=melding,
        sub=body.sub,
        reden=body.reden,
        principal=principal,
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/meldingen/{melding.id}/uitsluitingen")
    return UitsluitingRead.model_validate(uitsluiting, from_attributes=True)


@router.get(
    "/meldingen/{id}/notities",
    response_model=list[NotitieRead],
    operation_id="leesNotities",
    summary="De interne notities bij een melding lezen",
)
async def lees_notities(
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding: BehandelMelding,
    principal: Adviseur,
    page: PageDep,
) -> list[NotitieRead]:
    notities, total = await service.notities_lezen(
        session,
        cipher=cipher,
        melding=melding,
        principal=principal,
        page=page,
        request_id=request_id(request),
    )
    set_link_header(request, response, page, total)
    return notities


@router.post(
    "/meldingen/{id}/notities",
    status_code=201,
    response_model=NotitieRead,
    operation_id="plaatsNotitie",
    summary="Een interne notitie toevoegen (de behandelaar, zodra toegewezen)",
)
async def plaats_notitie(
    body: NotitieCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding: AdviseurMelding,
    principal: Adviseur,
) -> NotitieRead:
    notitie = await service.notitie_plaatsen(
        session,
        cipher=cipher,
        melding=melding,
        tekst=body.tekst,
        principal=principal,
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/meldingen/{melding.id}/notities")
    return notitie


@router.post(
    "/meldingen/{id}/melder-inzage",
    response_model=MelderRead,
    operation_id="zieMelderIn",
    summary="De identiteit van de melder inzien, met een reden (behandelaar of coördinator)",
)
async def zie_melder_in(
    body: MelderInzageBody,
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    melding: BehandelMelding,
    principal: Adviseur,
) -> MelderRead:
    melder = await service.melder_inzien(
        session,
        cipher=cipher,
        melding=melding,
        reden=body.reden,
        principal=principal,
        request_id=request_id(request),
    )
    return MelderRead.model_validate(melder)
