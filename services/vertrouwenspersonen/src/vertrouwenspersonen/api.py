"""Every router of the vertrouwenspersonen service, mounted in one place."""

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from vertrouwenspersonen.casus.router import router as casus_router
from vertrouwenspersonen.informeel_gesprek.router import router as informeel_gesprek_router
from vertrouwenspersonen.vertrouwenspersoon.router import router as vertrouwenspersoon_router

routers: list[APIRouter] = [
    identity_router(),
    vertrouwenspersoon_router,
    casus_router,
    informeel_gesprek_router,
]
