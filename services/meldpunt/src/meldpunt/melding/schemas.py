from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field, ValidationInfo, field_validator
from typing_extensions import TypeAliasType

from integriteit_shared import codes
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum, VerledenMoment

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_TELEFOON = re.compile(r"^\+?[0-9 ()-]{6,20}$")

TermijnSoort = TypeAliasType("TermijnSoort", Literal["ontvangstbevestiging", "terugkoppeling"])


class Melder(CamelInput):
    naam: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    telefoon: str | None = Field(default=None, max_length=25)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.fullmatch(value):
            raise ValueError("Geen geldig e-mailadres.")
        return value

    @field_validator("telefoon")
    @classmethod
    def _telefoon(cls, value: str | None) -> str | None:
        if value is not None and not _TELEFOON.fullmatch(value):
            raise ValueError("Geen geldig telefoonnummer.")
        return value


class MelderRead(CamelModel):
    naam: str
    email: str | None
    telefoon: str | None


def _categorie(value: str, info: ValidationInfo) -> str:
    hoofd = info.data.get("hoofdcategorie")
    if hoofd is not None:
        fout = codes.categorie_fout(hoofd, value)
        if fout:
            raise ValueError(fout)
    return value


class MeldingCreate(CamelInput):
    kanaal: codes.Kanaal
    defensieonderdeel: codes.Defensieonderdeel
    hoofdcategorie: codes.Hoofdcategorie
    subcategorie: codes.Subcategorie
    omschrijving: str = Field(min_length=1, max_length=10_000)
    anoniem: bool
    vermoeden_misstand: bool = False
    datum_voorval: VerledenDatum | None = None
    melder: Melder | None = None
    ontvangen_op: VerledenMoment | None = Field(
        default=None,
        description="Alleen door medewerkers van het meldpunt of leidinggevenden "
        "(telefonische of schriftelijke melding, historie); nooit in de toekomst.",
    )

    _subcategorie = field_validator("subcategorie")(_categorie)

    @field_validator("melder")
    @classmethod
    def _melder_niet_anoniem(cls, value: Melder | None, info: ValidationInfo) -> Melder | None:
        if value is not None and info.data.get("anoniem") is True:
            raise ValueError("Een anonieme melding heeft geen melder.")
        return value


class Termijnen(CamelModel):
    ontvangstbevestiging_uiterlijk: date
    terugkoppeling_uiterlijk: date


class Misstand(CamelModel):
    vermoeden_datum: date | None
    vastgesteld: bool | None
    afronding_datum: date | None


class MeldingRead(CamelModel):
    """A melding without its protected text (lists, transitions)."""

    id: str
    referentie: str
    status: codes.MeldingStatus
    kanaal: codes.Kanaal
    defensieonderdeel: codes.Defensieonderdeel
    hoofdcategorie: codes.Hoofdcategorie
    subcategorie: codes.Subcategorie
    anoniem: bool
    vermoeden_misstand: bool
    datum_voorval: date | None
    ontvangen_op: AwareDatetime
    termijnen: Termijnen
    ontvangstbevestiging_datum: date | None
    afdoening: codes.Afdoening | None
    afdoening_datum: date | None
    terugkoppeling_datum: date | None
    conclusie: codes.Conclusie | None
    afronding_datum: date | None
    misstand: Misstand | None
    behandelaar: str | None = Field(description="De `sub` van de behandelaar, zodra toegewezen.")
    melder_bekend: bool = Field(
        description="Of de melder zich bekend heeft gemaakt. Wie het is, geeft alleen "
        "`melder-inzage` (met een reden)."
    )


class MeldingDetail(MeldingRead):
    """The melding with its description for the meldpunt's staff; reading it is audited.
    The melder's identity is not in it (need to know: `melder-inzage`)."""

    omschrijving: str


class MeldingAangemaakt(MeldingRead):
    volgcode: str | None = Field(
        default=None,
        description="Alleen bij een anonieme melding, en alleen in dit antwoord: bewaar hem.",
    )


class MeldingStatusRead(CamelModel):
    """What an anonymous melder sees through a volgsessie: the status and the clocks."""

    id: str
    referentie: str
    status: codes.MeldingStatus
    ontvangen_op: AwareDatetime
    termijnen: Termijnen
    terugkoppeling_datum: date | None


class DatumBody(CamelInput):
    datum: VerledenDatum | None = None


class OntvangstbevestigingBody(DatumBody):
    pass


class TerugkoppelingBody(DatumBody):
    pass


class MisstandVermoedenBody(DatumBody):
    pass


class AfdoeningBody(DatumBody):
    afdoening: codes.Afdoening


class AfrondingBody(DatumBody):
    conclusie: codes.Conclusie


class MisstandAfrondingBody(DatumBody):
    vastgesteld: bool


class CategoriseringBody(CamelInput):
    hoofdcategorie: codes.Hoofdcategorie
    subcategorie: codes.Subcategorie

    _subcategorie = field_validator("subcategorie")(_categorie)


class TermijnSignaal(CamelModel):
    melding_id: str
    referentie: str
    defensieonderdeel: codes.Defensieonderdeel
    status: codes.MeldingStatus
    termijn: TermijnSoort
    uiterlijk: date
    dagen_resterend: int = Field(description="Negatief wanneer de termijn verstreken is.")
    verlopen: bool
