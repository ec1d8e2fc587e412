from typing import ClassVar

from integriteit_shared.service import settings_config
from integriteit_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = settings_config("meldpunt")

    service_name: str = "meldpunt"
    koppelt_indieners: ClassVar[bool] = True  # /mijn/...: named cases, keyed-hash link

    # Anonymous intake (POST /meldingen without a token), per client address.
    anonieme_meldingen_limiet: int = 5
    anonieme_meldingen_venster_s: int = 3600
    # Attempts to open a volgsessie (right or wrong volgcode), per client address.
    volgsessie_pogingen_limiet: int = 10
    volgsessie_pogingen_venster_s: int = 900
    # How long a volgsessie token is valid.
    volgsessie_geldigheid_s: int = 1800
    # Only behind a proxy that sets X-Forwarded-For itself; else a client could pick its key.
    vertrouw_x_forwarded_for: bool = False
