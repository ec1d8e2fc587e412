"""Run a service's real app (lifespan, relay, consumer) and talk to it over httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.auth.tokens import mint_token
from integriteit_shared.http.app import base_path
from integriteit_shared.service import registered_service
from integriteit_shared.settings import DEFAULT_AUDIENCE, DEV_ISSUER, ServiceSettings


@dataclass
class TokenFactory:
    keys: DevKeys

    def __call__(
        self,
        *roles: str,
        onderdeel: str | None = None,
        sub: str = "test-gebruiker",
        ttl_s: int = 600,
        **extra: Any,
    ) -> str:
        return mint_token(
            private_key=self.keys.private_key,
            kid=self.keys.kid,
            sub=sub,
            roles=list(roles),
            issuer=DEV_ISSUER,
            audience=DEFAULT_AUDIENCE,
            defensieonderdeel=onderdeel,
            ttl_s=ttl_s,
            extra=extra or None,
        )

    def headers(self, *roles: str, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self(*roles, **kw)}"}


@dataclass
class RunningService:
    name: str
    app: FastAPI
    client: httpx.AsyncClient
    settings: ServiceSettings

    @property
    def base(self) -> str:
        return base_path(self.name)


def make_settings(
    service: str,
    *,
    database_url: str,
    bootstrap: str,
    jwks_file: Path,
    data_dir: Path,
    **overrides: Any,
) -> ServiceSettings:
    settings: ServiceSettings = registered_service(service).settings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        jwt_public_key_file=jwks_file,
        data_dir=data_dir,
        **overrides,
    )
    return settings


@asynccontextmanager
async def run_service(
    service: str, settings: ServiceSettings, *, startup_timeout: float = 30
) -> AsyncIterator[RunningService]:
    app = registered_service(service).create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=startup_timeout, shutdown_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as client,
    ):
        yield RunningService(name=service, app=app, client=client, settings=settings)


def problem_fields(body: dict[str, Any]) -> Sequence[str]:
    return sorted(p["name"] for p in body.get("invalidParams", []))
