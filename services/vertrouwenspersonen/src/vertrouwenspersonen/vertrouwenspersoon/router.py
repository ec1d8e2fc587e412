from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from integriteit_shared import codes
from integriteit_shared.auth.dependencies import scope_onderdeel as eigen_onderdeel
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.http.problems import Forbidden
from integriteit_shared.kalender import vandaag
from integriteit_shared.schemas import VerledenDatum
from vertrouwenspersonen.vertrouwenspersoon import service
from vertrouwenspersonen.vertrouwenspersoon.dependencies import CurrentVertrouwenspersoon, Cvp
from vertrouwenspersonen.vertrouwenspersoon.models import Vertrouwenspersoon
from vertrouwenspersonen.vertrouwenspersoon.schemas import (
    BeeindigingCreate,
    NetwerkRead,
    VertrouwenspersoonCreate,
    VertrouwenspersoonRead,
)

router = APIRouter(tags=["vertrouwenspersonen"])


def _read(vp: Vertrouwenspersoon) -> VertrouwenspersoonRead:
    return VertrouwenspersoonRead.model_validate(vp, from_attributes=True)


@router.post(
    "/vertrouwenspersonen",
    status_code=201,
    response_model=VertrouwenspersoonRead,
    summary="Een vertrouwenspersoon aanstellen",
    description="Alleen voor het eigen defensieonderdeel van de cvp (anders 403).",
    operation_id="vertrouwenspersoonAanstellen",
)
async def aanstellen(
    body: VertrouwenspersoonCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Cvp,
) -> VertrouwenspersoonRead:
    if not eigen_onderdeel(principal, body.defensieonderdeel):
        raise Forbidden(
            "U kunt alleen vertrouwenspersonen van uw eigen defensieonderdeel aanstellen."
        )
    vp = await service.aanstellen(
        session, defensieonderdeel=body.defensieonderdeel, aanstellingsdatum=body.aanstellingsdatum
    )
    response.headers["Location"] = f"{request.url.path}/{vp.id}"
    return _read(vp)


@router.get(
    "/vertrouwenspersonen",
    response_model=list[VertrouwenspersoonRead],
    summary="Het register van vertrouwenspersonen van het eigen defensieonderdeel",
    operation_id="vertrouwenspersonenZoeken",
)
async def lijst(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Cvp,
    page: PageDep,
    actief_op: Annotated[
        date | None, Query(alias="actiefOp", description="Alleen wie op deze datum actief is.")
    ] = None,
    defensieonderdeel: Annotated[
        codes.Defensieonderdeel | None,
        Query(description="Filter; een token met defensieonderdeel ziet alleen dat onderdeel."),
    ] = None,
) -> list[VertrouwenspersoonRead]:
    onderdeel = principal.defensieonderdeel or defensieonderdeel
    rows: list[Vertrouwenspersoon] = []
    total = 0
    # Asking for another onderdeel than the token's finds nothing in scope.
    if defensieonderdeel is None or onderdeel == defensieonderdeel:
        rows, total = await service.lijst(
            session,
            onderdeel=onderdeel,
            actief_op_datum=actief_op,
            page=page,
        )
    set_link_header(request, response, page, total)
    return [_read(vp) for vp in rows]


@router.get(
    "/vertrouwenspersonen/{id}",
    response_model=VertrouwenspersoonRead,
    summary="Eén aanstelling uit het register",
    operation_id="vertrouwenspersoonOpvragen",
)
async def opvragen(vp: CurrentVertrouwenspersoon) -> VertrouwenspersoonRead:
    return _read(vp)


@router.post(
    "/vertrouwenspersonen/{id}/beeindiging",
    response_model=VertrouwenspersoonRead,
    summary="Een aanstelling beëindigen",
    description="`datum` is de eerste dag waarop de vertrouwenspersoon niet meer actief is; "
    "niet vóór de aanstelling (400), en maar één keer (409).",
    operation_id="vertrouwenspersoonBeeindigen",
)
async def beeindigen(
    body: BeeindigingCreate, session: SessionDep, vp: CurrentVertrouwenspersoon
) -> VertrouwenspersoonRead:
    return _read(await service.beeindigen(session, vertrouwenspersoon=vp, datum=body.datum))


@router.get(
    "/netwerk",
    response_model=NetwerkRead,
    summary="Omvang en groei van het netwerk van vertrouwenspersonen op een peildatum",
    description="Actieve vertrouwenspersonen per defensieonderdeel op de peildatum (standaard "
    "vandaag) en de groei ten opzichte van dezelfde dag een jaar eerder. Een token met "
    "defensieonderdeel ziet alleen dat onderdeel.",
    operation_id="netwerkOpvragen",
)
async def netwerk(
    session: SessionDep,
    principal: Cvp,
    peildatum: Annotated[
        VerledenDatum | None, Query(description="YYYY-MM-DD; standaard vandaag.")
    ] = None,
) -> NetwerkRead:
    datum = peildatum or vandaag()
    onderdelen = (
        (principal.defensieonderdeel,) if principal.defensieonderdeel else codes.DEFENSIEONDERDELEN
    )
    return NetwerkRead(
        peildatum=datum,
        vergelijkingsdatum=service.een_jaar_eerder(datum),
        per_defensieonderdeel=await service.netwerk(
            session, peildatum=datum, onderdelen=onderdelen
        ),
    )
