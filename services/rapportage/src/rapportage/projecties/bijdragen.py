"""What each aggregate adds to the indicators, per day from which it holds.

The annual report as of a peildatum is a function of the facts registered on or before
that day. Every indicator is a sum over aggregates (a melding with its categorisations and
steps, a klacht with its steps, an adviser with his appointments, ...), so each aggregate
is reduced to a few counter keys ("hrhd|2024|CLSK": 1). What an aggregate contributes
changes only on the days one of its facts was registered, or on a day one of its own
deadlines passes (a melding whose acknowledgement deadline passed without one counts as
late from the day after). Its contribution is therefore a short timeline of deltas per
day, and the report for peildatum P sums the deltas of all days up to P: a read that grows
with the number of distinct keys and days, not with the number of events.

Keys keep their parts independent (the year and onderdeel of a melding in one key, its
category in another) so that their number stays small. The decisions about what counts
(earliest receipt, latest categorisation, which deadline) are those listed in
`rapportage.jaarverslag.indicatoren`, which reads these keys back.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from integriteit_shared.kalender import amsterdam_date, bereken_termijnen, klacht_termijn
from rapportage.projecties import models as m

SCHEIDING = "|"

Bijdrage = dict[str, int]
Tijdlijn = dict[tuple[date, str], int]


# --- fact rows as plain tuples ---------------------------------------------------------------


def _rijtype(model: type[Any]) -> type[Any]:
    """A named tuple with the fact table's columns (its own `id` left out), tagged with it."""
    velden = [c.key for c in model.__table__.columns if c.key != "id"]
    cls = namedtuple(model.__name__ + "Rij", velden, defaults=[None] * len(velden))  # type: ignore[misc]
    cls.model = model  # type: ignore[attr-defined]
    return cls


RIJTYPEN: dict[type[Any], type[Any]] = {model: _rijtype(model) for model in m.PROJECTIE_TABELLEN}


def rij(model: type[Any], **waarden: Any) -> NamedTuple:
    """A fact row of `model` (a tuple in the table's column order, without `id`)."""
    return RIJTYPEN[model](**waarden)  # type: ignore[no-any-return]


def velden(model: type[Any]) -> tuple[str, ...]:
    return RIJTYPEN[model]._fields  # type: ignore[no-any-return]


Melding = RIJTYPEN[m.RapMelding]
Bps = RIJTYPEN[m.RapBpsMelding]
Categorisering = RIJTYPEN[m.RapCategorisering]
MeldingStap = RIJTYPEN[m.RapMeldingStap]
Misstand = RIJTYPEN[m.RapMisstand]
Nevenwerkzaamheid = RIJTYPEN[m.RapNevenwerkzaamheid]
Advies = RIJTYPEN[m.RapAdvies]
Klacht = RIJTYPEN[m.RapKlacht]
Casus = RIJTYPEN[m.RapCasus]
Vertrouwenspersoon = RIJTYPEN[m.RapVertrouwenspersoon]
Opleiding = RIJTYPEN[m.RapOpleiding]


def volgorde(r: Any) -> tuple[datetime, int, str]:
    """Registration order: time, then a recategorisation after the receipt, then event id."""
    return (r.registered_at, getattr(r, "volgorde", 0), r.event_id)


# --- the aggregates ----------------------------------------------------------------------------
#
# Each kind has an `AggregateState`: the state of one aggregate, fed its facts in
# registration order (`add_fact`), which gives its contribution as of a peildatum
# (`bijdrage`) and, for the kinds with deadlines, the days on which that contribution may
# change without a new fact (`change_days`). "First" and "latest" below are in registration
# order.


def _or_dash(value: object) -> object:
    return "-" if value is None else value


class AggregateState:
    __slots__ = ()
    peilafhankelijk = False

    def add_fact(self, r: Any) -> None:
        raise NotImplementedError

    def bijdrage(self, peil: date) -> Bijdrage:
        raise NotImplementedError

    def change_days(self) -> Iterable[date]:
        return ()


