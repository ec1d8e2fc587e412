"""include_routes and DirectRoute: the same answers and OpenAPI as FastAPI, with less work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

import fastapi.routing
import httpx
import pytest
from fastapi import APIRouter, Body, Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import Response
from starlette.routing import Route

from integriteit_dev.testing.services import TokenFactory
from integriteit_shared.auth import Principal, TokenValidator, require_roles
from integriteit_shared.auth.keys import DevKeys
from integriteit_shared.http.errors import install_error_handlers
from integriteit_shared.http.routing import ROUTE_TEMPLATE, DirectRoute, include_routes
from integriteit_shared.settings import DEFAULT_AUDIENCE, DEV_ISSUER

Lezer = Annotated[Principal, Depends(require_roles("rapportage_lezer"))]
Jaar = Annotated[int, Path(ge=2000, le=2100)]
Peildatum = Annotated[date | None, Query()]


async def _marker(request: Request) -> None:
    request.scope.setdefault("calls", []).append("marker")


def _router(route_class: type[fastapi.routing.APIRoute]) -> APIRouter:
    router = APIRouter(route_class=route_class, dependencies=[Depends(_marker)])

    @router.get("/verslagen/{jaar}", response_class=Response)
    async def verslag(
        request: Request, principal: Lezer, jaar: Jaar, peildatum: Peildatum = None
    ) -> Response:
        calls = request.scope.get("calls", [])
        seen = getattr(request.state, "principal", None)
        body = f"{principal.sub}|{jaar}|{peildatum}|{calls}|{seen and seen.sub}"
        return Response(content=body, media_type="text/plain", headers={"ETag": '"x"'})

    @router.get("/namen/{naam}")
    async def naam(naam: str) -> Response:
        return Response(content=naam)

    @router.get("/met-header/{jaar}")
    async def met_header(jaar: int, x_iets: Annotated[str | None, Header()] = None) -> Response:
        return Response(content=str(jaar))

    @router.get("/met-model/{jaar}")
    async def met_model(jaar: int) -> dict[str, int]:
        return {"jaar": jaar}

    @router.get("/verplicht/{jaar}")
    async def verplicht(jaar: int, q: Annotated[int, Query()]) -> Response:
        return Response(content=str(jaar))

    @router.post("/body/{jaar}")
    async def met_body(jaar: int, body: Annotated[dict[str, Any], Body()]) -> Response:
        return Response(content=str(jaar))

    @router.get("/sync/{jaar}")
    def sync(jaar: int) -> Response:
        return Response(content=str(jaar))

    return router


def _app(route_class: type[fastapi.routing.APIRoute], dev_keys: DevKeys) -> FastAPI:
    app = FastAPI()
    assert dev_keys.jwks_path is not None
    app.state.token_validator = TokenValidator(
        issuer=DEV_ISSUER, audience=DEFAULT_AUDIENCE, key_file=dev_keys.jwks_path
    )
    install_error_handlers(app)
    if route_class is DirectRoute:
        # the direct path is set up by include_routes, which puts the route on the app
        # itself; FastAPI builds an included route's handler per inclusion, out of reach
        include_routes(app, _router(route_class), prefix="/api/proef/v1")
    else:
        app.include_router(_router(route_class), prefix="/api/proef/v1")
    return app


@pytest.fixture
async def clients(dev_keys: DevKeys) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    direct, standard = _app(DirectRoute, dev_keys), _app(fastapi.routing.APIRoute, dev_keys)
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=direct), base_url="http://t/api/proef/v1"
        ) as d,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=standard), base_url="http://t/api/proef/v1"
        ) as s,
    ):
        yield d, s


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often FastAPI's generic parameter solving ran."""
    calls: list[int] = []
    original = fastapi.routing.solve_dependencies

    async def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return await original(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    return calls


def _same(a: httpx.Response, b: httpx.Response) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content)
    assert a.headers.multi_items() == b.headers.multi_items()


