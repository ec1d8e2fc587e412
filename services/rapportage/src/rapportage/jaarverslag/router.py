from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, cast

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import Response

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.validation import Principal
from integriteit_shared.codes import DEFENSIEONDERDELEN, Defensieonderdeel
from integriteit_shared.db.session import Database
from integriteit_shared.http.routing import DirectRoute
from integriteit_shared.kalender import vandaag
from rapportage.config import Settings
from rapportage.jaarverslag import service
from rapportage.jaarverslag.schemas import IndicatorRead, JaarverslagRead

# DirectRoute: the dashboard polls GET /jaarverslagen/{jaar}; its common request skips
# FastAPI's generic parameter solving (same checks, same order; see
# integriteit_shared.http.routing). `make bench` item 1 holds it against a bare FastAPI app.
router = APIRouter(tags=["jaarverslagen"], route_class=DirectRoute)
Lezer = Annotated[Principal, Depends(require_roles(Rol.rapportage_lezer, Rol.beheerder))]
Jaar = Annotated[int, Path(ge=2000, le=2100, description="Verslagjaar")]
Peildatum = Annotated[
    date | None,
    Query(
        description="Alleen gebeurtenissen geregistreerd op of voor deze datum; standaard vandaag"
    ),
]

ETAG_HEADER = {"description": "Hash van de representatie.", "schema": {"type": "string"}}
JAARVERSLAG_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "De indicatoren van het jaar en de twee jaren ervoor.",
        "headers": {"ETag": ETAG_HEADER},
        "model": JaarverslagRead,
        # JSON (the model) first, CSV as the alternative for `Accept: text/csv`: a client
        # generator types the response by its first media type
        "content": {
            "application/json": {},
            "text/csv": {
                "schema": {"type": "string", "description": "indicator,jaar,waarde per regel"}
            },
        },
    },
    304: {
        "description": "Ongewijzigd: de `If-None-Match` komt overeen met de huidige ETag.",
        "headers": {"ETag": ETAG_HEADER},
    },
}


def _cache(request: Request) -> service.JaarverslagCache:
    state = request.app.state
    if not hasattr(state, "jaarverslag_cache"):
        state.jaarverslag_cache = service.JaarverslagCache()
    return cast(service.JaarverslagCache, state.jaarverslag_cache)


def _weergaven(request: Request) -> service.Weergaven:
    state = request.app.state
    if not hasattr(state, "jaarverslag_weergaven"):
        state.jaarverslag_weergaven = service.Weergaven()
    return cast(service.Weergaven, state.jaarverslag_weergaven)


def request_version_watcher(request: Request) -> service.VersionWatcher:
    state = request.app.state
    if not hasattr(state, "version_watcher"):
        state.version_watcher = service.VersionWatcher(_settings(request).versie_ttl_s)
    return cast(service.VersionWatcher, state.version_watcher)


@dataclass(frozen=True)
class _Lezen:
    """What the report reader needs of the app, gathered on the first request (one
    `app.state` lookup per request instead of eight)."""

    settings: Settings
    cache: service.JaarverslagCache
    version_watcher: service.VersionWatcher
    weergaven: service.Weergaven


def _lezen(request: Request) -> _Lezen:
    state = request.app.state
    lezen = getattr(state, "jaarverslag_lezen", None)
    if lezen is None:
        lezen = _Lezen(
            _settings(request),
            _cache(request),
            request_version_watcher(request),
            _weergaven(request),
        )
        state.jaarverslag_lezen = lezen
    return cast(_Lezen, lezen)


async def sluit(app: FastAPI) -> None:
    """At shutdown: the version reader gives its database connection back."""
    version_watcher = getattr(app.state, "version_watcher", None)
    if isinstance(version_watcher, service.VersionWatcher):
        await version_watcher.close()


def _db(request: Request) -> Database:
    return cast(Database, request.app.state.db)


def _settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def _header(request: Request, naam: bytes) -> str | None:
    """`request.headers.get(naam)`, without a Headers object and a KeyError when absent."""
    for key, value in request.scope["headers"]:
        if key == naam:
            return str(value.decode("latin-1"))
    return None


def matches_etag(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


@router.get(
    "/jaarverslagen/{jaar}",
    summary="Jaarverslag: de indicatoren van een jaar en de twee jaren ervoor",
    operation_id="jaarverslagOpvragen",
    response_class=Response,
    responses=JAARVERSLAG_RESPONSES,
    openapi_extra={
        "parameters": [
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "ETag van een eerder antwoord; gelijk → 304",
            }
        ]
    },
)
async def jaarverslag_opvragen(
    request: Request, _: Lezer, jaar: Jaar, peildatum: Peildatum = None
) -> Response:
    lezen = _lezen(request)
    formaat = "csv" if "text/csv" in (_header(request, b"accept") or "") else "json"
    weergave = await service.jaarverslag(
        _db(request),
        lezen.cache,
        lezen.version_watcher,
        jaar=jaar,
        peildatum=peildatum or vandaag(),
        formaat=formaat,
        drempel=lezen.settings.onderdrukking_tot_en_met,
        weergaven=lezen.weergaven,
    )
    if matches_etag(_header(request, b"if-none-match"), weergave.etag):
        response = Response(status_code=304)
    else:
        media = "text/csv; charset=utf-8" if formaat == "csv" else "application/json"
        response = Response(content=weergave.body, media_type=media)
    # ETag, Vary and Cache-Control first, as `Response(headers={...})` would put them
    # (lower-cased, latin-1), without converting a dict on every poll
    response.raw_headers[:0] = (
        (b"etag", weergave.etag.encode("latin-1")),
        (b"vary", b"Accept"),
        (b"cache-control", b"no-cache"),
    )
    return response


@router.get(
    "/indicatoren",
    response_model=list[IndicatorRead],
    response_model_by_alias=True,
    summary="Indicatoren per defensieonderdeel, kleine aantallen onderdrukt",
    description="Aantallen van 1 tot en met de drempel (standaard 4) worden onderdrukt, en "
    "zoveel andere dat geen onderdrukt aantal uit de Defensiecijfers of verwante cijfers is "
    "af te leiden. Voor een lopend jaar gelden de cijfers zoals ze stonden op het laatste "
    "maandeinde vóór de peildatum (veld `peildatum`), zodat verschillen tussen dagen geen "
    "melding aan een onderdeel verraden; voor een afgesloten jaar de peildatum zelf.",
    operation_id="indicatorenOpvragen",
)
async def indicatoren_opvragen(
    request: Request,
    _: Lezer,
    jaar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    defensieonderdeel: Annotated[Defensieonderdeel | None, Query()] = None,
    peildatum: Peildatum = None,
) -> list[service.Json]:
    peil = peildatum or vandaag()
    return await service.indicatoren(
        _db(request),
        jaar=jaar or peil.year,
        peildatum=peil,
        onderdelen=[defensieonderdeel] if defensieonderdeel else list(DEFENSIEONDERDELEN),
        drempel=_settings(request).onderdrukking_tot_en_met,
    )
