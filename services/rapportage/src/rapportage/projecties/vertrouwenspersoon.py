"""The vertrouwenspersoon (confidential adviser) in the register: appointed, ended."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import Sleutel, sleutel

AANGESTELD = "aangesteld"
BEEINDIGD = "beeindigd"


class VertrouwenspersoonStap(NamedTuple):
    """`aangesteld` (with onderdeel) or `beeindigd`, each dated: `rap_vertrouwenspersonen`."""

    event_id: str
    registered_at: datetime
    vertrouwenspersoon_id: str
    stap: str
    datum: date
    defensieonderdeel: str | None = None


@sleutel
class Vertrouwenspersoon(Sleutel):
    """Active at the onderdeel on 31 December of the years `van` up to `tot` (None: still)."""

    prefix = "vp"
    defensieonderdeel: str
    van: int
    tot: int | None


@handler(ev.VertrouwenspersoonAangesteld)
def _aangesteld(event: ev.VertrouwenspersoonAangesteld, eid: str, op: datetime) -> list[Feit]:
    return [
        VertrouwenspersoonStap(
            eid, op, event.vertrouwenspersoon_id, AANGESTELD, event.datum, event.defensieonderdeel
        )
    ]


@handler(ev.VertrouwenspersoonBeeindigd)
def _beeindigd(event: ev.VertrouwenspersoonBeeindigd, eid: str, op: datetime) -> list[Feit]:
    return [VertrouwenspersoonStap(eid, op, event.vertrouwenspersoon_id, BEEINDIGD, event.datum)]


def _op_datum(r: VertrouwenspersoonStap) -> tuple[date, bool, datetime, str]:
    return (r.datum, r.stap == BEEINDIGD, r.registered_at, r.event_id)


class VertrouwenspersoonToestand(Toestand):
    """The years on whose 31 December the adviser was active, per onderdeel.

    On a day, the adviser's state is his latest step dated on or before it (an end on the
    same day as an appointment wins). The report needs the network on 31 December only, so
    each period of one state becomes the range of years whose year end falls in it.
    """

    __slots__ = ("stappen",)

    def __init__(self) -> None:
        self.stappen: list[VertrouwenspersoonStap] = []

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is VertrouwenspersoonStap:
            self.stappen.append(feit)

    def bijdrage(self, peil: date) -> Bijdrage:
        stappen = sorted(self.stappen, key=_op_datum)
        # the state after each day's last step holds until the next day with a step
        per_dag: list[tuple[date, VertrouwenspersoonStap]] = []
        for r in stappen:
            if per_dag and per_dag[-1][0] == r.datum:
                per_dag[-1] = (r.datum, r)
            else:
                per_dag.append((r.datum, r))
        out: Bijdrage = {}
        for i, (dag, r) in enumerate(per_dag):
            if r.stap != AANGESTELD or not r.defensieonderdeel:
                continue
            tot = per_dag[i + 1][0].year if i + 1 < len(per_dag) else None
            if tot is not None and tot <= dag.year:
                continue  # ended within the year it began: never active on a 31 December
            k = Vertrouwenspersoon.tekst(r.defensieonderdeel, dag.year, tot)
            out[k] = out.get(k, 0) + 1
        return out


REGISTER.soort(
    "vertrouwenspersoon",
    (Bron(VertrouwenspersoonStap, m.RapVertrouwenspersoon, "vertrouwenspersoon_id"),),
    VertrouwenspersoonToestand,
)