class _Melding(AggregateState):
    """An HRHD melding: first receipt, latest category, first acknowledgement and feedback,
    latest closing, and its misstand track."""

    peilafhankelijk = True
    __slots__ = (
        "_fixed_part",
        "afronding",
        "bevestiging",
        "categorisering",
        "misstand_afronding",
        "misstand_genomen_op",
        "ontvangst",
        "terugkoppeling",
    )

    def __init__(self) -> None:
        self.ontvangst: Any = None
        self.categorisering: Any = None
        self.bevestiging: Any = None
        self.terugkoppeling: Any = None
        self.afronding: Any = None
        self.misstand_afronding: Any = None
        self.misstand_genomen_op: date | None = None
        # what does not depend on the peildatum, worked out once per change of facts
        self._fixed_part: tuple[Bijdrage, date, date, str] | None = None

    def add_fact(self, r: Any) -> None:
        self._fixed_part = None
        t = type(r)
        if t is Melding:
            if self.ontvangst is None:
                self.ontvangst = r
        elif t is Categorisering:
            self.categorisering = r
        elif t is MeldingStap:
            if r.stap == "bevestigd":
                if self.bevestiging is None:
                    self.bevestiging = r
            elif r.stap == "terugkoppeling":
                if self.terugkoppeling is None:
                    self.terugkoppeling = r
            else:
                self.afronding = r
        elif t is Misstand:
            if r.stap == "vermoeden":
                eerder = self.misstand_genomen_op
                self.misstand_genomen_op = r.datum if eerder is None or r.datum < eerder else eerder
            else:
                self.misstand_afronding = r

    def _compute_fixed_part(self) -> tuple[Bijdrage, date, date, str]:
        """(peil-independent keys, acknowledgement deadline, feedback deadline, year)."""
        out: Bijdrage = {}
        ontvangst = self.ontvangst
        genomen_op = self.misstand_genomen_op
        bevestiging_termijn = terugkoppeling_termijn = date.min
        jaar = ""
        if ontvangst is not None:
            ontvangen = ontvangst.ontvangen_datum
            jaar = str(ontvangen.year)
            out[f"hrhd|{jaar}|{ontvangst.defensieonderdeel}"] = 1
            categorisering = self.categorisering
            if categorisering is not None:
                hoofdcategorie = categorisering.hoofdcategorie
                out[f"cat|{jaar}|{hoofdcategorie}|{categorisering.subcategorie}"] = 1
            if ontvangst.vermoeden_misstand and (genomen_op is None or ontvangen < genomen_op):
                genomen_op = ontvangen
            bevestiging, terugkoppeling = self.bevestiging, self.terugkoppeling
            termijnen = bereken_termijnen(
                ontvangen, None if bevestiging is None else bevestiging.datum
            )
            bevestiging_termijn = termijnen.ontvangstbevestiging_uiterlijk
            terugkoppeling_termijn = termijnen.terugkoppeling_uiterlijk
            if bevestiging is not None:
                out[f"bev|{jaar}|n"] = 1
                if bevestiging.datum <= bevestiging_termijn:
                    out[f"bev|{jaar}|ok"] = 1
            if terugkoppeling is not None:
                out[f"tk|{jaar}|n"] = 1
                if terugkoppeling.datum <= terugkoppeling_termijn:
                    out[f"tk|{jaar}|ok"] = 1
            afronding = self.afronding
            if afronding is not None:
                dagen = (afronding.datum - ontvangen).days
                out[f"afronding|{afronding.datum.year}|{dagen}"] = 1
        if genomen_op is not None:
            out[f"ms_genomen|{genomen_op.year}"] = 1
        misstand_afronding = self.misstand_afronding
        if misstand_afronding is not None:
            out[f"ms_afgerond|{misstand_afronding.datum.year}"] = 1
            if misstand_afronding.vastgesteld:
                out[f"ms_vastgesteld|{misstand_afronding.datum.year}"] = 1
        self._fixed_part = (out, bevestiging_termijn, terugkoppeling_termijn, jaar)
        return self._fixed_part

    def change_days(self) -> Iterable[date]:
        if self.ontvangst is None:
            return ()
        _, bevestiging_termijn, terugkoppeling_termijn, _ = (
            self._fixed_part or self._compute_fixed_part()
        )
        return (bevestiging_termijn + timedelta(days=1), terugkoppeling_termijn + timedelta(days=1))

    def bijdrage(self, peil: date) -> Bijdrage:
        fixed_part, bevestiging_termijn, terugkoppeling_termijn, jaar = (
            self._fixed_part or self._compute_fixed_part()
        )
        if self.ontvangst is None:
            return fixed_part
        # a deadline that passed without the step puts the melding in the denominator
        bevestiging_te_laat = self.bevestiging is None and bevestiging_termijn < peil
        terugkoppeling_te_laat = self.terugkoppeling is None and terugkoppeling_termijn < peil
        if not (bevestiging_te_laat or terugkoppeling_te_laat):
            return fixed_part
        out = dict(fixed_part)
        if bevestiging_te_laat:
            out[f"bev|{jaar}|n"] = 1
        if terugkoppeling_te_laat:
            out[f"tk|{jaar}|n"] = 1
        return out


