from __future__ import annotations

from datetime import date

from pydantic import Field

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum


class VertrouwenspersoonCreate(CamelInput):
    defensieonderdeel: codes.Defensieonderdeel
    aanstellingsdatum: VerledenDatum


class BeeindigingCreate(CamelInput):
    datum: VerledenDatum = Field(
        description="Eerste dag waarop de vertrouwenspersoon niet meer actief is."
    )


class VertrouwenspersoonRead(CamelModel):
    id: str
    defensieonderdeel: codes.Defensieonderdeel
    aanstellingsdatum: date
    beeindigingsdatum: date | None


class NetwerkOnderdeel(CamelModel):
    aantal: int = Field(description="Actieve vertrouwenspersonen op de peildatum.")
    aantal_vorig_jaar: int = Field(description="Actieve vertrouwenspersonen een jaar eerder.")
    groei_procent: float | None = Field(
        description="Groei ten opzichte van een jaar eerder, één decimaal; null als er toen "
        "geen vertrouwenspersonen waren."
    )


class NetwerkRead(CamelModel):
    peildatum: date
    vergelijkingsdatum: date = Field(description="Dezelfde dag een jaar eerder.")
    per_defensieonderdeel: dict[str, NetwerkOnderdeel]
