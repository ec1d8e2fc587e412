"""The annual indicators of DOMAIN.md, as of a peildatum, from the per-day counters.

What each aggregate (a melding with its steps, a klacht, ...) contributes is worked out
when its events arrive (`rapportage.projecties`: a module per aggregate kind, its counter
keys typed in `projecties.sleutels`), whatever their order; here the counters are summed
up to the peildatum and read back, by field name, into the report. A fact counts
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
- Analyse (the story behind the figures), each series per year of the report:
  kanaal and anoniem: HRHD meldingen received in the year. afdoening: meldingen by their
  latest afdoening, in the year of that decision. conclusie: meldingen by the conclusie of
  their latest closing, in its year. klachtWijze, klachtOordeel: klachten by their first
  handling, in its year. cogAdvies: klachten by their latest COG advice, in its year.
  doorverwijzingen: casussen by the referral of their latest closing, in its year (closed
  without one: not counted). informeleGesprekken: the tallies summed by their date.
  Doorlooptijden per stage, in the year the stage ended: receipt -> first acknowledgement,
  first acknowledgement -> first feedback, receipt -> latest closing, klacht receipt ->
  handling, investigation start -> end; median as above, p90 by nearest rank (the least
  value at least 90% are at most); null when there is nothing to measure. Per onderdeel
  (`/indicatoren`, `analyse.<naam>.<code>`, of the asked year): the counts, suppressed as
  one table per breakdown with its row total `analyse.<naam>.totaal`; kanaal and anoniem
  add up to meldingen.hrhd and klachtOordeel to klachtWijze.totaal, so their totals are
  taken as those tables published them (`analyse_tabel`). Durations are not broken down.
- Nazorg (aftercare, `projecties.nazorg`): uitgevoerd = check-ins done, by their date;
  benadelingGemeld = those at which retaliation was reported; benadelingProcent = their
  share (null without check-ins); verlopen = check-ins due in the year (NAZORG_MAANDEN
  after the latest closing of a named melding) not done within 30 days of their due date,
  counted from the day after those 30 days, as of the peildatum. A check-in done counts
  for the earliest planned one not yet done. Defensie-wide only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared import codes
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
from rapportage.projecties import feiten as _feiten  # noqa: F401 - every key kind registered
from rapportage.projecties import models as m
from rapportage.projecties.bps_melding import BpsGeregistreerd, BpsVastgesteld
from rapportage.projecties.casus import AnalyseDoorverwijzing, Casus, CasusCategorie
from rapportage.projecties.informele_gesprekken import AnalyseGesprekken
from rapportage.projecties.klacht import (
    NOEMER,
    OP_TIJD,
    AnalyseCogAdvies,
    AnalyseKlachtOordeel,
    AnalyseKlachtWijze,
    CogBehandeling,
    Klacht,
    KlachtDagen,
    KlachtTermijn,
)
from rapportage.projecties.melding import (
    Afronding,
    AnalyseAfdoening,
    AnalyseAnoniem,
    AnalyseConclusie,
    AnalyseKanaal,
    Categorie,
    DagenTotBevestiging,
    DagenTotTerugkoppeling,
    HrhdMelding,
    Ontvangstbevestiging,
    Terugkoppeling,
)
from rapportage.projecties.misstand import MisstandAfgerond, MisstandGenomen, MisstandVastgesteld
from rapportage.projecties.nazorg import NazorgBenadeling, NazorgUitgevoerd, NazorgVerlopen
from rapportage.projecties.nevenwerkzaamheid import Nevenwerkzaamheid
from rapportage.projecties.onderzoek import DagenOnderzoek, Onderzoek
from rapportage.projecties.opleiding import Deelnemers
from rapportage.projecties.rp_onderzoek import RpAfgerond, RpGestart, RpSchending
from rapportage.projecties.sleutels import (
    SCHEIDING,
    SLEUTELS,
    DagenSleutel,
    JaarSleutel,
    OnderdeelSleutel,
    Sleutel,
)
from rapportage.projecties.vertrouwenspersoon import Vertrouwenspersoon

__all__ = ["Jaarverslag", "Tellingen", "laad"]

TOP3_HOOFDCATEGORIEEN = ("ongewenst_gedrag", "zakelijke_integriteit")

# the `analyse` breakdowns: key kind, the part holding the code, the codes
AFDOENINGEN = codes.waarden(codes.Afdoening)
KANALEN = codes.waarden(codes.Kanaal)
ANONIEM = ("ja", "nee")
CONCLUSIES = codes.waarden(codes.Conclusie)
AFHANDELWIJZEN = codes.waarden(codes.Afhandelwijze)
OORDELEN = codes.waarden(codes.Oordeel)
COG_ADVIEZEN = codes.waarden(codes.CogAdvies)
DOORVERWIJZINGEN = codes.waarden(codes.Doorverwijzing)

Json = dict[str, object]
Serie = dict[str, int]
S = TypeVar("S", bound=Sleutel)
J = TypeVar("J", bound=JaarSleutel)

K = TypeVar("K", bound=OnderdeelSleutel)


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


def p90(histogram: dict[int, int]) -> int | None:
    """The 90th percentile by nearest rank: the least value at least 90% of them are at most."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rang = -(-9 * n // 10)  # ceil(0.9 n), in integers
    gezien = 0
    for waarde in sorted(histogram):
        gezien += histogram[waarde]
        if gezien >= rang:
            return waarde
    raise AssertionError("unreachable")


