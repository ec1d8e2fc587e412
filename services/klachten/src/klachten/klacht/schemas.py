"""Request and response bodies of the klachten API (lowerCamelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from integriteit_shared import codes
from integriteit_shared.db.base import utcnow
from integriteit_shared.kalender import vandaag

KlachtStatus = Literal["ingediend", "cog_behandeling", "cog_advies", "afgehandeld"]

STATUS_UITLEG = (
    "Status van de klacht: `ingediend` (ontvangen; informeel of via de COG te behandelen), "
    "`cog_behandeling` (de Commissie Ongewenst Gedrag behandelt haar; termijn 10 weken), "
    "`cog_advies` (de COG heeft geadviseerd; een besluit volgt), `afgehandeld`."
)


class _In(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


class _Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def _niet_in_toekomst(datum: date) -> date:
    if datum > vandaag():
        raise ValueError("Mag niet in de toekomst liggen.")
    return datum


class KlachtCreate(_In):
    soort: codes.KlachtSoort
    indiener: codes.Indiener = Field(description="`medewerker` of `oud_medewerker`.")
    defensieonderdeel: codes.Defensieonderdeel
    omschrijving: str = Field(
        min_length=1, max_length=10_000, description="Vrije tekst; versleuteld opgeslagen."
    )
    ontvangen_op: AwareDatetime | None = Field(
        default=None,
        description=(
            "Ontvangstmoment van een op papier ontvangen klacht; alleen voor de "
            "klachtbehandelaar, nooit in de toekomst. Zonder: nu."
        ),
    )

    @field_validator("ontvangen_op")
    @classmethod
    def _niet_later_dan_nu(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > utcnow():
            raise ValueError("Mag niet in de toekomst liggen.")
        return value


class _Datum(_In):
    datum: date = Field(
        description="Niet vóór de ontvangst of de vorige stap; niet in de toekomst."
    )

    @field_validator("datum")
    @classmethod
    def _datum(cls, value: date) -> date:
        return _niet_in_toekomst(value)


class CogBehandelingCreate(_Datum):
    pass


class CogAdviesCreate(_Datum):
    advies: codes.CogAdvies


class AfhandelingCreate(_Datum):
    wijze: codes.Afhandelwijze = Field(
        description="`informeel` (alleen vanuit `ingediend`) of `besluit`."
    )
    oordeel: codes.Oordeel


class VerdagingCreate(_In):
    weken: int = Field(ge=1, le=4, description="1 tot en met 4 weken; eenmaal per klacht.")
    reden: str = Field(
        min_length=1, max_length=2_000, description="Vrije tekst; versleuteld opgeslagen."
    )


class KlachtRead(_Out):
    id: str
    status: KlachtStatus = Field(description=STATUS_UITLEG)
    soort: codes.KlachtSoort
    indiener: codes.Indiener
    defensieonderdeel: codes.Defensieonderdeel
    ontvangen_op: datetime = Field(description="Ontvangstmoment (UTC).")
    termijn_uiterlijk: date = Field(
        description=(
            "Uiterste datum van afhandeling: ontvangstdatum (Europe/Amsterdam) + 6 weken, "
            "+ 10 weken zodra de COG de klacht behandelt, plus de verdaging."
        )
    )
    cog_behandeling_datum: date | None = None
    cog_advies: codes.CogAdvies | None = None
    cog_advies_datum: date | None = None
    afhandeling_datum: date | None = None
    wijze: codes.Afhandelwijze | None = None
    oordeel: codes.Oordeel | None = None
    verdaging_weken: int | None = None


class KlachtDetail(KlachtRead):
    omschrijving: str
    verdaging_reden: str | None = None


class TermijnbewakingItem(_Out):
    id: str
    status: KlachtStatus = Field(description=STATUS_UITLEG)
    soort: codes.KlachtSoort
    defensieonderdeel: codes.Defensieonderdeel
    ontvangen_op: datetime
    termijn_uiterlijk: date
    dagen_resterend: int = Field(
        description="Dagen tot de termijn verstrijkt; negatief: verstreken."
    )
