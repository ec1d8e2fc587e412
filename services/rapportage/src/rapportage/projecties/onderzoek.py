"""The COID integriteitsonderzoek: counted from its first start (with onderdeel) to its
latest end."""

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
from rapportage.projecties.sleutels import DagenSleutel, Sleutel, sleutel

GESTART = "gestart"
AFGEROND = "afgerond"


class OnderzoekStap(NamedTuple):
    """`gestart` (startdatum, onderdeel) or `afgerond` (einddatum): `rap_onderzoeken`."""

    event_id: str
    registered_at: datetime
    onderzoek_id: str
    stap: str
    datum: date
    defensieonderdeel: str | None = None


@sleutel
class Onderzoek(Sleutel):
    """An investigation started in `startjaar`, ended in `eindjaar` (None: running); the
    onderdeel is empty for one without."""

    prefix = "oz"
    startjaar: int
    eindjaar: int | None
    defensieonderdeel: str


@sleutel
class DagenOnderzoek(DagenSleutel):
    """An investigation ended in the year, `dagen` days after its start (`analyse`)."""

    prefix = "an_oz_dagen"


@handler(ev.IntegriteitsonderzoekGestart)
def _gestart(event: ev.IntegriteitsonderzoekGestart, eid: str, op: datetime) -> list[Feit]:
    return [
        OnderzoekStap(
            eid, op, event.onderzoek_id, GESTART, event.startdatum, event.defensieonderdeel
        )
    ]


@handler(ev.IntegriteitsonderzoekAfgerond)
def _afgerond(event: ev.IntegriteitsonderzoekAfgerond, eid: str, op: datetime) -> list[Feit]:
    return [OnderzoekStap(eid, op, event.onderzoek_id, AFGEROND, event.einddatum)]


class OnderzoekToestand(StartEnEinde[OnderzoekStap]):
    __slots__ = ()
    start_stap = GESTART

    def __init__(self) -> None:
        super().__init__(OnderzoekStap)

    def bijdrage(self, peil: date) -> Bijdrage:
        start, eind = self.start, self.eind
        if start is None:
            return {}
        eindjaar = None if eind is None else eind.datum.year
        out = {Onderzoek.tekst(start.datum.year, eindjaar, start.defensieonderdeel or ""): 1}
        if eind is not None:
            out[DagenOnderzoek.tekst(eind.datum.year, (eind.datum - start.datum).days)] = 1
        return out


REGISTER.soort(
    "onderzoek", (Bron(OnderzoekStap, m.RapOnderzoek, "onderzoek_id"),), OnderzoekToestand
)
