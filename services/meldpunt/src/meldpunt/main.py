"""App factory: `uvicorn meldpunt.main:create --factory`."""

from fastapi import FastAPI

from integriteit_shared.http.app import ServiceSpec, create_app
from integriteit_shared.service import ServiceRegistration
from meldpunt.api import routers, workflows
from meldpunt.bewaren import BEWAARREGELS
from meldpunt.config import Settings
from meldpunt.herinneringen import SJABLONEN, adresboek, plannen
from meldpunt.limits import install_limiters
from meldpunt.models import ENCRYPTED_FIELDS
from meldpunt.volgsessie.codes import install_argon2_profiel

TITLE = "Meldpunt Integriteit Defensie"
DESCRIPTION = (
    "Registratie van meldingen, misstanden, integriteitsonderzoeken en "
    "nevenwerkzaamheden door de Centrale Organisatie Integriteit Defensie (COID), met "
    "anonieme opvolging."
)


def create(settings: Settings | None = None) -> FastAPI:
    return create_app(
        settings or Settings(),
        ServiceSpec(
            name="meldpunt",
            title=TITLE,
            description=DESCRIPTION,
            routers=routers,
            on_startup=(install_limiters, install_argon2_profiel),
            audit_queue=True,
            sjablonen=SJABLONEN,
            planning=plannen,
            adresboek=adresboek,
            bewaarregels=BEWAARREGELS,
        ),
    )


# Found by integriteit_shared through the entry point in pyproject.toml.
SERVICE = ServiceRegistration(
    "meldpunt",
    Settings,
    create,
    port=8001,
    encrypted_fields=ENCRYPTED_FIELDS,
    workflows=tuple(workflows),
    bewaarregels=BEWAARREGELS,
)