class _Bps(AggregateState):
    """A BPS melding: first registration, latest category; violations count from their date."""

    peilafhankelijk = True
    __slots__ = ("categorisering", "registratie", "schendingen")

    def __init__(self) -> None:
        self.registratie: Any = None
        self.categorisering: Any = None
        self.schendingen: list[date] = []

    def add_fact(self, r: Any) -> None:
        t = type(r)
        if t is Bps:
            if self.registratie is None:
                self.registratie = r
        elif t is Categorisering:
            self.categorisering = r
        else:
            self.schendingen.append(r.datum)

    def change_days(self) -> Iterable[date]:
        return self.schendingen

    def bijdrage(self, peil: date) -> Bijdrage:
        registratie = self.registratie
        if registratie is None:
            return {}
        jaar = registratie.registratiedatum.year
        out = {f"bps|{jaar}": 1}
        categorisering = self.categorisering
        if categorisering is not None:
            hoofdcategorie = categorisering.hoofdcategorie
            out[f"cat|{jaar}|{hoofdcategorie}|{categorisering.subcategorie}"] = 1
        if any(d <= peil for d in self.schendingen):
            out[f"bps_vastgesteld|{jaar}"] = 1
        return out


class _StartEind(AggregateState):
    """An investigation: its first start and its latest end."""

    __slots__ = ("eind", "start")

    def __init__(self) -> None:
        self.start: Any = None
        self.eind: Any = None

    def add_fact(self, r: Any) -> None:
        if r.stap == "gestart":
            if self.start is None:
                self.start = r
        else:
            self.eind = r


class _Onderzoek(_StartEind):
    """A COID investigation: counted from its start (with onderdeel) to its end."""

    __slots__ = ()

    def bijdrage(self, peil: date) -> Bijdrage:
        start, eind = self.start, self.eind
        if start is None:
            return {}
        eindjaar = None if eind is None else eind.datum.year
        return {f"oz|{start.datum.year}|{_or_dash(eindjaar)}|{start.defensieonderdeel or ''}": 1}


class _Rp(_StartEind):
    """A KMar rechtspositioneel onderzoek: start and end each counted alone."""

    __slots__ = ()

    def bijdrage(self, peil: date) -> Bijdrage:
        out: Bijdrage = {}
        if self.start is not None:
            out[f"rp_gestart|{self.start.datum.year}"] = 1
        eind = self.eind
        if eind is not None:
            out[f"rp_afgerond|{eind.datum.year}"] = 1
            if eind.schending_vastgesteld:
                out[f"rp_schending|{eind.datum.year}"] = 1
        return out


class _Nevenwerkzaamheid(AggregateState):
    """A nevenwerkzaamheid: first registration, latest advice."""

    __slots__ = ("advies", "registratie")

    def __init__(self) -> None:
        self.registratie: Any = None
        self.advies: Any = None

    def add_fact(self, r: Any) -> None:
        if type(r) is Nevenwerkzaamheid:
            if self.registratie is None:
                self.registratie = r
        else:
            self.advies = r

    def bijdrage(self, peil: date) -> Bijdrage:
        registratie = self.registratie
        if registratie is None:
            return {}
        jaar, onderdeel = registratie.registratiedatum.year, registratie.defensieonderdeel
        advies = None if self.advies is None else self.advies.advies
        return {f"nw|{jaar}|{onderdeel}|{_or_dash(advies)}": 1}


