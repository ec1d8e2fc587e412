from __future__ import annotations

from pydantic import AwareDatetime, Field

from integriteit_shared.schemas import CamelInput, CamelModel

Sub = Field(min_length=1, max_length=200, description="De `sub` uit het token van de medewerker.")


class ToewijzingBody(CamelInput):
    behandelaar: str = Sub


class UitsluitingBody(CamelInput):
    sub: str = Sub
    reden: str = Field(min_length=1, max_length=2_000)


class UitsluitingRead(CamelModel):
    id: str
    melding_id: str
    sub: str
    moment: AwareDatetime


class NotitieCreate(CamelInput):
    tekst: str = Field(min_length=1, max_length=10_000)


class NotitieRead(CamelModel):
    id: str
    melding_id: str
    auteur: str
    tekst: str
    moment: AwareDatetime


class MelderInzageBody(CamelInput):
    reden: str = Field(
        min_length=1,
        max_length=2_000,
        description="Waarom de identiteit van de melder nodig is; vastgelegd bij de inzage.",
    )
