"""Every router of the meldpunt service, mounted in one place, and its workflows."""

from typing import Any

from fastapi import APIRouter

from integriteit_shared.http.identity import identity_router
from integriteit_shared.workflow import Workflow
from meldpunt.behandeling.router import router as behandeling_router
from meldpunt.bericht.router import router as bericht_router
from meldpunt.bijlage.router import router as bijlage_router
from meldpunt.integriteitsonderzoek.router import router as onderzoek_router
from meldpunt.integriteitsonderzoek.service import ONDERZOEK
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
    nazorg_router,
    volgsessie_router,
    bericht_router,
    bijlage_router,
    onderzoek_router,
    nevenwerkzaamheid_router,
    mijn_router,
]

# every aggregate's transitions table (docs/toestanden.md is drawn from these)
workflows: list[Workflow[Any]] = [MELDING, MISSTAND, ONDERZOEK, NEVENWERKZAAMHEID]