class _Klacht(AggregateState):
    """A klacht: first receipt, COG start and handling; any COG advice; longest adjournment."""

    peilafhankelijk = True
    __slots__ = ("afgehandeld", "cog_advies", "cog_start", "klacht", "verdaagd_weken")

    def __init__(self) -> None:
        self.klacht: Any = None
        self.cog_start: Any = None
        self.afgehandeld: Any = None
        self.cog_advies = False
        self.verdaagd_weken = 0

    def add_fact(self, r: Any) -> None:
        if type(r) is Klacht:
            if self.klacht is None:
                self.klacht = r
        elif r.stap == "verdaagd":
            if r.weken:
                self.verdaagd_weken = max(self.verdaagd_weken, r.weken)
        elif r.stap == "cog_gestart":
            if self.cog_start is None:
                self.cog_start = r
        elif r.stap == "cog_advies":
            self.cog_advies = True
        elif r.stap == "afgehandeld" and self.afgehandeld is None:
            self.afgehandeld = r

    def _termijn(self, ontvangen: date) -> date:
        # the COG handles the klacht from its start (or, failing that event, its advice)
        cog = self.cog_start is not None or self.cog_advies
        return klacht_termijn(ontvangen, cog_behandeling=cog, verdaging_weken=self.verdaagd_weken)

    def change_days(self) -> Iterable[date]:
        if self.klacht is None:
            return ()
        return (self._termijn(self.klacht.ontvangen_datum) + timedelta(days=1),)

    def bijdrage(self, peil: date) -> Bijdrage:
        out: Bijdrage = {}
        cog_start = self.cog_start
        if cog_start is not None and cog_start.datum is not None:
            out[f"cog|{cog_start.datum.year}"] = 1
        klacht = self.klacht
        if klacht is None:
            return out
        ontvangen = klacht.ontvangen_datum
        jaar = ontvangen.year
        out[f"klacht|{jaar}|{klacht.soort}|{klacht.defensieonderdeel}"] = 1
        termijn = self._termijn(ontvangen)
        afgehandeld = self.afgehandeld
        klaar = afgehandeld.datum if afgehandeld is not None else None
        if afgehandeld is not None or termijn < peil:
            out[f"kl_termijn|{jaar}|n"] = 1
            if klaar is not None and klaar <= termijn:
                out[f"kl_termijn|{jaar}|ok"] = 1
        if klaar is not None:
            out[f"kl_dagen|{klaar.year}|{(klaar - ontvangen).days}"] = 1
        return out


class _Casus(AggregateState):
    """A casus of a vertrouwenspersoon: its first registration."""

    __slots__ = ("registratie",)

    def __init__(self) -> None:
        self.registratie: Any = None

    def add_fact(self, r: Any) -> None:
        if self.registratie is None:
            self.registratie = r

    def bijdrage(self, peil: date) -> Bijdrage:
        casus = self.registratie
        jaar = casus.datum.year
        return {
            f"casus|{jaar}|{casus.defensieonderdeel}": 1,
            f"casus_cat|{jaar}|{casus.hoofdcategorie}|{casus.subcategorie}": 1,
        }


class _Vertrouwenspersoon(AggregateState):
    """The years on whose 31 December the adviser was active, per onderdeel.

    On a day, the adviser's state is his latest step dated on or before it (an end on the
    same day as an appointment wins). The report needs the network on 31 December only, so
    each period of one state becomes the range of years whose year end falls in it:
    `vp|<onderdeel>|<first year>|<first year no longer>` (`-`: still active).
    """

    __slots__ = ("stappen",)

    def __init__(self) -> None:
        self.stappen: list[Any] = []

    def add_fact(self, r: Any) -> None:
        self.stappen.append(r)

    def bijdrage(self, peil: date) -> Bijdrage:
        stappen = sorted(
            self.stappen,
            key=lambda r: (r.datum, r.stap == "beeindigd", r.registered_at, r.event_id),
        )
        # the state after each day's last step holds until the next day with a step
        per_dag: list[tuple[date, Any]] = []
        for r in stappen:
            if per_dag and per_dag[-1][0] == r.datum:
                per_dag[-1] = (r.datum, r)
            else:
                per_dag.append((r.datum, r))
        out: Bijdrage = {}
        for i, (dag, r) in enumerate(per_dag):
            if r.stap != "aangesteld" or not r.defensieonderdeel:
                continue
            tot = per_dag[i + 1][0].year if i + 1 < len(per_dag) else None
            if tot is not None and tot <= dag.year:
                continue  # ended within the year it began: never active on a 31 December
            k = f"vp|{r.defensieonderdeel}|{dag.year}|{_or_dash(tot)}"
            out[k] = out.get(k, 0) + 1
        return out


class _Opleiding(AggregateState):
    """Training participation: participants per training and year."""

    __slots__ = ("deelnemers",)

    def __init__(self) -> None:
        self.deelnemers: Bijdrage = {}  # counter key -> participants

    def add_fact(self, r: Any) -> None:
        k = f"opl|{r.opleiding}|{r.datum.year}"
        self.deelnemers[k] = self.deelnemers.get(k, 0) + r.aantal_deelnemers

    def bijdrage(self, peil: date) -> Bijdrage:
        return dict(self.deelnemers)


