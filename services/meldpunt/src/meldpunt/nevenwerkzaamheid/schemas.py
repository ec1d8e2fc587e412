from __future__ import annotations

from datetime import date

from pydantic import Field

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum


class NevenwerkzaamheidCreate(CamelInput):
    defensieonderdeel: codes.Defensieonderdeel
    omschrijving: str = Field(min_length=1, max_length=5_000)
    betaald: bool
    registratiedatum: VerledenDatum | None = Field(
        default=None, description="Een datum in het verleden alleen door het meldpunt."
    )


class AdviesBody(CamelInput):
    advies: codes.Advies
    datum: VerledenDatum | None = None


class NevenwerkzaamheidRead(CamelModel):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    betaald: bool
    registratiedatum: date
    advies: codes.Advies | None
    advies_datum: date | None


class NevenwerkzaamheidDetail(NevenwerkzaamheidRead):
    omschrijving: str
