"""Every router of the rapportage service, mounted in one place."""

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from rapportage.ledger.router import router as ledger_router

routers: list[APIRouter] = [identity_router(), ledger_router]
