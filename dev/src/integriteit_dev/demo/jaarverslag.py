"""The Jaarverslag Integriteit Defensie 2024 (seed/) as events: a deterministic dataset.

`events()` returns `(EventData, registered_at)` pairs, sorted by registration time, all
registered before 2025-01-01, that reproduce the report's 2022-2024 figures (Fig. 1-7, the
KMar figures, nevenwerkzaamheden 291 = 279 + 12, the CLSK network growth of 29.0%) when
counted by the rapportage definitions of DOMAIN.md. Where the report gives no split (HRHD
versus BPS, klacht soorten, categories of earlier years) the split below is an assumption;
the totals are the report's. Ids are UUIDv5, so the same call gives the same dataset.

The report gives no lead times or aftercare; the demo adds them so the dashboard's
Voortgang view shows a plausible state: every HRHD melding of 2022 and 2023 was
acknowledged, answered and closed within its own year (its named melder then had every
check-in), and of 2024's those received in the autumn are still open on 31 December.

`EXPECTED_2024` holds the figures `GET /jaarverslagen/2024?peildatum=2025-01-01` must give.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from integriteit_shared.events import models as ev
from integriteit_shared.events.models import EventData
from integriteit_shared.kalender import nazorg_data
from integriteit_shared.settings import ServiceSettings

AMS = ZoneInfo("Europe/Amsterdam")
NS = uuid.UUID("6f1f8c1e-2f4b-4b8e-9a53-6a1d2c0e2024")
YEARS = (2022, 2023, 2024)

# Fig. 2: meldingen HRHD + BPS (totals from the report; the split is an assumption)
MELDINGEN = {2024: (500, 129), 2023: (450, 105), 2022: (550, 117)}
BPS_VASTGESTELD = {2024: 40, 2023: 50, 2022: 60}
# 2024 per subcategorie over HRHD + BPS; the top-3 orders are the report's
MELDING_CATEGORIEEN_2024 = {
    ("ongewenst_gedrag", "intimidatie"): 90,
    ("ongewenst_gedrag", "kwaadspreken"): 80,
    ("ongewenst_gedrag", "seksuele_intimidatie"): 70,
    ("ongewenst_gedrag", "pesten"): 60,
    ("ongewenst_gedrag", "discriminatie"): 30,
    ("ongewenst_gedrag", "agressie_en_geweld"): 25,
    ("ongewenst_gedrag", "machtsmisbruik"): 20,
    ("ongewenst_gedrag", "stalking"): 10,
    ("ongewenst_gedrag", "ongewenst_gedrag_overig"): 15,
    ("zakelijke_integriteit", "overschrijding_interne_regels"): 60,
    ("zakelijke_integriteit", "oneigenlijk_gebruik_dienstmiddelen"): 50,
    ("zakelijke_integriteit", "misbruik_positie"): 40,
    ("zakelijke_integriteit", "financiele_schendingen"): 15,
    ("zakelijke_integriteit", "lekken_informatie"): 10,
    ("zakelijke_integriteit", "misbruik_geweldsbevoegdheid"): 5,
    ("zakelijke_integriteit", "misdragingen_privesfeer"): 10,
    ("zakelijke_integriteit", "zakelijke_integriteit_overig"): 10,
    ("overig", "arbeidsconflict"): 15,
    ("overig", "privesituatie"): 8,
    ("overig", "overig"): 6,
}
# Fig. 7: casussen vertrouwenspersonen; 2024 per subcategorie (top-3 orders from the report)
CASUSSEN = {2024: 887, 2023: 882, 2022: 900}
CASUS_CATEGORIEEN_2024 = {
    ("ongewenst_gedrag", "pesten"): 120,
    ("ongewenst_gedrag", "intimidatie"): 90,
    ("ongewenst_gedrag", "kwaadspreken"): 70,
    ("ongewenst_gedrag", "seksuele_intimidatie"): 40,
    ("ongewenst_gedrag", "discriminatie"): 25,
    ("ongewenst_gedrag", "agressie_en_geweld"): 20,
    ("ongewenst_gedrag", "machtsmisbruik"): 15,
    ("ongewenst_gedrag", "stalking"): 10,
    ("ongewenst_gedrag", "ongewenst_gedrag_overig"): 10,
    ("zakelijke_integriteit", "misbruik_positie"): 30,
    ("zakelijke_integriteit", "zakelijke_integriteit_overig"): 25,
    ("zakelijke_integriteit", "overschrijding_interne_regels"): 20,
    ("zakelijke_integriteit", "oneigenlijk_gebruik_dienstmiddelen"): 10,
    ("zakelijke_integriteit", "financiele_schendingen"): 5,
    ("zakelijke_integriteit", "lekken_informatie"): 4,
    ("zakelijke_integriteit", "misbruik_geweldsbevoegdheid"): 2,
    ("zakelijke_integriteit", "misdragingen_privesfeer"): 4,
    ("overig", "arbeidsconflict"): 200,
    ("overig", "privesituatie"): 120,
    ("overig", "overig"): 67,
}
# Fig. 4: klachten (soort split ongewenst_gedrag/onbehoorlijkheid/combinatie is an assumption)
KLACHTEN = {2024: (15, 8, 4), 2023: (16, 7, 4), 2022: (12, 6, 4)}
COG = {2024: 8, 2023: 19, 2022: 13}
# Fig. 6: nevenwerkzaamheden (positief, negatief); 2024 from the report
NEVENWERKZAAMHEDEN = {2024: (279, 12), 2023: (270, 11), 2022: (255, 8)}
# Fig. 1: deelnemers open inschrijving (2022 not in the report: none)
OPLEIDINGEN = {
    "uitspreken_bespreken_aanspreken": {2024: 166, 2023: 125},
    "mindbugs": {2024: 62, 2023: 81},
    "leidinggeven_sociaal_veilige_werkomgeving": {2024: 67, 2023: 64},
    "sociale_veiligheid_diversiteit_inclusiviteit": {2024: 59, 2023: 80},
    "kameraadschap": {2024: 11, 2023: 34},
    "basis_leergang_integriteit": {2024: 56, 2023: 97},
}
# Network of vertrouwenspersonen on 31 December 2022, 2023, 2024: growth everywhere in 2024,
# CLSK 31 -> 40 = 29.0%
NETWERK = {
    "BS": (9, 10, 11),
    "CZSK": (43, 45, 50),
    "CLAS": (78, 80, 88),
    "CLSK": (30, 31, 40),
    "KMAR": (28, 30, 33),
    "COMMIT": (14, 15, 17),
    "DOSCO": (24, 25, 27),
}
ONDERDELEN = ("BS", "CZSK", "CLAS", "CLSK", "KMAR", "COMMIT", "DOSCO")
# the check-ins of a named melding after its closing: the platform's default plan
NAZORG_MAANDEN: tuple[int, ...] = ServiceSettings.model_fields["nazorg_maanden"].default

EXPECTED_2024: dict[str, Any] = {
    "meldingen.totaal": {"2024": 629, "2023": 555, "2022": 667},
    "meldingen.hrhd": {"2024": 500, "2023": 450, "2022": 550},
    "meldingen.bps": {"2024": 129, "2023": 105, "2022": 117},
    "meldingen.vastgesteldeSchendingenBps": {"2024": 40, "2023": 50, "2022": 60},
    "meldingen.top3.ongewenst_gedrag": ["intimidatie", "kwaadspreken", "seksuele_intimidatie"],
    "meldingen.top3.zakelijke_integriteit": [
        "overschrijding_interne_regels",
        "oneigenlijk_gebruik_dienstmiddelen",
        "misbruik_positie",
    ],
    "misstanden.inBehandelingGenomen": {"2024": 0, "2023": 1, "2022": 4},
    "misstanden.afgerond": {"2024": 3, "2023": 0, "2022": 0},
    "misstanden.vastgesteld": {"2024": 1, "2023": 0, "2022": 0},
    "klachten.ingediend": {"2024": 27, "2023": 27, "2022": 22},
    "klachten.behandeldDoorCog": {"2024": 8, "2023": 19, "2022": 13},
    "integriteitsonderzoeken.uitgevoerd": {"2024": 4, "2023": 10, "2022": 18},
    "integriteitsonderzoeken.gestartVoorJaarAfgerondInJaar": 2,
    "integriteitsonderzoeken.gestartEnAfgerondInJaar": 1,
    "integriteitsonderzoeken.gestartInJaarDoorlopend": 1,
    "kmar.rechtspositioneleOnderzoekenGestart.2024": 112,
    "kmar.rechtspositioneleOnderzoekenAfgerond.2024": 131,
    "kmar.schendingVastgesteld.2024": 86,
    "nevenwerkzaamheden.geregistreerd": {"2024": 291, "2023": 281, "2022": 263},
    "nevenwerkzaamheden.positiefAdvies.2024": 279,
    "nevenwerkzaamheden.negatiefAdvies.2024": 12,
    "vertrouwenspersonen.casussen": {"2024": 887, "2023": 882, "2022": 900},
    "vertrouwenspersonen.top3.ongewenst_gedrag": ["pesten", "intimidatie", "kwaadspreken"],
    "vertrouwenspersonen.top3.zakelijke_integriteit": [
        "misbruik_positie",
        "zakelijke_integriteit_overig",
        "overschrijding_interne_regels",
    ],
    "vertrouwenspersonen.netwerk.CLSK": {"aantal": 40, "groeiProcent": 29.0},
    "opleidingen.totaal": {"2024": 421, "2023": 481, "2022": 0},
    # the story behind the figures: how meldingen, klachten and casussen were dealt with
    # (the seed has no afdoening decisions, casus closings or tallied conversations). The
    # report gives none of these: the values are the demo's own, 2022 and 2023 included
    "analyse.afdoening": {
        "integriteitsonderzoek": {"2024": 0, "2023": 0, "2022": 0},
        "gespreksbegeleiding": {"2024": 0, "2023": 0, "2022": 0},
        "mediation": {"2024": 0, "2023": 0, "2022": 0},
        "excuses": {"2024": 0, "2023": 0, "2022": 0},
        "doorverwezen": {"2024": 0, "2023": 0, "2022": 0},
        "geen_vervolg": {"2024": 0, "2023": 0, "2022": 0},
    },
    "analyse.kanaal": {
        "mid": {"2024": 333, "2023": 300, "2022": 366},
        "leidinggevende": {"2024": 167, "2023": 150, "2022": 184},
    },
    "analyse.anoniem": {
        "ja": {"2024": 100, "2023": 90, "2022": 110},
        "nee": {"2024": 400, "2023": 360, "2022": 440},
    },
    # every HRHD melding of 2022 and 2023 was closed in its own year, conclusions in turn
    # (`_doorloop`); of 2024 the 473 closed by 31 December
    "analyse.conclusie": {
        "schending_vastgesteld": {"2024": 158, "2023": 150, "2022": 183},
        "geen_schending": {"2024": 159, "2023": 150, "2022": 184},
        "niet_van_toepassing": {"2024": 156, "2023": 150, "2022": 183},
    },
    "analyse.klachtWijze": {
        "informeel": {"2024": 19, "2023": 8, "2022": 9},
        "besluit": {"2024": 8, "2023": 19, "2022": 13},
    },
    "analyse.klachtOordeel": {
        "gegrond": {"2024": 13, "2023": 13, "2022": 11},
        "deels_gegrond": {"2024": 0, "2023": 0, "2022": 0},
        "ongegrond": {"2024": 14, "2023": 14, "2022": 11},
        "ingetrokken": {"2024": 0, "2023": 0, "2022": 0},
        "niet_ontvankelijk": {"2024": 0, "2023": 0, "2022": 0},
    },
    "analyse.cogAdvies": {
        "gegrond": {"2024": 0, "2023": 0, "2022": 0},
        "deels_gegrond": {"2024": 8, "2023": 19, "2022": 13},
        "ongegrond": {"2024": 0, "2023": 0, "2022": 0},
        "niet_ontvankelijk": {"2024": 0, "2023": 0, "2022": 0},
    },
    "analyse.doorverwijzingen": {
        "meldpunt": {"2024": 0, "2023": 0, "2022": 0},
        "klachten": {"2024": 0, "2023": 0, "2022": 0},
        "bedrijfsmaatschappelijk_werk": {"2024": 0, "2023": 0, "2022": 0},
        "p_en_o": {"2024": 0, "2023": 0, "2022": 0},
        "anders": {"2024": 0, "2023": 0, "2022": 0},
    },
    "analyse.informeleGesprekken": {"2024": 0, "2023": 0, "2022": 0},
    # aftercare (demo, not in the report): the named melders of 2022 and 2023 had all their
    # check-ins (3, 6 and 12 months after the closing) in time, none reporting retaliation,
    # the last ones in 2024: a 2023 melding's 12-month check-in always falls in 2024, so
    # those are 2024's 726 done (`_nazorg`). The 2024 meldingen have none, so every one of
    # theirs due in 2024 whose 30 days passed is overdue
    "nazorg": {
        "uitgevoerd": {"2024": 726, "2023": 1228, "2022": 446},
        "benadelingGemeld": {"2024": 0, "2023": 0, "2022": 0},
        "benadelingProcent": {"2024": 0.0, "2023": 0.0, "2022": 0.0},
        "verlopen": {"2024": 351, "2023": 0, "2022": 0},
    },
    # lead times: the melding stages are the demo's (`_doorloop`: 2022 and 2023 with the
    # lead times of 2024, shortened where they would pass 31 December); the klacht and
    # onderzoek ones are those of `_klachten` and `_onderzoeken`, unchanged
    "analyse.doorlooptijden": {
        "ontvangstTotBevestiging": {
            "mediaan": {"2024": 4, "2023": 4, "2022": 4},
            "p90": {"2024": 6, "2023": 6, "2022": 6},
        },
        "bevestigingTotTerugkoppeling": {
            "mediaan": {"2024": 61, "2023": 58, "2022": 58},
            "p90": {"2024": 90, "2023": 90, "2022": 90},
        },
        "ontvangstTotAfronding": {
            "mediaan": {"2024": 53, "2023": 51, "2022": 51},
            "p90": {"2024": 77, "2023": 77, "2022": 77},
        },
        "klachtOntvangstTotAfhandeling": {
            "mediaan": {"2024": 30, "2023": 65, "2022": 65},
            "p90": {"2024": 65, "2023": 75, "2022": 75},
        },
        "onderzoekStartTotEinde": {
            "mediaan": {"2024": 213, "2023": 273, "2022": 181},
            "p90": {"2024": 213, "2023": 273, "2022": 181},
        },
    },
}

Pair = tuple[EventData, datetime]


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


def _at(d: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment on calendar day `d` in Amsterdam, as UTC."""
    return datetime.combine(d, time(hour, minute), tzinfo=AMS).astimezone(UTC)


