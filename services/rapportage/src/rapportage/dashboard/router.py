"""`GET /dashboard`: the annual figures as charts, for people (outside the API base)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from integriteit_shared.auth.dependencies import require_roles
from integriteit_shared.auth.keys import ensure_dev_keys
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.tokens import mint_token
from integriteit_shared.auth.validation import Principal
from integriteit_shared.kalender import vandaag
from integriteit_shared.settings import ServiceSettings
from rapportage.jaarverslag.indicatoren import Tellingen, laad
from rapportage.jaarverslag.service import momentopname
from rapportage.projecties.sleutels import SLEUTELS

STATIC = Path(__file__).parent / "static"
# Scripts and styles only from this origin: the page works offline and nothing is injected.
DASHBOARD_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
TOKEN_TTL_S = 8 * 3600
EERSTE_JAAR, LAATSTE_JAAR = 2000, 2100  # the years GET /jaarverslagen/{jaar} takes

Lezer = Annotated[Principal, Depends(require_roles(Rol.rapportage_lezer, Rol.beheerder))]

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
async def dashboard() -> FileResponse:
    return FileResponse(
        STATIC / "index.html",
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": DASHBOARD_CSP},
    )


@router.get("/dashboard/sessie")
async def sessie(request: Request) -> JSONResponse:
    """In dev mode the page gets a read-only `rapportage_lezer` token by itself.

    Outside dev mode it returns no token: the deployment's auth proxy (oauth2-proxy with
    `--pass-authorization-header`) adds the user's bearer token to every API call.
    """
    settings: ServiceSettings = request.app.state.settings
    dev_jwks = settings.dev_keys_dir / "jwks.json"
    uses_dev_keys = settings.jwt_jwks_url is None and settings.jwt_public_key_file in (
        None,
        dev_jwks,
    )
    if not (settings.dev_mode and uses_dev_keys):
        return JSONResponse({"modus": "proxy"})
    keys = ensure_dev_keys(settings.dev_keys_dir)
    token = mint_token(
        private_key=keys.private_key,
        kid=keys.kid,
        sub="dashboard",
        roles=[Rol.rapportage_lezer],
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl_s=TOKEN_TTL_S,
    )
    return JSONResponse({"modus": "dev", "token": token})


def jaren_met_gegevens(tellingen: Tellingen, *, alleen_geregistreerd: bool = False) -> list[int]:
    """The years something happened in: every counter key names the year of its fact (a
    melding received, a klacht handled, an adviser appointed, ...) as its first part that
    is a year, so a year with a non-zero counter has data. Newest first.

    `alleen_geregistreerd` leaves out the keys counted because a term ran out in their
    year (`Sleutel.door_tijd`: check-ins overdue), which come on their own as time passes
    after the last registration."""
    jaren: set[int] = set()
    for prefix, rijen in tellingen.per_soort.items():
        soort = SLEUTELS.soorten.get(prefix)
        if alleen_geregistreerd and soort is not None and soort.door_tijd:
            continue
        for delen, _aantal in rijen:
            jaar = next((int(d) for d in delen if len(d) == 4 and d.isdigit()), None)
            if jaar is not None and EERSTE_JAAR <= jaar <= LAATSTE_JAAR:
                jaren.add(jaar)
    return sorted(jaren, reverse=True)


@router.get("/dashboard/jaren")
async def jaren(request: Request, _: Lezer) -> JSONResponse:
    """The years the page offers: those with data, and the one it opens with (last year,
    the year of the latest annual report, when something was registered in it; else the
    newest year in which something was)."""
    peil = vandaag()
    async with momentopname(request.app.state.db) as session:
        tellingen = await laad(session, peil)
    vorig = peil.year - 1
    lijst = jaren_met_gegevens(tellingen) or [vorig]
    geregistreerd = jaren_met_gegevens(tellingen, alleen_geregistreerd=True) or lijst
    standaard = vorig if vorig in geregistreerd else geregistreerd[0]
    return JSONResponse({"jaren": lijst, "standaard": standaard})


static_files = StaticFiles(directory=STATIC)
