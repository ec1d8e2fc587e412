from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import BadRequest, PayloadTooLarge, UnsupportedMediaType
from rapportage.ingress import service
from rapportage.ingress.schemas import Afwijzing, IngressUitslag

router = APIRouter(tags=["gebeurtenissen"])
Bron = Annotated[Principal, Depends(require_roles(Rol.kmar_bps, Rol.ecld))]
MEDIA_TYPES = ("application/json", "application/cloudevents-batch+json")

REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "JSON-array van CloudEvents (structured JSON), ten hoogste 1000.",
        "content": {
            media: {
                "schema": {
                    "type": "array",
                    "maxItems": service.MAX_BATCH,
                    "items": {"type": "object", "additionalProperties": True},
                }
            }
            for media in MEDIA_TYPES
        },
    }
}


@router.post(
    "/gebeurtenissen",
    status_code=202,
    response_model=IngressUitslag,
    response_model_by_alias=True,
    summary="Gebeurtenissen van KMar (BPS) of ECLD aanleveren",
    operation_id="gebeurtenissenAanleveren",
    responses={413: {"description": "Meer dan 1000 gebeurtenissen."}, 415: {}},
    openapi_extra=REQUEST_BODY,
)
async def gebeurtenissen_aanleveren(
    request: Request, session: SessionDep, principal: Bron
) -> IngressUitslag:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in MEDIA_TYPES:
        raise UnsupportedMediaType("Stuur een JSON-array (application/json).")
    try:
        items = json.loads(await request.body())
    except ValueError as exc:
        raise BadRequest(
            "De body is geen geldige JSON.",
            invalid_params=[{"name": "body", "reason": "geen JSON"}],
        ) from exc
    if not isinstance(items, list):
        raise BadRequest(
            "De body moet een JSON-array van CloudEvents zijn.",
            invalid_params=[{"name": "body", "reason": "geen JSON-array"}],
        )
    if len(items) > service.MAX_BATCH:
        raise PayloadTooLarge(f"Ten hoogste {service.MAX_BATCH} gebeurtenissen per verzoek.")
    uitslag = await service.ontvang(session, items, principal.roles)
    return IngressUitslag(
        geaccepteerd=uitslag.geaccepteerd,
        dubbel=uitslag.dubbel,
        afgewezen=[Afwijzing(**a) for a in uitslag.afgewezen],
    )
