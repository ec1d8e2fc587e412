from __future__ import annotations

from datetime import date

from pydantic import Field

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum


class InformeelGesprekCreate(CamelInput):
    datum: VerledenDatum
    aantal: int = Field(ge=1, le=1000)
    defensieonderdeel: codes.Defensieonderdeel | None = Field(
        default=None,
        description="Verplicht als het token geen defensieonderdeel heeft; anders standaard "
        "dat van het token (een ander onderdeel is 403).",
    )


class InformeelGesprekRead(CamelModel):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    datum: date
    aantal: int
