"""The misstand track of a HRHD melding (Wet bescherming klokkenluiders): taken up, closed.

Its facts belong to the melding aggregate (`projecties.melding`, same id): a melding
received with `vermoedenMisstand` counts as taken up on its receipt date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from integriteit_shared.events import models as ev
from rapportage.projecties.register import Bijdrage, Feit, handler
from rapportage.projecties.sleutels import JaarSleutel, sleutel

VERMOEDEN = "vermoeden"
AFGEROND = "afgerond"


class MisstandStap(NamedTuple):
    """`vermoeden` (taken up) or `afgerond` (with `vastgesteld`): `rap_misstanden`."""

    event_id: str
    registered_at: datetime
    melding_id: str
    stap: str
    datum: date
    vastgesteld: bool | None = None


@sleutel
class MisstandGenomen(JaarSleutel):
    prefix = "ms_genomen"


@sleutel
class MisstandAfgerond(JaarSleutel):
    prefix = "ms_afgerond"


@sleutel
class MisstandVastgesteld(JaarSleutel):
    prefix = "ms_vastgesteld"


@handler(ev.MisstandVermoedenGeregistreerd)
def _vermoeden(event: ev.MisstandVermoedenGeregistreerd, eid: str, op: datetime) -> list[Feit]:
    return [MisstandStap(eid, op, event.melding_id, VERMOEDEN, event.datum)]


@handler(ev.MisstandAfgerond)
def _afgerond(event: ev.MisstandAfgerond, eid: str, op: datetime) -> list[Feit]:
    return [MisstandStap(eid, op, event.melding_id, AFGEROND, event.datum, event.vastgesteld)]


class Misstandspoor:
    """The earliest day it was taken up, and its latest closing."""

    __slots__ = ("afronding", "genomen_op")

    def __init__(self) -> None:
        self.genomen_op: date | None = None
        self.afronding: MisstandStap | None = None

    def voeg_toe(self, feit: MisstandStap) -> None:
        if feit.stap == VERMOEDEN:
            eerder = self.genomen_op
            self.genomen_op = feit.datum if eerder is None or feit.datum < eerder else eerder
        else:
            self.afronding = feit

    def bijdrage(self, out: Bijdrage, vermoeden_bij_ontvangst: date | None) -> None:
        """Add its keys; `vermoeden_bij_ontvangst`: the receipt date of a melding received
        as a suspected misstand."""
        genomen_op = self.genomen_op
        if vermoeden_bij_ontvangst is not None and (
            genomen_op is None or vermoeden_bij_ontvangst < genomen_op
        ):
            genomen_op = vermoeden_bij_ontvangst
        if genomen_op is not None:
            out[MisstandGenomen.tekst(genomen_op.year)] = 1
        afronding = self.afronding
        if afronding is not None:
            out[MisstandAfgerond.tekst(afronding.datum.year)] = 1
            if afronding.vastgesteld:
                out[MisstandVastgesteld.tekst(afronding.datum.year)] = 1
