"""Every router of the vertrouwenspersonen service, mounted in one place, and its workflows."""

from typing import Any

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from integriteit_shared.workflow import Workflow
from vertrouwenspersonen.casus.router import router as casus_router
from vertrouwenspersonen.casus.service import CASUS
from vertrouwenspersonen.informeel_gesprek.router import router as informeel_gesprek_router
from vertrouwenspersonen.vertrouwenspersoon.router import router as vertrouwenspersoon_router
from vertrouwenspersonen.vertrouwenspersoon.service import VERTROUWENSPERSOON

routers: list[APIRouter] = [
    identity_router(),
    vertrouwenspersoon_router,
    casus_router,
    informeel_gesprek_router,
]

# every aggregate's transitions table (docs/toestanden.md is drawn from these)
workflows: list[Workflow[Any]] = [CASUS, VERTROUWENSPERSOON]
