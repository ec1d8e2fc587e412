"""HTTP for a melding's inzagelog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import CipherDep, SessionDep
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.pagination import PageDep, set_link_header
from meldpunt.inzagelog import service
from meldpunt.inzagelog.schemas import InzagelogRegel
from meldpunt.melding.dependencies import MeldingId, laad_melding

router = APIRouter(tags=["behandeling"])

InzagelogLezer = Annotated[
    Principal,
    Depends(require_roles(Rol.coid_adviseur, Rol.coid_coordinator, Rol.beheerder)),
]


@router.get(
    "/meldingen/{id}/inzagelog",
    response_model=list[InzagelogRegel],
    operation_id="leesInzagelog",
    summary="Wie de beschermde gegevens van een melding las of wijzigde, wanneer en waarom",
    description=(
        "De auditregels van de melding en alles wat erbij hoort (notities, berichten, "
        "bijlagen, uitsluitingen, melder-inzage, gekoppelde integriteitsonderzoeken), op "
        "volgorde van moment; bij een melder-inzage de opgegeven reden. Medewerkers staan "
        "er met hun sub, een melder als `melder`. Voor de behandelaar, een coördinator of "
        "een beheerder; het lezen komt zelf ook in het log."
    ),
)
async def lees_inzagelog(
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding_id: MeldingId,
    principal: InzagelogLezer,
    page: PageDep,
) -> list[InzagelogRegel]:
    melding = await laad_melding(session, melding_id, principal)
    regels, total = await service.lezen(
        session,
        cipher=cipher,
        melding=melding,
        principal=principal,
        page=page,
        request_id=request_id(request),
    )
    set_link_header(request, response, page, total)
    return regels
