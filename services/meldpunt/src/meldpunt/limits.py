"""The meldpunt's rate limiters (in memory, per process; see integriteit_shared.http.ratelimit)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request

from integriteit_shared.http.ratelimit import SlidingWindowLimiter, client_key
from meldpunt.config import Settings


@dataclass
class Limiters:
    intake: SlidingWindowLimiter
    volgsessie: SlidingWindowLimiter
    trust_forwarded_for: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> Limiters:
        return cls(
            intake=SlidingWindowLimiter(
                limit=settings.anonieme_meldingen_limiet,
                window_s=settings.anonieme_meldingen_venster_s,
            ),
            volgsessie=SlidingWindowLimiter(
                limit=settings.volgsessie_pogingen_limiet,
                window_s=settings.volgsessie_pogingen_venster_s,
            ),
            trust_forwarded_for=settings.vertrouw_x_forwarded_for,
        )

    def key(self, request: Request) -> str:
        return client_key(request, trust_forwarded_for=self.trust_forwarded_for)


async def install_limiters(app: FastAPI) -> None:
    app.state.limiters = Limiters.from_settings(app.state.settings)


def limiters(request: Request) -> Limiters:
    result: Limiters = request.app.state.limiters
    return result
