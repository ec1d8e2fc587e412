from integriteit_shared.service import settings_config
from integriteit_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = settings_config("vertrouwenspersonen")

    service_name: str = "vertrouwenspersonen"
