"""The HRHD melding (meldpunt): receipt, categorisations, its steps and its misstand track.

What counts: the first receipt, the latest category, the first acknowledgement and the
first feedback (each against its legal deadline, `integriteit_shared.kalender`), the latest
closing. "First" and "latest" are in registration order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from integriteit_shared.events import models as ev
from integriteit_shared.kalender import amsterdam_date, bereken_termijnen
from rapportage.projecties import models as m
from rapportage.projecties.misstand import Misstandspoor, MisstandStap
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import JaarSleutel, sleutel

BEVESTIGD = "bevestigd"
TERUGKOPPELING = "terugkoppeling"
AFGEROND = "afgerond"

NOEMER = "n"  # counted: the step was taken, or its deadline passed
OP_TIJD = "ok"  # the step was taken on or before its deadline


class Melding(NamedTuple):
    """Received (`rap_meldingen`); `ontvangen_datum` is the Amsterdam date."""

    event_id: str
    registered_at: datetime
    melding_id: str
    ontvangen_op: datetime
    ontvangen_datum: date
    defensieonderdeel: str
    vermoeden_misstand: bool


class Categorisering(NamedTuple):
    """A category of a HRHD melding (`rap_categoriseringen`, bron hrhd); volgorde 0 at
    receipt, 1 a recategorisation."""

    event_id: str
    registered_at: datetime
    bron: str
    aggregate_id: str
    volgorde: int
    hoofdcategorie: str
    subcategorie: str


class MeldingStap(NamedTuple):
    """A dated step: bevestigd, terugkoppeling, afgerond (`rap_melding_stappen`)."""

    event_id: str
    registered_at: datetime
    melding_id: str
    stap: str
    datum: date


@sleutel
@dataclass(frozen=True, slots=True)
class HrhdMelding(JaarSleutel):
    """A melding received in the year at the onderdeel."""

    prefix = "hrhd"
    defensieonderdeel: str


@sleutel
@dataclass(frozen=True, slots=True)
class Categorie(JaarSleutel):
    """The category of a HRHD or BPS melding of the year."""

    prefix = "cat"
    hoofdcategorie: str
    subcategorie: str


@sleutel
@dataclass(frozen=True, slots=True)
class Ontvangstbevestiging(JaarSleutel):
    """A melding received in the year, counted (`NOEMER`) or acknowledged in time (`OP_TIJD`)."""

    prefix = "bev"
    uitkomst: str


@sleutel
@dataclass(frozen=True, slots=True)
class Terugkoppeling(JaarSleutel):
    """As `Ontvangstbevestiging`, for the feedback."""

    prefix = "tk"
    uitkomst: str


@sleutel
@dataclass(frozen=True, slots=True)
class Afronding(JaarSleutel):
    """A melding closed in the year, after `dagen` days from its receipt date."""

    prefix = "afronding"
    dagen: int


@handler(ev.MeldingOntvangen)
def _ontvangen(event: ev.MeldingOntvangen, eid: str, op: datetime) -> list[Feit]:
    return [
        Melding(
            eid,
            op,
            event.melding_id,
            event.ontvangen_op,
            amsterdam_date(event.ontvangen_op),
            event.defensieonderdeel,
            event.vermoeden_misstand,
        ),
        Categorisering(
            eid, op, "hrhd", event.melding_id, 0, event.hoofdcategorie, event.subcategorie
        ),
    ]


@handler(ev.MeldingGecategoriseerd)
def _gecategoriseerd(event: ev.MeldingGecategoriseerd, eid: str, op: datetime) -> list[Feit]:
    return [
        Categorisering(
            eid, op, "hrhd", event.melding_id, 1, event.hoofdcategorie, event.subcategorie
        )
    ]


@handler(ev.MeldingOntvangstBevestigd)
def _bevestigd(event: ev.MeldingOntvangstBevestigd, eid: str, op: datetime) -> list[Feit]:
    return [MeldingStap(eid, op, event.melding_id, BEVESTIGD, event.datum)]


@handler(ev.MeldingTerugkoppelingGegeven)
def _terugkoppeling(event: ev.MeldingTerugkoppelingGegeven, eid: str, op: datetime) -> list[Feit]:
    return [MeldingStap(eid, op, event.melding_id, TERUGKOPPELING, event.datum)]


@handler(ev.MeldingAfgerond)
def _afgerond(event: ev.MeldingAfgerond, eid: str, op: datetime) -> list[Feit]:
    return [MeldingStap(eid, op, event.melding_id, AFGEROND, event.datum)]


# no indicator uses these (yet)
REGISTER.geen_feiten(ev.MeldingToegewezen, ev.MeldingAfdoeningBepaald, ev.NazorgUitgevoerd)


class _Vast(NamedTuple):
    """What does not depend on the peildatum, worked out once per change of facts."""

    bijdrage: Bijdrage
    bevestiging_uiterlijk: date
    terugkoppeling_uiterlijk: date
    jaar: int


class MeldingToestand(Toestand):
    peilafhankelijk = True
    __slots__ = (
        "_vast",
        "afronding",
        "bevestiging",
        "categorisering",
        "misstand",
        "ontvangst",
        "terugkoppeling",
    )

    def __init__(self) -> None:
        self.ontvangst: Melding | None = None
        self.categorisering: Categorisering | None = None
        self.bevestiging: MeldingStap | None = None
        self.terugkoppeling: MeldingStap | None = None
        self.afronding: MeldingStap | None = None
        self.misstand = Misstandspoor()
        self._vast: _Vast | None = None

    def voeg_toe(self, feit: Feit) -> None:
        self._vast = None
        if type(feit) is Melding:
            if self.ontvangst is None:
                self.ontvangst = feit
        elif type(feit) is Categorisering:
            self.categorisering = feit
        elif type(feit) is MeldingStap:
            if feit.stap == BEVESTIGD:
                if self.bevestiging is None:
                    self.bevestiging = feit
            elif feit.stap == TERUGKOPPELING:
                if self.terugkoppeling is None:
                    self.terugkoppeling = feit
            else:
                self.afronding = feit
        elif type(feit) is MisstandStap:
            self.misstand.voeg_toe(feit)

    def _bereken_vast(self) -> _Vast:
        out: Bijdrage = {}
        ontvangst = self.ontvangst
        bevestiging_uiterlijk = terugkoppeling_uiterlijk = date.min
        jaar = 0
        vermoeden_op: date | None = None
        if ontvangst is not None:
            ontvangen = ontvangst.ontvangen_datum
            jaar = ontvangen.year
            out[HrhdMelding(jaar, ontvangst.defensieonderdeel).encode()] = 1
            categorisering = self.categorisering
            if categorisering is not None:
                out[
                    Categorie(
                        jaar, categorisering.hoofdcategorie, categorisering.subcategorie
                    ).encode()
                ] = 1
            if ontvangst.vermoeden_misstand:
                vermoeden_op = ontvangen
            bevestiging, terugkoppeling = self.bevestiging, self.terugkoppeling
            termijnen = bereken_termijnen(
                ontvangen, None if bevestiging is None else bevestiging.datum
            )
            bevestiging_uiterlijk = termijnen.ontvangstbevestiging_uiterlijk
            terugkoppeling_uiterlijk = termijnen.terugkoppeling_uiterlijk
            if bevestiging is not None:
                out[Ontvangstbevestiging(jaar, NOEMER).encode()] = 1
                if bevestiging.datum <= bevestiging_uiterlijk:
                    out[Ontvangstbevestiging(jaar, OP_TIJD).encode()] = 1
            if terugkoppeling is not None:
                out[Terugkoppeling(jaar, NOEMER).encode()] = 1
                if terugkoppeling.datum <= terugkoppeling_uiterlijk:
                    out[Terugkoppeling(jaar, OP_TIJD).encode()] = 1
            afronding = self.afronding
            if afronding is not None:
                dagen = (afronding.datum - ontvangen).days
                out[Afronding(afronding.datum.year, dagen).encode()] = 1
        self.misstand.bijdrage(out, vermoeden_op)
        self._vast = _Vast(out, bevestiging_uiterlijk, terugkoppeling_uiterlijk, jaar)
        return self._vast

    def wijzigdagen(self) -> Iterable[date]:
        if self.ontvangst is None:
            return ()
        vast = self._vast or self._bereken_vast()
        dag = timedelta(days=1)
        return (vast.bevestiging_uiterlijk + dag, vast.terugkoppeling_uiterlijk + dag)

    def bijdrage(self, peil: date) -> Bijdrage:
        vast = self._vast or self._bereken_vast()
        if self.ontvangst is None:
            return vast.bijdrage
        # a deadline that passed without the step puts the melding in the denominator
        bevestiging_te_laat = self.bevestiging is None and vast.bevestiging_uiterlijk < peil
        terugkoppeling_te_laat = (
            self.terugkoppeling is None and vast.terugkoppeling_uiterlijk < peil
        )
        if not (bevestiging_te_laat or terugkoppeling_te_laat):
            return vast.bijdrage
        out = dict(vast.bijdrage)
        if bevestiging_te_laat:
            out[Ontvangstbevestiging(vast.jaar, NOEMER).encode()] = 1
        if terugkoppeling_te_laat:
            out[Terugkoppeling(vast.jaar, NOEMER).encode()] = 1
        return out


REGISTER.soort(
    "melding",
    (
        Bron(Melding, m.RapMelding, "melding_id"),
        Bron(Categorisering, m.RapCategorisering, "aggregate_id", "hrhd"),
        Bron(MeldingStap, m.RapMeldingStap, "melding_id"),
        Bron(MisstandStap, m.RapMisstand, "melding_id"),
    ),
    MeldingToestand,
)
