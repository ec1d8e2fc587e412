from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from integriteit_shared import codes
from meldpunt.common import CamelInput, CamelModel, niet_in_toekomst


class NevenwerkzaamheidCreate(CamelInput):
    defensieonderdeel: codes.Defensieonderdeel
    omschrijving: str = Field(min_length=1, max_length=5_000)
    betaald: bool
    registratiedatum: date | None = Field(
        default=None, description="Een datum in het verleden alleen door het meldpunt."
    )

    _datum = field_validator("registratiedatum")(niet_in_toekomst)


class AdviesBody(CamelInput):
    advies: codes.Advies
    datum: date | None = None

    _datum = field_validator("datum")(niet_in_toekomst)


class NevenwerkzaamheidRead(CamelModel):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    betaald: bool
    registratiedatum: date
    advies: codes.Advies | None
    advies_datum: date | None


class NevenwerkzaamheidDetail(NevenwerkzaamheidRead):
    omschrijving: str
