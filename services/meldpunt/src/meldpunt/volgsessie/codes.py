"""Volgcodes and volgsessie tokens: random secrets that are never stored in the clear.

A volgcode is 25 base32 characters (125 bits) in five groups. The row is found by a
short, non-secret *selector* (a truncated sha256 of the code) and the code is then
verified against its argon2 hash, so lookup never has to try every hash.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from functools import lru_cache

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import FastAPI

_ALFABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
VOLGCODE_TEKENS = 25
SELECTOR_LENGTE = 12
TOKEN_PREFIX = "vs_"  # noqa: S105 - a format prefix, not a secret
_NIET_TOEGESTAAN = re.compile(r"[^A-Z2-7]")


def nieuwe_volgcode() -> str:
    raw = "".join(secrets.choice(_ALFABET) for _ in range(VOLGCODE_TEKENS))
    return "-".join(raw[i : i + 5] for i in range(0, VOLGCODE_TEKENS, 5))


def normaliseer(volgcode: str) -> str:
    """Case and separators do not matter when a melder types the code back."""
    return _NIET_TOEGESTAAN.sub("", volgcode.upper())


def selector(volgcode: str) -> str:
    return hashlib.sha256(f"volgcode:{normaliseer(volgcode)}".encode()).hexdigest()[
        :SELECTOR_LENGTE
    ]


# New hashes use the active profile; a stored hash names its own parameters, so codes
# hashed under another profile still verify.
PROFIELEN: dict[str, Parameters] = {
    "rfc9106": profiles.RFC_9106_LOW_MEMORY,
    "dev": Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=1,
        memory_cost=8192,
        parallelism=1,
    ),
}
_actief = ["rfc9106"]


async def install_argon2_profiel(app: FastAPI) -> None:
    """Startup hook: the profile the settings name."""
    gebruik_profiel(app.state.settings.volgcode_argon2)


def gebruik_profiel(naam: str) -> None:
    """Hash new volgcodes with `PROFIELEN[naam]` (the setting `volgcode_argon2`)."""
    _actief[0] = naam
    _hasher.cache_clear()
    _dummy_hash.cache_clear()


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFIELEN[_actief[0]])


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(nieuwe_volgcode())


async def hash_volgcode(volgcode: str) -> str:
    return await asyncio.to_thread(_hasher().hash, normaliseer(volgcode))


async def controleer(volgcode: str, stored_hash: str | None) -> bool:
    """argon2 verify off the event loop. Without a stored hash a dummy is verified, so an
    unknown code costs as much time as a wrong one."""
    target = stored_hash if stored_hash is not None else _dummy_hash()

    def verify() -> bool:
        try:
            return _hasher().verify(target, normaliseer(volgcode))
        except (VerificationError, InvalidHashError):
            return False

    ok = await asyncio.to_thread(verify)
    return ok and stored_hash is not None


def nieuw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
