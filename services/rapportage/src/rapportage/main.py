"""App factory: `uvicorn rapportage.main:create --factory`."""

import structlog
from fastapi import FastAPI

from integriteit_shared.events import topics
from integriteit_shared.http.app import ConsumerSpec, ServiceSpec, create_app
from integriteit_shared.service import ServiceRegistration
from rapportage.api import routers
from rapportage.config import Settings
from rapportage.dashboard.router import router as dashboard_router
from rapportage.dashboard.router import static_files
from rapportage.ingress import router as ingress
from rapportage.jaarverslag import router as jaarverslag
from rapportage.ledger.service import bijwerken_bij_start, na_batch, on_event
from rapportage.models import ENCRYPTED_FIELDS

_log = structlog.get_logger()

TITLE = "Rapportage integriteit Defensie"
DESCRIPTION = (
    "De jaarlijkse integriteitsindicatoren, live berekend uit de gebeurtenissen van meldpunt, "
    "vertrouwenspersonen, klachten, KMar (BPS) en ECLD."
)


async def _projecties_bijwerken(app: FastAPI) -> None:
    n = await bijwerken_bij_start(app.state.db)
    if n is not None:
        _log.info("projecties_herberekend", gebeurtenissen=n)


def create(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_app(
        settings,
        ServiceSpec(
            name="rapportage",
            title=TITLE,
            description=DESCRIPTION,
            routers=routers,
            on_startup=(_projecties_bijwerken,),
            consumer=ConsumerSpec(
                topic_names=(*topics.INTERNAL, *topics.EXTERNAL, topics.AUDIT),
                group_id=settings.consumer_group,
                handler=on_event,
                batch_done=na_batch,
            ),
            on_shutdown=(jaarverslag.sluit,),
        ),
    )
    # The dashboard is for people, outside the versioned API base.
    app.include_router(dashboard_router)
    app.mount("/dashboard/static", static_files, name="dashboard-static")
    ingress.document(app)
    return app


# Found by integriteit_shared through the entry point in pyproject.toml.
SERVICE = ServiceRegistration(
    "rapportage", Settings, create, port=8004, encrypted_fields=ENCRYPTED_FIELDS
)
