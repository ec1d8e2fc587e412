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
# Each kind has a `Stand`: the state of one aggregate, fed its facts in registration order
# (`voeg`), which gives its contribution as of a peildatum (`bijdrage`) and, for the kinds
# with deadlines, the days on which that contribution may change without a new fact
# (`wendingen`). "First" and "latest" below are in registration order.


def _j(v: object) -> object:
    return "-" if v is None else v


class Stand:
    __slots__ = ()
    peilafhankelijk = False

    def voeg(self, r: Any) -> None:
        raise NotImplementedError

    def bijdrage(self, peil: date) -> Bijdrage:
        raise NotImplementedError

    def wendingen(self) -> Iterable[date]:
        return ()


class _Melding(Stand):
    """An HRHD melding: first receipt, latest category, first acknowledgement and feedback,
    latest closing, and its misstand track."""

    peilafhankelijk = True
    __slots__ = ("_vast", "afg", "bev", "cat", "genomen", "ms_afg", "ontv", "tk")

    def __init__(self) -> None:
        self.ontv: Any = None
        self.cat: Any = None
        self.bev: Any = None
        self.tk: Any = None
        self.afg: Any = None
        self.ms_afg: Any = None
        self.genomen: date | None = None
        # what does not depend on the peildatum, worked out once per change of facts
        self._vast: tuple[Bijdrage, date, date, str] | None = None

    def voeg(self, r: Any) -> None:
        self._vast = None
        t = type(r)
        if t is Melding:
            if self.ontv is None:
                self.ontv = r
        elif t is Categorisering:
            self.cat = r
        elif t is MeldingStap:
            if r.stap == "bevestigd":
                if self.bev is None:
                    self.bev = r
            elif r.stap == "terugkoppeling":
                if self.tk is None:
                    self.tk = r
            else:
                self.afg = r
        elif t is Misstand:
            if r.stap == "vermoeden":
                g = self.genomen
                self.genomen = r.datum if g is None or r.datum < g else g
            else:
                self.ms_afg = r

    def _bereken(self) -> tuple[Bijdrage, date, date, str]:
        """(peil-independent keys, acknowledgement deadline, feedback deadline, year)."""
        out: Bijdrage = {}
        ontv = self.ontv
        genomen = self.genomen
        termijn = tk_termijn = date.min
        jaar = ""
        if ontv is not None:
            ontvangen = ontv.ontvangen_datum
            jaar = str(ontvangen.year)
            out[f"hrhd|{jaar}|{ontv.defensieonderdeel}"] = 1
            cat = self.cat
            if cat is not None:
                out[f"cat|{jaar}|{cat.hoofdcategorie}|{cat.subcategorie}"] = 1
            if ontv.vermoeden_misstand and (genomen is None or ontvangen < genomen):
                genomen = ontvangen
            bev, tk = self.bev, self.tk
            termijnen = bereken_termijnen(ontvangen, None if bev is None else bev.datum)
            termijn = termijnen.ontvangstbevestiging_uiterlijk
            tk_termijn = termijnen.terugkoppeling_uiterlijk
            if bev is not None:
                out[f"bev|{jaar}|n"] = 1
                if bev.datum <= termijn:
                    out[f"bev|{jaar}|ok"] = 1
            if tk is not None:
                out[f"tk|{jaar}|n"] = 1
                if tk.datum <= tk_termijn:
                    out[f"tk|{jaar}|ok"] = 1
            afg = self.afg
            if afg is not None:
                out[f"afronding|{afg.datum.year}|{(afg.datum - ontvangen).days}"] = 1
        if genomen is not None:
            out[f"ms_genomen|{genomen.year}"] = 1
        ms_afg = self.ms_afg
        if ms_afg is not None:
            out[f"ms_afgerond|{ms_afg.datum.year}"] = 1
            if ms_afg.vastgesteld:
                out[f"ms_vastgesteld|{ms_afg.datum.year}"] = 1
        self._vast = (out, termijn, tk_termijn, jaar)
        return self._vast

    def wendingen(self) -> Iterable[date]:
        if self.ontv is None:
            return ()
        _, termijn, tk_termijn, _ = self._vast or self._bereken()
        return (termijn + timedelta(days=1), tk_termijn + timedelta(days=1))

    def bijdrage(self, peil: date) -> Bijdrage:
        vast, termijn, tk_termijn, jaar = self._vast or self._bereken()
        if self.ontv is None:
            return vast
        # a deadline that passed without the step puts the melding in the denominator
        laat_bev = self.bev is None and termijn < peil
        laat_tk = self.tk is None and tk_termijn < peil
        if not (laat_bev or laat_tk):
            return vast
        out = dict(vast)
        if laat_bev:
            out[f"bev|{jaar}|n"] = 1
        if laat_tk:
            out[f"tk|{jaar}|n"] = 1
        return out


class _Bps(Stand):
    """A BPS melding: first registration, latest category; violations count from their date."""

    peilafhankelijk = True
    __slots__ = ("cat", "ontv", "schendingen")

    def __init__(self) -> None:
        self.ontv: Any = None
        self.cat: Any = None
        self.schendingen: list[date] = []

    def voeg(self, r: Any) -> None:
        t = type(r)
        if t is Bps:
            if self.ontv is None:
                self.ontv = r
        elif t is Categorisering:
            self.cat = r
        else:
            self.schendingen.append(r.datum)

    def wendingen(self) -> Iterable[date]:
        return self.schendingen

    def bijdrage(self, peil: date) -> Bijdrage:
        ontv = self.ontv
        if ontv is None:
            return {}
        jaar = ontv.registratiedatum.year
        out = {f"bps|{jaar}": 1}
        cat = self.cat
        if cat is not None:
            out[f"cat|{jaar}|{cat.hoofdcategorie}|{cat.subcategorie}"] = 1
        if any(d <= peil for d in self.schendingen):
            out[f"bps_vastgesteld|{jaar}"] = 1
        return out


