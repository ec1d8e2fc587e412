"""`GET /voortgang`: the open cases by age and legal deadline, for the regiefunctie."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.codes import Defensieonderdeel
from integriteit_shared.db.session import Database
from integriteit_shared.kalender import vandaag
from rapportage.config import Settings
from rapportage.jaarverslag.router import ETAG_HEADER, matches_etag, request_version_watcher
from rapportage.voortgang import service
from rapportage.voortgang.schemas import VoortgangRead

router = APIRouter(tags=["voortgang"])
Lezer = Annotated[Principal, Depends(require_roles(Rol.rapportage_lezer, Rol.beheerder))]

VOORTGANG_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "De open zaken per soort op de peildatum.",
        "headers": {"ETag": ETAG_HEADER},
        "model": VoortgangRead,
    },
    304: {
        "description": "Ongewijzigd: de `If-None-Match` komt overeen met de huidige ETag.",
        "headers": {"ETag": ETAG_HEADER},
    },
}


@router.get(
    "/voortgang",
    summary="Voortgang: open zaken per leeftijd en wettelijke termijn, en de achterstallige",
    description="Voor de centrale regiefunctie: per soort zaak (melding, misstand, "
    "integriteitsonderzoek, klacht, nevenwerkzaamheid zonder advies, nazorg: de geplande "
    "contactmomenten met een melder op naam die nog niet uitgevoerd zijn) het aantal open "
    "zaken per leeftijd, het aantal over elke termijn (ontvangstbevestiging 7 dagen, "
    "terugkoppeling 3 maanden, klachttermijn met COG en verdaging, nazorgcontact 30 dagen na "
    "de geplande datum) en de oudste; hetzelfde "
    "per defensieonderdeel met kleine aantallen onderdrukt; en de lijst van zaken over een "
    "termijn, op opaak id, zonder persoonsgegevens (voor `beheerder` alle; voor "
    "`rapportage_lezer` alleen die van de cellen die niet onderdrukt zijn). Alleen "
    "gebeurtenissen die rapportage op of voor de peildatum registreerde tellen (zoals in het "
    "jaarverslag).",
    operation_id="voortgangOpvragen",
    response_class=Response,
    responses=VOORTGANG_RESPONSES,
    openapi_extra={
        "parameters": [
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "ETag van een eerder antwoord; gelijk → 304",
            }
        ]
    },
)
async def voortgang_opvragen(
    request: Request,
    principal: Lezer,
    peildatum: Annotated[
        date | None,
        Query(
            description="Alleen gebeurtenissen geregistreerd op of voor deze datum, en de "
            "stand op die dag; standaard vandaag"
        ),
    ] = None,
    defensieonderdeel: Annotated[
        Defensieonderdeel | None,
        Query(description="Alleen dit onderdeel in perDefensieonderdeel en achterstallig"),
    ] = None,
) -> Response:
    state = request.app.state
    if not hasattr(state, "voortgang_cache"):
        state.voortgang_cache = service.VoortgangCache()
    item = await service.weergave(
        cast(Database, state.db),
        cast(service.VoortgangCache, state.voortgang_cache),
        # the jaarverslag's: one version read shared by both
        request_version_watcher(request),
        peildatum=peildatum or vandaag(),
        drempel=cast(Settings, state.settings).onderdrukking_tot_en_met,
        defensieonderdeel=defensieonderdeel,
        volledig=principal.has_any(Rol.beheerder),
    )
    headers = {"ETag": item.etag, "Cache-Control": "no-cache"}
    if matches_etag(request.headers.get("if-none-match"), item.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=item.body, media_type="application/json", headers=headers)
