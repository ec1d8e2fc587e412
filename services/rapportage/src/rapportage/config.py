from integriteit_shared.service import settings_config
from integriteit_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = settings_config("rapportage")

    service_name: str = "rapportage"
    consumer_group: str = "rapportage"
    # how long the report reader trusts its in-memory data version before asking the
    # database again (changes committed by this process are seen at once)
    versie_ttl_s: float = 0.05
