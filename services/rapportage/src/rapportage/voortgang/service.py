"""Voortgang: the open cases on a peildatum, by age and legal deadline (the regiefunctie).

Computed from the fact rows the events established (`rapportage.projecties.models`), with
the report's bitemporal rule: a fact counts when rapportage registered its event on or
before the peildatum (Amsterdam day; `integriteit_shared.kalender.einde_dag`), and a step
counts when its own date is on or before the peildatum too. Decisions:

- Of duplicated facts the earliest registered counts (as in the jaarverslag): one receipt,
  one acknowledgement, one start per case.
- melding: open from its receipt date until a closing (`afgerond`). Deadlines
  (`integriteit_shared.kalender.bereken_termijnen`): acknowledgement 7 days after receipt,
  feedback 3 months after the acknowledgement (or day 7 when none was sent). Past a
  deadline: its last day lies before the peildatum and the step is not known.
- misstand: open from the day it was taken up (the earliest `vermoeden`, or the receipt of
  a melding received as a suspected misstand) until it is closed; onderdeel of its melding.
- integriteitsonderzoek: open from its start date until its end date; onderdeel of its
  start (an investigation without one is counted Defensie-wide only).
- klacht: open from receipt until handling; term `integriteit_shared.kalender.klacht_termijn`
  (6 weeks, 10 once the COG handles it, plus the longest adjournment, at most 4 weeks).
- nevenwerkzaamheid: open from registration until an advice.
- nazorg: one case per check-in with a named melder (`rapportage.projecties.nazorg`: planned
  at `nazorg_maanden` after the closing, a check-in done counting for the earliest planned
  one not yet done), open from its due date until a check-in done on or before the
  peildatum; term `nazorgcontact`: overdue once `nazorg.MARGE` (30 days) after the due date
  passed, the jaarverslag's rule for `verlopen`. Onderdeel and id of its melding; a melding
  with two overdue check-ins is listed twice.
- Age in days = peildatum minus the opening date: `0-7`, `8-30`, `31-90`, `91-180`, `>180`.
- Per onderdeel, as the jaarverslag: counts from 1 to the threshold suppressed, with
  secondary suppression (`integriteit_shared.onderdrukking`): open per age bucket as a table
  with its row totals, and the overdue count per deadline with its Defensie figure. The
  oldest age of an onderdeel is given only when its open count is published.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, get_args

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integriteit_shared.codes import DEFENSIEONDERDELEN
from integriteit_shared.db.session import Database
from integriteit_shared.kalender import bereken_termijnen, einde_dag, klacht_termijn
from integriteit_shared.onderdrukking import Cel, onderdruk_cellen, onderdruk_kruistabel
from rapportage.jaarverslag.service import (
    VersionWatcher,
    Weergave,
    etag_of,
    momentopname,
    render_json,
    versie,
)
from rapportage.projecties import models as m
from rapportage.projecties import nazorg
from rapportage.voortgang.schemas import (
    Achterstallig,
    Leeftijd,
    Stand,
    StandOnderdeel,
    TermijnSoort,
    VoortgangRead,
    ZaakSoort,
)

ZAAKSOORTEN: Final[tuple[ZaakSoort, ...]] = get_args(ZaakSoort.__value__)
LEEFTIJDEN: Final[tuple[Leeftijd, ...]] = get_args(Leeftijd.__value__)
# the upper bound (inclusive) of each age bucket but the last
_GRENZEN: Final[tuple[tuple[int, Leeftijd], ...]] = (
    (7, "0-7"),
    (30, "8-30"),
    (90, "31-90"),
    (180, "91-180"),
)
TERMIJNEN: Final[dict[ZaakSoort, tuple[TermijnSoort, ...]]] = {
    "melding": ("ontvangstbevestiging", "terugkoppeling"),
    "misstand": (),
    "integriteitsonderzoek": (),
    "klacht": ("klachttermijn",),
    "nevenwerkzaamheid": (),
    "nazorg": ("nazorgcontact",),
}


def leeftijd(dagen: int) -> Leeftijd:
    for grens, klasse in _GRENZEN:
        if dagen <= grens:
            return klasse
    return ">180"


@dataclass(frozen=True)
class Termijn:
    soort: TermijnSoort
    uiterlijk: date


@dataclass(frozen=True)
class OpenZaak:
    """A case open on the peildatum, with the deadlines still ahead of its next steps."""

    soort: ZaakSoort
    zaak_id: str
    defensieonderdeel: str | None
    sinds: date
    termijnen: tuple[Termijn, ...] = ()


# --- reading the facts ------------------------------------------------------------------------


def _eerste(rijen: Iterable[Any], sleutel: str) -> dict[str, Any]:
    """Per aggregate id, its first row (the rows come in registration order)."""
    out: dict[str, Any] = {}
    for r in rijen:
        out.setdefault(getattr(r, sleutel), r)
    return out


async def _rijen(session: AsyncSession, model: Any, peildatum: date) -> Sequence[Any]:
    """The rows of a fact table registered by the end of the peildatum, in registration
    order (time, then event id: the order the jaarverslag uses)."""
    tabel = model.__table__
    stmt = (
        select(tabel)
        .where(tabel.c.registered_at < einde_dag(peildatum))
        .order_by(tabel.c.registered_at, tabel.c.event_id)
    )
    return (await session.execute(stmt)).all()


def _stappen(rijen: Iterable[Any], sleutel: str, peildatum: date) -> dict[str, dict[str, Any]]:
    """Per aggregate id, its first row of each step dated on or before the peildatum."""
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rijen:
        if r.datum is None or r.datum <= peildatum:
            out[getattr(r, sleutel)].setdefault(r.stap, r)
    return out


def _meldingen(
    peildatum: date, meldingen: dict[str, Any], stappen_per_melding: dict[str, dict[str, Any]]
) -> list[OpenZaak]:
    zaken: list[OpenZaak] = []
    for melding_id, r in meldingen.items():
        ontvangen: date = r.ontvangen_datum
        stappen = stappen_per_melding.get(melding_id, {})
        if ontvangen > peildatum or "afgerond" in stappen:
            continue
        bevestiging = stappen.get("bevestigd")
        termijnen = bereken_termijnen(ontvangen, None if bevestiging is None else bevestiging.datum)
        lopend: list[Termijn] = []
        if bevestiging is None:
            lopend.append(Termijn("ontvangstbevestiging", termijnen.ontvangstbevestiging_uiterlijk))
        if "terugkoppeling" not in stappen:
            lopend.append(Termijn("terugkoppeling", termijnen.terugkoppeling_uiterlijk))
        zaken.append(OpenZaak("melding", melding_id, r.defensieonderdeel, ontvangen, tuple(lopend)))
    return zaken


async def _misstanden(
    session: AsyncSession, peildatum: date, meldingen: dict[str, Any]
) -> list[OpenZaak]:
    genomen_op: dict[str, date] = {
        melding_id: r.ontvangen_datum for melding_id, r in meldingen.items() if r.vermoeden_misstand
    }
    afgerond: set[str] = set()
    for r in await _rijen(session, m.RapMisstand, peildatum):
        if r.stap == "vermoeden":
            eerder = genomen_op.get(r.melding_id)
            genomen_op[r.melding_id] = r.datum if eerder is None else min(eerder, r.datum)
        elif r.datum <= peildatum:
            afgerond.add(r.melding_id)
    zaken: list[OpenZaak] = []
    for melding_id, sinds in genomen_op.items():
        if sinds <= peildatum and melding_id not in afgerond:
            melding = meldingen.get(melding_id)
            onderdeel = None if melding is None else melding.defensieonderdeel
            zaken.append(OpenZaak("misstand", melding_id, onderdeel, sinds))
    return zaken


async def _onderzoeken(session: AsyncSession, peildatum: date) -> list[OpenZaak]:
    stappen_per_onderzoek = _stappen(
        await _rijen(session, m.RapOnderzoek, peildatum), "onderzoek_id", peildatum
    )
    zaken: list[OpenZaak] = []
    for onderzoek_id, stappen in stappen_per_onderzoek.items():
        start = stappen.get("gestart")
        if start is not None and "afgerond" not in stappen:
            zaken.append(
                OpenZaak(
                    "integriteitsonderzoek", onderzoek_id, start.defensieonderdeel, start.datum
                )
            )
    return zaken


async def _klachten(session: AsyncSession, peildatum: date) -> list[OpenZaak]:
    klachten = _eerste(await _rijen(session, m.RapKlacht, peildatum), "klacht_id")
    stappen_per_klacht: dict[str, list[Any]] = defaultdict(list)
    for r in await _rijen(session, m.RapKlachtStap, peildatum):
        if r.datum is None or r.datum <= peildatum:
            stappen_per_klacht[r.klacht_id].append(r)
    zaken: list[OpenZaak] = []
    for klacht_id, r in klachten.items():
        ontvangen = r.ontvangen_datum
        stappen = stappen_per_klacht.get(klacht_id, [])
        soorten = {s.stap for s in stappen}
        if ontvangen > peildatum or "afgehandeld" in soorten:
            continue
        termijn = klacht_termijn(
            ontvangen,
            # the COG handles the klacht from its start (or, failing that event, its advice)
            cog_behandeling=bool(soorten & {"cog_gestart", "cog_advies"}),
            verdaging_weken=max((s.weken or 0 for s in stappen), default=0),
        )
        zaken.append(
            OpenZaak(
                "klacht",
                klacht_id,
                r.defensieonderdeel,
                ontvangen,
                (Termijn("klachttermijn", termijn),),
            )
        )
    return zaken


async def _nevenwerkzaamheden(session: AsyncSession, peildatum: date) -> list[OpenZaak]:
    registraties = _eerste(
        await _rijen(session, m.RapNevenwerkzaamheid, peildatum), "nevenwerkzaamheid_id"
    )
    geadviseerd = {
        r.nevenwerkzaamheid_id
        for r in await _rijen(session, m.RapAdvies, peildatum)
        if r.datum <= peildatum
    }
    return [
        OpenZaak("nevenwerkzaamheid", nw_id, r.defensieonderdeel, r.registratiedatum)
        for nw_id, r in registraties.items()
        if r.registratiedatum <= peildatum and nw_id not in geadviseerd
    ]


async def _nazorg(
    session: AsyncSession,
    peildatum: date,
    meldingen: dict[str, Any],
    stappen_per_melding: dict[str, dict[str, Any]],
) -> list[OpenZaak]:
    gedaan: dict[str, list[date]] = defaultdict(list)
    for r in await _rijen(session, m.RapNazorg, peildatum):
        if r.datum <= peildatum:
            gedaan[r.melding_id].append(r.datum)
    zaken: list[OpenZaak] = []
    for melding_id, r in meldingen.items():
        afronding = stappen_per_melding.get(melding_id, {}).get("afgerond")
        if afronding is None or r.anoniem is not False:  # only a named melder has check-ins
            continue
        for due, op in nazorg.toegewezen(afronding.datum, gedaan.get(melding_id, ())):
            if op is None and due <= peildatum:
                termijn = Termijn("nazorgcontact", due + nazorg.MARGE)
                zaken.append(OpenZaak("nazorg", melding_id, r.defensieonderdeel, due, (termijn,)))
    return zaken


async def open_zaken(session: AsyncSession, peildatum: date) -> list[OpenZaak]:
    """Every case open on the peildatum, as known by then."""
    meldingen = _eerste(await _rijen(session, m.RapMelding, peildatum), "melding_id")
    stappen_per_melding = _stappen(
        await _rijen(session, m.RapMeldingStap, peildatum), "melding_id", peildatum
    )
    return [
        *_meldingen(peildatum, meldingen, stappen_per_melding),
        *await _misstanden(session, peildatum, meldingen),
        *await _onderzoeken(session, peildatum),
        *await _klachten(session, peildatum),
        *await _nevenwerkzaamheden(session, peildatum),
        *await _nazorg(session, peildatum, meldingen, stappen_per_melding),
    ]


# --- the figures ------------------------------------------------------------------------------


def _over(zaak: OpenZaak, peildatum: date) -> list[Termijn]:
    return [t for t in zaak.termijnen if t.uiterlijk < peildatum]


def _cel(c: Cel) -> dict[str, int | bool | None]:
    return c.als_dict()


def voortgang(
    zaken: Sequence[OpenZaak],
    *,
    peildatum: date,
    drempel: int,
    defensieonderdeel: str | None = None,
) -> VoortgangRead:
    """The figures of `GET /voortgang` from the open cases (pure: no database)."""
    per_soort: dict[ZaakSoort, list[OpenZaak]] = {s: [] for s in ZAAKSOORTEN}
    for z in zaken:
        per_soort[z.soort].append(z)

    soorten: dict[ZaakSoort, Stand] = {}
    onderdelen: dict[str, dict[ZaakSoort, StandOnderdeel]] = {od: {} for od in DEFENSIEONDERDELEN}
    for soort, lijst in per_soort.items():
        # per case, not per id: a melding can have more than one check-in open
        leeftijden = [(peildatum - z.sinds).days for z in lijst]
        klassen: dict[Leeftijd, int] = dict.fromkeys(LEEFTIJDEN, 0)
        tabel: dict[tuple[str, Leeftijd], int] = {}
        oudste: dict[str, int] = {}
        over: dict[TermijnSoort, int] = dict.fromkeys(TERMIJNEN[soort], 0)
        over_od: dict[TermijnSoort, dict[str, int]] = {
            t: dict.fromkeys(DEFENSIEONDERDELEN, 0) for t in TERMIJNEN[soort]
        }
        for z, dagen in zip(lijst, leeftijden, strict=True):
            klasse = leeftijd(dagen)
            klassen[klasse] += 1
            od = z.defensieonderdeel
            if od in onderdelen:
                tabel[(od, klasse)] = tabel.get((od, klasse), 0) + 1
                oudste[od] = max(oudste.get(od, 0), dagen)
            for t in _over(z, peildatum):
                over[t.soort] += 1
                if od in onderdelen:
                    over_od[t.soort][od] += 1
        soorten[soort] = Stand(
            open=len(lijst),
            per_leeftijd=klassen,
            over_termijn=over,
            oudste_dagen=max(leeftijden, default=None),
        )
        totalen, cellen = onderdruk_kruistabel(
            tabel, rijen=DEFENSIEONDERDELEN, kolommen=LEEFTIJDEN, drempel=drempel
        )
        over_cellen = {
            t: onderdruk_cellen(n_od, drempel=drempel, verborgen_rest=over[t] - sum(n_od.values()))
            for t, n_od in over_od.items()
        }
        for od in DEFENSIEONDERDELEN:
            totaal = totalen[od]
            onderdelen[od][soort] = StandOnderdeel.model_validate(
                {
                    "open": _cel(totaal),
                    "per_leeftijd": {k: _cel(cellen[(od, k)]) for k in LEEFTIJDEN},
                    "over_termijn": {t: _cel(c[od]) for t, c in over_cellen.items()},
                    "oudste_dagen": None if totaal.onderdrukt else oudste.get(od),
                }
            )

    achterstallig = [
        Achterstallig.model_validate(
            {
                "id": z.zaak_id,
                "defensieonderdeel": z.defensieonderdeel,
                "soort": z.soort,
                "termijn": t.soort,
                "uiterlijk": t.uiterlijk,
                "dagen_over": (peildatum - t.uiterlijk).days,
            }
        )
        for z in zaken
        if defensieonderdeel is None or z.defensieonderdeel == defensieonderdeel
        for t in _over(z, peildatum)
    ]
    achterstallig.sort(key=lambda a: (-a.dagen_over, a.soort, a.termijn, a.id))
    return VoortgangRead.model_validate(
        {
            "peildatum": peildatum,
            "defensieonderdeel": defensieonderdeel,
            "soorten": soorten,
            "per_defensieonderdeel": {
                od: stand
                for od, stand in onderdelen.items()
                if defensieonderdeel is None or od == defensieonderdeel
            },
            "achterstallig": achterstallig,
        }
    )


# --- serving: rendered once per data version, as the jaarverslag -------------------------------

# (peildatum, onderdeel, the whole overdue list or not, data version)
CacheKey = tuple[date, str | None, bool, int]


class VoortgangCache:
    """Rendered bodies per (peildatum, onderdeel, data version): a dashboard polling an
    unchanged state costs a dictionary lookup, not a read of every open case."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[CacheKey, Weergave] = OrderedDict()

    def get(self, key: CacheKey) -> Weergave | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: CacheKey, item: Weergave) -> None:
        self._items[key] = item
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


