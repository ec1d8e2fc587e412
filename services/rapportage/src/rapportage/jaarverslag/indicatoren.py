"""The annual indicators of DOMAIN.md, computed from the projections as of a peildatum.

Every fact is read with `registered_at < cutoff(peildatum)`; facts are joined per aggregate
id here, so the order in which events arrived never matters. Decisions (also in the README
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
  melding under KMAR (BPS is KMar's own system); counts 1..threshold are suppressed.
- Integriteitsonderzoeken uitgevoerd = overlapping the year (start <= 31 Dec and no end or
  end >= 1 Jan); the three-way split is for the asked year only, and an investigation that
  started before and is still running after the year counts in `uitgevoerd` but in none of
  the three parts.
- Doorlooptijden (asked year only; null when there is nothing to measure):
  ontvangstbevestiging: HRHD meldingen received in the year that were acknowledged or whose
  deadline (receipt + 7 days) lies before the peildatum; % acknowledged on or before the
  deadline. terugkoppeling: same with deadline = (acknowledgement date, or receipt + 7 days)
  + 3 calendar months. mediaanDagenTotAfronding: meldingen closed in the year, days from
  receipt date to closing date. klachten: term = 6 weeks (10 when a COG advice exists) plus
  the adjournment (max 4 weeks); klachten received in the year that were handled or whose
  term ended before the peildatum; % handled on or before the end of their term.
  mediaanDagenKlacht: klachten handled in the year, days from receipt to handling. A median
  of an even count is the mean of the middle two (may end in .5). Percentages: one decimal,
  half up.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.codes import (
    DEFENSIEONDERDELEN,
    HOOFDCATEGORIEEN,
    KLACHTSOORTEN,
    OPLEIDINGEN,
)
from rapportage.projecties import models as m
from rapportage.projecties.service import AMS

TOP3_HOOFDCATEGORIEEN = ("ongewenst_gedrag", "zakelijke_integriteit")
T = TypeVar("T", bound=Any)


def cutoff(peildatum: date) -> datetime:
    """Events registered before this UTC moment fall on or before the peildatum (Amsterdam)."""
    return datetime.combine(peildatum + timedelta(days=1), time(0), tzinfo=AMS).astimezone(UTC)


def vandaag() -> date:
    return datetime.now(AMS).date()


def _order(row: Any) -> tuple[datetime, int, str]:
    return (row.registered_at, getattr(row, "volgorde", 0), row.event_id)


def eerste(rows: Iterable[T], key: str) -> dict[str, T]:
    """Per aggregate id, the earliest registered fact."""
    out: dict[str, T] = {}
    for r in rows:
        k = getattr(r, key)
        if k not in out or _order(r) < _order(out[k]):
            out[k] = r
    return out


def laatste(rows: Iterable[T], key: str) -> dict[str, T]:
    """Per aggregate id, the latest registered fact."""
    out: dict[str, T] = {}
    for r in rows:
        k = getattr(r, key)
        if k not in out or _order(r) > _order(out[k]):
            out[k] = r
    return out


def procent(teller: int, noemer: int) -> float | None:
    if noemer == 0:
        return None
    q = (Decimal(teller) * 100 / Decimal(noemer)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(q)


def mediaan(values: Sequence[int]) -> int | float | None:
    if not values:
        return None
    med = statistics.median(values)
    return int(med) if float(med).is_integer() else float(med)


def add_months(d: date, months: int) -> date:
    y, mo = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, mo + 1
    last = (date(year + (month // 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def top3(counter: Counter[tuple[str, str]], hoofd: str) -> list[dict[str, Any]]:
    items = [(sub, n) for (h, sub), n in counter.items() if h == hoofd and n > 0]
    items.sort(key=lambda x: (-x[1], x[0]))
    return [{"subcategorie": sub, "aantal": n} for sub, n in items[:3]]


@dataclass
class Feiten:
    """Every fact registered on or before the peildatum, joined per aggregate."""

    peildatum: date
    meldingen: dict[str, m.RapMelding]
    bps: dict[str, m.RapBpsMelding]
    categorie: dict[tuple[str, str], tuple[str, str]]
    schendingen: list[m.RapSchending]
    stappen: list[m.RapMeldingStap]
    misstanden: list[m.RapMisstand]
    onderzoeken: list[m.RapOnderzoek]
    rp: list[m.RapRpOnderzoek]
    nevenwerk: dict[str, m.RapNevenwerkzaamheid]
    adviezen: dict[str, m.RapAdvies]
    klachten: dict[str, m.RapKlacht]
    klachtstappen: list[m.RapKlachtStap]
    casussen: dict[str, m.RapCasus]
    vps: list[m.RapVertrouwenspersoon]
    opleidingen: list[m.RapOpleiding]


async def laad(session: AsyncSession, peildatum: date) -> Feiten:
    c = cutoff(peildatum)

    conn = await session.connection()

    async def rows(model: type[T]) -> list[T]:
        # plain Core rows on the session's connection (its transaction and snapshot), not
        # ORM objects: the same attributes at a fraction of the cost
        columns = model.__table__.columns
        result = await conn.execute(select(*columns).where(model.registered_at < c))
        return cast(list[T], list(result.all()))

    cats = laatste_categorie(await rows(m.RapCategorisering))
    return Feiten(
        peildatum=peildatum,
        meldingen=eerste(await rows(m.RapMelding), "melding_id"),
        bps=eerste(await rows(m.RapBpsMelding), "bps_id"),
        categorie=cats,
        schendingen=await rows(m.RapSchending),
        stappen=await rows(m.RapMeldingStap),
        misstanden=await rows(m.RapMisstand),
        onderzoeken=await rows(m.RapOnderzoek),
        rp=await rows(m.RapRpOnderzoek),
        nevenwerk=eerste(await rows(m.RapNevenwerkzaamheid), "nevenwerkzaamheid_id"),
        adviezen=laatste(await rows(m.RapAdvies), "nevenwerkzaamheid_id"),
        klachten=eerste(await rows(m.RapKlacht), "klacht_id"),
        klachtstappen=await rows(m.RapKlachtStap),
        casussen=eerste(await rows(m.RapCasus), "casus_id"),
        vps=await rows(m.RapVertrouwenspersoon),
        opleidingen=await rows(m.RapOpleiding),
    )


def laatste_categorie(rows: list[m.RapCategorisering]) -> dict[tuple[str, str], tuple[str, str]]:
    best: dict[tuple[str, str], m.RapCategorisering] = {}
    for r in rows:
        k = (r.bron, r.aggregate_id)
        if k not in best or _order(r) > _order(best[k]):
            best[k] = r
    return {k: (r.hoofdcategorie, r.subcategorie) for k, r in best.items()}


class Jaarverslag:
    """The figures for one year and its two predecessors, as of one peildatum."""

    def __init__(self, f: Feiten, jaar: int, drempel: int) -> None:
        self.f = f
        self.jaar = jaar
        self.jaren = [jaar, jaar - 1, jaar - 2]
        self.drempel = drempel

    def serie(self, counter: Counter[int]) -> dict[str, int]:
        return {str(y): int(counter.get(y, 0)) for y in self.jaren}

    def onderdrukt(self, n: int) -> dict[str, Any]:
        if 1 <= n <= self.drempel:
            return {"waarde": None, "onderdrukt": True}
        return {"waarde": n, "onderdrukt": False}

    # --- meldingen -------------------------------------------------------------------------
    def hrhd_in(self, jaar: int) -> list[m.RapMelding]:
        return [r for r in self.f.meldingen.values() if r.ontvangen_datum.year == jaar]

    def bps_in(self, jaar: int) -> list[m.RapBpsMelding]:
        return [r for r in self.f.bps.values() if r.registratiedatum.year == jaar]

    def meldingen_per_onderdeel(self, jaar: int) -> Counter[str]:
        c: Counter[str] = Counter(r.defensieonderdeel for r in self.hrhd_in(jaar))
        c["KMAR"] += len(self.bps_in(jaar))
        return c

    def meldingen(self) -> dict[str, Any]:
        f = self.f
        hrhd = Counter(r.ontvangen_datum.year for r in f.meldingen.values())
        bps = Counter(r.registratiedatum.year for r in f.bps.values())
        vastgesteld_ids = {s.bps_id for s in f.schendingen if s.datum <= f.peildatum}
        vastgesteld = Counter(
            r.registratiedatum.year for r in f.bps.values() if r.bps_id in vastgesteld_ids
        )
        cats: Counter[tuple[str, str]] = Counter()
        keys = [("hrhd", r.melding_id) for r in self.hrhd_in(self.jaar)]
        keys += [("bps", b.bps_id) for b in self.bps_in(self.jaar)]
        for k in keys:
            # a receipt and its category are written in one transaction; only a reader
            # without a snapshot (SQLite) can see one without the other, for a moment
            if k in f.categorie:
                cats[f.categorie[k]] += 1
        per_onderdeel = self.meldingen_per_onderdeel(self.jaar)
        return {
            "totaal": self.serie(hrhd + bps),
            "hrhd": self.serie(hrhd),
            "bps": self.serie(bps),
            "vastgesteldeSchendingenBps": self.serie(vastgesteld),
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "perDefensieonderdeel": {
                o: self.onderdrukt(per_onderdeel.get(o, 0)) for o in DEFENSIEONDERDELEN
            },
        }

    # --- misstanden ------------------------------------------------------------------------
    def misstanden(self) -> dict[str, Any]:
        f = self.f
        genomen: dict[str, date] = {}
        for r in f.meldingen.values():
            if r.vermoeden_misstand:
                genomen[r.melding_id] = r.ontvangen_datum
        for s in f.misstanden:
            if s.stap == "vermoeden":
                d = genomen.get(s.melding_id)
                genomen[s.melding_id] = s.datum if d is None else min(d, s.datum)
        afgerond = laatste((s for s in f.misstanden if s.stap == "afgerond"), "melding_id")
        return {
            "inBehandelingGenomen": self.serie(Counter(d.year for d in genomen.values())),
            "afgerond": self.serie(Counter(s.datum.year for s in afgerond.values())),
            "vastgesteld": self.serie(
                Counter(s.datum.year for s in afgerond.values() if s.vastgesteld)
            ),
        }

    # --- klachten --------------------------------------------------------------------------
    def klacht_stap(self, stap: str) -> dict[str, m.RapKlachtStap]:
        return eerste((s for s in self.f.klachtstappen if s.stap == stap), "klacht_id")

    def klachten(self) -> dict[str, Any]:
        k = self.f.klachten.values()
        cog = self.klacht_stap("cog_gestart")
        return {
            "ingediend": self.serie(Counter(r.ontvangen_datum.year for r in k)),
            "perSoort": {
                soort: self.serie(Counter(r.ontvangen_datum.year for r in k if r.soort == soort))
                for soort in KLACHTSOORTEN
            },
            "behandeldDoorCog": self.serie(
                Counter(s.datum.year for s in cog.values() if s.datum is not None)
            ),
        }

    # --- integriteitsonderzoeken ------------------------------------------------------------
    def onderzoek_perioden(self) -> list[tuple[m.RapOnderzoek, date | None]]:
        start = eerste((o for o in self.f.onderzoeken if o.stap == "gestart"), "onderzoek_id")
        eind = laatste((o for o in self.f.onderzoeken if o.stap == "afgerond"), "onderzoek_id")
        return [(s, eind[k].datum if k in eind else None) for k, s in start.items()]

    @staticmethod
    def actief(start: date, eind: date | None, jaar: int) -> bool:
        return start <= date(jaar, 12, 31) and (eind is None or eind >= date(jaar, 1, 1))

    def integriteitsonderzoeken(self) -> dict[str, Any]:
        perioden = self.onderzoek_perioden()
        uitgevoerd: Counter[int] = Counter()
        for y in self.jaren:
            uitgevoerd[y] = sum(1 for s, e in perioden if self.actief(s.datum, e, y))
        j = self.jaar
        return {
            "uitgevoerd": self.serie(uitgevoerd),
            "gestartVoorJaarAfgerondInJaar": sum(
                1 for s, e in perioden if s.datum.year < j and e is not None and e.year == j
            ),
            "gestartEnAfgerondInJaar": sum(
                1 for s, e in perioden if s.datum.year == j and e is not None and e.year == j
            ),
            "gestartInJaarDoorlopend": sum(
                1 for s, e in perioden if s.datum.year == j and (e is None or e.year > j)
            ),
        }

    # --- KMar ------------------------------------------------------------------------------
    def kmar(self) -> dict[str, Any]:
        start = eerste((o for o in self.f.rp if o.stap == "gestart"), "onderzoek_id")
        eind = laatste((o for o in self.f.rp if o.stap == "afgerond"), "onderzoek_id")
        return {
            "rechtspositioneleOnderzoekenGestart": self.serie(
                Counter(s.datum.year for s in start.values())
            ),
            "rechtspositioneleOnderzoekenAfgerond": self.serie(
                Counter(e.datum.year for e in eind.values())
            ),
            "schendingVastgesteld": self.serie(
                Counter(e.datum.year for e in eind.values() if e.schending_vastgesteld)
            ),
        }

    # --- nevenwerkzaamheden ----------------------------------------------------------------
    def nevenwerkzaamheden(self) -> dict[str, Any]:
        n = self.f.nevenwerk.values()
        adv = self.f.adviezen

        def met(advies: str) -> Counter[int]:
            return Counter(
                r.registratiedatum.year
                for r in n
                if r.nevenwerkzaamheid_id in adv and adv[r.nevenwerkzaamheid_id].advies == advies
            )

        return {
            "geregistreerd": self.serie(Counter(r.registratiedatum.year for r in n)),
            "positiefAdvies": self.serie(met("positief")),
            "negatiefAdvies": self.serie(met("negatief")),
        }

    # --- vertrouwenspersonen ---------------------------------------------------------------
    def netwerk_op(self, dag: date) -> Counter[str]:
        """Active advisers per onderdeel on `dag`: each adviser's latest step by then."""
        per_vp: dict[str, list[m.RapVertrouwenspersoon]] = defaultdict(list)
        for r in self.f.vps:
            per_vp[r.vertrouwenspersoon_id].append(r)
        out: Counter[str] = Counter()
        for rows in per_vp.values():
            tot = [r for r in rows if r.datum <= dag]
            if not tot:
                continue
            last = max(tot, key=lambda r: (r.datum, r.stap == "beeindigd", *_order(r)))
            if last.stap != "aangesteld":
                continue
            onderdeel = last.defensieonderdeel
            if onderdeel:
                out[onderdeel] += 1
        return out

    def vertrouwenspersonen(self) -> dict[str, Any]:
        cas = self.f.casussen.values()
        cats: Counter[tuple[str, str]] = Counter(
            (c.hoofdcategorie, c.subcategorie) for c in cas if c.datum.year == self.jaar
        )
        nu = self.netwerk_op(date(self.jaar, 12, 31))
        vorig = self.netwerk_op(date(self.jaar - 1, 12, 31))
        netwerk: dict[str, Any] = {}
        for o in DEFENSIEONDERDELEN:
            a, b = nu.get(o, 0), vorig.get(o, 0)
            netwerk[o] = {"aantal": a, "groeiProcent": procent(a - b, b)}
        return {
            "casussen": self.serie(Counter(c.datum.year for c in cas)),
            "perHoofdcategorie": {
                h: self.serie(Counter(c.datum.year for c in cas if c.hoofdcategorie == h))
                for h in HOOFDCATEGORIEEN
            },
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "netwerk": netwerk,
        }

    # --- opleidingen -----------------------------------------------------------------------
    def opleidingen(self) -> dict[str, Any]:
        per: dict[str, Counter[int]] = {o: Counter() for o in OPLEIDINGEN}
        totaal: Counter[int] = Counter()
        for r in self.f.opleidingen:
            per[r.opleiding][r.datum.year] += r.aantal_deelnemers
            totaal[r.datum.year] += r.aantal_deelnemers
        return {
            "deelnemers": {o: self.serie(c) for o, c in per.items()},
            "totaal": self.serie(totaal),
        }

    # --- doorlooptijden --------------------------------------------------------------------
    def doorlooptijden(self) -> dict[str, Any]:
        f, j, peil = self.f, self.jaar, self.f.peildatum
        stap: dict[str, dict[str, m.RapMeldingStap]] = {
            s: eerste((r for r in f.stappen if r.stap == s), "melding_id")
            for s in ("bevestigd", "terugkoppeling")
        }
        afgerond = laatste((r for r in f.stappen if r.stap == "afgerond"), "melding_id")
        bev_n = bev_ok = tk_n = tk_ok = 0
        for r in self.hrhd_in(j):
            termijn = r.ontvangen_datum + timedelta(days=7)
            bev = stap["bevestigd"].get(r.melding_id)
            if bev is not None or termijn < peil:
                bev_n += 1
                bev_ok += bev is not None and bev.datum <= termijn
            tk_termijn = add_months(bev.datum if bev is not None else termijn, 3)
            tk = stap["terugkoppeling"].get(r.melding_id)
            if tk is not None or tk_termijn < peil:
                tk_n += 1
                tk_ok += tk is not None and tk.datum <= tk_termijn
        dagen_afronding = [
            (a.datum - f.meldingen[k].ontvangen_datum).days
            for k, a in afgerond.items()
            if a.datum.year == j and k in f.meldingen
        ]
        verdaagd: defaultdict[str, int] = defaultdict(int)
        for s in f.klachtstappen:
            if s.stap == "verdaagd" and s.weken:
                verdaagd[s.klacht_id] = min(4, max(verdaagd[s.klacht_id], s.weken))
        advies = self.klacht_stap("cog_advies")
        afgehandeld = self.klacht_stap("afgehandeld")
        kl_n = kl_ok = 0
        for k in f.klachten.values():
            if k.ontvangen_datum.year != j:
                continue
            weken = (10 if k.klacht_id in advies else 6) + verdaagd.get(k.klacht_id, 0)
            termijn = k.ontvangen_datum + timedelta(weeks=weken)
            a = afgehandeld.get(k.klacht_id)
            if a is not None or termijn < peil:
                kl_n += 1
                kl_ok += a is not None and a.datum is not None and a.datum <= termijn
        dagen_klacht = [
            (a.datum - f.klachten[k].ontvangen_datum).days
            for k, a in afgehandeld.items()
            if a.datum is not None and a.datum.year == j and k in f.klachten
        ]
        return {
            "ontvangstbevestigingBinnen7DagenProcent": procent(bev_ok, bev_n),
            "terugkoppelingBinnen3MaandenProcent": procent(tk_ok, tk_n),
            "mediaanDagenTotAfronding": mediaan(dagen_afronding),
            "klachtenBinnenTermijnProcent": procent(kl_ok, kl_n),
            "mediaanDagenKlacht": mediaan(dagen_klacht),
        }

    def body(self) -> dict[str, Any]:
        return {
            "jaar": self.jaar,
            "peildatum": self.f.peildatum.isoformat(),
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
    def per_onderdeel(self) -> dict[str, Counter[str]]:
        j, f = self.jaar, self.f
        hrhd = Counter(r.defensieonderdeel for r in self.hrhd_in(j))
        bps: Counter[str] = Counter({"KMAR": len(self.bps_in(j))})
        onderzoeken = Counter(
            s.defensieonderdeel or ""
            for s, e in self.onderzoek_perioden()
            if self.actief(s.datum, e, j)
        )
        nw = [r for r in f.nevenwerk.values() if r.registratiedatum.year == j]
        adv = f.adviezen

        def met(advies: str) -> Counter[str]:
            return Counter(
                r.defensieonderdeel
                for r in nw
                if r.nevenwerkzaamheid_id in adv and adv[r.nevenwerkzaamheid_id].advies == advies
            )

        return {
            "meldingen.totaal": hrhd + bps,
            "meldingen.hrhd": hrhd,
            "meldingen.bps": bps,
            "klachten.ingediend": Counter(
                k.defensieonderdeel for k in f.klachten.values() if k.ontvangen_datum.year == j
            ),
            "integriteitsonderzoeken.uitgevoerd": onderzoeken,
            "nevenwerkzaamheden.geregistreerd": Counter(r.defensieonderdeel for r in nw),
            "nevenwerkzaamheden.positiefAdvies": met("positief"),
            "nevenwerkzaamheden.negatiefAdvies": met("negatief"),
            "vertrouwenspersonen.casussen": Counter(
                c.defensieonderdeel for c in f.casussen.values() if c.datum.year == j
            ),
            "vertrouwenspersonen.netwerk": self.netwerk_op(date(j, 12, 31)),
        }

    def indicatoren(self, onderdelen: Sequence[str]) -> list[dict[str, Any]]:
        out = []
        per = self.per_onderdeel()
        for o in onderdelen:
            for naam, counter in per.items():
                out.append(
                    {
                        "indicator": naam,
                        "jaar": self.jaar,
                        "defensieonderdeel": o,
                        **self.onderdrukt(int(counter.get(o, 0))),
                    }
                )
        return out