def _day(year: int, i: int, n: int, *, last_day: int = 330) -> date:
    """The i-th of n days spread over day 0..last_day of the year."""
    return date(year, 1, 1) + timedelta(days=(i * last_day) // max(n, 1))


def _spread(total: int, weights: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """`total` categories in proportion to `weights` (largest remainder), deterministic."""
    wsum = sum(weights.values())
    exact = {k: total * w / wsum for k, w in weights.items()}
    alloc = {k: int(v) for k, v in exact.items()}
    rest = total - sum(alloc.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - alloc[k]), k))[:rest]:
        alloc[k] += 1
    return [k for k, n in alloc.items() for _ in range(n)]


def _melding_categorieen(year: int) -> list[tuple[str, str]]:
    total = sum(MELDINGEN[year])
    if year == 2024:
        cats = [k for k, n in MELDING_CATEGORIEEN_2024.items() for _ in range(n)]
    else:
        cats = _spread(total, MELDING_CATEGORIEEN_2024 | {("overig", "arbeidsconflict"): 25})
    random.Random(f"meldingen-{year}").shuffle(cats)  # noqa: S311 - a fixed demo order
    assert len(cats) == total
    return cats


def _meldingen() -> Iterator[Pair]:
    misstand_ids: dict[int, list[str]] = {2022: [], 2023: []}
    for year in YEARS:
        n_hrhd, n_bps = MELDINGEN[year]
        cats = _melding_categorieen(year)
        for i, (hoofd, sub) in enumerate(cats[:n_hrhd]):
            mid = _id("melding", year, i)
            d = _day(year, i, n_hrhd)
            ontvangen = _at(d, 9 + i % 8, (i * 7) % 60)
            misstand = year in misstand_ids and len(misstand_ids[year]) < {2022: 4, 2023: 1}[year]
            if misstand:
                misstand_ids[year].append(mid)
            recat = year == 2024 and i < 10
            anoniem = i % 5 == 0
            yield (
                ev.MeldingOntvangen(
                    melding_id=mid,
                    ontvangen_op=ontvangen,
                    kanaal="mid" if i % 3 else "leidinggevende",
                    defensieonderdeel=ONDERDELEN[i % 7] if i % 11 else "CLAS",
                    hoofdcategorie="overig" if recat else hoofd,
                    subcategorie="overig" if recat else sub,
                    anoniem=anoniem,
                    vermoeden_misstand=misstand,
                ),
                ontvangen + timedelta(minutes=30),
            )
            if recat:
                yield (
                    ev.MeldingGecategoriseerd(
                        melding_id=mid, hoofdcategorie=hoofd, subcategorie=sub
                    ),
                    _at(d + timedelta(days=3), 11),
                )
            yield from _doorloop(mid, i, d, anoniem=anoniem)
        for i, (hoofd, sub) in enumerate(cats[n_hrhd:]):
            bid = f"BPS-{year}-{i:04d}"
            d = _day(year, i, n_bps)
            yield (
                ev.BpsMeldingGeregistreerd(
                    bps_id=bid, registratiedatum=d, hoofdcategorie=hoofd, subcategorie=sub
                ),
                _at(d, 14),
            )
            if i < BPS_VASTGESTELD[year]:
                vd = d + timedelta(days=20)
                yield ev.BpsSchendingVastgesteld(bps_id=bid, datum=vd), _at(vd, 15)
    # Fig. 3: three closed in 2024: the 2023 one established, two of 2022 not
    closed = [(misstand_ids[2023][0], True), *((m, False) for m in misstand_ids[2022][:2])]
    for k, (mid, vastgesteld) in enumerate(closed):
        d = date(2024, 3 + 3 * k, 15)
        yield ev.MisstandAfgerond(melding_id=mid, vastgesteld=vastgesteld, datum=d), _at(d, 16)


