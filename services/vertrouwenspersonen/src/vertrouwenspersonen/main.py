"""App factory: `uvicorn vertrouwenspersonen.main:create --factory`."""

from fastapi import FastAPI

from integriteit_shared.http.app import ServiceSpec, create_app
from integriteit_shared.service import ServiceRegistration
from vertrouwenspersonen.api import routers, workflows
from vertrouwenspersonen.bewaren import BEWAARREGELS
from vertrouwenspersonen.config import Settings
from vertrouwenspersonen.models import ENCRYPTED_FIELDS

TITLE = "Vertrouwenspersonen Defensie"
DESCRIPTION = "Register van vertrouwenspersonen, anonieme casussen en informele gesprekken."


def create(settings: Settings | None = None) -> FastAPI:
    return create_app(
        settings or Settings(),
        ServiceSpec(
            name="vertrouwenspersonen",
            title=TITLE,
            description=DESCRIPTION,
            routers=routers,
            bewaarregels=BEWAARREGELS,
        ),
    )


# Found by integriteit_shared through the entry point in pyproject.toml.
SERVICE = ServiceRegistration(
    "vertrouwenspersonen",
    Settings,
    create,
    port=8002,
    encrypted_fields=ENCRYPTED_FIELDS,
    workflows=tuple(workflows),
    bewaarregels=BEWAARREGELS,
)
