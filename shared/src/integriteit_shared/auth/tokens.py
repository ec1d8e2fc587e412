"""Minting bearer tokens (the dev CLI, tests, and short-lived service tokens)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

# Claims mint_token sets itself; `extra` may not override them.
_RESERVED = frozenset({"iss", "aud", "sub", "iat", "nbf", "exp", "jti", "roles"})


def mint_token(
    *,
    private_key: rsa.RSAPrivateKey,
    kid: str,
    sub: str,
    roles: Sequence[str],
    issuer: str,
    audience: str,
    defensieonderdeel: str | None = None,
    ttl_s: int = 3600,
    algorithm: str = "RS256",
    extra: Mapping[str, Any] | None = None,
) -> str:
    """A signed JWT with iss, aud, sub, roles, iat, nbf, exp, a fresh jti and `kid` header."""
    if isinstance(roles, str):
        raise TypeError("roles must be a sequence of role names, not a string")
    if ttl_s <= 0:
        raise ValueError("ttl_s must be positive")
    now = int(time.time())
    payload: dict[str, Any] = {}
    if extra:
        clash = _RESERVED & extra.keys()
        if clash:
            raise ValueError(f"extra may not set {sorted(clash)}")
        payload.update(extra)
    payload.update(
        {
            "iss": issuer,
            "aud": audience,
            "sub": sub,
            "roles": [str(r) for r in roles],
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
            "jti": str(uuid.uuid4()),
        }
    )
    if defensieonderdeel is not None:
        payload["defensieonderdeel"] = defensieonderdeel
    return jwt.encode(payload, private_key, algorithm=algorithm, headers={"kid": kid})
