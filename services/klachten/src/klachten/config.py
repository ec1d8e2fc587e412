from typing import ClassVar

from integriteit_shared.service import settings_config
from integriteit_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = settings_config("klachten")

    service_name: str = "klachten"
    koppelt_indieners: ClassVar[bool] = True  # /mijn/...: named cases, keyed-hash link
