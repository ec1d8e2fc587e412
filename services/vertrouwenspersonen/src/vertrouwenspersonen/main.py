"""App factory: `uvicorn vertrouwenspersonen.main:create --factory`."""

from fastapi import FastAPI

from integriteit_shared.http.app import ServiceSpec, create_app
from vertrouwenspersonen.api import routers
from vertrouwenspersonen.config import Settings

TITLE = "Vertrouwenspersonen Defensie"
DESCRIPTION = "Register van vertrouwenspersonen, anonieme casussen en informele gesprekken."


def create(settings: Settings | None = None) -> FastAPI:
    return create_app(
        settings or Settings(),
        ServiceSpec(
            name="vertrouwenspersonen", title=TITLE, description=DESCRIPTION, routers=routers
        ),
    )
