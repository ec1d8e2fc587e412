from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.body import MiB, body_limiet
from integriteit_shared.http.problems import BadRequest, PayloadTooLarge, UnsupportedMediaType
from rapportage.ingress import service
from rapportage.ingress.schemas import Afwijzing, IngressUitslag

router = APIRouter(tags=["gebeurtenissen"])
# a full batch of 1000 events fits easily; more is refused while it is read (413)
MAX_BODY = 2 * MiB
Bron = Annotated[Principal, Depends(require_roles(Rol.kmar_bps, Rol.ecld))]
# CloudEvents' JSON format and its HTTP binding: one event in structured mode, or a batch
EEN = "application/cloudevents+json"
REEKS = ("application/json", "application/cloudevents-batch+json")
STUUR = (
    "Stuur één CloudEvent als application/cloudevents+json, of een JSON-array als "
    "application/cloudevents-batch+json of application/json (structured mode)."
)

# The body is read by hand (per-event outcomes, three media types), so FastAPI does not
# see a model: the two schemas are components of their own (`document` adds them).
CLOUDEVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "CloudEvent",
    "description": (
        "Eén CloudEvent 1.0 in structured JSON. De data is een JSON-object, in `data` of "
        "base64-gecodeerd in `data_base64`."
    ),
    "required": ["specversion", "id", "source", "type", "time"],
    "properties": {
        "specversion": {"type": "string", "enum": ["1.0"]},
        "id": {"type": "string", "format": "uuid"},
        "source": {"type": "string", "format": "uri-reference"},
        "type": {"type": "string"},
        "time": {"type": "string", "format": "date-time"},
        "subject": {"type": "string"},
        "datacontenttype": {"type": "string"},
        "data": {"type": "object", "additionalProperties": True},
        "data_base64": {"type": "string", "format": "byte"},
    },
    "additionalProperties": True,
}
CLOUDEVENT_BATCH_SCHEMA: dict[str, Any] = {
    "type": "array",
    "title": "CloudEventBatch",
    "description": f"JSON-array van CloudEvents, ten hoogste {service.MAX_BATCH}.",
    "maxItems": service.MAX_BATCH,
    "items": {"$ref": "#/components/schemas/CloudEvent"},
}
COMPONENTS = {"CloudEvent": CLOUDEVENT_SCHEMA, "CloudEventBatch": CLOUDEVENT_BATCH_SCHEMA}
_BATCH_REF = {"schema": {"$ref": "#/components/schemas/CloudEventBatch"}}
REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "Een JSON-array van CloudEvents (`application/json` of "
            "`application/cloudevents-batch+json`) of één CloudEvent "
            "(`application/cloudevents+json`)."
        ),
        "content": {
            **{media: _BATCH_REF for media in REEKS},
            EEN: {"schema": {"$ref": "#/components/schemas/CloudEvent"}},
        },
    }
}


def document(app: FastAPI) -> None:
    """Add the request body's schemas to the app's OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


@router.post(
    "/gebeurtenissen",
    status_code=202,
    response_model=IngressUitslag,
    response_model_by_alias=True,
    summary="Gebeurtenissen van KMar (BPS) of ECLD aanleveren",
    operation_id="gebeurtenissenAanleveren",
    responses={413: {"description": "Meer dan 1000 gebeurtenissen, of meer dan 2 MiB."}, 415: {}},
    openapi_extra=REQUEST_BODY,
)
@body_limiet(MAX_BODY)
async def gebeurtenissen_aanleveren(
    request: Request, session: SessionDep, principal: Bron
) -> IngressUitslag:
    """Each event is checked on its own: the answer gives the outcome per event, also for
    a single event (`application/cloudevents+json`)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != EEN and content_type not in REEKS:
        raise UnsupportedMediaType(STUUR)
    if "ce-specversion" in request.headers:
        # the SDK's to_binary(): attributes in ce-* headers, the body is only the data
        raise UnsupportedMediaType("CloudEvents in binaire modus worden niet aangenomen. " + STUUR)
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise BadRequest(
            "De body is geen geldige JSON.",
            invalid_params=[{"name": "body", "reason": "geen JSON"}],
        ) from exc
    if content_type == EEN:
        if not isinstance(body, dict):
            raise BadRequest(
                "Bij application/cloudevents+json is de body één CloudEvent (een JSON-object).",
                invalid_params=[{"name": "body", "reason": "geen JSON-object"}],
            )
        items: list[Any] = [body]
    elif isinstance(body, list):
        items = body
    else:
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
