from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.pagination import PageDep, set_link_header
from meldpunt.melding.dependencies import MeldingId, laad_melding
from meldpunt.tijdlijn import service
from meldpunt.tijdlijn.schemas import TijdlijnStap

router = APIRouter(tags=["behandeling"])

TijdlijnLezer = Annotated[
    Principal,
    Depends(require_roles(Rol.coid_adviseur, Rol.coid_coordinator, Rol.coid_onderzoeker)),
]


@router.get(
    "/meldingen/{id}/tijdlijn",
    response_model=list[TijdlijnStap],
    response_model_exclude_none=True,
    operation_id="leesTijdlijn",
    summary="Elke geregistreerde stap van een melding, op volgorde (zonder vrije tekst)",
)
async def lees_tijdlijn(
    request: Request,
    response: Response,
    session: SessionDep,
    melding_id: MeldingId,
    principal: TijdlijnLezer,
    page: PageDep,
) -> list[TijdlijnStap]:
    melding = await laad_melding(session, melding_id, principal)
    stappen, total = await service.stappen(session, melding_id=melding.id, page=page)
    set_link_header(request, response, page, total)
    return [TijdlijnStap.model_validate(s) for s in stappen]
