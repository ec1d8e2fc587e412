from __future__ import annotations

from datetime import date

from pydantic import Field

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum


class IntegriteitsonderzoekCreate(CamelInput):
    defensieonderdeel: codes.Defensieonderdeel
    startdatum: VerledenDatum
    melding_id: str | None = Field(default=None, max_length=36)


class IntegriteitsonderzoekAfronding(CamelInput):
    einddatum: VerledenDatum
    conclusie: codes.Conclusie


class IntegriteitsonderzoekRead(CamelModel):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    startdatum: date
    einddatum: date | None
    conclusie: codes.Conclusie | None
    melding_id: str | None
