from __future__ import annotations

from fastapi import APIRouter, Request, Response

from integriteit_shared.auth.dependencies import scope_onderdeel as eigen_onderdeel
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import BadRequest, Forbidden
from vertrouwenspersonen.informeel_gesprek import service
from vertrouwenspersonen.informeel_gesprek.dependencies import Adviseur, Telling
from vertrouwenspersonen.informeel_gesprek.models import InformeelGesprek
from vertrouwenspersonen.informeel_gesprek.schemas import (
    InformeelGesprekCreate,
    InformeelGesprekRead,
)

router = APIRouter(tags=["informele gesprekken"])


def _read(telling: InformeelGesprek) -> InformeelGesprekRead:
    return InformeelGesprekRead.model_validate(telling, from_attributes=True)


@router.post(
    "/informele-gesprekken",
    status_code=201,
    response_model=InformeelGesprekRead,
    summary="Informele gesprekken op een datum tellen",
    description="Alleen een aantal, geen inhoud. `defensieonderdeel` komt uit het token; "
    "zonder defensieonderdeel in het token is het in de body verplicht.",
    operation_id="informeleGesprekkenTellen",
)
async def tellen(
    body: InformeelGesprekCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Adviseur,
) -> InformeelGesprekRead:
    onderdeel = body.defensieonderdeel or principal.defensieonderdeel
    if onderdeel is None:
        raise BadRequest(
            "De invoer is ongeldig: defensieonderdeel",
            invalid_params=[
                {
                    "name": "defensieonderdeel",
                    "reason": "Verplicht als het token geen defensieonderdeel heeft.",
                }
            ],
        )
    if not eigen_onderdeel(principal, onderdeel):
        raise Forbidden("U kunt alleen gesprekken van uw eigen defensieonderdeel tellen.")
    telling = await service.tellen(
        session, defensieonderdeel=onderdeel, datum=body.datum, aantal=body.aantal
    )
    response.headers["Location"] = f"{request.url.path}/{telling.id}"
    return _read(telling)


@router.get(
    "/informele-gesprekken/{id}",
    response_model=InformeelGesprekRead,
    summary="Eén telling van informele gesprekken",
    operation_id="informeleGesprekkenOpvragen",
)
async def opvragen(telling: Telling) -> InformeelGesprekRead:
    return _read(telling)
