"""The nevenwerkzaamheid (side activity): its first registration and its latest advice."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import JaarSleutel, sleutel


class NevenwerkzaamheidRegistratie(NamedTuple):
    """Registered (`rap_nevenwerkzaamheden`)."""

    event_id: str
    registered_at: datetime
    nevenwerkzaamheid_id: str
    registratiedatum: date
    defensieonderdeel: str


class Advies(NamedTuple):
    """An advice given (`rap_adviezen`)."""

    event_id: str
    registered_at: datetime
    nevenwerkzaamheid_id: str
    advies: str
    datum: date


@sleutel
class Nevenwerkzaamheid(JaarSleutel):
    """Registered in the year at the onderdeel, with its latest advice (None: none yet)."""

    prefix = "nw"
    defensieonderdeel: str
    advies: str | None


@handler(ev.NevenwerkzaamheidGeregistreerd)
def _geregistreerd(event: ev.NevenwerkzaamheidGeregistreerd, eid: str, op: datetime) -> list[Feit]:
    return [
        NevenwerkzaamheidRegistratie(
            eid, op, event.nevenwerkzaamheid_id, event.registratiedatum, event.defensieonderdeel
        )
    ]


@handler(ev.NevenwerkzaamheidGeadviseerd)
def _geadviseerd(event: ev.NevenwerkzaamheidGeadviseerd, eid: str, op: datetime) -> list[Feit]:
    return [Advies(eid, op, event.nevenwerkzaamheid_id, event.advies, event.datum)]


class NevenwerkzaamheidToestand(Toestand):
    __slots__ = ("advies", "registratie")

    def __init__(self) -> None:
        self.registratie: NevenwerkzaamheidRegistratie | None = None
        self.advies: Advies | None = None

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is NevenwerkzaamheidRegistratie:
            if self.registratie is None:
                self.registratie = feit
        elif type(feit) is Advies:
            self.advies = feit

    def bijdrage(self, peil: date) -> Bijdrage:
        registratie = self.registratie
        if registratie is None:
            return {}
        advies = None if self.advies is None else self.advies.advies
        sleutel = Nevenwerkzaamheid.tekst(
            registratie.registratiedatum.year, registratie.defensieonderdeel, advies
        )
        return {sleutel: 1}


REGISTER.soort(
    "nevenwerkzaamheid",
    (
        Bron(NevenwerkzaamheidRegistratie, m.RapNevenwerkzaamheid, "nevenwerkzaamheid_id"),
        Bron(Advies, m.RapAdvies, "nevenwerkzaamheid_id"),
    ),
    NevenwerkzaamheidToestand,
)
