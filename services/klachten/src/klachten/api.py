"""Every router of the klachten service, mounted in one place."""

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from klachten.klacht.router import router as klacht_router

routers: list[APIRouter] = [identity_router(), klacht_router]