def top3(counter: dict[tuple[str, str], int], hoofd: str) -> list[Json]:
    items = [(sub, n) for (h, sub), n in counter.items() if h == hoofd and n > 0]
    items.sort(key=lambda x: (-x[1], x[0]))
    return [{"subcategorie": sub, "aantal": n} for sub, n in items[:3]]


class Tellingen:
    """The counters as of one peildatum, by kind; read back as typed keys (`rijen`)."""

    def __init__(self, peildatum: date, waarden: dict[str, int]) -> None:
        self.peildatum = peildatum
        # the stored parts after the prefix, per prefix (also read by the dashboard)
        self.per_soort: defaultdict[str, list[tuple[list[str], int]]] = defaultdict(list)
        for sleutel, aantal in waarden.items():
            if aantal:
                soort, *delen = sleutel.split(SCHEIDING)
                self.per_soort[soort].append((delen, aantal))
        self._gelezen: dict[str, list[tuple[Sleutel, int]]] = {}

    def rijen(self, soort: type[S]) -> list[tuple[S, int]]:
        """The non-zero counters of one key kind, parsed (`projecties.sleutels`)."""
        gelezen = self._gelezen.get(soort.prefix)
        if gelezen is None:
            gelezen = []
            for delen, n in self.per_soort.get(soort.prefix, []):
                sleutel = SLEUTELS.parse(soort.prefix, delen)
                if sleutel is not None:
                    gelezen.append((sleutel, n))
            self._gelezen[soort.prefix] = gelezen
        return [(k, n) for k, n in gelezen if isinstance(k, soort)]


