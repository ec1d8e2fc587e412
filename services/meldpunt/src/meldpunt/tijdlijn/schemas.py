from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, Field

from integriteit_shared import codes
from integriteit_shared.schemas import CamelModel
from meldpunt.tijdlijn.service import StapSoort


class TijdlijnStap(CamelModel):
    """A registered step: when, what, who (a sub, or `melder` / `anoniem`) and its codes."""

    moment: AwareDatetime
    soort: StapSoort
    actor: str = Field(description="De `sub` van de medewerker, of `melder` of `anoniem`.")
    datum: date | None = None
    kanaal: codes.Kanaal | None = None
    hoofdcategorie: codes.Hoofdcategorie | None = None
    subcategorie: codes.Subcategorie | None = None
    anoniem: bool | None = None
    vermoeden_misstand: bool | None = None
    afdoening: codes.Afdoening | None = None
    conclusie: codes.Conclusie | None = None
    vastgesteld: bool | None = None
    maanden: int | None = Field(
        default=None, description="Bij nazorg: het contact zoveel maanden na de afronding."
    )
    benadeling_gemeld: bool | None = Field(
        default=None, description="Bij nazorg: of de melder benadeling meldde."
    )
    afzender: str | None = Field(
        default=None, description="Bij een bericht: `melder` of `adviseur`."
    )
    type: str | None = Field(default=None, description="Bij een bijlage: het mediatype.")