class _StartEind(Stand):
    """An investigation: its first start and its latest end."""

    __slots__ = ("eind", "start")

    def __init__(self) -> None:
        self.start: Any = None
        self.eind: Any = None

    def voeg(self, r: Any) -> None:
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
        return {f"oz|{start.datum.year}|{_j(eindjaar)}|{start.defensieonderdeel or ''}": 1}


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


class _Nevenwerkzaamheid(Stand):
    """A nevenwerkzaamheid: first registration, latest advice."""

    __slots__ = ("advies", "reg")

    def __init__(self) -> None:
        self.reg: Any = None
        self.advies: Any = None

    def voeg(self, r: Any) -> None:
        if type(r) is Nevenwerkzaamheid:
            if self.reg is None:
                self.reg = r
        else:
            self.advies = r

    def bijdrage(self, peil: date) -> Bijdrage:
        reg = self.reg
        if reg is None:
            return {}
        advies = None if self.advies is None else self.advies.advies
        return {f"nw|{reg.registratiedatum.year}|{reg.defensieonderdeel}|{_j(advies)}": 1}


class _Klacht(Stand):
    """A klacht: first receipt, COG start and handling; any COG advice; longest adjournment."""

    peilafhankelijk = True
    __slots__ = ("advies", "afgehandeld", "cog", "klacht", "verdaagd")

    def __init__(self) -> None:
        self.klacht: Any = None
        self.cog: Any = None
        self.afgehandeld: Any = None
        self.advies = False
        self.verdaagd = 0

    def voeg(self, r: Any) -> None:
        if type(r) is Klacht:
            if self.klacht is None:
                self.klacht = r
        elif r.stap == "verdaagd":
            if r.weken:
                self.verdaagd = max(self.verdaagd, r.weken)
        elif r.stap == "cog_gestart":
            if self.cog is None:
                self.cog = r
        elif r.stap == "cog_advies":
            self.advies = True
        elif r.stap == "afgehandeld" and self.afgehandeld is None:
            self.afgehandeld = r

    def _termijn(self, ontvangen: date) -> date:
        # the COG handles the klacht from its start (or, failing that event, its advice)
        cog = self.cog is not None or self.advies
        return klacht_termijn(ontvangen, cog_behandeling=cog, verdaging_weken=self.verdaagd)

    def wendingen(self) -> Iterable[date]:
        if self.klacht is None:
            return ()
        return (self._termijn(self.klacht.ontvangen_datum) + timedelta(days=1),)

    def bijdrage(self, peil: date) -> Bijdrage:
        out: Bijdrage = {}
        cog = self.cog
        if cog is not None and cog.datum is not None:
            out[f"cog|{cog.datum.year}"] = 1
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


class _Casus(Stand):
    """A casus of a vertrouwenspersoon: its first registration."""

    __slots__ = ("c",)

    def __init__(self) -> None:
        self.c: Any = None

    def voeg(self, r: Any) -> None:
        if self.c is None:
            self.c = r

    def bijdrage(self, peil: date) -> Bijdrage:
        c = self.c
        jaar = c.datum.year
        return {
            f"casus|{jaar}|{c.defensieonderdeel}": 1,
            f"casus_cat|{jaar}|{c.hoofdcategorie}|{c.subcategorie}": 1,
        }


class _Vertrouwenspersoon(Stand):
    """The years on whose 31 December the adviser was active, per onderdeel.

    On a day, the adviser's state is his latest step dated on or before it (an end on the
    same day as an appointment wins). The report needs the network on 31 December only, so
    each period of one state becomes the range of years whose year end falls in it:
    `vp|<onderdeel>|<first year>|<first year no longer>` (`-`: still active).
    """

    __slots__ = ("stappen",)

    def __init__(self) -> None:
        self.stappen: list[Any] = []

    def voeg(self, r: Any) -> None:
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
            k = f"vp|{r.defensieonderdeel}|{dag.year}|{_j(tot)}"
            out[k] = out.get(k, 0) + 1
        return out


class _Opleiding(Stand):
    """Training participation: participants per training and year."""

    __slots__ = ("out",)

    def __init__(self) -> None:
        self.out: Bijdrage = {}

    def voeg(self, r: Any) -> None:
        k = f"opl|{r.opleiding}|{r.datum.year}"
        self.out[k] = self.out.get(k, 0) + r.aantal_deelnemers

    def bijdrage(self, peil: date) -> Bijdrage:
        return dict(self.out)


class Bron(NamedTuple):
    """One fact table of an aggregate kind: the column holding the aggregate id."""

    model: type[Any]
    kolom: str
    bron: str | None = None  # rap_categoriseringen holds two kinds, told apart by `bron`


class Soort(NamedTuple):
    naam: str
    bronnen: tuple[Bron, ...]
    stand: Callable[[], Stand]


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
    stand = soort.stand()
    dagen = [amsterdam_date(r.registered_at) for r in feiten]
    n = len(feiten)
    out: Tijdlijn = {}
    vorig: Bijdrage = {}
    i = 0
    while i < n:
        dag = dagen[i]
        while i < n and dagen[i] == dag:
            stand.voeg(feiten[i])
            i += 1
        punten = [dag]
        if stand.peilafhankelijk:
            volgende = dagen[i] if i < n else None
            punten += sorted(
                {w for w in stand.wendingen() if w > dag and (volgende is None or w < volgende)}
            )
        for p in punten:
            nu = stand.bijdrage(p)
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