async def test_common_request_skips_parameter_solving(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], tokens: TokenFactory, solves: list[int]
) -> None:
    direct, standard = clients
    h = tokens.headers("rapportage_lezer", sub="lezer-1")
    a = await direct.get("/verslagen/2024", headers=h)
    assert solves == []
    b = await standard.get("/verslagen/2024", headers=h)
    assert solves == [1]
    _same(a, b)
    # the router's own dependency ran first, then the guard (which set request.state)
    assert a.text == "lezer-1|2024|None|['marker']|lezer-1"


@pytest.mark.parametrize(
    "path",
    [
        "/verslagen/2000",
        "/verslagen/2100",
        "/verslagen/1999",
        "/verslagen/2101",
        "/verslagen/02024",
        "/verslagen/+2024",
        "/verslagen/%202024",
        "/verslagen/-2024",
        "/verslagen/2024.0",
        "/verslagen/abc",
        "/verslagen/%D9%A2%D9%A0%D9%A2%D9%A4",  # Arabic-Indic digits: str.isdigit() is True
        "/verslagen/99999999999999999999999",
        "/verslagen/2024?peildatum=2024-06-30",
        "/verslagen/2024?peildatum=gisteren",
        "/verslagen/2024?access_token=abc",
        "/verslagen/2024?",
        "/namen/piet",
        "/namen/%C3%A9%20x",
    ],
)
async def test_same_answers_as_fastapi(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], tokens: TokenFactory, path: str
) -> None:
    direct, standard = clients
    h = tokens.headers("rapportage_lezer")
    _same(await direct.get(path, headers=h), await standard.get(path, headers=h))


@pytest.mark.parametrize("path", ["/verslagen/2024", "/verslagen/1999", "/verslagen/abc"])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer kapot"},
        {"Authorization": "Basic abc"},
        "verkeerde rol",
    ],
)
async def test_same_refusals_as_fastapi(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    tokens: TokenFactory,
    path: str,
    headers: dict[str, str] | str,
) -> None:
    # the guard runs before the parameters are validated, as in FastAPI: no token is a 401
    # even for an invalid year
    direct, standard = clients
    h = tokens.headers("medewerker") if headers == "verkeerde rol" else headers
    assert isinstance(h, dict)
    a, b = await direct.get(path, headers=h), await standard.get(path, headers=h)
    _same(a, b)
    assert a.status_code in (401, 403)


async def test_dependency_overrides_are_honoured(dev_keys: DevKeys, solves: list[int]) -> None:
    app = _app(DirectRoute, dev_keys)
    guard = Lezer.__metadata__[0].dependency
    app.dependency_overrides[guard] = lambda: Principal(
        sub="nep", roles=frozenset(), defensieonderdeel=None, jti="j"
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/api/proef/v1/verslagen/2024")
    assert r.status_code == 200
    assert r.text.startswith("nep|2024|")
    assert solves == [1]


@pytest.mark.parametrize("method", ["HEAD", "PUT", "DELETE"])
async def test_same_answers_to_other_methods(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], tokens: TokenFactory, method: str
) -> None:
    # Starlette would answer HEAD on a GET route; FastAPI's route answers 405
    direct, standard = clients
    h = tokens.headers("rapportage_lezer")
    a = await direct.request(method, "/verslagen/2024", headers=h)
    _same(a, await standard.request(method, "/verslagen/2024", headers=h))
    assert a.status_code == 405


