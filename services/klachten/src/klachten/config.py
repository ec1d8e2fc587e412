from typing import ClassVar

from pydantic import Field

from integriteit_shared.service import settings_config
from integriteit_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = settings_config("klachten")

    service_name: str = "klachten"
    koppelt_indieners: ClassVar[bool] = True  # /mijn/...: named cases, keyed-hash link
    # Retention in days after the afhandeling (klachten.bewaren; docs/privacy.md gives the
    # reason). Env KLACHTEN_BEWAARTERMIJN_KLACHTEN_DAGEN.
    bewaartermijn_klachten_dagen: int = Field(default=5 * 365, ge=0)
