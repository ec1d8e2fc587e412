from __future__ import annotations

from datetime import date

from pydantic import Field

from integriteit_shared import codes
from vertrouwenspersonen.common import InputSchema, Schema, Verleden


class InformeelGesprekCreate(InputSchema):
    datum: Verleden
    aantal: int = Field(ge=1, le=1000)
    defensieonderdeel: codes.Defensieonderdeel | None = Field(
        default=None,
        description="Verplicht als het token geen defensieonderdeel heeft; anders standaard "
        "dat van het token (een ander onderdeel is 403).",
    )


class InformeelGesprekRead(Schema):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    datum: date
    aantal: int
