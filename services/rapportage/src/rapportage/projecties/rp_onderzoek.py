"""The KMar rechtspositioneel onderzoek: its first start and its latest end, each counted
alone."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import (
    REGISTER,
    Bijdrage,
    Bron,
    Feit,
    StartEnEinde,
    handler,
)
from rapportage.projecties.sleutels import JaarSleutel, sleutel

GESTART = "gestart"
AFGEROND = "afgerond"


class RpOnderzoekStap(NamedTuple):
    """`gestart` or `afgerond` (with schending): `rap_rp_onderzoeken`."""

    event_id: str
    registered_at: datetime
    onderzoek_id: str
    stap: str
    datum: date
    schending_vastgesteld: bool | None = None


@sleutel
class RpGestart(JaarSleutel):
    prefix = "rp_gestart"


@sleutel
class RpAfgerond(JaarSleutel):
    prefix = "rp_afgerond"


@sleutel
class RpSchending(JaarSleutel):
    """Ended in the year with a violation established."""

    prefix = "rp_schending"


@handler(ev.RechtspositioneelOnderzoekGestart)
def _gestart(event: ev.RechtspositioneelOnderzoekGestart, eid: str, op: datetime) -> list[Feit]:
    return [RpOnderzoekStap(eid, op, event.onderzoek_id, GESTART, event.startdatum)]


@handler(ev.RechtspositioneelOnderzoekAfgerond)
def _afgerond(event: ev.RechtspositioneelOnderzoekAfgerond, eid: str, op: datetime) -> list[Feit]:
    return [
        RpOnderzoekStap(
            eid, op, event.onderzoek_id, AFGEROND, event.einddatum, event.schending_vastgesteld
        )
    ]


class RpOnderzoekToestand(StartEnEinde[RpOnderzoekStap]):
    __slots__ = ()
    start_stap = GESTART

    def __init__(self) -> None:
        super().__init__(RpOnderzoekStap)

    def bijdrage(self, peil: date) -> Bijdrage:
        out: Bijdrage = {}
        if self.start is not None:
            out[RpGestart.tekst(self.start.datum.year)] = 1
        eind = self.eind
        if eind is not None:
            out[RpAfgerond.tekst(eind.datum.year)] = 1
            if eind.schending_vastgesteld:
                out[RpSchending.tekst(eind.datum.year)] = 1
        return out


REGISTER.soort(
    "rp-onderzoek", (Bron(RpOnderzoekStap, m.RapRpOnderzoek, "onderzoek_id"),), RpOnderzoekToestand
)
