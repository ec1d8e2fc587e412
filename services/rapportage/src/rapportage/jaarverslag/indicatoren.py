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
  melding under KMAR (BPS is KMar's own system); counts 1..threshold are suppressed
  (`integriteit_shared.onderdrukking`, as every per-onderdeel figure here).
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
from integriteit_shared.onderdrukking import groei_procent, onderdruk_cellen, procent
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

    def __init__(self, tellingen: Tellingen, jaar: int, drempel: int) -> None:
        self.tellingen = tellingen
        self.jaar = jaar
        self.jaren = [jaar, jaar - 1, jaar - 2]
        self.drempel = drempel

    def jaarserie(self, soort: str, *filters: tuple[int, str]) -> dict[str, int]:
        """{year: n} of one kind whose key part 0 is the year, other parts filtered."""
        per: defaultdict[str, int] = defaultdict(int)
        for delen, n in self.tellingen.rijen(soort):
            if all(delen[p] == w for p, w in filters):
                per[delen[0]] += n
        return {str(y): per.get(str(y), 0) for y in self.jaren}

    def per_onderdeel_onderdrukt(self, aantallen: dict[str, int]) -> dict[str, dict[str, Any]]:
        """One figure for every defensieonderdeel, small counts suppressed."""
        cellen = onderdruk_cellen(
            {o: int(aantallen.get(o, 0)) for o in DEFENSIEONDERDELEN}, drempel=self.drempel
        )
        return {o: cel.als_dict() for o, cel in cellen.items()}

    # --- meldingen -------------------------------------------------------------------------
    def meldingen_per_onderdeel(self, jaar: int) -> defaultdict[str, int]:
        out: defaultdict[str, int] = defaultdict(int)
        for (j, o), n in self.tellingen.per("hrhd", 0, 1).items():
            if j == str(jaar):
                out[o] += n
        out["KMAR"] += self.jaarserie_waarde("bps", jaar)
        return out

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
        per_onderdeel = self.meldingen_per_onderdeel(self.jaar)
        return {
            "totaal": {y: hrhd[y] + bps[y] for y in hrhd},
            "hrhd": hrhd,
            "bps": bps,
            "vastgesteldeSchendingenBps": self.jaarserie("bps_vastgesteld"),
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "perDefensieonderdeel": self.per_onderdeel_onderdrukt(per_onderdeel),
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
    def per_onderdeel(self) -> dict[str, dict[str, int]]:
        j = self.jaar
        sj = str(j)

        def van_jaar(soort: str, positie: int, *filters: tuple[int, str]) -> dict[str, int]:
            out: defaultdict[str, int] = defaultdict(int)
            for delen, n in self.tellingen.rijen(soort):
                if delen[0] == sj and all(delen[p] == w for p, w in filters):
                    out[delen[positie]] += n
            return out

        hrhd = van_jaar("hrhd", 1)
        bps = {"KMAR": self.jaarserie_waarde("bps", j)}
        onderzoeken: defaultdict[str, int] = defaultdict(int)
        for s, e, o, n in self.onderzoeken():
            if self.actief(s, e, j):
                onderzoeken[o] += n
        totaal = defaultdict(int, hrhd)
        totaal["KMAR"] += bps["KMAR"]
        return {
            "meldingen.totaal": totaal,
            "meldingen.hrhd": hrhd,
            "meldingen.bps": bps,
            "klachten.ingediend": van_jaar("klacht", 2),
            "integriteitsonderzoeken.uitgevoerd": onderzoeken,
            "nevenwerkzaamheden.geregistreerd": van_jaar("nw", 1),
            "nevenwerkzaamheden.positiefAdvies": van_jaar("nw", 1, (2, "positief")),
            "nevenwerkzaamheden.negatiefAdvies": van_jaar("nw", 1, (2, "negatief")),
            "vertrouwenspersonen.casussen": van_jaar("casus", 1),
            "vertrouwenspersonen.netwerk": self.netwerk_op(j),
        }

    def indicatoren(self, onderdelen: Sequence[str]) -> list[dict[str, Any]]:
        out = []
        per = self.per_onderdeel()
        # each indicator's whole breakdown is suppressed at once, also when one is asked for
        cellen = {naam: self.per_onderdeel_onderdrukt(counter) for naam, counter in per.items()}
        for o in onderdelen:
            for naam in per:
                out.append(
                    {
                        "indicator": naam,
                        "jaar": self.jaar,
                        "defensieonderdeel": o,
                        **cellen[naam][o],
                    }
                )
        return out