async def test_included_the_usual_way_is_an_ordinary_route(
    dev_keys: DevKeys, tokens: TokenFactory, solves: list[int]
) -> None:
    # the including router's dependencies run: FastAPI answers, not the direct path
    async def weiger() -> None:
        raise HTTPException(status_code=418)

    app = FastAPI()
    assert dev_keys.jwks_path is not None
    app.state.token_validator = TokenValidator(
        issuer=DEV_ISSUER, audience=DEFAULT_AUDIENCE, key_file=dev_keys.jwks_path
    )
    install_error_handlers(app)
    app.include_router(_router(DirectRoute), prefix="/p", dependencies=[Depends(weiger)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/p/verslagen/2024", headers=tokens.headers("rapportage_lezer"))
    assert r.status_code == 418
    assert solves == [1]


def test_only_simple_routes_are_direct() -> None:
    routes = {
        r.name: r.is_direct for r in _router(DirectRoute).routes if isinstance(r, DirectRoute)
    }
    assert routes == {
        "verslag": True,
        "naam": True,
        "met_header": False,
        "met_model": False,
        "verplicht": False,
        "met_body": False,
        "sync": False,
    }


def _service_router() -> APIRouter:
    async def _router_dep() -> None:
        return None

    router = APIRouter(
        tags=["proef"],
        dependencies=[Depends(_router_dep)],
        responses={418: {"description": "Theepot"}},
    )

    @router.get("/items/{nr}", status_code=200, summary="Eén item", operation_id="itemOpvragen")
    async def item(
        nr: Annotated[int, Path(ge=1)], q: Annotated[str | None, Query()] = None
    ) -> dict[str, Any]:
        """Een item.

        Met beschrijving."""
        return {"nr": nr, "q": q}

    @router.post("/items", status_code=201, responses={409: {"description": "Bestaat al"}})
    async def maak(body: Annotated[dict[str, int], Body()]) -> dict[str, int]:
        return body

    @router.get("/verborgen", include_in_schema=False)
    async def verborgen() -> Response:
        return Response(content=b"ja")

    return router


def _service_app(flat: bool) -> FastAPI:
    app = FastAPI(title="Proef", version="1")
    install_error_handlers(app)
    direct = _router(DirectRoute)
    for router in (_service_router(), direct):
        if flat:
            include_routes(app, router, prefix="/api/proef/v1")
        else:
            app.include_router(router, prefix="/api/proef/v1")
    return app


def test_include_routes_gives_the_same_openapi_document() -> None:
    flat, nested = _service_app(flat=True), _service_app(flat=False)
    # no entry for an included router: every entry is a route of its own
    assert all(isinstance(r, Route) for r in flat.router.routes)
    assert flat.openapi() == nested.openapi()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/proef/v1/items/3?q=x", None),
        ("GET", "/api/proef/v1/items/0", None),
        ("GET", "/api/proef/v1/items/x", None),
        ("POST", "/api/proef/v1/items", {"a": 1}),
        ("POST", "/api/proef/v1/items", {"a": "b"}),
        ("PUT", "/api/proef/v1/items/3", None),
        ("GET", "/api/proef/v1/verborgen", None),
        ("GET", "/api/proef/v1/bestaat-niet", None),
        ("GET", "/api/proef/v1/items/3/", None),
    ],
)
async def test_include_routes_gives_the_same_answers(
    method: str, path: str, body: dict[str, Any] | None
) -> None:
    answers = []
    for flat in (True, False):
        app = _service_app(flat)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            answers.append(await c.request(method, path, json=body))
    _same(*answers)


def test_include_routes_keeps_the_relative_template() -> None:
    app = _service_app(flat=True)
    templates = {
        getattr(r, "path", None): getattr(r, ROUTE_TEMPLATE, None) for r in app.router.routes
    }
    assert templates["/api/proef/v1/items/{nr}"] == "/items/{nr}"
    assert templates["/api/proef/v1/verslagen/{jaar}"] == "/verslagen/{jaar}"


def test_include_routes_falls_back_for_what_it_does_not_copy() -> None:
    async def bij_start() -> None:
        return None

    router = APIRouter(on_startup=[bij_start])

    @router.get("/x")
    async def x() -> Response:
        return Response()

    app = FastAPI()
    include_routes(app, router, prefix="/p")
    # the last entry is FastAPI's for the included router, not a route of the app's own
    assert not isinstance(app.router.routes[-1], Route)
    assert "/p/x" not in [getattr(r, "path", None) for r in app.router.routes]
    assert bij_start in app.router.on_startup


async def test_include_routes_falls_back_for_a_router_with_its_own_lifespan() -> None:
    started: list[str] = []

    @asynccontextmanager
    async def levensloop(app: Any) -> AsyncIterator[None]:
        started.append("ja")
        yield

    router = APIRouter(lifespan=levensloop)

    @router.get("/x")
    async def x() -> Response:
        return Response()

    app = FastAPI()
    include_routes(app, router, prefix="/p")
    assert not isinstance(app.router.routes[-1], Route)
    async with app.router.lifespan_context(app):
        pass
    assert started == ["ja"]
