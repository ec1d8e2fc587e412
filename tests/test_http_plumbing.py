"""The HTTP rules every service shares, exercised through the real app factory."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError

from integriteit_dev.testing.services import problem_fields
from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.validation import Principal
from integriteit_shared.http.app import ServiceSpec, SessionDep, create_app
from integriteit_shared.http.docs import assets_version
from integriteit_shared.http.pagination import PageDep, set_link_header
from integriteit_shared.messaging.models import OutboxMessage
from integriteit_shared.settings import ServiceSettings

SECURITY_HEADERS = {
    "cache-control",
    "content-security-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
}


class Proef(BaseModel):
    naam: str = Field(min_length=2)
    aantal: int = Field(ge=1)
    datum: date


def proef_router() -> APIRouter:
    router = APIRouter()

    @router.post("/proeven", status_code=201)
    async def maak(
        body: Proef, _: Annotated[Principal, Depends(require_roles("beheerder"))]
    ) -> dict[str, str]:
        return {"ok": "ja"}

    @router.post("/dubbele-schrijfacties", status_code=201)
    async def dubbel(session: SessionDep) -> dict[str, str]:
        # Two rows with the same unique event_id: the failure surfaces only at commit time.
        for _ in range(2):
            session.add(
                OutboxMessage(
                    event_id="zelfde",
                    source="s",
                    event_type="t",
                    topic="t",
                    key=b"k",
                    value=b"{}",
                    headers=[],
                )
            )
        return {"ok": "ja"}

    @router.post("/vergrendeld")
    async def vergrendeld(session: SessionDep) -> dict[str, str]:
        # what the driver raises when the database is locked or unreachable for a moment
        raise OperationalError("INSERT INTO outbox ...", {}, Exception("database is locked"))

    @router.get("/proeven")
    async def lijst(page: PageDep, request: Request, response: Response) -> list[int]:
        items = list(range(1, 46))
        set_link_header(request, response, page, len(items))
        return items[page.offset : page.offset + page.page_size]

    return router


@pytest.fixture
async def proef_service(databases, broker, dev_keys, tmp_path):
    url = await databases.create("meldpunt")
    settings = ServiceSettings(
        service_name="proef",
        database_url=url,
        kafka_bootstrap_servers=broker.bootstrap,
        jwt_public_key_file=dev_keys.jwks_path,
        data_dir=tmp_path,
    )
    app = create_app(
        settings,
        ServiceSpec(name="proef", title="Proef", description="Proef", routers=[proef_router()]),
    )
    # start-up and shutdown connect to and leave the broker: on a busy CI machine that
    # takes longer than asgi-lifespan's default 5 s (the services' own helper allows 30)
    async with (
        LifespanManager(app, startup_timeout=30, shutdown_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app, raise_app_exceptions=False),
            base_url="http://testserver",
        ) as client,
    ):
        yield client


async def test_validation_error_is_400_problem_with_every_field(proef_service, tokens):
    r = await proef_service.post(
        "/api/proef/v1/proeven",
        json={"naam": "x", "aantal": 0, "datum": "gisteren", "extra": 1},
        headers=tokens.headers("beheerder"),
    )
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == 400
    assert problem_fields(body) == ["aantal", "datum", "naam"]


async def test_missing_body_and_invalid_json_are_400(proef_service, tokens):
    h = tokens.headers("beheerder")
    r = await proef_service.post("/api/proef/v1/proeven", headers=h)
    assert r.status_code == 400
    r = await proef_service.post(
        "/api/proef/v1/proeven",
        content=b"{niet json",
        headers={**h, "content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["invalidParams"]


async def test_trailing_slash_is_404_not_redirect(proef_service):
    r = await proef_service.get("/api/proef/v1/proeven/")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert "location" not in r.headers


async def test_unknown_path_and_method_are_problems(proef_service):
    r = await proef_service.get("/api/proef/v1/bestaat-niet")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = await proef_service.delete("/api/proef/v1/proeven")
    assert r.status_code == 405 and r.json()["status"] == 405


async def test_every_response_has_version_and_security_headers(proef_service):
    for path in ("/api/proef/v1/proeven", "/api/proef/v1/nergens", "/health/live"):
        r = await proef_service.get(path)
        assert r.headers["api-version"] == "1.0.0"
        assert set(r.headers.keys()) >= SECURITY_HEADERS
        assert r.headers.get("x-request-id")


async def test_pagination_link_header(proef_service):
    r = await proef_service.get("/api/proef/v1/proeven", params={"page": 2, "pageSize": 20})
    assert r.status_code == 200
    assert r.json() == list(range(21, 41))
    link = r.headers["link"]
    for rel in ("first", "prev", "next", "last"):
        assert f'rel="{rel}"' in link
    assert "page=3" in link  # next and last
    r = await proef_service.get("/api/proef/v1/proeven", params={"pageSize": 101})
    assert r.status_code == 400
    assert problem_fields(r.json()) == ["pageSize"]


async def test_openapi_document_follows_design_rules(proef_service):
    r = await proef_service.get("/api/proef/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["servers"][0]["url"] == "/api/proef/v1"
    post = doc["paths"]["/proeven"]["post"]
    assert "422" not in post["responses"]
    assert "application/problem+json" in post["responses"]["400"]["content"]
    assert "API-Version" in post["responses"]["201"]["headers"]


async def test_a_failed_commit_is_never_answered_with_success(proef_service):
    r = await proef_service.post("/api/proef/v1/dubbele-schrijfacties")
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert "zelfde" not in r.text  # no database detail leaks


async def test_a_database_away_for_a_moment_is_503_with_retry_after(proef_service):
    r = await proef_service.post("/api/proef/v1/vergrendeld")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert int(r.headers["Retry-After"]) >= 1
    assert "locked" not in r.text and "outbox" not in r.text  # no database detail leaks


async def test_health_and_metrics(proef_service):
    assert (await proef_service.get("/health/live")).status_code == 200
    ready = await proef_service.get("/health/ready")
    assert ready.status_code in (200, 503)
    assert ready.json()["checks"]["database"] == "ok"
    await proef_service.get("/api/proef/v1/proeven")
    metrics = await proef_service.get("/metrics")
    assert 'route="/proeven"' in metrics.text  # templates relative to the API base


async def test_api_docs_are_served_by_the_service_itself(proef_service):
    """Swagger UI and ReDoc under the API base: every file they name is on this server and
    their policy allows no other origin (tests/browser/test_api_docs.py renders them)."""
    for path in ("/api/proef/v1/docs", "/api/proef/v1/redoc"):
        r = await proef_service.get(path)
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp and "'unsafe-inline'" not in csp
        urls = re.findall(r'(?:src|href|spec-url)="([^"]+)"', r.text)
        urls += re.findall(r"url: '([^']+)'", r.text)  # Swagger UI's document
        assert len(urls) >= 3
        for url in urls:
            assert url.startswith("/api/proef/v1/"), url
            assert (await proef_service.get(url)).status_code == 200, url
    # not in the document, and nothing where FastAPI puts the pages by default
    doc = (await proef_service.get("/api/proef/v1/openapi.json")).json()
    assert not [p for p in doc["paths"] if "docs" in p or "redoc" in p]
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert (await proef_service.get(path)).status_code == 404


async def test_api_docs_assets_are_cached_for_a_year_under_a_versioned_url(proef_service):
    """The scripts and styles never change under one URL (a hash of them is in the path), so
    a browser keeps them; the pages, the OpenAPI document and the API are never stored."""
    page = await proef_service.get("/api/proef/v1/docs")
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    versie = assets_version()
    assert assets and all(a.startswith(f"/api/proef/v1/docs/assets/{versie}/") for a in assets)
    for url in assets:
        r = await proef_service.get(url)
        assert r.status_code == 200, url
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        etag = r.headers["etag"]
        opnieuw = await proef_service.get(url, headers={"If-None-Match": etag})
        assert opnieuw.status_code == 304 and opnieuw.content == b""
        assert opnieuw.headers["cache-control"] == "public, max-age=31536000, immutable"
    # another version's URL is not this content
    naam = assets[0].rsplit("/", 1)[1]
    assert (
        await proef_service.get(f"/api/proef/v1/docs/assets/0{versie[1:]}/{naam}")
    ).status_code == 404
    assert (await proef_service.get(f"/api/proef/v1/docs/assets/{naam}")).status_code == 404
    for path in ("/api/proef/v1/docs", "/api/proef/v1/redoc", "/api/proef/v1/openapi.json"):
        assert (await proef_service.get(path)).headers["cache-control"] == "no-store", path
    assert (await proef_service.get("/api/proef/v1/proeven")).headers["cache-control"] == "no-store"
