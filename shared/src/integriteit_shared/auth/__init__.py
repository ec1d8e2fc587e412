"""Authentication and authorisation: bearer JWTs (RS256/PS256), roles, scoping."""

from integriteit_shared.auth.dependencies import (
    QUERY_TOKEN_PARAMS,
    CurrentPrincipal,
    OptionalPrincipal,
    bearer_scheme,
    current_principal,
    optional_principal,
    optional_roles,
    require_roles,
    scope_onderdeel,
)
from integriteit_shared.auth.keys import DevKeys, ensure_dev_keys, jwk_thumbprint, load_dev_keys
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.tokens import mint_token
from integriteit_shared.auth.validation import (
    ALLOWED_ALGORITHMS,
    REQUIRED_CLAIMS,
    Principal,
    TokenValidator,
)

__all__ = [
    "ALLOWED_ALGORITHMS",
    "QUERY_TOKEN_PARAMS",
    "REQUIRED_CLAIMS",
    "CurrentPrincipal",
    "DevKeys",
    "OptionalPrincipal",
    "Principal",
    "Rol",
    "TokenValidator",
    "bearer_scheme",
    "current_principal",
    "ensure_dev_keys",
    "jwk_thumbprint",
    "load_dev_keys",
    "mint_token",
    "optional_principal",
    "optional_roles",
    "require_roles",
    "scope_onderdeel",
]
