"""One setting for the aftercare periods, read alike by meldpunt (which plans the check-ins)
and rapportage (which counts them): env NAZORG_MAANDEN, without a service prefix."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from integriteit_shared.kalender import nazorg_data
from meldpunt.config import Settings as MeldpuntSettings
from rapportage.config import Settings as RapportageSettings


def test_standaard_3_6_12_en_een_waarde_voor_beide_diensten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert MeldpuntSettings().nazorg_maanden == (3, 6, 12)
    monkeypatch.setenv("NAZORG_MAANDEN", "1, 4,24")
    assert MeldpuntSettings().nazorg_maanden == (1, 4, 24)
    assert RapportageSettings().nazorg_maanden == (1, 4, 24)


@pytest.mark.parametrize("waarde", ["", "6,3", "3,3", "0,6", "drie"])
def test_een_onbruikbare_reeks_wordt_bij_de_start_geweigerd(
    monkeypatch: pytest.MonkeyPatch, waarde: str
) -> None:
    monkeypatch.setenv("NAZORG_MAANDEN", waarde)
    with pytest.raises(ValidationError):
        MeldpuntSettings()


def test_de_contacten_vallen_op_hele_maanden_na_de_afronding() -> None:
    # 31 August + 6 months: the last day of February
    assert nazorg_data(date(2026, 8, 31), (3, 6, 12)) == (
        date(2026, 11, 30),
        date(2027, 2, 28),
        date(2027, 8, 31),
    )
