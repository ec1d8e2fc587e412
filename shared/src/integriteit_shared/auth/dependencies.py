"""FastAPI dependencies: who is calling, and may they?

    @router.get("/meldingen")
    async def lijst(principal: Annotated[Principal, Depends(require_roles("coid_adviseur"))]): ...

    @router.get("/iets")
    async def iets(principal: CurrentPrincipal): ...

The validator is read from `request.app.state.token_validator` (a `TokenValidator`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import Scope

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


async def _principal_of(request: Request) -> Principal | None:
    """The caller of this request (validated once per request), or None without a token."""
    # remembered in the request's own scope (not `request.state`: a lifespan state dict may be
    # shared between requests, depending on the server)
    scope = request.scope
    known = scope.get(_SCOPE_KEY, _UNSET)
    if known is not _UNSET:
        return cast(Principal | None, known)
    # (an empty query string has no parameters: not parsed on every request)
    if scope.get("query_string") and any(
        name.lower() in QUERY_TOKEN_PARAMS for name in request.query_params
    ):
        raise BadRequest("Tokens in de query string worden geweigerd.")
    authorization = _authorization(scope)
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthorized("De Authorization-header moet de vorm 'Bearer <token>' hebben.")
    principal = await _validator(request).validate(token)
    # what `request.state.principal = principal` does, without a State object per request
    scope.setdefault("state", {})["principal"] = principal
    scope[_SCOPE_KEY] = principal
    return principal


_UNSET = object()
_SCOPE_KEY = "integriteit.principal"


def _authorization(scope: Scope) -> str | None:
    """`request.headers.get("authorization")`, without building a Headers object."""
    for key, value in scope["headers"]:
        if key == b"authorization":
            return str(value.decode("latin-1"))
    return None


async def optional_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal | None:
    """The caller, or None when no Authorization header is sent. A bad token is a 401."""
    return await _principal_of(request)


class _RoleGuard(HTTPBearer):
    """`require_roles`/`optional_roles` as ONE dependency that is also the OpenAPI bearer
    scheme (the same `bearerAuth` as `bearer_scheme`): FastAPI resolves a single dependant
    per request instead of a chain of three, which is measurable on hot read endpoints."""

    def __init__(self, allowed: tuple[str, ...], *, anonymous: bool) -> None:
        super().__init__(
            auto_error=False,
            bearerFormat=getattr(bearer_scheme.model, "bearerFormat", "JWT"),
            scheme_name=bearer_scheme.scheme_name,
            description=bearer_scheme.model.description,
        )
        self.allowed = allowed
        self.anonymous = anonymous

    async def __call__(self, request: Request) -> Principal | None:  # type: ignore[override]
        principal = await _principal_of(request)
        if principal is None:
            if self.anonymous:
                return None
            raise Unauthorized()
        if not principal.has_any(*self.allowed):
            raise Forbidden()
        return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def current_principal(principal: OptionalPrincipal) -> Principal:
    """The caller; no token is a 401."""
    if principal is None:
        raise Unauthorized()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency returning the caller if they hold one of `roles` (else 403; no token 401)."""
    if not roles:
        raise ValueError("require_roles needs at least one role; use CurrentPrincipal instead")
    return cast(
        Callable[[Request], Awaitable[Principal]],
        _RoleGuard(tuple(str(role) for role in roles), anonymous=False),
    )


def optional_roles(*roles: str) -> Callable[[Request], Awaitable[Principal | None]]:
    """For endpoints open to anonymous callers: None without a token, the caller if they hold
    one of `roles`, 403 for a valid token without them."""
    if not roles:
        raise ValueError("optional_roles needs at least one role; use OptionalPrincipal instead")
    return _RoleGuard(tuple(str(role) for role in roles), anonymous=True)


def scope_onderdeel(principal: Principal | None, onderdeel: str) -> bool:
    """May this caller see an object of `onderdeel`? True for Defensie-wide tokens (no
    `defensieonderdeel` claim) or a matching one. Answer 404 when False."""
    if principal is None:
        return False
    return principal.defensieonderdeel is None or principal.defensieonderdeel == onderdeel
