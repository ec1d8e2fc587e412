from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

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
    # Argon2 cost of the volgcode hash (`volgsessie.codes`). "dev" (argon2id, 8 MiB, one
    # pass) is for the dev stack only, whose demo load hashes 300 volgcodes: at the RFC 9106
    # cost each takes about 0.2 s of CPU on a 2-core machine. Refused outside dev mode.
    volgcode_argon2: Literal["rfc9106", "dev"] = "rfc9106"

    # Retention in days after the final state (meldpunt.bewaren; docs/privacy.md gives
    # the reason for each default). Env MELDPUNT_BEWAARTERMIJN_<SOORT>_DAGEN.
    bewaartermijn_meldingen_dagen: int = Field(default=5 * 365, ge=0)
    bewaartermijn_berichten_dagen: int = Field(default=365, ge=0)
    bewaartermijn_notities_dagen: int = Field(default=5 * 365, ge=0)
    bewaartermijn_bijlagen_dagen: int = Field(default=2 * 365, ge=0)
    bewaartermijn_volgcodes_dagen: int = Field(default=365, ge=0)
    bewaartermijn_volgsessies_dagen: int = Field(default=30, ge=0)
    bewaartermijn_nevenwerkzaamheden_dagen: int = Field(default=5 * 365, ge=0)

    @model_validator(mode="after")
    def _dev_argon2_alleen_in_dev(self) -> Settings:
        if self.volgcode_argon2 == "dev" and not self.dev_mode:
            raise ValueError("volgcode_argon2=dev is for dev mode only")
        return self
