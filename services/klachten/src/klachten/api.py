"""Every router of the klachten service, mounted in one place, and its workflows."""

from typing import Any

from fastapi import APIRouter

from integriteit_shared.auth.roles import Rol
from integriteit_shared.http.bewaarplicht import bewaarplicht_router
from integriteit_shared.http.identity import identity_router
from integriteit_shared.workflow import Workflow
from klachten.bewaren import KLACHT as KLACHT_OBJECT
from klachten.bewaren import laad_klacht
from klachten.klacht.router import router as klacht_router
from klachten.klacht.service import KLACHT

routers: list[APIRouter] = [
    identity_router(),
    klacht_router,
    # a legal hold stops the purge of a klacht (klachten.bewaren)
    bewaarplicht_router(
        collection="klachten",
        object_type=KLACHT_OBJECT,
        roles=(Rol.klachtbehandelaar, Rol.beheerder),
        load=laad_klacht,
        tag="bewaartermijnen",
        noun="klacht",
    ),
]

# every aggregate's transitions table (docs/toestanden.md is drawn from these)
workflows: list[Workflow[Any]] = [KLACHT]
