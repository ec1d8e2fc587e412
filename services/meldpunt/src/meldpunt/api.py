"""Every router of the meldpunt service, mounted in one place."""

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from meldpunt.bericht.router import router as bericht_router
from meldpunt.integriteitsonderzoek.router import router as onderzoek_router
from meldpunt.melding.router import router as melding_router
from meldpunt.nevenwerkzaamheid.router import router as nevenwerkzaamheid_router
from meldpunt.volgsessie.router import router as volgsessie_router

routers: list[APIRouter] = [
    identity_router(),
    melding_router,
    volgsessie_router,
    bericht_router,
    onderzoek_router,
    nevenwerkzaamheid_router,
]
