"""The casus of a vertrouwenspersoon: its first registration, with onderdeel and category."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import JaarSleutel, OnderdeelSleutel, sleutel


class CasusRegistratie(NamedTuple):
    """Registered (`rap_casussen`)."""

    event_id: str
    registered_at: datetime
    casus_id: str
    datum: date
    defensieonderdeel: str
    hoofdcategorie: str
    subcategorie: str


class CasusAfsluiting(NamedTuple):
    """Closed, referred to a body or not (`rap_casus_afsluitingen`)."""

    event_id: str
    registered_at: datetime
    casus_id: str
    datum: date
    doorverwezen_naar: str | None = None


@sleutel
class Casus(JaarSleutel):
    prefix = "casus"
    defensieonderdeel: str


@sleutel
class CasusCategorie(JaarSleutel):
    prefix = "casus_cat"
    hoofdcategorie: str
    subcategorie: str


@handler(ev.CasusGeregistreerd)
def _geregistreerd(event: ev.CasusGeregistreerd, eid: str, op: datetime) -> list[Feit]:
    return [
        CasusRegistratie(
            eid,
            op,
            event.casus_id,
            event.datum,
            event.defensieonderdeel,
            event.hoofdcategorie,
            event.subcategorie,
        )
    ]


@sleutel
class AnalyseDoorverwijzing(OnderdeelSleutel):
    """A casus of the onderdeel closed in the year with a referral, by where to."""

    prefix = "an_doorverwijzing"
    doorverwezen_naar: str


@handler(ev.CasusAfgesloten)
def _afgesloten(event: ev.CasusAfgesloten, eid: str, op: datetime) -> list[Feit]:
    return [CasusAfsluiting(eid, op, event.casus_id, event.datum, event.doorverwezen_naar)]


class CasusToestand(Toestand):
    __slots__ = ("afsluiting", "registratie")

    def __init__(self) -> None:
        self.registratie: CasusRegistratie | None = None
        self.afsluiting: CasusAfsluiting | None = None  # the latest

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is CasusRegistratie:
            if self.registratie is None:
                self.registratie = feit
        elif type(feit) is CasusAfsluiting:
            self.afsluiting = feit

    def bijdrage(self, peil: date) -> Bijdrage:
        casus = self.registratie
        if casus is None:
            return {}
        jaar = casus.datum.year
        out = {
            Casus.tekst(jaar, casus.defensieonderdeel): 1,
            CasusCategorie.tekst(jaar, casus.hoofdcategorie, casus.subcategorie): 1,
        }
        afsluiting = self.afsluiting
        if afsluiting is not None and afsluiting.doorverwezen_naar is not None:
            sleutel = AnalyseDoorverwijzing.tekst(
                afsluiting.datum.year, casus.defensieonderdeel, afsluiting.doorverwezen_naar
            )
            out[sleutel] = 1
        return out


REGISTER.soort(
    "casus",
    (
        Bron(CasusRegistratie, m.RapCasus, "casus_id"),
        Bron(CasusAfsluiting, m.RapCasusAfsluiting, "casus_id"),
    ),
    CasusToestand,
)
