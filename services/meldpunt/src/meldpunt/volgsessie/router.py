from __future__ import annotations

from fastapi import APIRouter, Request, Response

from integriteit_shared.http.app import SessionDep, get_settings
from integriteit_shared.http.body import voor_body
from meldpunt.bericht import service as berichten
from meldpunt.common import location
from meldpunt.config import Settings
from meldpunt.limits import limiters
from meldpunt.volgsessie import service
from meldpunt.volgsessie.schemas import VolgsessieCreate, VolgsessieRead

router = APIRouter(tags=["volgsessies"])


async def volgsessie_limiet(request: Request) -> None:
    """Every attempt counts, right or wrong, and before the body is even read."""
    lim = limiters(request)
    await lim.volgsessie.hit(lim.key(request))


@router.post(
    "/volgsessies",
    status_code=201,
    response_model=VolgsessieRead,
    operation_id="openVolgsessie",
    summary="Met een volgcode een kortlevende sessie voor die ene melding openen",
    description=(
        "Geen token nodig. Een onbekende of onjuiste volgcode krijgt 404; pogingen worden per "
        "client beperkt (429 met `Retry-After`). `Location` wijst naar de melding, die met het "
        "token (alleen status en termijnen) te lezen is, net als de berichten."
    ),
    responses={
        404: {"description": "Onbekende of onjuiste volgcode."},
        429: {"description": "Te veel pogingen; zie `Retry-After`."},
    },
)
@voor_body(volgsessie_limiet)
async def open_volgsessie(
    body: VolgsessieCreate, request: Request, response: Response, session: SessionDep
) -> VolgsessieRead:
    settings = get_settings(request)
    assert isinstance(settings, Settings)
    sessie, token = await service.sessie_openen(
        session, volgcode=body.volgcode, geldigheid_s=settings.volgsessie_geldigheid_s
    )
    response.headers["Location"] = location(request, f"/meldingen/{sessie.melding_id}")
    ongelezen = await berichten.ongelezen(session, [sessie.melding_id])
    return VolgsessieRead(
        melding_id=sessie.melding_id,
        token=token,
        verloopt_op=sessie.verloopt_op,
        ongelezen_berichten=ongelezen.get(sessie.melding_id, 0),
    )
