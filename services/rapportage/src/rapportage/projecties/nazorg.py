"""Aftercare (nazorg) of a named melder: check-ins after the closing of the melding.

A named (not anonymous) melding closed on day A plans check-ins at A + each of
`nazorg_maanden` (shared setting, env NAZORG_MAANDEN, default 3, 6 and 12 months). A
check-in done (`meldpunt.nazorg-uitgevoerd`) counts for the earliest planned one not yet
done. A planned check-in not done within `MARGE` after its due date is overdue from the
day after: counted in the year it was due. Its facts belong to the melding aggregate
(`projecties.melding`): the plan needs its closing and whether it is anonymous.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from integriteit_shared.events import models as ev
from integriteit_shared.kalender import nazorg_data
from rapportage.config import Settings
from rapportage.projecties.register import Bijdrage, Feit, handler
from rapportage.projecties.sleutels import JaarSleutel, sleutel

MARGE = timedelta(days=30)
"""How long after its due date a check-in may still be done in time."""


@functools.cache
def nazorg_maanden() -> tuple[int, ...]:
    """The months after the closing at which check-ins are due (read once per process)."""
    return Settings().nazorg_maanden


class NazorgContact(NamedTuple):
    """A check-in done, and whether the melder reported retaliation (`rap_nazorg`)."""

    event_id: str
    registered_at: datetime
    melding_id: str
    datum: date
    benadeling_gemeld: bool


@sleutel
class NazorgUitgevoerd(JaarSleutel):
    """A check-in done in the year."""

    prefix = "nz_uitgevoerd"


@sleutel
class NazorgBenadeling(JaarSleutel):
    """A check-in done in the year at which the melder reported retaliation."""

    prefix = "nz_benadeling"


@sleutel
class NazorgVerlopen(JaarSleutel):
    """A check-in due in the year, not done within `MARGE` of its due date."""

    prefix = "nz_verlopen"
    door_tijd = True


@handler(ev.NazorgUitgevoerd)
def _uitgevoerd(event: ev.NazorgUitgevoerd, eid: str, op: datetime) -> list[Feit]:
    return [NazorgContact(eid, op, event.melding_id, event.datum, event.benadeling_gemeld)]


class Nazorgspoor:
    """The check-ins done of one melding."""

    __slots__ = ("contacten",)

    def __init__(self) -> None:
        self.contacten: list[NazorgContact] = []

    def voeg_toe(self, feit: NazorgContact) -> None:
        self.contacten.append(feit)

    def bijdrage(self, out: Bijdrage) -> None:
        """The check-ins done, and those reporting retaliation, per year."""
        for c in self.contacten:
            k = NazorgUitgevoerd.tekst(c.datum.year)
            out[k] = out.get(k, 0) + 1
            if c.benadeling_gemeld:
                k = NazorgBenadeling.tekst(c.datum.year)
                out[k] = out.get(k, 0) + 1

    def niet_op_tijd(self, afgerond: date) -> tuple[date, ...]:
        """The due dates of the planned check-ins not done within `MARGE` of them."""
        return tuple(
            due
            for due, op in toegewezen(afgerond, (c.datum for c in self.contacten))
            if op is None or op > due + MARGE
        )


def toegewezen(afgerond: date, gedaan: Iterable[date]) -> list[tuple[date, date | None]]:
    """Each planned check-in's due date, with the date of the check-in done that counts for
    it (None: not done). A check-in done counts for the earliest planned one not yet done."""
    gepland = nazorg_data(afgerond, nazorg_maanden())
    datums: list[date | None] = [*sorted(gedaan)[: len(gepland)]]
    datums += [None] * (len(gepland) - len(datums))
    return list(zip(gepland, datums, strict=True))


def verlopen(out: Bijdrage, niet_op_tijd: tuple[date, ...], peil: date) -> None:
    """Add the check-ins overdue as of the peildatum (their margin passed before it)."""
    for due in niet_op_tijd:
        if due + MARGE < peil:
            k = NazorgVerlopen.tekst(due.year)
            out[k] = out.get(k, 0) + 1


def wijzigdagen(niet_op_tijd: tuple[date, ...]) -> list[date]:
    """The days from which each counts as overdue."""
    return [due + MARGE + timedelta(days=1) for due in niet_op_tijd]
