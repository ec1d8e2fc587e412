"""No suppressed count can be worked out exactly from what the services publish.

Many random years of counts (hypothesis) go through the code the endpoints render:
rapportage's `Jaarverslag` (`GET /jaarverslagen/{jaar}` and `GET /indicatoren` for every
onderdeel and every year of the series) and vertrouwenspersonen's `beveiligde_tellingen`
(`GET /casussen/tellingen` for every onderdeel and Defensie-wide). An attacker who holds
all of that for one year and peildatum, and knows how the figures relate, solves for the
hidden counts: linear programming (scipy's HiGHS) gives, per suppressed cell, the least
and the greatest value that agrees with everything published. The cell is safe when the
two differ (its feasible interval has width > 0).

The relations the attacker uses (docs/privacy.md lists them):
- each breakdown adds up to its Defensie figure (row and total subtraction);
- meldingen: totaal = hrhd + bps per onderdeel, bps only at KMAR (KMar's own system);
- nevenwerkzaamheden: geregistreerd = positief + negatief + those without (another) advice;
- integriteitsonderzoeken: the onderdelen plus those without onderdeel make the Defensie
  figure;
- casussen: per onderdeel the sum of its hoofdcategorieen (vertrouwenspersonen), per
  hoofdcategorie the Defensie figure (both services), casussen per onderdeel published by
  rapportage and by vertrouwenspersonen.

A cell may be pinned only where the Defensie figures alone pin it (all breakdowns hidden):
no suppression below Defensie level can hide what the Defensie figures show, and DOMAIN.md
publishes those always.

The counts are integers and every relation is a sum of a two-way table, whose LP bounds are
whole numbers; so an LP interval of width > 0 holds at least two integer tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from integriteit_shared.codes import DEFENSIEONDERDELEN, HOOFDCATEGORIEEN
from rapportage.jaarverslag.indicatoren import Jaarverslag, Tellingen
from vertrouwenspersonen.casus.service import beveiligde_tellingen

JAREN = (2022, 2023, 2024)
ADVIEZEN = ("positief", "negatief", "-")
SUB = {
    "ongewenst_gedrag": "pesten",
    "zakelijke_integriteit": "misbruik_positie",
    "overig": "overig",
}

# counts as they occur: many zeros, many small ones, some larger
aantal = st.one_of(st.just(0), st.integers(1, 4), st.integers(1, 4), st.integers(5, 25))


@st.composite
def jaar_data(draw: st.DrawFn) -> dict[str, int]:
    """One year's true counts, named as the attacker's unknowns. Per kind of figure a random
    set of onderdelen has none (sparse tables are the hard ones)."""

    def per(soort: str) -> dict[str, int]:
        onderdelen = st.sampled_from(DEFENSIEONDERDELEN)
        # often only one or two onderdelen: where subtraction works best
        gevuld = draw(st.one_of(st.sets(onderdelen), st.sets(onderdelen, max_size=2)))
        return {o: draw(aantal) if o in gevuld else 0 for o in DEFENSIEONDERDELEN}

    ware: dict[str, int] = {}
    for soort in ("hrhd", "klacht", "oz"):
        ware |= {f"{soort}.{o}": n for o, n in per(soort).items()}
    for advies in ADVIEZEN:
        ware |= {f"nw.{o}.{advies}": n for o, n in per("nw").items()}
    for hc in HOOFDCATEGORIEEN:
        ware |= {f"casus.{o}.{hc}": n for o, n in per("casus").items()}
    ware["bps.KMAR"] = draw(aantal)
    ware["oz.zonder_onderdeel"] = draw(st.sampled_from([0, 0, 1, 3, 6]))
    return ware


def tellers(data: dict[int, dict[str, int]]) -> dict[str, int]:
    """The counters rapportage keeps (key formats of `projecties.bijdragen`)."""
    out: defaultdict[str, int] = defaultdict(int)
    for jaar, ware in data.items():
        for naam, n in ware.items():
            soort, *delen = naam.split(".")
            if soort == "hrhd":
                out[f"hrhd|{jaar}|{delen[0]}"] += n
            elif soort == "bps":
                out[f"bps|{jaar}"] += n
            elif soort == "klacht":
                out[f"klacht|{jaar}|integriteit|{delen[0]}"] += n
            elif soort == "oz":
                o = "" if delen[0] == "zonder_onderdeel" else delen[0]
                out[f"oz|{jaar}|{jaar}|{o}"] += n
            elif soort == "nw":
                out[f"nw|{jaar}|{delen[0]}|{delen[1]}"] += n
            else:
                out[f"casus|{jaar}|{delen[0]}"] += n
                out[f"casus_cat|{jaar}|{delen[1]}|{SUB[delen[1]]}"] += n
    return dict(out)


@dataclass
class Stelsel:
    """The attacker's unknowns (one year's true counts) and what was published about them."""

    namen: list[str] = field(default_factory=list)
    gelijk: list[tuple[dict[str, int], int]] = field(default_factory=list)  # expression = value
    verborgen: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (label, expr)
    defensie: list[tuple[dict[str, int], int]] = field(default_factory=list)

    def var(self, naam: str) -> str:
        if naam not in self.namen:
            self.namen.append(naam)
        return naam

    def som(self, *namen: str) -> dict[str, int]:
        return {self.var(n): 1 for n in namen}

    def cel(self, label: str, expr: dict[str, int], cel: dict[str, Any]) -> None:
        """A published breakdown cell: its value fixes the expression, or it is hidden."""
        if cel["onderdrukt"]:
            assert cel["waarde"] is None, label
            self.verborgen.append((label, expr))
        else:
            self.gelijk.append((expr, cel["waarde"]))

    def vast(
        self, expr: dict[str, int], gelijk: list[tuple[dict[str, int], int]], waar: int
    ) -> bool:
        """Every nonnegative solution gives the expression its true value `waar`."""
        n = len(self.namen)
        index = {naam: i for i, naam in enumerate(self.namen)}
        a = np.zeros((len(gelijk), n))
        b = np.zeros(len(gelijk))
        for r, (e, waarde) in enumerate(gelijk):
            for naam, coef in e.items():
                a[r, index[naam]] = coef
            b[r] = waarde
        c = np.zeros(n)
        for naam, coef in expr.items():
            c[index[naam]] = coef
        for teken in (-1, 1):  # the greatest, then the least value
            res = linprog(teken * c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            if res.status == 3:  # unbounded: not pinned
                return False
            assert res.status == 0, res.message  # the true table is always a solution
            if abs(teken * res.fun - waar) > 1e-6:
                return False
        return True


def stelsel_van(data: dict[int, dict[str, int]], jaar: int, drempel: int) -> Stelsel:
    """Everything both services publish for `jaar` at one peildatum, as linear equations."""
    peil = date(2025, 1, 1)
    rap = Tellingen(peil, tellers(data))
    verslagen = [Jaarverslag(rap, j, drempel).body() for j in (jaar, jaar + 1, jaar + 2)]
    rijen = Jaarverslag(rap, jaar, drempel).indicatoren(DEFENSIEONDERDELEN)
    s = Stelsel()
    o_s = DEFENSIEONDERDELEN
    y = str(jaar)

    h = {o: s.var(f"hrhd.{o}") for o in o_s}
    bps = s.var("bps.KMAR")  # BPS is KMar's: every other onderdeel's bps is 0
    k = {o: s.var(f"klacht.{o}") for o in o_s}
    z = {o: s.var(f"oz.{o}") for o in o_s}
    z_rest = s.var("oz.zonder_onderdeel")
    nw = {(o, a): s.var(f"nw.{o}.{a}") for o in o_s for a in ADVIEZEN}
    cas = {(o, hc): s.var(f"casus.{o}.{hc}") for o in o_s for hc in HOOFDCATEGORIEEN}

    # the Defensie figures of the year, in each jaarverslag whose series shows it
    for v in verslagen:
        if y not in v["meldingen"]["totaal"]:
            continue
        m = v["meldingen"]
        defensie = [
            ({**s.som(*h.values()), bps: 1}, m["totaal"][y]),
            (s.som(*h.values()), m["hrhd"][y]),
            ({bps: 1}, m["bps"][y]),
            (s.som(*k.values()), v["klachten"]["ingediend"][y]),
            (s.som(*z.values(), z_rest), v["integriteitsonderzoeken"]["uitgevoerd"][y]),
            (s.som(*nw.values()), v["nevenwerkzaamheden"]["geregistreerd"][y]),
            (
                s.som(*(nw[(o, "positief")] for o in o_s)),
                v["nevenwerkzaamheden"]["positiefAdvies"][y],
            ),
            (
                s.som(*(nw[(o, "negatief")] for o in o_s)),
                v["nevenwerkzaamheden"]["negatiefAdvies"][y],
            ),
            (s.som(*cas.values()), v["vertrouwenspersonen"]["casussen"][y]),
        ]
        for hc in HOOFDCATEGORIEEN:
            ph = v["vertrouwenspersonen"]["perHoofdcategorie"][hc][y]
            defensie.append((s.som(*(cas[(o, hc)] for o in o_s)), ph))
        s.defensie += defensie
    # the per-onderdeel figures of the jaarverslag of the year
    for o, cel in verslagen[0]["meldingen"]["perDefensieonderdeel"].items():
        expr = {h[o]: 1, bps: 1} if o == "KMAR" else {h[o]: 1}
        s.cel(f"jaarverslag perDefensieonderdeel {o}", expr, cel)

    # GET /indicatoren?jaar=
    def expressie(indicator: str, o: str) -> dict[str, int] | None:
        bps_o = {bps: 1} if o == "KMAR" else {}
        return {
            "meldingen.totaal": {h[o]: 1, **bps_o},
            "meldingen.hrhd": {h[o]: 1},
            "meldingen.bps": bps_o,
            "klachten.ingediend": {k[o]: 1},
            "integriteitsonderzoeken.uitgevoerd": {z[o]: 1},
            "nevenwerkzaamheden.geregistreerd": s.som(*(nw[(o, a)] for a in ADVIEZEN)),
            "nevenwerkzaamheden.positiefAdvies": {nw[(o, "positief")]: 1},
            "nevenwerkzaamheden.negatiefAdvies": {nw[(o, "negatief")]: 1},
            "vertrouwenspersonen.casussen": s.som(*(cas[(o, hc)] for hc in HOOFDCATEGORIEEN)),
        }.get(indicator)

    for rij in rijen:
        expr = expressie(rij["indicator"], rij["defensieonderdeel"])
        if expr is None:  # the netwerk: advisers, published in full by the jaarverslag
            assert rij["onderdrukt"] is False
            continue
        label = f"indicatoren {rij['indicator']} {rij['defensieonderdeel']}"
        if not expr:  # bps of an onderdeel other than KMAR: 0 by definition
            assert rij["waarde"] == 0, label
            continue
        s.cel(label, expr, rij)

    # GET /casussen/tellingen?jaar= for every onderdeel, and Defensie-wide
    vp = {(o, hc): data[jaar][cas[(o, hc)]] for o in o_s for hc in HOOFDCATEGORIEEN}
    casussen_rapportage = {
        r["defensieonderdeel"]: r for r in rijen if r["indicator"] == "vertrouwenspersonen.casussen"
    }
    for o in o_s:
        totaal, per = beveiligde_tellingen(vp, onderdeel=o, drempel=drempel)
        # one rule: both services show or hide an onderdeel's casussen alike
        assert totaal.als_dict() == {
            "waarde": casussen_rapportage[o]["waarde"],
            "onderdrukt": casussen_rapportage[o]["onderdrukt"],
        }, o
        s.cel(
            f"tellingen totaal {o}",
            s.som(*(cas[(o, hc)] for hc in HOOFDCATEGORIEEN)),
            totaal.als_dict(),
        )
        for hc, c in per.items():
            s.cel(f"tellingen {o} {hc}", {cas[(o, hc)]: 1}, c.als_dict())
    totaal, per = beveiligde_tellingen(vp, onderdeel=None, drempel=drempel)
    s.defensie.append((s.som(*cas.values()), int(totaal.waarde or 0)))
    for hc, c in per.items():
        s.defensie.append((s.som(*(cas[(o, hc)] for o in o_s)), int(c.waarde or 0)))
    return s


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.dictionaries(st.sampled_from(JAREN), jaar_data(), min_size=1, max_size=2),
    drempel=st.sampled_from([4, 4, 4, 2]),
)
def test_geen_onderdrukte_cel_is_exact_af_te_leiden(
    data: dict[int, dict[str, int]], drempel: int
) -> None:
    for jaar, ware in data.items():
        s = stelsel_van(data, jaar, drempel)
        gepubliceerd = s.defensie + s.gelijk
        for label, expr in s.verborgen:
            waar = sum(coef * ware[naam] for naam, coef in expr.items())
            # pinned only where the Defensie figures alone pin it
            assert not s.vast(expr, gepubliceerd, waar) or s.vast(expr, s.defensie, waar), (
                jaar,
                label,
            )


def test_de_audit_vindt_wat_aftrekken_oplevert() -> None:
    """The audit itself can fail: hiding only the small count (the rule before secondary
    suppression) is caught."""
    s = Stelsel()
    cellen = {"CLAS": 12, "BS": 2, "CZSK": 7}
    s.defensie.append((s.som(*cellen), sum(cellen.values())))
    for o, n in cellen.items():
        s.cel(o, {s.var(o): 1}, {"waarde": None if n <= 4 else n, "onderdrukt": n <= 4})
    ((_, expr),) = s.verborgen
    assert s.vast(expr, s.defensie + s.gelijk, 2)
    assert not s.vast(expr, s.defensie, 2)
