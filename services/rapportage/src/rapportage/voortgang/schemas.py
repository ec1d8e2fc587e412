"""Response shapes of `GET /voortgang`, for the OpenAPI document (the body is rendered once
as bytes, for its ETag)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field
from typing_extensions import TypeAliasType

from integriteit_shared import codes
from integriteit_shared.schemas import CamelModel
from rapportage.jaarverslag.schemas import Onderdrukbaar

# code lists as named schemas, as those of integriteit_shared.codes
ZaakSoort = TypeAliasType(
    "ZaakSoort",
    Literal[
        "melding", "misstand", "integriteitsonderzoek", "klacht", "nevenwerkzaamheid", "nazorg"
    ],
)
Leeftijd = TypeAliasType("Leeftijd", Literal["0-7", "8-30", "31-90", "91-180", ">180"])
TermijnSoort = TypeAliasType(
    "TermijnSoort",
    Literal["ontvangstbevestiging", "terugkoppeling", "klachttermijn", "nazorgcontact"],
)


class Stand(CamelModel):
    """The open cases of one kind, Defensie-wide. For `nazorg` a case is one check-in with a
    named melder that is due (on or before the peildatum) and not done."""

    open: int = Field(
        description="Aantal open zaken op de peildatum (nazorg: contactmomenten met een melder "
        "op naam die op of vóór de peildatum gepland waren en niet uitgevoerd zijn)"
    )
    per_leeftijd: dict[Leeftijd, int] = Field(
        description="Open zaken per leeftijd in dagen (peildatum min ontvangst- of startdatum; "
        "nazorg: min de geplande datum van het contact)"
    )
    over_termijn: dict[TermijnSoort, int] = Field(
        description="Open zaken waarvan de wettelijke termijn vóór de peildatum verstreek "
        "zonder de stap (leeg voor soorten zonder wettelijke termijn; nazorgcontact: meer dan "
        "30 dagen na de geplande datum niet uitgevoerd)"
    )
    oudste_dagen: int | None = Field(description="Leeftijd van de oudste open zaak; null: geen")


class StandOnderdeel(CamelModel):
    """The same for one defensieonderdeel, small counts suppressed."""

    open: Onderdrukbaar
    per_leeftijd: dict[Leeftijd, Onderdrukbaar]
    over_termijn: dict[TermijnSoort, Onderdrukbaar]
    oudste_dagen: int | None = Field(description="null: geen open zaken, of hun aantal onderdrukt")


class Achterstallig(CamelModel):
    """One open case past a legal deadline: what the regiefunctie chases with its service."""

    id: str = Field(
        description="Het opake id van de zaak in de bron (meldingId, klachtId; bij nazorg "
        "de meldingId)"
    )
    defensieonderdeel: codes.Defensieonderdeel | None
    soort: ZaakSoort
    termijn: TermijnSoort
    uiterlijk: date = Field(
        description="Laatste dag van de termijn (nazorgcontact: de geplande datum van het "
        "contact plus 30 dagen)"
    )
    dagen_over: int = Field(description="Dagen van de termijn tot de peildatum")


class VoortgangRead(CamelModel):
    peildatum: date
    defensieonderdeel: codes.Defensieonderdeel | None = Field(
        description="Het gevraagde onderdeel: perDefensieonderdeel en achterstallig alleen "
        "daarvan; de Defensie-brede standen altijd heel Defensie"
    )
    soorten: dict[ZaakSoort, Stand]
    per_defensieonderdeel: dict[codes.Defensieonderdeel, dict[ZaakSoort, StandOnderdeel]]
    achterstallig: list[Achterstallig] = Field(
        description="Open zaken over een termijn, langst over eerst; zonder persoonsgegevens. "
        "Voor `beheerder` (de regiefunctie) alle; voor `rapportage_lezer` alleen die in een "
        "cel van perDefensieonderdeel die niet onderdrukt is, zodat de lijst geen "
        "onderdrukt aantal verraadt"
    )