def _doorloop(mid: str, i: int, d: date, *, anoniem: bool) -> Iterator[Pair]:
    """Acknowledgement, feedback and closing of a melding received on day `d`.

    A 2024 melding has only the steps that happened by the end of 2024: the rest is still
    open on the report's peildatum, and it has no check-ins. One of 2022 or 2023 has all
    three, each in its own year: a step whose usual lead time would take it past 31 December
    gets a shorter one, so that no step of an earlier year moves the 2024 figures. Its named
    melder then had every planned check-in, in time (`_nazorg`)."""
    end = date(d.year, 12, 31)
    bev = _stap(d, 10 if i % 25 == 0 else 1 + i % 6, end)
    if bev is None:
        return
    yield ev.MeldingOntvangstBevestigd(melding_id=mid, datum=bev), _at(bev, 12)
    tk = _stap(bev, 30 + i % 70, end)
    if tk is not None:
        yield ev.MeldingTerugkoppelingGegeven(melding_id=mid, datum=tk), _at(tk, 12)
    af = _stap(bev, 20 + (i * 13) % 60, end)
    if af is not None:
        conclusie = ("geen_schending", "schending_vastgesteld", "niet_van_toepassing")[i % 3]
        yield ev.MeldingAfgerond(melding_id=mid, conclusie=conclusie, datum=af), _at(af, 13)
        if d.year < 2024 and not anoniem:
            yield from _nazorg(mid, i, af)


