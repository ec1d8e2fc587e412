"""Every router of the rapportage service, mounted in one place."""

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from rapportage.ingress.router import router as ingress_router
from rapportage.jaarverslag.router import router as jaarverslag_router
from rapportage.ledger.router import router as ledger_router
from rapportage.voortgang.router import router as voortgang_router

routers: list[APIRouter] = [
    identity_router(),
    jaarverslag_router,
    voortgang_router,
    ingress_router,
    ledger_router,
]
