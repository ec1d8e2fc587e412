"""The annual indicators of DOMAIN.md, as of a peildatum, from the per-day counters.

What each aggregate (a melding with its steps, a klacht, ...) contributes is worked out
when its events arrive (`rapportage.projecties.bijdragen`), whatever their order; here
the counters are summed up to the peildatum and turned into the report. A fact counts
from the Amsterdam day on which its event was registered. Decisions (also in the README
of the service):

- Year of a business date-time (ontvangenOp) is its Europe/Amsterdam calendar date's year;
  business `date`s are calendar dates already.
- Duplicated facts for one aggregate (two receipts of one id) count once: the earliest
  registered. "Latest" (category, advice, afronding) = greatest (registered_at, then a
  recategorisation over the receipt, then event id) among those registered by the peildatum.
- Meldingen top-3: only `ongewenst_gedrag` and `zakelijke_integriteit` (as in the report's
  Fig. 2 and the contract example); `overig` is not ranked. Subcategories with 0 are never
  listed, so a list may be shorter than 3.
- perDefensieonderdeel (meldingen of the asked year): HRHD per its onderdeel plus every BPS
  melding under KMAR (BPS is KMar's own system); it is the `meldingen.totaal` of
  `GET /indicatoren`, suppressed alike.
- Every figure per onderdeel (perDefensieonderdeel, `GET /indicatoren`) of a year still
  running on the peildatum is as of the last month end before it
  (`integriteit_shared.onderdrukking.uitsplitsingsdatum`; docs/privacy.md).
- Suppression (`integriteit_shared.onderdrukking`: primary 1..threshold, secondary by the
  hypercube method) protects each breakdown of a year together with the figures it is
  related to (docs/privacy.md lists them):
  meldingen: per onderdeel totaal = hrhd + bps, with the Defensie totaal, hrhd and bps;
  bps per onderdeel is the Defensie bps (KMAR) or 0, so it is published as it is.
  nevenwerkzaamheden: per onderdeel geregistreerd = positief + negatief + still without
  (or another) advice, that remainder never published, with the Defensie figures.
  klachten, integriteitsonderzoeken (with those without onderdeel as an unpublished
  remainder) and casussen: with their Defensie figure; casussen per onderdeel are broken
  down further by vertrouwenspersonen (`/casussen/tellingen`), so they are protected as
  row totals (`onderdruk_rijtotalen`, the same call there).
  The netwerk of vertrouwenspersonen counts appointed advisers, not people in a case, and
  the jaarverslag publishes it per onderdeel: never suppressed.
- Integriteitsonderzoeken uitgevoerd = overlapping the year (start <= 31 Dec and no end or
  end >= 1 Jan); the three-way split is for the asked year only, and an investigation that
  started before and is still running after the year counts in `uitgevoerd` but in none of
  the three parts.
- Doorlooptijden (asked year only; null when there is nothing to measure):
  ontvangstbevestiging: HRHD meldingen received in the year that were acknowledged or whose
  deadline (receipt + 7 days) lies before the peildatum; % acknowledged on or before the
  deadline. terugkoppeling: same with deadline = (acknowledgement date, or receipt + 7 days)
  + 3 calendar months. mediaanDagenTotAfronding: meldingen closed in the year, days from
  receipt date to closing date. klachten: term (`integriteit_shared.kalender`) = 6 weeks,
  10 once the COG handles it, plus the adjournment (max 4 weeks); klachten received in the
  year that were handled or whose term ended before the peildatum; % handled on or before
  the end of their term.
  mediaanDagenKlacht: klachten handled in the year, days from receipt to handling. A median
  of an even count is the mean of the middle two (may end in .5). Percentages: one decimal,
  half up (`integriteit_shared.onderdrukking.procent`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.codes import (
    DEFENSIEONDERDELEN,
    HOOFDCATEGORIEEN,
    KLACHTSOORTEN,
    OPLEIDINGEN,
)
from integriteit_shared.onderdrukking import (
    Cel,
    Kruistabel,
    beveilig,
    groei_procent,
    onderdruk_cellen,
    onderdruk_rijtotalen,
    procent,
)
from rapportage.projecties import models as m
from rapportage.projecties.bijdragen import SCHEIDING

__all__ = ["Jaarverslag", "Tellingen", "laad"]

TOP3_HOOFDCATEGORIEEN = ("ongewenst_gedrag", "zakelijke_integriteit")
OPEN = "-"  # an end year not (yet) known


def mediaan(histogram: dict[int, int]) -> int | float | None:
    """The median of values given as value -> count (mean of the middle two when even)."""
    n = sum(histogram.values())
    if n == 0:
        return None
    midden = [(n - 1) // 2, n // 2]
    gevonden: list[int] = []
    gezien = 0
    for waarde in sorted(histogram):
        gezien += histogram[waarde]
        while len(gevonden) < 2 and midden[len(gevonden)] < gezien:
            gevonden.append(waarde)
        if len(gevonden) == 2:
            break
    med = (gevonden[0] + gevonden[1]) / 2
    return int(med) if med.is_integer() else med


def top3(counter: dict[tuple[str, str], int], hoofd: str) -> list[dict[str, Any]]:
    items = [(sub, n) for (h, sub), n in counter.items() if h == hoofd and n > 0]
    items.sort(key=lambda x: (-x[1], x[0]))
    return [{"subcategorie": sub, "aantal": n} for sub, n in items[:3]]


class Tellingen:
    """The counters as of one peildatum, indexed by the first part of their key."""

    def __init__(self, peildatum: date, waarden: dict[str, int]) -> None:
        self.peildatum = peildatum
        self.per_soort: defaultdict[str, list[tuple[list[str], int]]] = defaultdict(list)
        for sleutel, aantal in waarden.items():
            if aantal:
                soort, *delen = sleutel.split(SCHEIDING)
                self.per_soort[soort].append((delen, aantal))

    def rijen(self, soort: str) -> list[tuple[list[str], int]]:
        return self.per_soort.get(soort, [])

    def per(self, soort: str, *posities: int) -> defaultdict[tuple[str, ...], int]:
        """Sum of the counters of one kind, grouped by the key parts at these positions."""
        out: defaultdict[tuple[str, ...], int] = defaultdict(int)
        for delen, n in self.rijen(soort):
            out[tuple(delen[p] for p in posities)] += n
        return out


async def laad(session: AsyncSession, peildatum: date) -> Tellingen:
    """The counters summed up to the peildatum: the totals minus what changed after it.

    Both queries run in the caller's transaction (one snapshot); their cost grows with the
    number of keys and of days after the peildatum, not with the number of events.
    """
    conn = await session.connection()
    waarden = {
        k: int(v) for k, v in await conn.execute(select(m.RapTotaal.sleutel, m.RapTotaal.aantal))
    }
    later = await conn.execute(
        select(m.RapTelling.sleutel, func.sum(m.RapTelling.aantal))
        .where(m.RapTelling.dag > peildatum)
        .group_by(m.RapTelling.sleutel)
    )
    for k, v in later:
        waarden[k] = waarden.get(k, 0) - int(v)
    return Tellingen(peildatum, waarden)


class Jaarverslag:
    """The figures for one year and its two predecessors, as of one peildatum."""

    def __init__(
        self, tellingen: Tellingen, jaar: int, drempel: int, uitsplitsing: Tellingen | None = None
    ) -> None:
        self.tellingen = tellingen
        self.jaar = jaar
        self.jaren = [jaar, jaar - 1, jaar - 2]
        self.drempel = drempel
        # the counters for the figures per onderdeel, as of `uitsplitsingsdatum`
        self.uitsplitsing = uitsplitsing or tellingen

    def per_onderdeel_verslag(self) -> Jaarverslag:
        """This report's per-onderdeel figures come from `uitsplitsing`."""
        if self.uitsplitsing is self.tellingen:
            return self
        return Jaarverslag(self.uitsplitsing, self.jaar, self.drempel)

    def jaarserie(self, soort: str, *filters: tuple[int, str]) -> dict[str, int]:
        """{year: n} of one kind whose key part 0 is the year, other parts filtered."""
        per: defaultdict[str, int] = defaultdict(int)
        for delen, n in self.tellingen.rijen(soort):
            if all(delen[p] == w for p, w in filters):
                per[delen[0]] += n
        return {str(y): per.get(str(y), 0) for y in self.jaren}

    def per_onderdeel_onderdrukt(self, aantallen: dict[str, int], rest: int = 0) -> dict[str, Cel]:
        """One figure for every defensieonderdeel, adding up to a Defensie figure (with an
        unpublished `rest`), suppressed."""
        return onderdruk_cellen(
            {o: int(aantallen.get(o, 0)) for o in DEFENSIEONDERDELEN},
            drempel=self.drempel,
            verborgen_rest=rest,
        )

    def rijen_onderdrukt(
        self, kolommen: dict[str, dict[str, int]], totaal: str, *, vast: str = "", rest: str = ""
    ) -> dict[str, dict[str, Cel]]:
        """Figures per defensieonderdeel that add up per onderdeel (`totaal` = the sum of
        the other columns) and over the onderdelen (the Defensie figures): protected as one
        table. `vast`: a column published as it is; `rest`: a column never published."""
        waarden: dict[tuple[str, str], int] = {
            (o, k): int(per.get(o, 0)) for k, per in kolommen.items() for o in DEFENSIEONDERDELEN
        }
        for o in DEFENSIEONDERDELEN:
            waarden[(o, totaal)] = sum(waarden[(o, k)] for k in kolommen)
        tabel = Kruistabel(
            DEFENSIEONDERDELEN,
            [*kolommen, totaal],
            waarden,
            totaalkolom=totaal,
            vast=frozenset((o, vast) for o in DEFENSIEONDERDELEN if vast),
            verborgen=frozenset((o, rest) for o in DEFENSIEONDERDELEN if rest),
        )
        cellen = beveilig(tabel, drempel=self.drempel)
        return {
            k: {o: cellen[(o, k)] for o in DEFENSIEONDERDELEN}
            for k in [*kolommen, totaal]
            if k != rest
        }

    # --- meldingen -------------------------------------------------------------------------
    def meldingen_per_onderdeel(self) -> dict[str, dict[str, Cel]]:
        """meldingen totaal, hrhd and bps of the asked year per onderdeel, suppressed."""
        hrhd: defaultdict[str, int] = defaultdict(int)
        for (j, o), n in self.tellingen.per("hrhd", 0, 1).items():
            if j == str(self.jaar):
                hrhd[o] += n
        bps = {"KMAR": self.jaarserie_waarde("bps", self.jaar)}
        return self.rijen_onderdrukt({"hrhd": hrhd, "bps": bps}, "totaal", vast="bps")

    def jaarserie_waarde(self, soort: str, jaar: int) -> int:
        return sum(n for delen, n in self.tellingen.rijen(soort) if delen[0] == str(jaar))

    def categorieen(self, soort: str, jaar: int) -> dict[tuple[str, str], int]:
        out: defaultdict[tuple[str, str], int] = defaultdict(int)
        for delen, n in self.tellingen.rijen(soort):
            if delen[0] == str(jaar):
                out[(delen[1], delen[2])] += n
        return out

    def meldingen(self) -> dict[str, Any]:
        hrhd = self.jaarserie("hrhd")
        bps = self.jaarserie("bps")
        cats = self.categorieen("cat", self.jaar)
        per_onderdeel = self.per_onderdeel_verslag().meldingen_per_onderdeel()["totaal"]
        return {
            "totaal": {y: hrhd[y] + bps[y] for y in hrhd},
            "hrhd": hrhd,
            "bps": bps,
            "vastgesteldeSchendingenBps": self.jaarserie("bps_vastgesteld"),
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "perDefensieonderdeel": {o: cel.als_dict() for o, cel in per_onderdeel.items()},
        }

    # --- misstanden ------------------------------------------------------------------------
    def misstanden(self) -> dict[str, Any]:
        return {
            "inBehandelingGenomen": self.jaarserie("ms_genomen"),
            "afgerond": self.jaarserie("ms_afgerond"),
            "vastgesteld": self.jaarserie("ms_vastgesteld"),
        }

    # --- klachten --------------------------------------------------------------------------
    def klachten(self) -> dict[str, Any]:
        return {
            "ingediend": self.jaarserie("klacht"),
            "perSoort": {soort: self.jaarserie("klacht", (1, soort)) for soort in KLACHTSOORTEN},
            "behandeldDoorCog": self.jaarserie("cog"),
        }

    # --- integriteitsonderzoeken ------------------------------------------------------------
    @staticmethod
    def actief(start: int, eind: str, jaar: int) -> bool:
        """Started by the end of the year and not ended before it began."""
        return start <= jaar and (eind == OPEN or int(eind) >= jaar)

    def onderzoeken(self) -> list[tuple[int, str, str, int]]:
        """(start year, end year or OPEN, onderdeel, count)."""
        return [(int(d[0]), d[1], d[2], n) for d, n in self.tellingen.rijen("oz")]

    def integriteitsonderzoeken(self) -> dict[str, Any]:
        oz = self.onderzoeken()
        j = self.jaar
        return {
            "uitgevoerd": {
                str(y): sum(n for s, e, _, n in oz if self.actief(s, e, y)) for y in self.jaren
            },
            "gestartVoorJaarAfgerondInJaar": sum(
                n for s, e, _, n in oz if s < j and e != OPEN and int(e) == j
            ),
            "gestartEnAfgerondInJaar": sum(
                n for s, e, _, n in oz if s == j and e != OPEN and int(e) == j
            ),
            "gestartInJaarDoorlopend": sum(
                n for s, e, _, n in oz if s == j and (e == OPEN or int(e) > j)
            ),
        }

    # --- KMar ------------------------------------------------------------------------------
    def kmar(self) -> dict[str, Any]:
        return {
            "rechtspositioneleOnderzoekenGestart": self.jaarserie("rp_gestart"),
            "rechtspositioneleOnderzoekenAfgerond": self.jaarserie("rp_afgerond"),
            "schendingVastgesteld": self.jaarserie("rp_schending"),
        }

    # --- nevenwerkzaamheden ----------------------------------------------------------------
    def nevenwerkzaamheden(self) -> dict[str, Any]:
        return {
            "geregistreerd": self.jaarserie("nw"),
            "positiefAdvies": self.jaarserie("nw", (2, "positief")),
            "negatiefAdvies": self.jaarserie("nw", (2, "negatief")),
        }

    # --- vertrouwenspersonen ---------------------------------------------------------------
    def netwerk_op(self, jaar: int) -> defaultdict[str, int]:
        """Active advisers per onderdeel on 31 December of the year."""
        out: defaultdict[str, int] = defaultdict(int)
        for (onderdeel, van, tot), n in self.tellingen.per("vp", 0, 1, 2).items():
            if int(van) <= jaar and (tot == OPEN or jaar < int(tot)):
                out[onderdeel] += n
        return out

    def vertrouwenspersonen(self) -> dict[str, Any]:
        cats = self.categorieen("casus_cat", self.jaar)
        nu = self.netwerk_op(self.jaar)
        vorig = self.netwerk_op(self.jaar - 1)
        netwerk: dict[str, Any] = {}
        for o in DEFENSIEONDERDELEN:
            a, b = nu.get(o, 0), vorig.get(o, 0)
            netwerk[o] = {"aantal": a, "groeiProcent": groei_procent(a, b)}
        return {
            "casussen": self.jaarserie("casus"),
            "perHoofdcategorie": {h: self.jaarserie("casus_cat", (1, h)) for h in HOOFDCATEGORIEEN},
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "netwerk": netwerk,
        }

    # --- opleidingen -----------------------------------------------------------------------
    def opleidingen(self) -> dict[str, Any]:
        per = self.tellingen.per("opl", 0, 1)
        deelnemers = {o: {str(y): per.get((o, str(y)), 0) for y in self.jaren} for o in OPLEIDINGEN}
        return {
            "deelnemers": deelnemers,
            "totaal": {
                str(y): sum(n for (_, j), n in per.items() if j == str(y)) for y in self.jaren
            },
        }

    # --- doorlooptijden --------------------------------------------------------------------
    def histogram(self, soort: str) -> dict[int, int]:
        out: defaultdict[int, int] = defaultdict(int)
        for delen, n in self.tellingen.rijen(soort):
            if delen[0] == str(self.jaar):
                out[int(delen[1])] += n
        return out

    def aandeel(self, soort: str) -> float | None:
        per = self.tellingen.per(soort, 0, 1)
        j = str(self.jaar)
        return procent(per.get((j, "ok"), 0), per.get((j, "n"), 0))

    def doorlooptijden(self) -> dict[str, Any]:
        return {
            "ontvangstbevestigingBinnen7DagenProcent": self.aandeel("bev"),
            "terugkoppelingBinnen3MaandenProcent": self.aandeel("tk"),
            "mediaanDagenTotAfronding": mediaan(self.histogram("afronding")),
            "klachtenBinnenTermijnProcent": self.aandeel("kl_termijn"),
            "mediaanDagenKlacht": mediaan(self.histogram("kl_dagen")),
        }

    def body(self) -> dict[str, Any]:
        return {
            "jaar": self.jaar,
            "peildatum": self.tellingen.peildatum.isoformat(),
            "jaren": self.jaren,
            "meldingen": self.meldingen(),
            "misstanden": self.misstanden(),
            "klachten": self.klachten(),
            "integriteitsonderzoeken": self.integriteitsonderzoeken(),
            "kmar": self.kmar(),
            "nevenwerkzaamheden": self.nevenwerkzaamheden(),
            "vertrouwenspersonen": self.vertrouwenspersonen(),
            "opleidingen": self.opleidingen(),
            "doorlooptijden": self.doorlooptijden(),
        }

    # --- per onderdeel (GET /indicatoren) ----------------------------------------------------
    def per_onderdeel(self) -> dict[str, dict[str, Cel]]:
        """Every per-onderdeel indicator of the asked year, suppressed (see the module)."""
        j = self.jaar
        sj = str(j)

        def van_jaar(soort: str, positie: int, *filters: tuple[int, str]) -> dict[str, int]:
            out: defaultdict[str, int] = defaultdict(int)
            for delen, n in self.tellingen.rijen(soort):
                if delen[0] == sj and all(delen[p] == w for p, w in filters):
                    out[delen[positie]] += n
            return out

        onderzoeken: defaultdict[str, int] = defaultdict(int)
        for s, e, o, n in self.onderzoeken():
            if self.actief(s, e, j):
                onderzoeken[o] += n
        zonder_onderdeel = sum(n for o, n in onderzoeken.items() if o not in DEFENSIEONDERDELEN)
        geregistreerd = van_jaar("nw", 1)
        positief = van_jaar("nw", 1, (2, "positief"))
        negatief = van_jaar("nw", 1, (2, "negatief"))
        nw = self.rijen_onderdrukt(
            {
                "positief": positief,
                "negatief": negatief,
                "rest": {
                    o: geregistreerd.get(o, 0) - positief.get(o, 0) - negatief.get(o, 0)
                    for o in DEFENSIEONDERDELEN
                },
            },
            "geregistreerd",
            rest="rest",
        )
        casussen = van_jaar("casus", 1)
        netwerk = self.netwerk_op(j)
        meldingen = self.meldingen_per_onderdeel()
        return {
            "meldingen.totaal": meldingen["totaal"],
            "meldingen.hrhd": meldingen["hrhd"],
            "meldingen.bps": meldingen["bps"],
            "klachten.ingediend": self.per_onderdeel_onderdrukt(van_jaar("klacht", 2)),
            "integriteitsonderzoeken.uitgevoerd": self.per_onderdeel_onderdrukt(
                onderzoeken, rest=zonder_onderdeel
            ),
            "nevenwerkzaamheden.geregistreerd": nw["geregistreerd"],
            "nevenwerkzaamheden.positiefAdvies": nw["positief"],
            "nevenwerkzaamheden.negatiefAdvies": nw["negatief"],
            "vertrouwenspersonen.casussen": onderdruk_rijtotalen(
                {o: casussen.get(o, 0) for o in DEFENSIEONDERDELEN}, drempel=self.drempel
            ),
            "vertrouwenspersonen.netwerk": {
                o: Cel(netwerk.get(o, 0), False) for o in DEFENSIEONDERDELEN
            },
        }

    def indicatoren(self, onderdelen: Sequence[str]) -> list[dict[str, Any]]:
        out = []
        # each indicator's whole breakdown is suppressed at once, also when one is asked for
        cellen = self.per_onderdeel()
        for o in onderdelen:
            for naam, per in cellen.items():
                out.append(
                    {
                        "indicator": naam,
                        "jaar": self.jaar,
                        "peildatum": self.tellingen.peildatum,
                        "defensieonderdeel": o,
                        **per[o].als_dict(),
                    }
                )
        return out
