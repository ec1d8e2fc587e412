"""App factory: `uvicorn klachten.main:create --factory`."""

from fastapi import FastAPI

from integriteit_shared.http.app import ServiceSpec, create_app
from integriteit_shared.service import ServiceRegistration
from klachten.api import routers, workflows
from klachten.bewaren import BEWAARREGELS
from klachten.config import Settings
from klachten.klacht.herinneringen import SJABLONEN
from klachten.models import ENCRYPTED_FIELDS

TITLE = "Klachten Defensie"
DESCRIPTION = (
    "Klachten onder de Klachtenregeling Defensie, met behandeling door de Commissie "
    "Ongewenst Gedrag en Awb-termijnen."
)


def create(settings: Settings | None = None) -> FastAPI:
    return create_app(
        settings or Settings(),
        ServiceSpec(
            name="klachten",
            title=TITLE,
            description=DESCRIPTION,
            routers=routers,
            sjablonen=SJABLONEN,
            bewaarregels=BEWAARREGELS,
        ),
    )


# Found by integriteit_shared through the entry point in pyproject.toml.
SERVICE = ServiceRegistration(
    "klachten",
    Settings,
    create,
    port=8003,
    encrypted_fields=ENCRYPTED_FIELDS,
    workflows=tuple(workflows),
    bewaarregels=BEWAARREGELS,
)
