"""Request and response bodies of the klachten API (lowerCamelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field
from typing_extensions import TypeAliasType

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum, VerledenMoment

KlachtStatus = TypeAliasType(
    "KlachtStatus", Literal["ingediend", "cog_behandeling", "cog_advies", "afgehandeld"]
)

STATUS_UITLEG = (
    "Status van de klacht: `ingediend` (ontvangen; informeel of via de COG te behandelen), "
    "`cog_behandeling` (de Commissie Ongewenst Gedrag behandelt haar; termijn 10 weken), "
    "`cog_advies` (de COG heeft geadviseerd; een besluit volgt), `afgehandeld`."
)


class KlachtCreate(CamelInput):
    soort: codes.KlachtSoort
    indiener: codes.Indiener = Field(description="`medewerker` of `oud_medewerker`.")
    defensieonderdeel: codes.Defensieonderdeel
    omschrijving: str = Field(
        min_length=1, max_length=10_000, description="Vrije tekst; versleuteld opgeslagen."
    )
    ontvangen_op: VerledenMoment | None = Field(
        default=None,
        description=(
            "Ontvangstmoment van een op papier ontvangen klacht; alleen voor de "
            "klachtbehandelaar, nooit in de toekomst. Zonder: nu."
        ),
    )


class _Datum(CamelInput):
    datum: VerledenDatum = Field(
        description="Niet vóór de ontvangst of de vorige stap; niet in de toekomst."
    )


class CogBehandelingCreate(_Datum):
    pass


class CogAdviesCreate(_Datum):
    advies: codes.CogAdvies


class AfhandelingCreate(_Datum):
    wijze: codes.Afhandelwijze = Field(
        description="`informeel` (alleen vanuit `ingediend`) of `besluit`."
    )
    oordeel: codes.Oordeel


class VerdagingCreate(CamelInput):
    weken: int = Field(ge=1, le=4, description="1 tot en met 4 weken; eenmaal per klacht.")
    reden: str = Field(
        min_length=1, max_length=2_000, description="Vrije tekst; versleuteld opgeslagen."
    )


class KlachtRead(CamelModel):
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


class TermijnbewakingItem(CamelModel):
    id: str
    status: KlachtStatus = Field(description=STATUS_UITLEG)
    soort: codes.KlachtSoort
    defensieonderdeel: codes.Defensieonderdeel
    ontvangen_op: datetime
    termijn_uiterlijk: date
    dagen_resterend: int = Field(
        description="Dagen tot de termijn verstrijkt; negatief: verstreken."
    )
