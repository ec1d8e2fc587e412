"""Small numbers and percentages in the figures the services publish: one rule, one place.

DOMAIN.md: breakdowns below Defensie level (per defensieonderdeel) suppress the counts from
1 up to and including a threshold, "and so many more cells as needed that none can be
worked out from the totals or from related figures"; Defensie-wide figures are never
suppressed. The threshold is the setting `onderdrukking_tot_en_met` (default 4,
`ServiceSettings`), the same for every service that publishes counts: vertrouwenspersonen
(`GET /casussen/tellingen`) and rapportage (the jaarverslag and `GET /indicatoren`).

Method (statistical disclosure control, as statistical offices do it):

- **Primary suppression:** a published breakdown cell with a count from 1 to the threshold.
- **Secondary (complementary) suppression: the hypercube method** (Repsilber's
  "Quaderverfahren", GHMITER in Statistics Netherlands' tau-ARGUS, `HYPERCUBE` in
  sdcTable), for the two-dimensional tables the services publish. A breakdown is a
  `Kruistabel`: rows (defensieonderdelen) and columns, optionally a column that is each
  row's total, and the Defensie row (the column totals) that is always published. For
  every suppressed cell, smallest first, the method picks the cheapest "cube" (in two
  dimensions: a rectangle of four cells; in a table of one column with a published total,
  a pair) with that cell as a corner whose other corners may be suppressed, and suppresses
  them. Adding +1 and -1 around the rectangle changes no row or column sum, so a second
  table agrees with everything published: each corner can be at least one more or less
  than it is (its feasible interval has width > 0). A rectangle only counts when that
  move keeps every count >= 0 (on one diagonal every corner at least 1), so zeros are
  used as complements only where they protect.
- **Least information lost, deterministically:** cost of a rectangle = the sum of the
  counts newly hidden, then their number, then the position of the rows and columns in
  the table's order. Cells already hidden (also cells never published) cost nothing.
- **Linked tables: top-down, as HiTaS** (de Wolf 2002; `HITAS` in sdcTable and
  tau-ARGUS' modular method). Where one service publishes only the row totals of a table
  another service breaks down further (casussen per onderdeel in rapportage, per onderdeel
  and hoofdcategorie in vertrouwenspersonen), both first protect the row totals alone
  (`onderdruk_rijtotalen`, the same call on the same counts, so the same pattern), and the
  breakdown then takes that pattern as fixed (`Kruistabel.vast` / `al_onderdrukt`). So,
  for the same counts, a total is never hidden in one service and shown in the other. A
  row total that holds the whole Defensie figure is hidden there too (with a complement):
  else its breakdown would equal the Defensie figures and could not be protected below.

Differencing across peildatums: `uitsplitsingsdatum` (month ends for a running year).

Percentages have one decimal, rounded half up, and are None when there is nothing to
divide by.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Generic, TypeVar

__all__ = [
    "ONDERDRUKKING_TOT_EN_MET",
    "Cel",
    "Kruistabel",
    "beveilig",
    "groei_procent",
    "onderdruk",
    "onderdruk_cellen",
    "onderdruk_kruistabel",
    "onderdruk_rijtotalen",
    "procent",
    "uitsplitsingsdatum",
]

# The default threshold: counts 1 to 4 are suppressed.
ONDERDRUKKING_TOT_EN_MET: Final = 4

Sleutel = TypeVar("Sleutel", bound=Hashable)
Rij = TypeVar("Rij", bound=Hashable)
Kolom = TypeVar("Kolom", bound=Hashable)

_EEN_DECIMAAL = Decimal("0.1")
# the one column of a breakdown that is a list of counts (`onderdruk_cellen`)
_AANTAL: Final = "aantal"


@dataclass(frozen=True, slots=True)
class Cel:
    """One published count: `waarde` is None when it is suppressed."""

    waarde: int | None
    onderdrukt: bool

    def als_dict(self) -> dict[str, int | bool | None]:
        """The JSON shape, `{"waarde": ..., "onderdrukt": ...}`."""
        return {"waarde": self.waarde, "onderdrukt": self.onderdrukt}


def onderdruk(aantal: int, *, drempel: int | None) -> Cel:
    """One count judged alone (primary suppression): hidden when it is 1 up to and
    including `drempel`. `drempel` None: a Defensie-wide figure, never hidden."""
    if drempel is not None and 1 <= aantal <= drempel:
        return Cel(waarde=None, onderdrukt=True)
    return Cel(waarde=aantal, onderdrukt=False)


@dataclass(frozen=True)
class Kruistabel(Generic[Rij, Kolom]):
    """A breakdown below Defensie level whose column sums (the Defensie row) are published.

    `waarden[(rij, kolom)]` is every count (missing: 0). `totaalkolom`, when given, is the
    column that holds each row's total (the sum of the other columns); its cells are
    published breakdown cells like the others. `vast`: cells published as they are, never
    suppressed (a figure Defensie publishes anyway, or a total an earlier table showed).
    `verborgen`: cells that exist but are never published (a remainder: the attacker knows
    only that it is >= 0). `al_onderdrukt`: cells an earlier, linked table hid; they are
    protected here as well.
    """

    rijen: Sequence[Rij]
    kolommen: Sequence[Kolom]
    waarden: Mapping[tuple[Rij, Kolom], int]
    totaalkolom: Kolom | None = None
    vast: frozenset[tuple[Rij, Kolom]] = field(default_factory=frozenset)
    verborgen: frozenset[tuple[Rij, Kolom]] = field(default_factory=frozenset)
    al_onderdrukt: frozenset[tuple[Rij, Kolom]] = field(default_factory=frozenset)

    def waarde(self, cel: tuple[Rij, Kolom]) -> int:
        return self.waarden.get(cel, 0)

    def cellen(self) -> Iterator[tuple[Rij, Kolom]]:
        for rij in self.rijen:
            for kolom in self.kolommen:
                yield rij, kolom


# A move: the cells of one rectangle (or pair) with the sign of their change.
_Zet = tuple[tuple[tuple[Rij, Kolom], int], ...]


def _zetten(tabel: Kruistabel[Rij, Kolom], cel: tuple[Rij, Kolom]) -> Iterator[_Zet[Rij, Kolom]]:
    """Every pair or rectangle with `cel` as a corner, with the signs that keep each
    published sum: a pair in one column when the rows have no total column; else a
    rectangle whose second column may be the total column (a cell and its row total
    move together)."""
    rij, kolom = cel
    totaal = tabel.totaalkolom
    for rij2 in tabel.rijen:
        if rij2 == rij:
            continue
        if totaal is None:
            yield ((cel, 1), ((rij2, kolom), -1))
            continue
        for kolom2 in tabel.kolommen:
            if kolom2 == kolom:
                continue
            # a cell and its row total change alike, two cells of one row oppositely
            teken = 1 if totaal in (kolom, kolom2) else -1
            yield (
                (cel, 1),
                ((rij, kolom2), teken),
                ((rij2, kolom), -1),
                ((rij2, kolom2), -teken),
            )


def _mogelijk(tabel: Kruistabel[Rij, Kolom], zet: _Zet[Rij, Kolom]) -> bool:
    """The move can be made in one direction without a count going below 0."""
    omlaag = all(tabel.waarde(c) >= 1 for c, teken in zet if teken > 0)
    omhoog = all(tabel.waarde(c) >= 1 for c, teken in zet if teken < 0)
    return omlaag or omhoog


def beveilig(tabel: Kruistabel[Rij, Kolom], *, drempel: int | None) -> dict[tuple[Rij, Kolom], Cel]:
    """Every published cell of the table (not the `verborgen` ones), primary and secondary
    suppression applied (hypercube method, see the module). `drempel` None: Defensie-wide,
    nothing hidden.

    A cell that no rectangle can protect (every other row is empty and its total shown)
    stays suppressed; its value then follows from the Defensie figures alone, which no
    suppression below Defensie level can change (`onderdruk_rijtotalen` prevents it for
    linked tables).
    """
    if drempel is None:
        return {c: Cel(tabel.waarde(c), False) for c in tabel.cellen() if c not in tabel.verborgen}
    volgorde = {c: i for i, c in enumerate(tabel.cellen())}
    verborgen = set(tabel.verborgen) | set(tabel.al_onderdrukt)
    te_beschermen = set(tabel.al_onderdrukt)
    for c in tabel.cellen():
        if c not in tabel.vast and c not in tabel.verborgen and 1 <= tabel.waarde(c) <= drempel:
            verborgen.add(c)
            te_beschermen.add(c)
    beschermd: set[tuple[Rij, Kolom]] = set()

    def kosten(zet: _Zet[Rij, Kolom]) -> tuple[int, int, list[int]]:
        nieuw = [c for c, _ in zet if c not in verborgen]
        return sum(tabel.waarde(c) for c in nieuw), len(nieuw), [volgorde[c] for c, _ in zet]

    # the smallest cells first, then in the table's order: deterministic
    for cel in sorted(te_beschermen, key=lambda c: (tabel.waarde(c), volgorde[c])):
        if cel in beschermd:
            continue
        kandidaten = [
            zet
            for zet in _zetten(tabel, cel)
            if all(c in volgorde and c not in tabel.vast for c, _ in zet) and _mogelijk(tabel, zet)
        ]
        if not kandidaten:
            continue
        beste = min(kandidaten, key=kosten)
        for c, _ in beste:
            verborgen.add(c)
            beschermd.add(c)
    return {
        c: Cel(None, True) if c in verborgen else Cel(tabel.waarde(c), False)
        for c in tabel.cellen()
        if c not in tabel.verborgen
    }


def onderdruk_cellen(
    aantallen: Mapping[Sleutel, int],
    *,
    drempel: int | None,
    verborgen_rest: int = 0,
) -> dict[Sleutel, Cel]:
    """The cells of one breakdown (one figure per defensieonderdeel, in its order) whose
    sum is published at Defensie level: small counts hidden, and as many more as needed
    that none follows from that total. `verborgen_rest`: what the Defensie figure counts
    beyond these cells (say, investigations without an onderdeel); never published."""
    rijen: list[Sleutel | None] = [*aantallen, None]
    waarden: dict[tuple[Sleutel | None, str], int] = {(s, _AANTAL): n for s, n in aantallen.items()}
    rest = frozenset({(None, _AANTAL)}) if verborgen_rest else frozenset()
    if verborgen_rest:
        waarden[(None, _AANTAL)] = verborgen_rest
    else:
        rijen.pop()
    cellen = beveilig(Kruistabel(rijen, (_AANTAL,), waarden, verborgen=rest), drempel=drempel)
    return {s: cellen[(s, _AANTAL)] for s in aantallen}


def onderdruk_rijtotalen(
    aantallen: Mapping[Sleutel, int], *, drempel: int | None
) -> dict[Sleutel, Cel]:
    """The row totals of a table that is broken down further elsewhere (the first, top
    step of HiTaS): as `onderdruk_cellen`, and also when one row holds the whole Defensie
    figure. Then its breakdown would equal the Defensie figures, which are always
    published; hidden with a complement, the breakdown can be protected below."""
    cellen = onderdruk_cellen(aantallen, drempel=drempel)
    if drempel is None:
        return cellen
    gevuld = [s for s, n in aantallen.items() if n > 0]
    if len(gevuld) != 1 or cellen[gevuld[0]].onderdrukt or len(aantallen) < 2:
        return cellen
    enige = gevuld[0]
    rijen = list(aantallen)
    tabel = Kruistabel(
        rijen,
        (_AANTAL,),
        {(s, _AANTAL): n for s, n in aantallen.items()},
        al_onderdrukt=frozenset({(enige, _AANTAL)}),
    )
    beveiligd = beveilig(tabel, drempel=drempel)
    return {s: beveiligd[(s, _AANTAL)] for s in aantallen}


def onderdruk_kruistabel(
    aantallen: Mapping[tuple[Rij, Kolom], int],
    *,
    rijen: Sequence[Rij],
    kolommen: Sequence[Kolom],
    drempel: int | None,
) -> tuple[dict[Rij, Cel], dict[tuple[Rij, Kolom], Cel]]:
    """A table per row (defensieonderdeel) and column with its row totals, whose row totals
    are also published elsewhere (HiTaS, top-down): first the row totals alone
    (`onderdruk_rijtotalen`, as the other publisher does), then the cells with that
    pattern fixed. Returns (row totals, cells)."""
    totalen = onderdruk_rijtotalen(
        {r: sum(aantallen.get((r, k), 0) for k in kolommen) for r in rijen}, drempel=drempel
    )
    if drempel is None:
        return totalen, {
            (r, k): Cel(aantallen.get((r, k), 0), False) for r in rijen for k in kolommen
        }
    totaal = _AANTAL
    waarden: dict[tuple[Rij, Kolom | str], int] = {cel: n for cel, n in aantallen.items()}
    for r in rijen:
        waarden[(r, totaal)] = sum(aantallen.get((r, k), 0) for k in kolommen)
    tabel: Kruistabel[Rij, Kolom | str] = Kruistabel(
        rijen,
        [*kolommen, totaal],
        waarden,
        totaalkolom=totaal,
        vast=frozenset((r, totaal) for r in rijen if not totalen[r].onderdrukt),
        al_onderdrukt=frozenset((r, totaal) for r in rijen if totalen[r].onderdrukt),
    )
    beveiligd = beveilig(tabel, drempel=drempel)
    return totalen, {(r, k): beveiligd[(r, k)] for r in rijen for k in kolommen}


def uitsplitsingsdatum(jaar: int, peildatum: date, vandaag: date) -> date:
    """The date as of which breakdowns below Defensie level of `jaar` are given, for a
    `peildatum` (docs/privacy.md, "Verschillen tussen peildatums"): day by day, the
    difference between two peildatums would tie each new melding to an onderdeel. So for
    a year still running on the peildatum (or today): the last month end on or before the
    peildatum that lies before today (a whole month that can no longer change); for a year
    that had ended by the peildatum: the peildatum itself."""
    if jaar < min(peildatum, vandaag).year:
        return peildatum
    grens = min(peildatum, vandaag - timedelta(days=1))
    if grens < date(1, 2, 1):  # no month end before it: a date before any registration
        return date.min
    if (grens + timedelta(days=1)).day == 1:
        return grens
    return grens.replace(day=1) - timedelta(days=1)


def procent(teller: int, noemer: int) -> float | None:
    """`teller` as a percentage of `noemer`: one decimal, half up; None when `noemer` is 0."""
    if noemer == 0:
        return None
    return float((Decimal(teller) * 100 / Decimal(noemer)).quantize(_EEN_DECIMAAL, ROUND_HALF_UP))


def groei_procent(nu: int, toen: int) -> float | None:
    """Growth from `toen` to `nu` as a percentage of `toen` (None when `toen` is 0)."""
    return procent(nu - toen, toen)
