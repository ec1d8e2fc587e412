"""The informal conversations of the vertrouwenspersonen (the koffie-automaat-gesprekken):
tallies per onderdeel and day, no case and no person; every tally is an aggregate of its own."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import OnderdeelSleutel, sleutel


class InformeleGesprekken(NamedTuple):
    """One tally (`rap_informele_gesprekken`)."""

    event_id: str
    registered_at: datetime
    defensieonderdeel: str
    datum: date
    aantal: int


@sleutel
class AnalyseGesprekken(OnderdeelSleutel):
    """Informal conversations (the counter's amount) of the onderdeel's advisers in the year."""

    prefix = "an_gesprekken"


@handler(ev.InformeleGesprekkenGeteld)
def _geteld(event: ev.InformeleGesprekkenGeteld, eid: str, op: datetime) -> list[Feit]:
    return [InformeleGesprekken(eid, op, event.defensieonderdeel, event.datum, event.aantal)]


class GesprekkenToestand(Toestand):
    __slots__ = ("aantallen",)

    def __init__(self) -> None:
        self.aantallen: Bijdrage = {}

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is InformeleGesprekken:
            k = AnalyseGesprekken.tekst(feit.datum.year, feit.defensieonderdeel)
            self.aantallen[k] = self.aantallen.get(k, 0) + feit.aantal

    def bijdrage(self, peil: date) -> Bijdrage:
        return dict(self.aantallen)


REGISTER.soort(
    "informele-gesprekken",
    (Bron(InformeleGesprekken, m.RapInformeleGesprekken, "event_id"),),
    GesprekkenToestand,
    eigen_aggregaat=True,
)
