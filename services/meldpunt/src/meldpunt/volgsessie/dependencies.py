"""Who reads a melding: staff with a JWT, or an anonymous melder with a volgsessie token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from integriteit_shared.auth.dependencies import (
    QUERY_TOKEN_PARAMS,
    bearer_scheme,
    optional_principal,
)
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import SessionDep
from integriteit_shared.http.problems import BadRequest, Forbidden, Unauthorized
from meldpunt.volgsessie import codes
from meldpunt.volgsessie.service import VolgsessieToegang, token_valideren

Lezer = Principal | VolgsessieToegang


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def staf_of_volgsessie(*roles: str) -> Callable[..., Awaitable[Lezer]]:
    """A `vs_` token is checked here first: the shared JWT dependency would refuse it."""

    async def _dep(
        request: Request,
        session: SessionDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    ) -> Lezer:
        if any(name.lower() in QUERY_TOKEN_PARAMS for name in request.query_params):
            raise BadRequest("Tokens in de query string worden geweigerd.")
        token = _bearer(request)
        if token is not None and token.startswith(codes.TOKEN_PREFIX):
            return await token_valideren(session, token)
        principal = await optional_principal(request, credentials)
        if principal is None:
            raise Unauthorized()
        if not principal.has_any(*roles):
            raise Forbidden()
        return principal

    _dep.__name__ = "staf_of_volgsessie_" + "_".join(roles)
    return _dep
