"""`POST` and `DELETE {path}/bewaarplicht`: a legal hold on one record, the same way in
every service that keeps records with a retention period (integriteit_shared.bewaartermijnen).

409 for a hold on a held record or lifting a hold that is not there; 404 for a record that
does not exist or is outside the caller's scope (the service's own loader decides); 403
for another role. The reason is encrypted and both steps are audited.
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.validation import Principal
from integriteit_shared.bewaartermijnen import (
    BewaarplichtConflict,
    hef_bewaarplicht,
    plaats_bewaarplicht,
)
from integriteit_shared.http.app import CipherDep, SessionDep
from integriteit_shared.http.middleware import request_id
from integriteit_shared.http.problems import Conflict
from integriteit_shared.schemas import CamelInput, CamelModel


class BewaarplichtBody(CamelInput):
    reden: str = Field(min_length=1, max_length=2_000, description="Waarom (versleuteld).")


class BewaarplichtRead(CamelModel):
    object_type: str
    object_id: str
    sinds: datetime
    door: str


# loads the record for a change (locked), 404 when absent or outside the caller's scope
Loader = Callable[[AsyncSession, str, Principal], Awaitable[object]]


def bewaarplicht_router(
    *,
    collection: str,
    object_type: str,
    roles: tuple[str, ...],
    load: Loader,
    tag: str,
    noun: str,
) -> APIRouter:
    """The two routes on `/{collection}/{id}/bewaarplicht` for `object_type` records."""
    router = APIRouter(tags=[tag])
    Beheerder = Annotated[Principal, Depends(require_roles(*roles))]
    ObjectId = Annotated[str, Path(alias="id", description=f"Id van de {noun}.", max_length=36)]
    pad = f"/{collection}/{{id}}/bewaarplicht"
    naam = noun.capitalize()

    @router.post(
        pad,
        status_code=201,
        response_model=BewaarplichtRead,
        operation_id=f"plaatsBewaarplicht{naam}",
        summary=f"Een bewaarplicht op een {noun} leggen: niet vernietigen na de bewaartermijn",
    )
    async def plaats(
        body: BewaarplichtBody,
        request: Request,
        response: Response,
        session: SessionDep,
        cipher: CipherDep,
        object_id: ObjectId,
        principal: Beheerder,
    ) -> BewaarplichtRead:
        await load(session, object_id, principal)
        try:
            hold = await plaats_bewaarplicht(
                session,
                cipher,
                hold_id=str(uuid.uuid4()),
                object_type=object_type,
                object_id=object_id,
                reden=body.reden,
                door=principal.sub,
                request_id=request_id(request),
            )
        except BewaarplichtConflict as exc:
            raise Conflict(str(exc).capitalize() + ".") from None
        response.headers["Location"] = str(request.url)
        return BewaarplichtRead(
            object_type=object_type, object_id=object_id, sinds=hold.sinds, door=hold.door
        )

    @router.delete(
        pad,
        status_code=204,
        response_class=Response,
        operation_id=f"hefBewaarplicht{naam}Op",
        summary=f"De bewaarplicht op een {noun} opheffen",
    )
    async def hef_op(
        request: Request, session: SessionDep, object_id: ObjectId, principal: Beheerder
    ) -> Response:
        await load(session, object_id, principal)
        try:
            await hef_bewaarplicht(
                session,
                object_type=object_type,
                object_id=object_id,
                door=principal.sub,
                request_id=request_id(request),
            )
        except BewaarplichtConflict as exc:
            raise Conflict(str(exc).capitalize() + ".") from None
        return Response(status_code=204)

    return router
