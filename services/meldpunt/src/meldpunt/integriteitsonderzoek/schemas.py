from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from integriteit_shared import codes
from meldpunt.common import CamelInput, CamelModel, niet_in_toekomst


class IntegriteitsonderzoekCreate(CamelInput):
    defensieonderdeel: codes.Defensieonderdeel
    startdatum: date
    melding_id: str | None = Field(default=None, max_length=36)

    _start = field_validator("startdatum")(niet_in_toekomst)


class IntegriteitsonderzoekAfronding(CamelInput):
    einddatum: date
    conclusie: codes.Conclusie

    _eind = field_validator("einddatum")(niet_in_toekomst)


class IntegriteitsonderzoekRead(CamelModel):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    startdatum: date
    einddatum: date | None
    conclusie: codes.Conclusie | None
    melding_id: str | None