async def laad(session: AsyncSession, peildatum: date) -> Tellingen:
    """The counters summed up to the peildatum: the totals minus what changed after it.

    Both queries run in the caller's transaction (one snapshot); their cost grows with the
    number of keys and of days after the peildatum, not with the number of events.
    """
    conn = await session.connection()
    waarden = {
        str(k): int(v)
        for k, v in await conn.execute(select(m.RapTotaal.sleutel, m.RapTotaal.aantal))
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

    def jaarserie(self, soort: type[J], filter: Callable[[J], bool] | None = None) -> Serie:
        """{year: n} of one key kind with a `jaar`, optionally only the keys `filter` takes."""
        per: defaultdict[int, int] = defaultdict(int)
        for k, n in self.tellingen.rijen(soort):
            if filter is None or filter(k):
                per[k.jaar] += n
        return {str(y): per.get(y, 0) for y in self.jaren}

    def van_jaar(self, soort: type[J], jaar: int) -> list[tuple[J, int]]:
        return [(k, n) for k, n in self.tellingen.rijen(soort) if k.jaar == jaar]

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
        for k, n in self.van_jaar(HrhdMelding, self.jaar):
            hrhd[k.defensieonderdeel] += n
        bps = {"KMAR": sum(n for _, n in self.van_jaar(BpsGeregistreerd, self.jaar))}
        return self.rijen_onderdrukt({"hrhd": hrhd, "bps": bps}, "totaal", vast="bps")

    def categorieen(
        self, soort: type[Categorie] | type[CasusCategorie]
    ) -> dict[tuple[str, str], int]:
        out: defaultdict[tuple[str, str], int] = defaultdict(int)
        for k, n in self.van_jaar(soort, self.jaar):
            out[(k.hoofdcategorie, k.subcategorie)] += n
        return out

    def meldingen(self) -> Json:
        hrhd = self.jaarserie(HrhdMelding)
        bps = self.jaarserie(BpsGeregistreerd)
        cats = self.categorieen(Categorie)
        per_onderdeel = self.per_onderdeel_verslag().meldingen_per_onderdeel()["totaal"]
        return {
            "totaal": {y: hrhd[y] + bps[y] for y in hrhd},
            "hrhd": hrhd,
            "bps": bps,
            "vastgesteldeSchendingenBps": self.jaarserie(BpsVastgesteld),
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "perDefensieonderdeel": {o: cel.als_dict() for o, cel in per_onderdeel.items()},
        }

    # --- misstanden ------------------------------------------------------------------------
    def misstanden(self) -> Json:
        return {
            "inBehandelingGenomen": self.jaarserie(MisstandGenomen),
            "afgerond": self.jaarserie(MisstandAfgerond),
            "vastgesteld": self.jaarserie(MisstandVastgesteld),
        }

    # --- klachten --------------------------------------------------------------------------
    def klachten(self) -> Json:
        def van_soort(soort: str) -> Serie:
            return self.jaarserie(Klacht, lambda k: k.soort == soort)

        return {
            "ingediend": self.jaarserie(Klacht),
            "perSoort": {soort: van_soort(soort) for soort in KLACHTSOORTEN},
            "behandeldDoorCog": self.jaarserie(CogBehandeling),
        }

    # --- integriteitsonderzoeken ------------------------------------------------------------
    @staticmethod
    def actief(k: Onderzoek, jaar: int) -> bool:
        """Started by the end of the year and not ended before it began."""
        return k.startjaar <= jaar and (k.eindjaar is None or k.eindjaar >= jaar)

    def integriteitsonderzoeken(self) -> Json:
        oz = self.tellingen.rijen(Onderzoek)
        j = self.jaar
        return {
            "uitgevoerd": {str(y): sum(n for k, n in oz if self.actief(k, y)) for y in self.jaren},
            "gestartVoorJaarAfgerondInJaar": sum(
                n for k, n in oz if k.startjaar < j and k.eindjaar == j
            ),
            "gestartEnAfgerondInJaar": sum(
                n for k, n in oz if k.startjaar == j and k.eindjaar == j
            ),
            "gestartInJaarDoorlopend": sum(
                n for k, n in oz if k.startjaar == j and (k.eindjaar is None or k.eindjaar > j)
            ),
        }

    # --- KMar ------------------------------------------------------------------------------
    def kmar(self) -> Json:
        return {
            "rechtspositioneleOnderzoekenGestart": self.jaarserie(RpGestart),
            "rechtspositioneleOnderzoekenAfgerond": self.jaarserie(RpAfgerond),
            "schendingVastgesteld": self.jaarserie(RpSchending),
        }

    # --- nevenwerkzaamheden ----------------------------------------------------------------
    def nevenwerkzaamheden(self) -> Json:
        return {
            "geregistreerd": self.jaarserie(Nevenwerkzaamheid),
            "positiefAdvies": self.jaarserie(Nevenwerkzaamheid, lambda k: k.advies == "positief"),
            "negatiefAdvies": self.jaarserie(Nevenwerkzaamheid, lambda k: k.advies == "negatief"),
        }

    # --- vertrouwenspersonen ---------------------------------------------------------------
    def netwerk_op(self, jaar: int) -> defaultdict[str, int]:
        """Active advisers per onderdeel on 31 December of the year."""
        out: defaultdict[str, int] = defaultdict(int)
        for k, n in self.tellingen.rijen(Vertrouwenspersoon):
            if k.van <= jaar and (k.tot is None or jaar < k.tot):
                out[k.defensieonderdeel] += n
        return out

    def vertrouwenspersonen(self) -> Json:
        cats = self.categorieen(CasusCategorie)
        nu = self.netwerk_op(self.jaar)
        vorig = self.netwerk_op(self.jaar - 1)
        netwerk: Json = {}
        for o in DEFENSIEONDERDELEN:
            a, b = nu.get(o, 0), vorig.get(o, 0)
            netwerk[o] = {"aantal": a, "groeiProcent": groei_procent(a, b)}

        def van_hoofdcategorie(h: str) -> Serie:
            return self.jaarserie(CasusCategorie, lambda k: k.hoofdcategorie == h)

        return {
            "casussen": self.jaarserie(Casus),
            "perHoofdcategorie": {h: van_hoofdcategorie(h) for h in HOOFDCATEGORIEEN},
            "top3": {h: top3(cats, h) for h in TOP3_HOOFDCATEGORIEEN},
            "netwerk": netwerk,
        }

    # --- opleidingen -----------------------------------------------------------------------
    def opleidingen(self) -> Json:
        per: defaultdict[tuple[str, int], int] = defaultdict(int)
        for k, n in self.tellingen.rijen(Deelnemers):
            per[(k.opleiding, k.jaar)] += n
        deelnemers = {o: {str(y): per.get((o, y), 0) for y in self.jaren} for o in OPLEIDINGEN}
        return {
            "deelnemers": deelnemers,
            "totaal": {str(y): sum(n for (_, j), n in per.items() if j == y) for y in self.jaren},
        }

    # --- doorlooptijden --------------------------------------------------------------------
    def histogram(self, soort: type[Afronding] | type[KlachtDagen]) -> dict[int, int]:
        out: defaultdict[int, int] = defaultdict(int)
        for k, n in self.van_jaar(soort, self.jaar):
            out[k.dagen] += n
        return out

    def aandeel(
        self, soort: type[Ontvangstbevestiging] | type[Terugkoppeling] | type[KlachtTermijn]
    ) -> float | None:
        per: defaultdict[str, int] = defaultdict(int)
        for k, n in self.van_jaar(soort, self.jaar):
            per[k.uitkomst] += n
        return procent(per.get(OP_TIJD, 0), per.get(NOEMER, 0))

    def doorlooptijden(self) -> Json:
        return {
            "ontvangstbevestigingBinnen7DagenProcent": self.aandeel(Ontvangstbevestiging),
            "terugkoppelingBinnen3MaandenProcent": self.aandeel(Terugkoppeling),
            "mediaanDagenTotAfronding": mediaan(self.histogram(Afronding)),
            "klachtenBinnenTermijnProcent": self.aandeel(KlachtTermijn),
            "mediaanDagenKlacht": mediaan(self.histogram(KlachtDagen)),
        }

    # --- analyse: the story behind the figures -----------------------------------------------
    def per_code(
        self, soort: type[J], code: Callable[[J], str], alle: Sequence[str]
    ) -> dict[str, Serie]:
        """{code: {year: n}} of one key kind, every code listed (0 when none)."""
        per: defaultdict[tuple[str, int], int] = defaultdict(int)
        for k, n in self.tellingen.rijen(soort):
            per[(code(k), k.jaar)] += n
        return {c: {str(y): per.get((c, y), 0) for y in self.jaren} for c in alle}

    def duur(self, soort: type[DagenSleutel]) -> Json:
        """Median and p90 in days per year (null for a year with nothing to measure)."""
        per: defaultdict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for k, n in self.tellingen.rijen(soort):
            per[k.jaar][k.dagen] += n
        return {
            "mediaan": {str(y): mediaan(per.get(y, {})) for y in self.jaren},
            "p90": {str(y): p90(per.get(y, {})) for y in self.jaren},
        }

    def analyse(self) -> Json:
        return {
            "afdoening": self.per_code(AnalyseAfdoening, lambda k: k.afdoening, AFDOENINGEN),
            "kanaal": self.per_code(AnalyseKanaal, lambda k: k.kanaal, KANALEN),
            "anoniem": self.per_code(AnalyseAnoniem, lambda k: k.anoniem, ANONIEM),
            "conclusie": self.per_code(AnalyseConclusie, lambda k: k.conclusie, CONCLUSIES),
            "klachtWijze": self.per_code(AnalyseKlachtWijze, lambda k: k.wijze, AFHANDELWIJZEN),
            "klachtOordeel": self.per_code(AnalyseKlachtOordeel, lambda k: k.oordeel, OORDELEN),
            "cogAdvies": self.per_code(AnalyseCogAdvies, lambda k: k.advies, COG_ADVIEZEN),
            "doorverwijzingen": self.per_code(
                AnalyseDoorverwijzing, lambda k: k.doorverwezen_naar, DOORVERWIJZINGEN
            ),
            "informeleGesprekken": self.jaarserie(AnalyseGesprekken),
            "doorlooptijden": {
                "ontvangstTotBevestiging": self.duur(DagenTotBevestiging),
                "bevestigingTotTerugkoppeling": self.duur(DagenTotTerugkoppeling),
                "ontvangstTotAfronding": self.duur(Afronding),
                "klachtOntvangstTotAfhandeling": self.duur(KlachtDagen),
                "onderzoekStartTotEinde": self.duur(DagenOnderzoek),
            },
        }

    def analyse_per_onderdeel(
        self, soort: type[K], code: Callable[[K], str], alle: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        """{code: {onderdeel: n}} of the asked year."""
        out: dict[str, dict[str, int]] = {c: defaultdict(int) for c in alle}
        for k, n in self.van_jaar(soort, self.jaar):
            c = code(k)
            if c in out:
                out[c][k.defensieonderdeel] += n
        return out

    def analyse_tabel(
        self, kolommen: dict[str, dict[str, int]], totalen: dict[str, Cel] | None = None
    ) -> dict[str, dict[str, Cel]]:
        """A breakdown of the asked year per onderdeel and code, suppressed as one table.

        Its row totals are published with it (`totaal`), unless `totalen` is given: the same
        totals as an earlier table showed them (meldingen received = those by kanaal =
        those anonymous or not). Then the ones shown are fixed and the ones suppressed
        there are protected here too, so that the two tables together reveal nothing the
        first hid.
        """
        totaal = "totaal"
        waarden: dict[tuple[str, str], int] = {
            (o, k): int(per.get(o, 0)) for k, per in kolommen.items() for o in DEFENSIEONDERDELEN
        }
        for o in DEFENSIEONDERDELEN:
            waarden[(o, totaal)] = sum(waarden[(o, k)] for k in kolommen)
        vast: frozenset[tuple[str, str]] = frozenset()
        al_onderdrukt: frozenset[tuple[str, str]] = frozenset()
        if totalen is not None:
            vast = frozenset((o, totaal) for o in DEFENSIEONDERDELEN if not totalen[o].onderdrukt)
            al_onderdrukt = frozenset(
                (o, totaal) for o in DEFENSIEONDERDELEN if totalen[o].onderdrukt
            )
        tabel = Kruistabel(
            DEFENSIEONDERDELEN,
            [*kolommen, totaal],
            waarden,
            totaalkolom=totaal,
            vast=vast,
            al_onderdrukt=al_onderdrukt,
        )
        cellen = beveilig(tabel, drempel=self.drempel)
        publiek = [*kolommen] if totalen is not None else [*kolommen, totaal]
        return {k: {o: cellen[(o, k)] for o in DEFENSIEONDERDELEN} for k in publiek}

    def analyse_indicatoren(self, hrhd: dict[str, Cel]) -> dict[str, dict[str, Cel]]:
        """The `analyse` breakdowns of the asked year per onderdeel (`analyse.<naam>.<code>`);
        `hrhd`: the meldingen received per onderdeel as `meldingen.hrhd` published them."""
        tabellen: dict[str, dict[str, dict[str, Cel]]] = {
            "afdoening": self.analyse_tabel(
                self.analyse_per_onderdeel(AnalyseAfdoening, lambda k: k.afdoening, AFDOENINGEN)
            ),
            "kanaal": self.analyse_tabel(
                self.analyse_per_onderdeel(AnalyseKanaal, lambda k: k.kanaal, KANALEN), hrhd
            ),
            "anoniem": self.analyse_tabel(
                self.analyse_per_onderdeel(AnalyseAnoniem, lambda k: k.anoniem, ANONIEM), hrhd
            ),
            "conclusie": self.analyse_tabel(
                self.analyse_per_onderdeel(AnalyseConclusie, lambda k: k.conclusie, CONCLUSIES)
            ),
            "cogAdvies": self.analyse_tabel(
                self.analyse_per_onderdeel(AnalyseCogAdvies, lambda k: k.advies, COG_ADVIEZEN)
            ),
            "doorverwijzingen": self.analyse_tabel(
                self.analyse_per_onderdeel(
                    AnalyseDoorverwijzing, lambda k: k.doorverwezen_naar, DOORVERWIJZINGEN
                )
            ),
        }
        # klachten handled in the year: by wijze, then by oordeel with the same row totals
        wijze = self.analyse_tabel(
            self.analyse_per_onderdeel(AnalyseKlachtWijze, lambda k: k.wijze, AFHANDELWIJZEN)
        )
        tabellen["klachtWijze"] = wijze
        tabellen["klachtOordeel"] = self.analyse_tabel(
            self.analyse_per_onderdeel(AnalyseKlachtOordeel, lambda k: k.oordeel, OORDELEN),
            wijze["totaal"],
        )
        out = {
            f"analyse.{naam}.{code}": cellen
            for naam, tabel in tabellen.items()
            for code, cellen in tabel.items()
        }
        gesprekken: defaultdict[str, int] = defaultdict(int)
        for k, n in self.van_jaar(AnalyseGesprekken, self.jaar):
            gesprekken[k.defensieonderdeel] += n
        out["analyse.informeleGesprekken"] = self.per_onderdeel_onderdrukt(gesprekken)
        return out

    # --- nazorg: aftercare of named melders --------------------------------------------------
    def nazorg(self) -> Json:
        uitgevoerd = self.jaarserie(NazorgUitgevoerd)
        benadeling = self.jaarserie(NazorgBenadeling)
        return {
            "uitgevoerd": uitgevoerd,
            "benadelingGemeld": benadeling,
            "benadelingProcent": {y: procent(benadeling[y], uitgevoerd[y]) for y in uitgevoerd},
            "verlopen": self.jaarserie(NazorgVerlopen),
        }

    def body(self) -> Json:
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
            "analyse": self.analyse(),
            "nazorg": self.nazorg(),
        }

    # --- per onderdeel (GET /indicatoren) ----------------------------------------------------
    def per_onderdeel_van(
        self,
        soort: type[J],
        onderdeel: Callable[[J], str],
        filter: Callable[[J], bool] | None = None,
    ) -> dict[str, int]:
        """Counters of one key kind of the asked year, per onderdeel."""
        out: defaultdict[str, int] = defaultdict(int)
        for k, n in self.van_jaar(soort, self.jaar):
            if filter is None or filter(k):
                out[onderdeel(k)] += n
        return out

    def per_onderdeel(self) -> dict[str, dict[str, Cel]]:
        """Every per-onderdeel indicator of the asked year, suppressed (see the module)."""
        j = self.jaar
        onderzoeken: defaultdict[str, int] = defaultdict(int)
        for k, n in self.tellingen.rijen(Onderzoek):
            if self.actief(k, j):
                onderzoeken[k.defensieonderdeel] += n
        zonder_onderdeel = sum(n for o, n in onderzoeken.items() if o not in DEFENSIEONDERDELEN)

        def nw(advies: str | None = None) -> dict[str, int]:
            return self.per_onderdeel_van(
                Nevenwerkzaamheid,
                lambda k: k.defensieonderdeel,
                None if advies is None else lambda k: k.advies == advies,
            )

        geregistreerd, positief, negatief = nw(), nw("positief"), nw("negatief")
        nevenwerkzaamheden = self.rijen_onderdrukt(
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
        casussen = self.per_onderdeel_van(Casus, lambda k: k.defensieonderdeel)
        klachten = self.per_onderdeel_van(Klacht, lambda k: k.defensieonderdeel)
        netwerk = self.netwerk_op(j)
        meldingen = self.meldingen_per_onderdeel()
        return {
            "meldingen.totaal": meldingen["totaal"],
            "meldingen.hrhd": meldingen["hrhd"],
            "meldingen.bps": meldingen["bps"],
            "klachten.ingediend": self.per_onderdeel_onderdrukt(klachten),
            "integriteitsonderzoeken.uitgevoerd": self.per_onderdeel_onderdrukt(
                onderzoeken, rest=zonder_onderdeel
            ),
            "nevenwerkzaamheden.geregistreerd": nevenwerkzaamheden["geregistreerd"],
            "nevenwerkzaamheden.positiefAdvies": nevenwerkzaamheden["positief"],
            "nevenwerkzaamheden.negatiefAdvies": nevenwerkzaamheden["negatief"],
            "vertrouwenspersonen.casussen": onderdruk_rijtotalen(
                {o: casussen.get(o, 0) for o in DEFENSIEONDERDELEN}, drempel=self.drempel
            ),
            "vertrouwenspersonen.netwerk": {
                o: Cel(netwerk.get(o, 0), False) for o in DEFENSIEONDERDELEN
            },
            **self.analyse_indicatoren(meldingen["hrhd"]),
        }

    def indicatoren(self, onderdelen: Sequence[str]) -> list[Json]:
        out: list[Json] = []
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
