from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field
from typing_extensions import TypeAliasType

from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum

NazorgStatus = TypeAliasType("NazorgStatus", Literal["gepland", "uitgevoerd"])


class NazorgBody(CamelInput):
    datum: VerledenDatum = Field(
        description="Wanneer het contact met de melder was: niet vóór de afronding, niet "
        "in de toekomst."
    )
    benadeling_gemeld: bool = Field(
        description="Of de melder meldt na de melding benadeeld te zijn (represailles)."
    )
    maanden: int | None = Field(
        default=None,
        ge=1,
        le=120,
        description="Welk nazorgcontact (maanden na de afronding); zonder: het vroegste dat "
        "nog openstaat.",
    )
    toelichting: str | None = Field(
        default=None,
        min_length=1,
        max_length=10_000,
        description="Wat er besproken is; versleuteld opgeslagen, niet in de gebeurtenis.",
    )


class NazorgContactRead(CamelModel):
    id: str
    melding_id: str
    maanden: int = Field(description="Maanden na de afronding.")
    uiterlijk: date = Field(description="Wanneer het contact gepland staat.")
    status: NazorgStatus
    datum: date | None = None
    benadeling_gemeld: bool | None = None
    toelichting: str | None = None
    door: str | None = Field(default=None, description="De `sub` van wie het vastlegde.")
    vastgelegd_op: AwareDatetime | None = None
