"""One setting name for the suppression threshold, read by both services that publish counts."""

from __future__ import annotations

import pytest

from rapportage.config import Settings as RapportageSettings
from vertrouwenspersonen.config import Settings as VertrouwenspersonenSettings


def test_drempel_standaard_vier_en_per_dienst_in_te_stellen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert RapportageSettings().onderdrukking_tot_en_met == 4
    assert VertrouwenspersonenSettings().onderdrukking_tot_en_met == 4
    monkeypatch.setenv("RAPPORTAGE_ONDERDRUKKING_TOT_EN_MET", "9")
    monkeypatch.setenv("VERTROUWENSPERSONEN_ONDERDRUKKING_TOT_EN_MET", "2")
    assert RapportageSettings().onderdrukking_tot_en_met == 9
    assert VertrouwenspersonenSettings().onderdrukking_tot_en_met == 2
