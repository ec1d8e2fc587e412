"""The link between a named melder (or klager) and their own case, as a keyed hash.

A case filed by a medewerker under their own name stores `koppeling(sleutel, sub)`: an
HMAC-SHA256 of the token's `sub` under a key of the service. With the key, the service
finds "my cases" for the caller; without it, the column is no list of who reported, and
one sub cannot be tried against it offline.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

# Published in the repo on purpose: usable only in dev mode (ServiceSettings refuses it).
DEV_KOPPELSLEUTEL = "ZGV2LW9ubHkta29wcGVsc2xldXRlbC1uaWV0LXByb2Q="


def koppelsleutel(setting: str) -> bytes:
    """The key bytes of a base64 setting; at least 32 bytes."""
    try:
        sleutel = base64.b64decode(setting, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the koppelsleutel setting is not valid base64") from None
    if len(sleutel) < 32:
        raise ValueError("the koppelsleutel must be at least 32 bytes")
    return sleutel


def koppeling(sleutel: bytes, sub: str) -> str:
    """The stored link for a token's `sub`."""
    return hmac.new(sleutel, sub.encode("utf-8"), hashlib.sha256).hexdigest()


class Koppelaar:
    """A service's koppelsleutel, ready to link subs (`app.state.koppelaar`)."""

    def __init__(self, setting: str) -> None:
        self._sleutel = koppelsleutel(setting)

    def __repr__(self) -> str:  # never show key material
        return "Koppelaar(<sleutel>)"

    def __call__(self, sub: str) -> str:
        return koppeling(self._sleutel, sub)
