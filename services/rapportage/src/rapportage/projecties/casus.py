"""The casus of a vertrouwenspersoon: its first registration, with onderdeel and category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import JaarSleutel, sleutel


class CasusRegistratie(NamedTuple):
    """Registered (`rap_casussen`)."""

    event_id: str
    registered_at: datetime
    casus_id: str
    datum: date
    defensieonderdeel: str
    hoofdcategorie: str
    subcategorie: str


@sleutel
@dataclass(frozen=True, slots=True)
class Casus(JaarSleutel):
    prefix = "casus"
    defensieonderdeel: str


@sleutel
@dataclass(frozen=True, slots=True)
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


REGISTER.geen_feiten(ev.CasusAfgesloten, ev.InformeleGesprekkenGeteld)


class CasusToestand(Toestand):
    __slots__ = ("registratie",)

    def __init__(self) -> None:
        self.registratie: CasusRegistratie | None = None

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is CasusRegistratie and self.registratie is None:
            self.registratie = feit

    def bijdrage(self, peil: date) -> Bijdrage:
        casus = self.registratie
        if casus is None:
            return {}
        jaar = casus.datum.year
        return {
            Casus(jaar, casus.defensieonderdeel).encode(): 1,
            CasusCategorie(jaar, casus.hoofdcategorie, casus.subcategorie).encode(): 1,
        }


REGISTER.soort("casus", (Bron(CasusRegistratie, m.RapCasus, "casus_id"),), CasusToestand)
