"""Every router of the klachten service, mounted in one place, and its workflows."""

from typing import Any

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from integriteit_shared.workflow import Workflow
from klachten.klacht.router import router as klacht_router
from klachten.klacht.service import KLACHT

routers: list[APIRouter] = [identity_router(), klacht_router]

# every aggregate's transitions table (docs/toestanden.md is drawn from these)
workflows: list[Workflow[Any]] = [KLACHT]
