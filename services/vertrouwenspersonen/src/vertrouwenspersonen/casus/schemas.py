from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from typing_extensions import TypeAliasType

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum

CasusStatus = TypeAliasType("CasusStatus", Literal["open", "afgesloten"])


class CasusCreate(CamelInput):
    defensieonderdeel: codes.Defensieonderdeel
    datum: VerledenDatum
    hoofdcategorie: codes.Hoofdcategorie
    subcategorie: codes.Subcategorie
    notitie: str | None = Field(
        default=None,
        max_length=10_000,
        description="Privénotitie; versleuteld opgeslagen, alleen leesbaar voor de schrijver.",
    )

    @field_validator("subcategorie")
    @classmethod
    def _hoort_bij_hoofdcategorie(cls, value: str, info: ValidationInfo) -> str:
        # hoofdcategorie is validated first; when it is itself wrong it reports on its own
        fout = codes.categorie_fout(info.data.get("hoofdcategorie", ""), value)
        if fout:
            raise ValueError(fout)
        return value

    @field_validator("notitie")
    @classmethod
    def _leeg_is_geen_notitie(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None


class AfsluitingCreate(CamelInput):
    datum: VerledenDatum
    doorverwezen_naar: codes.Doorverwijzing | None = None


class CasusRead(CamelModel):
    """A casus without its note (lists, create and close responses)."""

    id: str
    defensieonderdeel: codes.Defensieonderdeel
    datum: date
    hoofdcategorie: codes.Hoofdcategorie
    subcategorie: codes.Subcategorie
    status: CasusStatus
    afsluitdatum: date | None
    doorverwezen_naar: codes.Doorverwijzing | None
    heeft_notitie: bool


class CasusDetail(CasusRead):
    """A casus with its decrypted note: only for the adviser who wrote it; the read is audited."""

    notitie: str | None


class Telling(CamelModel):
    # read from the `Cel`s of integriteit_shared.onderdrukking
    model_config = ConfigDict(from_attributes=True)

    waarde: int | None = Field(description="Het aantal; null als het is onderdrukt.")
    onderdrukt: bool


class CasusTellingen(CamelModel):
    jaar: int
    defensieonderdeel: codes.Defensieonderdeel | None = Field(
        description="null: heel Defensie (alleen voor een token zonder defensieonderdeel)."
    )
    totaal: Telling
    per_hoofdcategorie: dict[str, Telling]
