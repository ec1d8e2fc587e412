"""FastAPI dependencies: who is calling, and may they?

    @router.get("/meldingen")
    async def lijst(principal: Annotated[Principal, Depends(require_roles("coid_adviseur"))]): ...

    @router.get("/iets")
    async def iets(principal: CurrentPrincipal): ...

The validator is read from `request.app.state.token_validator` (a `TokenValidator`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from integriteit_shared.auth.validation import Principal, TokenValidator
from integriteit_shared.http.problems import BadRequest, Forbidden, Unauthorized

# Query parameters that would carry a token; any of them present is refused outright.
QUERY_TOKEN_PARAMS = frozenset({"access_token", "token", "jwt", "bearer"})

# Only for the OpenAPI document (an `http` `bearer` scheme with bearerFormat JWT, listed on
# every operation that depends on it); the header itself is parsed below.
bearer_scheme = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    scheme_name="bearerAuth",
    description="`Authorization: Bearer <JWT>` (RS256 of PS256, met `kid`).",
)


def _validator(request: Request) -> TokenValidator:
    validator = getattr(request.app.state, "token_validator", None)
    if not isinstance(validator, TokenValidator):
        raise RuntimeError("app.state.token_validator is not set to a TokenValidator")
    return validator


async def optional_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal | None:
    """The caller, or None when no Authorization header is sent. A bad token is a 401."""
    if any(name.lower() in QUERY_TOKEN_PARAMS for name in request.query_params):
        raise BadRequest("Tokens in de query string worden geweigerd.")
    authorization = request.headers.get("authorization")
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthorized("De Authorization-header moet de vorm 'Bearer <token>' hebben.")
    principal = await _validator(request).validate(token)
    request.state.principal = principal
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def current_principal(principal: OptionalPrincipal) -> Principal:
    """The caller; no token is a 401."""
    if principal is None:
        raise Unauthorized()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency returning the caller if they hold one of `roles` (else 403; no token 401)."""
    if not roles:
        raise ValueError("require_roles needs at least one role; use CurrentPrincipal instead")
    allowed = tuple(str(role) for role in roles)

    async def _require_roles(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(*allowed):
            raise Forbidden()
        return principal

    _require_roles.__name__ = "require_roles_" + "_".join(allowed)
    return _require_roles


def optional_roles(*roles: str) -> Callable[[Principal | None], Awaitable[Principal | None]]:
    """For endpoints open to anonymous callers: None without a token, the caller if they hold
    one of `roles`, 403 for a valid token without them."""
    if not roles:
        raise ValueError("optional_roles needs at least one role; use OptionalPrincipal instead")
    allowed = tuple(str(role) for role in roles)

    async def _optional_roles(principal: OptionalPrincipal) -> Principal | None:
        if principal is not None and not principal.has_any(*allowed):
            raise Forbidden()
        return principal

    _optional_roles.__name__ = "optional_roles_" + "_".join(allowed)
    return _optional_roles


def scope_onderdeel(principal: Principal | None, onderdeel: str) -> bool:
    """May this caller see an object of `onderdeel`? True for Defensie-wide tokens (no
    `defensieonderdeel` claim) or a matching one. Answer 404 when False."""
    if principal is None:
        return False
    return principal.defensieonderdeel is None or principal.defensieonderdeel == onderdeel