class Bron(NamedTuple):
    """One fact table of an aggregate kind: the column holding the aggregate id."""

    model: type[Any]
    kolom: str
    bron: str | None = None  # rap_categoriseringen holds two kinds, told apart by `bron`


class Soort(NamedTuple):
    naam: str
    bronnen: tuple[Bron, ...]
    new_state: Callable[[], AggregateState]


SOORTEN: dict[str, Soort] = {
    s.naam: s
    for s in (
        Soort(
            "melding",
            (
                Bron(m.RapMelding, "melding_id"),
                Bron(m.RapCategorisering, "aggregate_id", "hrhd"),
                Bron(m.RapMeldingStap, "melding_id"),
                Bron(m.RapMisstand, "melding_id"),
            ),
            _Melding,
        ),
        Soort(
            "bps",
            (
                Bron(m.RapBpsMelding, "bps_id"),
                Bron(m.RapCategorisering, "aggregate_id", "bps"),
                Bron(m.RapSchending, "bps_id"),
            ),
            _Bps,
        ),
        Soort("onderzoek", (Bron(m.RapOnderzoek, "onderzoek_id"),), _Onderzoek),
        Soort("rp", (Bron(m.RapRpOnderzoek, "onderzoek_id"),), _Rp),
        Soort(
            "nw",
            (
                Bron(m.RapNevenwerkzaamheid, "nevenwerkzaamheid_id"),
                Bron(m.RapAdvies, "nevenwerkzaamheid_id"),
            ),
            _Nevenwerkzaamheid,
        ),
        Soort(
            "klacht",
            (Bron(m.RapKlacht, "klacht_id"), Bron(m.RapKlachtStap, "klacht_id")),
            _Klacht,
        ),
        Soort("casus", (Bron(m.RapCasus, "casus_id"),), _Casus),
        Soort(
            "vp",
            (Bron(m.RapVertrouwenspersoon, "vertrouwenspersoon_id"),),
            _Vertrouwenspersoon,
        ),
        # every training record stands alone: its own event is its aggregate
        Soort("opleiding", (Bron(m.RapOpleiding, "event_id"),), _Opleiding),
    )
}

_SOORT_VAN: dict[tuple[type[Any], str | None], tuple[str, str]] = {
    (RIJTYPEN[b.model], b.bron): (s.naam, b.kolom) for s in SOORTEN.values() for b in s.bronnen
}


def aggregaat(r: Any) -> tuple[str, str]:
    """(kind, aggregate id) of a fact row."""
    naam, kolom = _SOORT_VAN[(type(r), getattr(r, "bron", None))]
    return naam, getattr(r, kolom)


def tijdlijn(soort: Soort, feiten: Sequence[Any]) -> Tijdlijn:
    """The aggregate's contribution as deltas per day: (day, key) -> delta.

    The facts are fed in registration order, a day at a time; after each day, and on each
    deadline day before the next registration, the contribution is compared with the one
    before and what changed is recorded on that day. The sum of the deltas up to a day is
    the aggregate's contribution as of that day.
    """
    if len(feiten) > 1:
        feiten = sorted(feiten, key=volgorde)
    elif not feiten:
        return {}
    state = soort.new_state()
    dagen = [amsterdam_date(r.registered_at) for r in feiten]
    n = len(feiten)
    out: Tijdlijn = {}
    vorig: Bijdrage = {}
    i = 0
    while i < n:
        dag = dagen[i]
        while i < n and dagen[i] == dag:
            state.add_fact(feiten[i])
            i += 1
        punten = [dag]
        if state.peilafhankelijk:
            volgende = dagen[i] if i < n else None
            punten += sorted(
                {w for w in state.change_days() if w > dag and (volgende is None or w < volgende)}
            )
        for p in punten:
            nu = state.bijdrage(p)
            if nu == vorig:
                continue
            for k, v in nu.items():
                d = v - vorig.get(k, 0)
                if d:
                    out[(p, k)] = d
            for k, v in vorig.items():
                if k not in nu:
                    out[(p, k)] = -v
            vorig = nu
    return out


def verschil(oud: Tijdlijn, nieuw: Tijdlijn, into: dict[tuple[date, str], int]) -> None:
    """Add `nieuw - oud` to `into`."""
    for k, v in nieuw.items():
        into[k] = into.get(k, 0) + v
    for k, v in oud.items():
        into[k] = into.get(k, 0) - v