def _nazorg(mid: str, i: int, afgerond: date) -> Iterator[Pair]:
    """The check-ins of a closed named melding of 2022 or 2023, each up to 13 days after it
    was due (within the 30 days); those due in 2024 by 31 December 2024, no retaliation."""
    for due in nazorg_data(afgerond, NAZORG_MAANDEN):
        dag = min(due + timedelta(days=i % 14), date(2024, 12, 31))
        yield (
            ev.NazorgUitgevoerd(melding_id=mid, datum=dag, benadeling_gemeld=False),
            _at(dag, 15),
        )


def _stap(vanaf: date, dagen: int, end: date) -> date | None:
    """The day a step `dagen` after `vanaf` took place, by `end` (the year's last day).

    In 2024 a step past `end` has not happened yet (None); in an earlier year it happened
    sooner: in the second half of the days left before `end`, spread by `dagen`."""
    dag = vanaf + timedelta(days=dagen)
    if dag <= end:
        return dag
    if end.year == 2024:
        return None
    over = (end - vanaf).days
    return vanaf + timedelta(days=over // 2 + dagen % (over - over // 2 + 1))


def _klachten() -> Iterator[Pair]:
    soorten = ("ongewenst_gedrag", "onbehoorlijkheid", "combinatie")
    for year in YEARS:
        lijst = [s for s, n in zip(soorten, KLACHTEN[year], strict=True) for _ in range(n)]
        for i, soort in enumerate(lijst):
            kid = _id("klacht", year, i)
            d = _day(year, i, len(lijst), last_day=280)
            ontvangen = _at(d, 11)
            yield (
                ev.KlachtIngediend(
                    klacht_id=kid,
                    ontvangen_op=ontvangen,
                    soort=soort,
                    indiener="oud_medewerker" if i % 6 == 0 else "medewerker",
                    defensieonderdeel=ONDERDELEN[(i * 3) % 7],
                ),
                ontvangen + timedelta(minutes=20),
            )
            if i < COG[year]:
                cd = d + timedelta(days=10)
                yield ev.CogBehandelingGestart(klacht_id=kid, datum=cd), _at(cd, 10)
                ad = d + timedelta(days=55)
                yield (
                    ev.CogAdviesUitgebracht(klacht_id=kid, advies="deels_gegrond", datum=ad),
                    _at(ad, 10),
                )
                hd = d + timedelta(days=65 if i % 4 else 75)
                wijze = "besluit"
            else:
                hd = d + timedelta(days=30 if i % 5 else 50)
                wijze = "informeel"
            yield (
                ev.KlachtAfgehandeld(
                    klacht_id=kid,
                    wijze=wijze,
                    oordeel="gegrond" if i % 2 else "ongegrond",
                    datum=hd,
                ),
                _at(hd, 15),
            )


def _onderzoeken() -> Iterator[Pair]:
    """Fig. 5: active in 2022/2023/2024 = 18/10/4, 2024 = 2 + 1 + 1."""
    Periode = tuple[date, date | None]
    lopend: list[Periode] = [(date(2024, 10, 1), None)]  # started in 2024, running into 2025
    plan: list[Periode] = (
        [(date(2023, 9, 1 + k), date(2024, 4, 1 + k)) for k in range(2)]  # 2023 -> 2024
        + [(date(2024, 2, 1), date(2024, 9, 1))]  # started and ended in 2024
        + lopend
        + [(date(2022, 6, 1 + k), date(2023, 3, 1 + k)) for k in range(5)]  # 2022 -> 2023
        + [(date(2023, 2, 1 + k), date(2023, 8, 1 + k)) for k in range(3)]  # within 2023
        + [(date(2021, 9, 1 + k), date(2022, 2, 1 + k)) for k in range(6)]  # 2021 -> 2022
        + [(date(2022, 1, 10 + k), date(2022, 7, 10 + k)) for k in range(7)]  # within 2022
    )
    for k, (start, eind) in enumerate(plan):
        oid = _id("onderzoek", k)
        yield (
            ev.IntegriteitsonderzoekGestart(
                onderzoek_id=oid,
                defensieonderdeel=ONDERDELEN[k % 7],
                startdatum=start,
                melding_id=None,
            ),
            _at(start, 9),
        )
        if eind is not None:
            yield (
                ev.IntegriteitsonderzoekAfgerond(
                    onderzoek_id=oid, einddatum=eind, conclusie="geen_schending"
                ),
                _at(eind, 9),
            )


def _kmar() -> Iterator[Pair]:
    """KMar 2024: 112 started, 131 completed of which 86 with an established violation."""
    plan: list[tuple[date, date | None]] = [(_day(2023, k, 100), None) for k in range(100)]
    for k in range(40):  # completed within 2023
        plan[k] = (plan[k][0], plan[k][0] + timedelta(days=30))
    for k in range(40, 100):  # started 2023, completed in 2024
        plan[k] = (plan[k][0], date(2024, 1, 1) + timedelta(days=(k - 40) * 5))
    for k in range(112):  # started 2024; 71 completed in 2024
        start = _day(2024, k, 112, last_day=300)
        plan.append((start, start + timedelta(days=40) if k < 71 else None))
    vastgesteld = 0
    for k, (start, eind) in enumerate(plan):
        oid = f"RPO-{k:04d}"
        yield ev.RechtspositioneelOnderzoekGestart(onderzoek_id=oid, startdatum=start), _at(start)
        if eind is None:
            continue
        schending = True
        if eind.year == 2024:
            schending = vastgesteld < 86
            vastgesteld += schending
        yield (
            ev.RechtspositioneelOnderzoekAfgerond(
                onderzoek_id=oid, einddatum=eind, schending_vastgesteld=schending
            ),
            _at(eind, 16),
        )


def _nevenwerkzaamheden() -> Iterator[Pair]:
    for year in YEARS:
        pos, neg = NEVENWERKZAAMHEDEN[year]
        n = pos + neg
        for i in range(n):
            nid = _id("nevenwerkzaamheid", year, i)
            d = _day(year, i, n, last_day=340)
            yield (
                ev.NevenwerkzaamheidGeregistreerd(
                    nevenwerkzaamheid_id=nid,
                    defensieonderdeel=ONDERDELEN[(i * 5) % 7],
                    registratiedatum=d,
                    betaald=i % 3 != 0,
                ),
                _at(d, 10),
            )
            ad = d + timedelta(days=14)
            advies = "negatief" if i % (n // neg) == 0 and i // (n // neg) < neg else "positief"
            yield (
                ev.NevenwerkzaamheidGeadviseerd(
                    nevenwerkzaamheid_id=nid,
                    advies=advies,
                    datum=ad,
                ),
                _at(ad, 11),
            )


def _casus_categorieen(year: int) -> list[tuple[str, str]]:
    if year == 2024:
        cats = [k for k, n in CASUS_CATEGORIEEN_2024.items() for _ in range(n)]
    else:
        cats = _spread(CASUSSEN[year], CASUS_CATEGORIEEN_2024)
    random.Random(f"casussen-{year}").shuffle(cats)  # noqa: S311 - a fixed demo order
    assert len(cats) == CASUSSEN[year]
    return cats


def _vertrouwenspersonen() -> Iterator[Pair]:
    for year in YEARS:
        for i, (hoofd, sub) in enumerate(_casus_categorieen(year)):
            d = _day(year, i, CASUSSEN[year], last_day=364)
            yield (
                ev.CasusGeregistreerd(
                    casus_id=_id("casus", year, i),
                    defensieonderdeel=ONDERDELEN[(i * 2) % 7],
                    datum=d,
                    hoofdcategorie=hoofd,
                    subcategorie=sub,
                ),
                _at(d, 17),
            )
    # the register: n22 appointed in 2022; each later year one leaves and enough join
    for onderdeel, (n22, n23, n24) in NETWERK.items():
        actief: list[str] = []
        dagen = [date(2022, 1, 3) + timedelta(days=k * 3) for k in range(n22)]
        yield from _aanstellen(onderdeel, actief, dagen)
        for year, doel in ((2023, n23), (2024, n24)):
            weg = actief.pop(0)
            ed = date(year, 6, 30)
            yield ev.VertrouwenspersoonBeeindigd(vertrouwenspersoon_id=weg, datum=ed), _at(ed, 8)
            dagen = [date(year, 2, 1) + timedelta(days=k * 7) for k in range(doel - len(actief))]
            yield from _aanstellen(onderdeel, actief, dagen)


def _aanstellen(onderdeel: str, actief: list[str], dagen: list[date]) -> Iterator[Pair]:
    for d in dagen:
        vid = _id("vertrouwenspersoon", onderdeel, d.isoformat(), len(actief))
        actief.append(vid)
        yield (
            ev.VertrouwenspersoonAangesteld(
                vertrouwenspersoon_id=vid,
                defensieonderdeel=onderdeel,
                datum=d,
            ),
            _at(d, 8),
        )


def _opleidingen() -> Iterator[Pair]:
    for opleiding, per_jaar in OPLEIDINGEN.items():
        for year, total in per_jaar.items():
            sessies = [min(20, total - s) for s in range(0, total, 20)]
            for k, aantal in enumerate(sessies):
                d = date(year, 2, 1) + timedelta(days=k * 40)
                yield (
                    ev.OpleidingsdeelnameGeregistreerd(
                        opleiding=opleiding,
                        datum=d,
                        aantal_deelnemers=aantal,
                    ),
                    _at(d + timedelta(days=1), 9),
                )


def events() -> list[Pair]:
    """The whole dataset, sorted by registration time (stable)."""
    pairs: list[Pair] = [
        *_meldingen(),
        *_klachten(),
        *_onderzoeken(),
        *_kmar(),
        *_nevenwerkzaamheden(),
        *_vertrouwenspersonen(),
        *_opleidingen(),
    ]
    limit = datetime(2025, 1, 1, tzinfo=AMS)
    assert all(t < limit for _, t in pairs), "every event is registered before 2025"
    return sorted(pairs, key=lambda p: p[1])
