"""Messages between an (anonymous) melder, via a volgsessie, and the COID adviser."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from integriteit_shared.http.app import CipherDep, PlannerDep, SessionDep
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from meldpunt.bericht import service
from meldpunt.bericht.schemas import BerichtCreate, BerichtRead
from meldpunt.common import location
from meldpunt.melding.dependencies import BerichtLezer, BerichtMelding, MeldingId, laad_melding

router = APIRouter(tags=["berichten"])


@router.get(
    "/meldingen/{id}/berichten",
    response_model=list[BerichtRead],
    operation_id="leesBerichten",
    summary="De berichten bij een melding lezen (adviseur of volgsessie-token)",
)
async def lees_berichten(
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    lezer: BerichtLezer,
    page: PageDep,
) -> list[BerichtRead]:
    melding = await laad_melding(session, melding_id, lezer)
    berichten, total = await service.lezen(
        session,
        cipher=cipher,
        melding_id=melding.id,
        deelnemer=service.Deelnemer.van(lezer, melding),
        page=page,
        request_id=request_id(request),
    )
    set_link_header(request, response, page, total)
    return berichten


@router.post(
    "/meldingen/{id}/berichten",
    status_code=201,
    response_model=BerichtRead,
    operation_id="plaatsBericht",
    summary="Een bericht plaatsen (adviseur of volgsessie-token)",
)
async def plaats_bericht(
    body: BerichtCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    planner: PlannerDep,
    melding: BerichtMelding,
    lezer: BerichtLezer,
) -> BerichtRead:
    bericht = await service.plaatsen(
        session,
        cipher=cipher,
        planner=planner,
        melding=melding,
        deelnemer=service.Deelnemer.van(lezer, melding),
        tekst=body.tekst,
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/meldingen/{melding.id}/berichten")
    return bericht
