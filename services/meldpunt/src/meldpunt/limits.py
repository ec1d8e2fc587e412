"""The meldpunt's rate limiters, shared by its replicas (see integriteit_shared.http.ratelimit)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import FastAPI, Request

from integriteit_shared.db.session import Database
from integriteit_shared.http.proxies import client_address
from integriteit_shared.http.ratelimit import DatabaseLimiter
from meldpunt.config import Settings


@dataclass
class Limiters:
    intake: DatabaseLimiter
    volgsessie: DatabaseLimiter
    trusted_proxies: str

    @classmethod
    def from_settings(cls, settings: Settings, db: Database) -> Limiters:
        # client addresses are stored only as an HMAC under a secret every replica has
        secret = hashlib.sha256(b"rate-limit|" + settings.encryption_keys.encode()).digest()
        return cls(
            intake=DatabaseLimiter(
                db,
                name="anonieme-melding",
                limit=settings.anonieme_meldingen_limiet,
                window_s=settings.anonieme_meldingen_venster_s,
                secret=secret,
            ),
            volgsessie=DatabaseLimiter(
                db,
                name="volgsessie",
                limit=settings.volgsessie_pogingen_limiet,
                window_s=settings.volgsessie_pogingen_venster_s,
                secret=secret,
            ),
            trusted_proxies=settings.trusted_proxies,
        )

    def key(self, request: Request) -> str:
        return client_address(request, self.trusted_proxies)


async def install_limiters(app: FastAPI) -> None:
    app.state.limiters = Limiters.from_settings(app.state.settings, app.state.db)


def limiters(request: Request) -> Limiters:
    result: Limiters = request.app.state.limiters
    return result
