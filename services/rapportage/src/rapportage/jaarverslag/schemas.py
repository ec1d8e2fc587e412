"""Response shapes, for the OpenAPI document (bodies are rendered once and cached as bytes)."""

from __future__ import annotations

from datetime import date

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
