"""Counter keys: every kind encodes to the stored text and parses back to an equal key."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from rapportage.projecties import feiten  # noqa: F401 - registers every key kind
from rapportage.projecties.melding import HrhdMelding
from rapportage.projecties.nevenwerkzaamheid import Nevenwerkzaamheid
from rapportage.projecties.onderzoek import Onderzoek
from rapportage.projecties.sleutels import SCHEIDING, SLEUTELS, Sleutel, sleutel


def _voorbeeld(cls: type[Sleutel]) -> Sleutel:
    waarden: list[object] = []
    for f in dataclasses.fields(cls):
        waarden.append(2024 if "int" in str(f.type) else "KMAR")
    maak: Callable[..., Sleutel] = cls
    return maak(*waarden)


@pytest.mark.parametrize("prefix", sorted(SLEUTELS.soorten))
def test_every_key_kind_round_trips(prefix: str) -> None:
    k = _voorbeeld(SLEUTELS.soorten[prefix])
    tekst = k.encode()
    soort, *delen = tekst.split(SCHEIDING)
    assert soort == prefix
    assert SLEUTELS.parse(soort, delen) == k


def test_the_stored_text_is_unchanged() -> None:
    # the counters already stored keep their meaning: the text of each key is fixed
    assert HrhdMelding(2024, "CLSK").encode() == "hrhd|2024|CLSK"
    assert Onderzoek(2023, None, "").encode() == "oz|2023|-|"
    assert Nevenwerkzaamheid(2024, "BS", None).encode() == "nw|2024|BS|-"
    assert SLEUTELS.parse("oz", ["2023", "-", ""]) == Onderzoek(2023, None, "")
    assert SLEUTELS.parse("nw", ["2024", "BS", "positief"]) == Nevenwerkzaamheid(
        2024, "BS", "positief"
    )
    # an unknown kind or a wrong number of parts is not a key
    assert SLEUTELS.parse("onbekend", ["2024"]) is None
    assert SLEUTELS.parse("hrhd", ["2024"]) is None


class _Dubbel(Sleutel):  # declared as a key kind is, without its decorator (`sleutel`)
    prefix = "hrhd"
    jaar: int


def test_a_prefix_names_one_kind() -> None:
    with pytest.raises(ValueError, match="twee keer"):
        sleutel(_Dubbel)
