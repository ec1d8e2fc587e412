"""Response shapes, for the OpenAPI document (bodies are rendered once and cached as bytes)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field
from typing_extensions import TypeAliasType

from integriteit_shared import codes
from integriteit_shared.schemas import CamelModel

# year -> count, the asked year and the two before; one named schema, so that a generated
# client has one Serie model instead of one per field
Serie = TypeAliasType("Serie", dict[str, int])


class TopItem(CamelModel):
    subcategorie: codes.Subcategorie
    aantal: int


class Onderdrukbaar(CamelModel):
    waarde: int | None = Field(description="null wanneer onderdrukt (1 t/m de drempel)")
    onderdrukt: bool


class Meldingen(CamelModel):
    totaal: Serie
    hrhd: Serie
    bps: Serie
    vastgestelde_schendingen_bps: Serie
    top3: dict[codes.Hoofdcategorie, list[TopItem]]
    per_defensieonderdeel: dict[codes.Defensieonderdeel, Onderdrukbaar]


class Misstanden(CamelModel):
    in_behandeling_genomen: Serie
    afgerond: Serie
    vastgesteld: Serie


class Klachten(CamelModel):
    ingediend: Serie
    per_soort: dict[codes.KlachtSoort, Serie]
    behandeld_door_cog: Serie


class Integriteitsonderzoeken(CamelModel):
    uitgevoerd: Serie
    gestart_voor_jaar_afgerond_in_jaar: int
    gestart_en_afgerond_in_jaar: int
    gestart_in_jaar_doorlopend: int


class Kmar(CamelModel):
    rechtspositionele_onderzoeken_gestart: Serie
    rechtspositionele_onderzoeken_afgerond: Serie
    schending_vastgesteld: Serie


class Nevenwerkzaamheden(CamelModel):
    geregistreerd: Serie
    positief_advies: Serie
    negatief_advies: Serie


class Netwerk(CamelModel):
    aantal: int
    groei_procent: float | None


class Vertrouwenspersonen(CamelModel):
    casussen: Serie
    per_hoofdcategorie: dict[codes.Hoofdcategorie, Serie]
    top3: dict[codes.Hoofdcategorie, list[TopItem]]
    netwerk: dict[codes.Defensieonderdeel, Netwerk]


class Opleidingen(CamelModel):
    deelnemers: dict[codes.Opleiding, Serie]
    totaal: Serie


class Doorlooptijden(CamelModel):
    ontvangstbevestiging_binnen7_dagen_procent: float | None = Field(
        alias="ontvangstbevestigingBinnen7DagenProcent"
    )
    terugkoppeling_binnen3_maanden_procent: float | None = Field(
        alias="terugkoppelingBinnen3MaandenProcent"
    )
    mediaan_dagen_tot_afronding: float | None
    klachten_binnen_termijn_procent: float | None
    mediaan_dagen_klacht: float | None


# year -> a number of days, null for a year with nothing to measure
Dagenserie = TypeAliasType("Dagenserie", dict[str, float | None])
# a named code list, as those of integriteit_shared.codes
JaNee = TypeAliasType("JaNee", Literal["ja", "nee"])


class Duur(CamelModel):
    mediaan: Dagenserie = Field(description="Mediaan in dagen per jaar")
    p90: Dagenserie = Field(
        description="90e percentiel in dagen per jaar (de kleinste waarde waar ten minste 90% "
        "van de gevallen op of onder ligt)"
    )


class AnalyseDoorlooptijden(CamelModel):
    ontvangst_tot_bevestiging: Duur = Field(
        description="Meldingen bevestigd in het jaar: dagen van ontvangst tot bevestiging"
    )
    bevestiging_tot_terugkoppeling: Duur = Field(
        description="Meldingen met terugkoppeling in het jaar: dagen van bevestiging tot "
        "terugkoppeling"
    )
    ontvangst_tot_afronding: Duur = Field(
        description="Meldingen afgerond in het jaar: dagen van ontvangst tot afronding"
    )
    klacht_ontvangst_tot_afhandeling: Duur = Field(
        description="Klachten afgehandeld in het jaar: dagen van ontvangst tot afhandeling"
    )
    onderzoek_start_tot_einde: Duur = Field(
        description="Integriteitsonderzoeken afgerond in het jaar: dagen van start tot einde"
    )


class Analyse(CamelModel):
    """Het verhaal achter de cijfers: hoe meldingen, klachten en casussen zijn afgehandeld."""

    afdoening: dict[codes.Afdoening, Serie] = Field(
        description="Meldingen naar hun (laatste) afdoening, in het jaar van die beslissing"
    )
    kanaal: dict[codes.Kanaal, Serie] = Field(
        description="Meldingen ontvangen in het jaar, naar kanaal"
    )
    anoniem: dict[JaNee, Serie] = Field(
        description="Meldingen ontvangen in het jaar, anoniem of niet"
    )
    conclusie: dict[codes.Conclusie, Serie] = Field(
        description="Meldingen afgerond in het jaar, naar conclusie"
    )
    klacht_wijze: dict[codes.Afhandelwijze, Serie] = Field(
        description="Klachten afgehandeld in het jaar, informeel of bij besluit"
    )
    klacht_oordeel: dict[codes.Oordeel, Serie] = Field(
        description="Klachten afgehandeld in het jaar, naar oordeel"
    )
    cog_advies: dict[codes.CogAdvies, Serie] = Field(
        description="Klachten waarover de COG in het jaar adviseerde, naar (laatste) advies"
    )
    doorverwijzingen: dict[codes.Doorverwijzing, Serie] = Field(
        description="Casussen afgesloten in het jaar met een doorverwijzing, naar waarheen"
    )
    informele_gesprekken: Serie = Field(
        description="Getelde informele gesprekken van vertrouwenspersonen"
    )
    doorlooptijden: AnalyseDoorlooptijden


# year -> a percentage, null when there is nothing to divide by
Procentserie = TypeAliasType("Procentserie", dict[str, float | None])


class Nazorg(CamelModel):
    """Nazorg van melders met naam: de contactmomenten na de afronding van hun melding."""

    uitgevoerd: Serie = Field(description="Uitgevoerde contactmomenten, naar hun datum")
    benadeling_gemeld: Serie = Field(
        description="Uitgevoerde contactmomenten waarin de melder benadeling meldde"
    )
    benadeling_procent: Procentserie = Field(
        description="Aandeel van de uitgevoerde contactmomenten met gemelde benadeling"
    )
    verlopen: Serie = Field(
        description="Contactmomenten die in het jaar vielen (NAZORG_MAANDEN na de afronding) "
        "en niet binnen 30 dagen daarna zijn uitgevoerd, op de peildatum"
    )


class JaarverslagRead(CamelModel):
    jaar: int
    peildatum: date
    jaren: list[int]
    meldingen: Meldingen
    misstanden: Misstanden
    klachten: Klachten
    integriteitsonderzoeken: Integriteitsonderzoeken
    kmar: Kmar
    nevenwerkzaamheden: Nevenwerkzaamheden
    vertrouwenspersonen: Vertrouwenspersonen
    opleidingen: Opleidingen
    doorlooptijden: Doorlooptijden
    analyse: Analyse
    nazorg: Nazorg


class IndicatorRead(CamelModel):
    indicator: str
    jaar: int
    peildatum: date = Field(
        description="De stand waarop de cijfers per onderdeel berekend zijn: voor een lopend "
        "jaar het laatste maandeinde vóór de gevraagde peildatum (en vóór vandaag), voor een "
        "afgesloten jaar de peildatum zelf."
    )
    defensieonderdeel: codes.Defensieonderdeel
    waarde: int | None
    onderdrukt: bool


class HerberekeningRead(CamelModel):
    gebeurtenissen: int = Field(description="Aantal gebeurtenissen uit het grootboek herspeeld")
    versie: int
