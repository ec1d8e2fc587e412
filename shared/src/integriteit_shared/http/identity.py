"""`GET /identiteit`: who the service thinks the caller is. Lets a frontend check its token."""

from __future__ import annotations

from fastapi import APIRouter

from integriteit_shared.auth.dependencies import CurrentPrincipal
from integriteit_shared.schemas import CamelModel


class Identiteit(CamelModel):
    sub: str
    roles: list[str]
    defensieonderdeel: str | None


def identity_router() -> APIRouter:
    router = APIRouter(tags=["identiteit"])

    @router.get(
        "/identiteit",
        response_model=Identiteit,
        summary="De identiteit en rollen uit het bearer-token",
        operation_id="identiteitOpvragen",
    )
    async def identiteit(principal: CurrentPrincipal) -> Identiteit:
        return Identiteit(
            sub=principal.sub,
            roles=sorted(principal.roles),
            defensieonderdeel=principal.defensieonderdeel,
        )

    return router
