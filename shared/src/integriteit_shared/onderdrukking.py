"""Small numbers and percentages in the figures the services publish: one rule, one place.

DOMAIN.md: breakdowns below Defensie level (per defensieonderdeel) suppress the counts from
1 up to and including a threshold, so that no one can be recognised; Defensie-wide figures
are never suppressed. The threshold is the setting `onderdrukking_tot_en_met` (default 4,
`ServiceSettings`), the same for every service that publishes counts: vertrouwenspersonen
(`GET /casussen/tellingen`) and rapportage (the jaarverslag and `GET /indicatoren`).

A breakdown goes through `onderdruk_cellen` as a whole, or with its total through
`onderdruk_tabel`, so that a rule which looks at more than one cell (DOMAIN.md: "and so many
more cells as needed that none can be worked out from the totals", issue 15) has one
place to live. Today each cell is judged on its own, and a table's total is hidden when one
of its cells is (else the total minus the cells shown would give the hidden one away).

Percentages have one decimal, rounded half up, and are None when there is nothing to
divide by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, TypeVar

__all__ = [
    "ONDERDRUKKING_TOT_EN_MET",
    "Cel",
    "groei_procent",
    "onderdruk",
    "onderdruk_cellen",
    "onderdruk_tabel",
    "procent",
]

# The default threshold: counts 1 to 4 are suppressed.
ONDERDRUKKING_TOT_EN_MET: Final = 4

Sleutel = TypeVar("Sleutel")

_EEN_DECIMAAL = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Cel:
    """One published count: `waarde` is None when it is suppressed."""

    waarde: int | None
    onderdrukt: bool

    def als_dict(self) -> dict[str, int | bool | None]:
        """The JSON shape, `{"waarde": ..., "onderdrukt": ...}`."""
        return {"waarde": self.waarde, "onderdrukt": self.onderdrukt}


def onderdruk(aantal: int, *, drempel: int | None) -> Cel:
    """One count: hidden when it is 1 up to and including `drempel`. `drempel` None: a
    Defensie-wide figure, never hidden."""
    if drempel is not None and 1 <= aantal <= drempel:
        return Cel(waarde=None, onderdrukt=True)
    return Cel(waarde=aantal, onderdrukt=False)


def onderdruk_cellen(
    aantallen: Mapping[Sleutel, int], *, drempel: int | None
) -> dict[Sleutel, Cel]:
    """The cells of one breakdown (say, one figure per defensieonderdeel), in its order."""
    return {sleutel: onderdruk(aantal, drempel=drempel) for sleutel, aantal in aantallen.items()}


def onderdruk_tabel(
    aantallen: Mapping[Sleutel, int], *, drempel: int | None
) -> tuple[Cel, dict[Sleutel, Cel]]:
    """The total of a breakdown and its cells. The total is hidden when a cell is, and
    otherwise judged as a count of its own."""
    cellen = onderdruk_cellen(aantallen, drempel=drempel)
    if any(cel.onderdrukt for cel in cellen.values()):
        return Cel(waarde=None, onderdrukt=True), cellen
    return onderdruk(sum(aantallen.values()), drempel=drempel), cellen


def procent(teller: int, noemer: int) -> float | None:
    """`teller` as a percentage of `noemer`: one decimal, half up; None when `noemer` is 0."""
    if noemer == 0:
        return None
    return float((Decimal(teller) * 100 / Decimal(noemer)).quantize(_EEN_DECIMAAL, ROUND_HALF_UP))


def groei_procent(nu: int, toen: int) -> float | None:
    """Growth from `toen` to `nu` as a percentage of `toen` (None when `toen` is 0)."""
    return procent(nu - toen, toen)
