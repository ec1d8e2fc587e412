"""The HRHD melding (meldpunt): receipt, categorisations, its steps and its misstand track.

What counts: the first receipt, the latest category, the first acknowledgement and the
first feedback (each against its legal deadline, `integriteit_shared.kalender`), the latest
closing. "First" and "latest" are in registration order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from integriteit_shared.events import models as ev
from integriteit_shared.kalender import amsterdam_date, bereken_termijnen
from rapportage.projecties import models as m
from rapportage.projecties import nazorg
from rapportage.projecties.misstand import Misstandspoor, MisstandStap
from rapportage.projecties.nazorg import NazorgContact, Nazorgspoor
from rapportage.projecties.register import REGISTER, Bijdrage, Bron, Feit, Toestand, handler
from rapportage.projecties.sleutels import DagenSleutel, JaarSleutel, OnderdeelSleutel, sleutel

BEVESTIGD = "bevestigd"
TERUGKOPPELING = "terugkoppeling"
AFDOENING = "afdoening"
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
    kanaal: str | None = None
    anoniem: bool | None = None


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
    """A dated step: bevestigd, terugkoppeling, afdoening (`code`: the afdoening), afgerond
    (`code`: the conclusie): `rap_melding_stappen`."""

    event_id: str
    registered_at: datetime
    melding_id: str
    stap: str
    datum: date
    code: str | None = None


@sleutel
class HrhdMelding(JaarSleutel):
    """A melding received in the year at the onderdeel."""

    prefix = "hrhd"
    defensieonderdeel: str


@sleutel
class Categorie(JaarSleutel):
    """The category of a HRHD or BPS melding of the year."""

    prefix = "cat"
    hoofdcategorie: str
    subcategorie: str


@sleutel
class Ontvangstbevestiging(JaarSleutel):
    """A melding received in the year, counted (`NOEMER`) or acknowledged in time (`OP_TIJD`)."""

    prefix = "bev"
    uitkomst: str


@sleutel
class Terugkoppeling(JaarSleutel):
    """As `Ontvangstbevestiging`, for the feedback."""

    prefix = "tk"
    uitkomst: str


@sleutel
class Afronding(DagenSleutel):
    """A melding closed in the year, after `dagen` days from its receipt date."""

    prefix = "afronding"


# --- the story behind the figures (the report's `analyse`) ---


@sleutel
class AnalyseKanaal(OnderdeelSleutel):
    """A melding received in the year at the onderdeel, by the channel it came in by."""

    prefix = "an_kanaal"
    kanaal: str


@sleutel
class AnalyseAnoniem(OnderdeelSleutel):
    """A melding received in the year at the onderdeel, anonymous (`ja`) or not (`nee`)."""

    prefix = "an_anoniem"
    anoniem: str


@sleutel
class AnalyseAfdoening(OnderdeelSleutel):
    """A melding of the onderdeel whose (latest) afdoening was decided in the year."""

    prefix = "an_afdoening"
    afdoening: str


@sleutel
class AnalyseConclusie(OnderdeelSleutel):
    """A melding of the onderdeel closed in the year, by its conclusie."""

    prefix = "an_conclusie"
    conclusie: str


@sleutel
class DagenTotBevestiging(DagenSleutel):
    """A melding acknowledged in the year, `dagen` days after its receipt date."""

    prefix = "an_bev_dagen"


@sleutel
class DagenTotTerugkoppeling(DagenSleutel):
    """A melding given feedback in the year, `dagen` days after its acknowledgement."""

    prefix = "an_tk_dagen"


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
            event.kanaal,
            event.anoniem,
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


@handler(ev.MeldingAfdoeningBepaald)
def _afdoening(event: ev.MeldingAfdoeningBepaald, eid: str, op: datetime) -> list[Feit]:
    return [MeldingStap(eid, op, event.melding_id, AFDOENING, event.datum, event.afdoening)]


@handler(ev.MeldingAfgerond)
def _afgerond(event: ev.MeldingAfgerond, eid: str, op: datetime) -> list[Feit]:
    return [MeldingStap(eid, op, event.melding_id, AFGEROND, event.datum, event.conclusie)]


# no indicator uses these (yet)
REGISTER.geen_feiten(ev.MeldingToegewezen)


class _Vast(NamedTuple):
    """What does not depend on the peildatum, worked out once per change of facts."""

    bijdrage: Bijdrage
    bevestiging_uiterlijk: date
    terugkoppeling_uiterlijk: date
    jaar: int
    nazorg_niet_op_tijd: tuple[date, ...]  # planned check-ins not done in time, by due date


class MeldingToestand(Toestand):
    peilafhankelijk = True
    __slots__ = (
        "_vast",
        "afdoening",
        "afronding",
        "bevestiging",
        "categorisering",
        "misstand",
        "nazorg",
        "ontvangst",
        "terugkoppeling",
    )

    def __init__(self) -> None:
        self.ontvangst: Melding | None = None
        self.categorisering: Categorisering | None = None
        self.bevestiging: MeldingStap | None = None
        self.terugkoppeling: MeldingStap | None = None
        self.afronding: MeldingStap | None = None
        self.afdoening: MeldingStap | None = None
        self.misstand = Misstandspoor()
        self.nazorg = Nazorgspoor()
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
            elif feit.stap == AFDOENING:
                self.afdoening = feit
            else:
                self.afronding = feit
        elif type(feit) is MisstandStap:
            self.misstand.voeg_toe(feit)
        elif type(feit) is NazorgContact:
            self.nazorg.voeg_toe(feit)

    def _bereken_vast(self) -> _Vast:
        out: Bijdrage = {}
        ontvangst = self.ontvangst
        bevestiging_uiterlijk = terugkoppeling_uiterlijk = date.min
        jaar = 0
        vermoeden_op: date | None = None
        if ontvangst is not None:
            ontvangen = ontvangst.ontvangen_datum
            jaar = ontvangen.year
            out[HrhdMelding.tekst(jaar, ontvangst.defensieonderdeel)] = 1
            categorisering = self.categorisering
            if categorisering is not None:
                categorie = Categorie.tekst(
                    jaar, categorisering.hoofdcategorie, categorisering.subcategorie
                )
                out[categorie] = 1
            if ontvangst.vermoeden_misstand:
                vermoeden_op = ontvangen
            bevestiging, terugkoppeling = self.bevestiging, self.terugkoppeling
            termijnen = bereken_termijnen(
                ontvangen, None if bevestiging is None else bevestiging.datum
            )
            bevestiging_uiterlijk = termijnen.ontvangstbevestiging_uiterlijk
            terugkoppeling_uiterlijk = termijnen.terugkoppeling_uiterlijk
            if bevestiging is not None:
                out[Ontvangstbevestiging.tekst(jaar, NOEMER)] = 1
                if bevestiging.datum <= bevestiging_uiterlijk:
                    out[Ontvangstbevestiging.tekst(jaar, OP_TIJD)] = 1
            if terugkoppeling is not None:
                out[Terugkoppeling.tekst(jaar, NOEMER)] = 1
                if terugkoppeling.datum <= terugkoppeling_uiterlijk:
                    out[Terugkoppeling.tekst(jaar, OP_TIJD)] = 1
            afronding = self.afronding
            if afronding is not None:
                dagen = (afronding.datum - ontvangen).days
                out[Afronding.tekst(afronding.datum.year, dagen)] = 1
            self._analyse(out, ontvangst)
        self.misstand.bijdrage(out, vermoeden_op)
        self.nazorg.bijdrage(out)
        # a named melder's check-ins are planned from the closing of the melding
        niet_op_tijd: tuple[date, ...] = ()
        if ontvangst is not None and ontvangst.anoniem is False and self.afronding is not None:
            niet_op_tijd = self.nazorg.niet_op_tijd(self.afronding.datum)
        self._vast = _Vast(out, bevestiging_uiterlijk, terugkoppeling_uiterlijk, jaar, niet_op_tijd)
        return self._vast

    def _analyse(self, out: Bijdrage, ontvangst: Melding) -> None:
        ontvangen, onderdeel = ontvangst.ontvangen_datum, ontvangst.defensieonderdeel
        jaar = ontvangen.year
        if ontvangst.kanaal is not None:
            out[AnalyseKanaal.tekst(jaar, onderdeel, ontvangst.kanaal)] = 1
        if ontvangst.anoniem is not None:
            anoniem = "ja" if ontvangst.anoniem else "nee"
            out[AnalyseAnoniem.tekst(jaar, onderdeel, anoniem)] = 1
        afdoening = self.afdoening
        if afdoening is not None and afdoening.code is not None:
            out[AnalyseAfdoening.tekst(afdoening.datum.year, onderdeel, afdoening.code)] = 1
        afronding = self.afronding
        if afronding is not None and afronding.code is not None:
            out[AnalyseConclusie.tekst(afronding.datum.year, onderdeel, afronding.code)] = 1
        bevestiging, terugkoppeling = self.bevestiging, self.terugkoppeling
        if bevestiging is not None:
            dagen = (bevestiging.datum - ontvangen).days
            out[DagenTotBevestiging.tekst(bevestiging.datum.year, dagen)] = 1
            if terugkoppeling is not None:
                dagen = (terugkoppeling.datum - bevestiging.datum).days
                out[DagenTotTerugkoppeling.tekst(terugkoppeling.datum.year, dagen)] = 1

    def wijzigdagen(self) -> Iterable[date]:
        if self.ontvangst is None:
            return ()
        vast = self._vast or self._bereken_vast()
        dag = timedelta(days=1)
        return (
            vast.bevestiging_uiterlijk + dag,
            vast.terugkoppeling_uiterlijk + dag,
            *nazorg.wijzigdagen(vast.nazorg_niet_op_tijd),
        )

    def bijdrage(self, peil: date) -> Bijdrage:
        vast = self._vast or self._bereken_vast()
        if self.ontvangst is None:
            return vast.bijdrage
        # a deadline that passed without the step puts the melding in the denominator
        bevestiging_te_laat = self.bevestiging is None and vast.bevestiging_uiterlijk < peil
        terugkoppeling_te_laat = (
            self.terugkoppeling is None and vast.terugkoppeling_uiterlijk < peil
        )
        nazorg_te_laat = vast.nazorg_niet_op_tijd
        if not (
            bevestiging_te_laat
            or terugkoppeling_te_laat
            or (nazorg_te_laat and nazorg_te_laat[0] + nazorg.MARGE < peil)
        ):
            return vast.bijdrage
        out = dict(vast.bijdrage)
        nazorg.verlopen(out, nazorg_te_laat, peil)
        if bevestiging_te_laat:
            out[Ontvangstbevestiging.tekst(vast.jaar, NOEMER)] = 1
        if terugkoppeling_te_laat:
            out[Terugkoppeling.tekst(vast.jaar, NOEMER)] = 1
        return out


REGISTER.soort(
    "melding",
    (
        Bron(Melding, m.RapMelding, "melding_id"),
        Bron(Categorisering, m.RapCategorisering, "aggregate_id", "hrhd"),
        Bron(MeldingStap, m.RapMeldingStap, "melding_id"),
        Bron(MisstandStap, m.RapMisstand, "melding_id"),
        Bron(NazorgContact, m.RapNazorg, "melding_id"),
    ),
    MeldingToestand,
)
