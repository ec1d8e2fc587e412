"""The klacht (klachtregeling): receipt, adjournment, COG handling and advice, handling.

What counts: the first receipt, the first COG start and the first handling; whether any
COG advice was given; the longest adjournment. The term (`integriteit_shared.kalender`) is
6 weeks, 10 once the COG handles it, plus the adjournment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from integriteit_shared.events import models as ev
from integriteit_shared.kalender import amsterdam_date, klacht_termijn
from rapportage.projecties import models as m
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import DagenSleutel, JaarSleutel, OnderdeelSleutel, sleutel

VERDAAGD = "verdaagd"
COG_GESTART = "cog_gestart"
COG_ADVIES = "cog_advies"
AFGEHANDELD = "afgehandeld"

NOEMER = "n"  # counted: handled, or its term ended
OP_TIJD = "ok"  # handled on or before the end of its term


class KlachtOntvangst(NamedTuple):
    """Received (`rap_klachten`); `ontvangen_datum` is the Amsterdam date."""

    event_id: str
    registered_at: datetime
    klacht_id: str
    ontvangen_op: datetime
    ontvangen_datum: date
    soort: str
    defensieonderdeel: str


class KlachtStap(NamedTuple):
    """verdaagd (weken), cog_gestart, cog_advies (`code`: the advice), afgehandeld (`wijze`,
    `code`: the oordeel): `rap_klacht_stappen`."""

    event_id: str
    registered_at: datetime
    klacht_id: str
    stap: str
    datum: date | None = None
    weken: int | None = None
    wijze: str | None = None
    code: str | None = None


@sleutel
class Klacht(JaarSleutel):
    """Received in the year, of a soort, at an onderdeel."""

    prefix = "klacht"
    soort: str
    defensieonderdeel: str


@sleutel
class CogBehandeling(JaarSleutel):
    """The COG started handling it in the year."""

    prefix = "cog"


@sleutel
class KlachtTermijn(JaarSleutel):
    """Received in the year, counted (`NOEMER`) or handled in its term (`OP_TIJD`)."""

    prefix = "kl_termijn"
    uitkomst: str


@sleutel
class KlachtDagen(DagenSleutel):
    """Handled in the year, `dagen` days after its receipt date."""

    prefix = "kl_dagen"


# --- the story behind the figures (the report's `analyse`) ---


@sleutel
class AnalyseKlachtWijze(OnderdeelSleutel):
    """A klacht of the onderdeel handled in the year, informally or by a decision."""

    prefix = "an_kl_wijze"
    wijze: str


@sleutel
class AnalyseKlachtOordeel(OnderdeelSleutel):
    """A klacht of the onderdeel handled in the year, by its oordeel."""

    prefix = "an_kl_oordeel"
    oordeel: str


@sleutel
class AnalyseCogAdvies(OnderdeelSleutel):
    """A klacht of the onderdeel on which the COG advised in the year, by its (latest) advice."""

    prefix = "an_cog_advies"
    advies: str


@handler(ev.KlachtIngediend)
def _ingediend(event: ev.KlachtIngediend, eid: str, op: datetime) -> list[Feit]:
    return [
        KlachtOntvangst(
            eid,
            op,
            event.klacht_id,
            event.ontvangen_op,
            amsterdam_date(event.ontvangen_op),
            event.soort,
            event.defensieonderdeel,
        )
    ]


@handler(ev.KlachtVerdaagd)
def _verdaagd(event: ev.KlachtVerdaagd, eid: str, op: datetime) -> list[Feit]:
    return [KlachtStap(eid, op, event.klacht_id, VERDAAGD, weken=event.weken)]


@handler(ev.CogBehandelingGestart)
def _cog_gestart(event: ev.CogBehandelingGestart, eid: str, op: datetime) -> list[Feit]:
    return [KlachtStap(eid, op, event.klacht_id, COG_GESTART, event.datum)]


@handler(ev.CogAdviesUitgebracht)
def _cog_advies(event: ev.CogAdviesUitgebracht, eid: str, op: datetime) -> list[Feit]:
    return [KlachtStap(eid, op, event.klacht_id, COG_ADVIES, event.datum, code=event.advies)]


@handler(ev.KlachtAfgehandeld)
def _afgehandeld(event: ev.KlachtAfgehandeld, eid: str, op: datetime) -> list[Feit]:
    return [
        KlachtStap(
            eid,
            op,
            event.klacht_id,
            AFGEHANDELD,
            event.datum,
            wijze=event.wijze,
            code=event.oordeel,
        )
    ]


class KlachtToestand(Toestand):
    peilafhankelijk = True
    __slots__ = (
        "advies",
        "afgehandeld",
        "cog_advies",
        "cog_start",
        "ontvangst",
        "verdaagd_weken",
    )

    def __init__(self) -> None:
        self.ontvangst: KlachtOntvangst | None = None
        self.cog_start: KlachtStap | None = None
        self.afgehandeld: KlachtStap | None = None
        self.cog_advies = False
        self.advies: KlachtStap | None = None  # the latest COG advice
        self.verdaagd_weken = 0

    def voeg_toe(self, feit: Feit) -> None:
        if type(feit) is KlachtOntvangst:
            if self.ontvangst is None:
                self.ontvangst = feit
        elif type(feit) is KlachtStap:
            stap = feit.stap
            if stap == VERDAAGD:
                if feit.weken:
                    self.verdaagd_weken = max(self.verdaagd_weken, feit.weken)
            elif stap == COG_GESTART:
                if self.cog_start is None:
                    self.cog_start = feit
            elif stap == COG_ADVIES:
                self.cog_advies = True
                self.advies = feit
            elif stap == AFGEHANDELD and self.afgehandeld is None:
                self.afgehandeld = feit

    def _termijn(self, ontvangen: date) -> date:
        # the COG handles the klacht from its start (or, failing that event, its advice)
        cog = self.cog_start is not None or self.cog_advies
        return klacht_termijn(ontvangen, cog_behandeling=cog, verdaging_weken=self.verdaagd_weken)

    def wijzigdagen(self) -> Iterable[date]:
        if self.ontvangst is None:
            return ()
        return (self._termijn(self.ontvangst.ontvangen_datum) + timedelta(days=1),)

    def bijdrage(self, peil: date) -> Bijdrage:
        out: Bijdrage = {}
        cog_start = self.cog_start
        if cog_start is not None and cog_start.datum is not None:
            out[CogBehandeling.tekst(cog_start.datum.year)] = 1
        ontvangst = self.ontvangst
        if ontvangst is None:
            return out
        ontvangen = ontvangst.ontvangen_datum
        jaar = ontvangen.year
        out[Klacht.tekst(jaar, ontvangst.soort, ontvangst.defensieonderdeel)] = 1
        termijn = self._termijn(ontvangen)
        afgehandeld = self.afgehandeld
        klaar = afgehandeld.datum if afgehandeld is not None else None
        if afgehandeld is not None or termijn < peil:
            out[KlachtTermijn.tekst(jaar, NOEMER)] = 1
            if klaar is not None and klaar <= termijn:
                out[KlachtTermijn.tekst(jaar, OP_TIJD)] = 1
        if klaar is not None:
            out[KlachtDagen.tekst(klaar.year, (klaar - ontvangen).days)] = 1
        self._analyse(out, ontvangst)
        return out

    def _analyse(self, out: Bijdrage, ontvangst: KlachtOntvangst) -> None:
        onderdeel = ontvangst.defensieonderdeel
        afgehandeld = self.afgehandeld
        if afgehandeld is not None and afgehandeld.datum is not None:
            jaar = afgehandeld.datum.year
            if afgehandeld.wijze is not None:
                out[AnalyseKlachtWijze.tekst(jaar, onderdeel, afgehandeld.wijze)] = 1
            if afgehandeld.code is not None:
                out[AnalyseKlachtOordeel.tekst(jaar, onderdeel, afgehandeld.code)] = 1
        advies = self.advies
        if advies is not None and advies.datum is not None and advies.code is not None:
            out[AnalyseCogAdvies.tekst(advies.datum.year, onderdeel, advies.code)] = 1


REGISTER.soort(
    "klacht",
    (
        Bron(KlachtOntvangst, m.RapKlacht, "klacht_id"),
        Bron(KlachtStap, m.RapKlachtStap, "klacht_id"),
    ),
    KlachtToestand,
)
