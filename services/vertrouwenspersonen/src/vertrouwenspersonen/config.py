from pydantic import Field

from integriteit_shared.service import settings_config
from integriteit_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = settings_config("vertrouwenspersonen")

    service_name: str = "vertrouwenspersonen"
    # Retention in days after the casus is afgesloten (vertrouwenspersonen.bewaren;
    # docs/privacy.md gives the reason). Env VERTROUWENSPERSONEN_BEWAARTERMIJN_CASUSNOTITIES_DAGEN.
    bewaartermijn_casusnotities_dagen: int = Field(default=365, ge=0)
