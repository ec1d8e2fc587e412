"""Training participation (ECLD): participants per training and year; every record is an
aggregate of its own."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import Sleutel, sleutel


class Opleidingsdeelname(NamedTuple):
    """Participants of one training session (`rap_opleidingen`)."""

    event_id: str
    registered_at: datetime
    opleiding: str
    datum: date
    aantal_deelnemers: int


@sleutel
class Deelnemers(Sleutel):
    """Participants (the counter's amount) of a training in a year."""

    prefix = "opl"
    opleiding: str
    jaar: int


@handler(ev.OpleidingsdeelnameGeregistreerd)
def _geregistreerd(event: ev.OpleidingsdeelnameGeregistreerd, eid: str, op: datetime) -> list[Feit]:
    return [Opleidingsdeelname(eid, op, event.opleiding, event.datum, event.aantal_deelnemers)]


class OpleidingToestand(Toestand):
    __slots__ = ("deelnemers",)

    def __init__(self) -> None:
        self.deelnemers: Bijdrage = {}  # counter key -> participants

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is Opleidingsdeelname:
            k = Deelnemers.tekst(feit.opleiding, feit.datum.year)
            self.deelnemers[k] = self.deelnemers.get(k, 0) + feit.aantal_deelnemers

    def bijdrage(self, peil: date) -> Bijdrage:
        return dict(self.deelnemers)


REGISTER.soort(
    "opleiding",
    (Bron(Opleidingsdeelname, m.RapOpleiding, "event_id"),),
    OpleidingToestand,
    eigen_aggregaat=True,
)
