"""Every router of the meldpunt service, mounted in one place, and its workflows."""

from typing import Any

from fastapi import APIRouter

from integriteit_shared.auth.roles import Rol
from integriteit_shared.http.bewaarplicht import bewaarplicht_router
from integriteit_shared.http.identity import identity_router
from integriteit_shared.workflow import Workflow
from meldpunt.behandeling.router import router as behandeling_router
from meldpunt.bericht.router import router as bericht_router
from meldpunt.bewaren import MELDING as MELDING_OBJECT
from meldpunt.bijlage.router import router as bijlage_router
from meldpunt.integriteitsonderzoek.router import router as onderzoek_router
from meldpunt.integriteitsonderzoek.service import ONDERZOEK
from meldpunt.inzagelog.router import router as inzagelog_router
from meldpunt.melding.dependencies import laad_melding_voor_wijziging
from meldpunt.melding.router import router as melding_router
from meldpunt.melding.workflow import MELDING, MISSTAND
from meldpunt.mijn.router import router as mijn_router
from meldpunt.nazorg.router import router as nazorg_router
from meldpunt.nevenwerkzaamheid.router import router as nevenwerkzaamheid_router
from meldpunt.nevenwerkzaamheid.service import NEVENWERKZAAMHEID
from meldpunt.tijdlijn.router import router as tijdlijn_router
from meldpunt.volgsessie.router import router as volgsessie_router

routers: list[APIRouter] = [
    identity_router(),
    melding_router,
    behandeling_router,
    tijdlijn_router,
    inzagelog_router,
    nazorg_router,
    volgsessie_router,
    bericht_router,
    bijlage_router,
    onderzoek_router,
    nevenwerkzaamheid_router,
    mijn_router,
    # a legal hold stops the purge of a melding (meldpunt.bewaren)
    bewaarplicht_router(
        collection="meldingen",
        object_type=MELDING_OBJECT,
        roles=(Rol.coid_coordinator, Rol.beheerder),
        load=laad_melding_voor_wijziging,
        tag="bewaartermijnen",
        noun="melding",
    ),
]

# every aggregate's transitions table (docs/toestanden.md is drawn from these)
workflows: list[Workflow[Any]] = [MELDING, MISSTAND, ONDERZOEK, NEVENWERKZAAMHEID]
