"""HTTP for aftercare (nazorg): the check-ins with a named melder after closing."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from integriteit_shared.http.app import CipherDep, SessionDep
from integriteit_shared.http.middleware import request_id
from meldpunt.common import location
from meldpunt.melding.dependencies import Adviseur, AdviseurMelding, BehandelMelding
from meldpunt.nazorg import service
from meldpunt.nazorg.schemas import NazorgBody, NazorgContactRead

router = APIRouter(tags=["behandeling"])


@router.get(
    "/meldingen/{id}/nazorg",
    response_model=list[NazorgContactRead],
    operation_id="leesNazorg",
    summary="De nazorgcontacten met de melder na de afronding: gepland en uitgevoerd",
)
async def lees_nazorg(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    melding: BehandelMelding,
    principal: Adviseur,
) -> list[NazorgContactRead]:
    return await service.lezen(
        session, cipher=cipher, melding=melding, principal=principal, request_id=request_id(request)
    )


@router.post(
    "/meldingen/{id}/nazorg",
    status_code=201,
    response_model=NazorgContactRead,
    operation_id="legNazorgVast",
    summary="De uitkomst van een nazorgcontact vastleggen (de behandelaar of een coördinator)",
)
async def leg_nazorg_vast(
    body: NazorgBody,
    request: Request,
    response: Response,
    session: SessionDep,
    cipher: CipherDep,
    melding: AdviseurMelding,
    principal: Adviseur,
) -> NazorgContactRead:
    contact = await service.vastleggen(
        session,
        cipher=cipher,
        melding=melding,
        body=body,
        principal=principal,
        request_id=request_id(request),
    )
    response.headers["Location"] = location(request, f"/meldingen/{melding.id}/nazorg")
    return contact