async def weergave(
    db: Database,
    cache: VoortgangCache,
    version_watcher: VersionWatcher,
    *,
    peildatum: date,
    drempel: int,
    defensieonderdeel: str | None,
    volledig: bool,
) -> Weergave:
    """The JSON body and its ETag, from memory while the data version is unchanged; else
    read on one snapshot (`momentopname`) and rendered as the jaarverslag is.

    `volledig`: the whole overdue list (the regiefunctie, `beheerder`); else only the cases
    whose count per onderdeel is published (`zichtbaar_achterstallig`)."""
    hit = cache.get((peildatum, defensieonderdeel, volledig, await version_watcher.current(db)))
    if hit is not None:
        return hit
    async with momentopname(db) as session:
        gezien = await versie(session)
        zaken = await open_zaken(session, peildatum)
        stabiel = not db.is_sqlite or await versie(session) == gezien
    stand = voortgang(
        zaken, peildatum=peildatum, drempel=drempel, defensieonderdeel=defensieonderdeel
    )
    if not volledig:
        stand = zichtbaar_achterstallig(stand)
    body = render_json(stand.model_dump(mode="json", by_alias=True))
    item = Weergave(body=body, etag=etag_of(body))
    if stabiel:  # only cache what belongs to one version
        cache.put((peildatum, defensieonderdeel, volledig, gezien), item)
    return item


def zichtbaar_achterstallig(stand: VoortgangRead) -> VoortgangRead:
    """The overdue list without the cases of a suppressed cell.

    Counted per onderdeel, kind and deadline, the list would give every number that
    `perDefensieonderdeel` suppresses. A reader who is not the regiefunctie therefore sees
    only the cases of the cells that are published anyway (and those without an onderdeel,
    which no cell holds); what the suppression hides, the list hides too.
    """

    def zichtbaar(a: Achterstallig) -> bool:
        if a.defensieonderdeel is None:
            return True
        cel = stand.per_defensieonderdeel.get(a.defensieonderdeel, {}).get(a.soort)
        telling = cel.over_termijn.get(a.termijn) if cel is not None else None
        return telling is not None and not telling.onderdrukt

    return stand.model_copy(
        update={"achterstallig": [a for a in stand.achterstallig if zichtbaar(a)]}
    )
