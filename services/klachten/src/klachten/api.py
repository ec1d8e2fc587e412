"""Every router of the klachten service, mounted in one place."""

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router

routers: list[APIRouter] = [identity_router()]
