"""The rules every service shares: suppression, percentages, past dates, the JSON base."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from integriteit_shared import onderdrukking
from integriteit_shared.kalender import vandaag
from integriteit_shared.onderdrukking import (
    Cel,
    groei_procent,
    onderdruk,
    onderdruk_cellen,
    onderdruk_tabel,
    procent,
)
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum, VerledenMoment


def test_kleine_aantallen_worden_onderdrukt_nul_en_defensiebreed_niet() -> None:
    assert [onderdruk(n, drempel=4).waarde for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert onderdruk(3, drempel=4) == Cel(waarde=None, onderdrukt=True)
    assert onderdruk(3, drempel=None) == Cel(waarde=3, onderdrukt=False)
    assert onderdruk(2, drempel=4).als_dict() == {"waarde": None, "onderdrukt": True}


def test_een_tabel_verbergt_het_totaal_als_een_cel_verborgen_is() -> None:
    totaal, cellen = onderdruk_tabel({"a": 10, "b": 2, "c": 0}, drempel=4)
    assert totaal.onderdrukt and cellen["b"].onderdrukt and cellen["c"].waarde == 0
    assert list(cellen) == ["a", "b", "c"]
    totaal, _ = onderdruk_tabel({"a": 3, "b": 0}, drempel=2)
    assert totaal == Cel(waarde=3, onderdrukt=False)
    totaal, _ = onderdruk_tabel({"a": 2, "b": 0}, drempel=4)
    assert totaal.onderdrukt  # the cell is hidden, so its total is too
    assert onderdruk_tabel({"a": 2}, drempel=None)[0] == Cel(waarde=2, onderdrukt=False)
    assert onderdruk_cellen({"x": 1}, drempel=0) == {"x": Cel(waarde=1, onderdrukt=False)}


def test_de_standaarddrempel_is_vier_en_een_instelling() -> None:
    from integriteit_shared.settings import ServiceSettings

    assert onderdrukking.ONDERDRUKKING_TOT_EN_MET == 4
    assert ServiceSettings().onderdrukking_tot_en_met == 4


def test_procenten_een_decimaal_half_naar_boven() -> None:
    assert procent(1, 8) == 12.5
    assert procent(1, 3) == 33.3
    assert procent(2, 3) == 66.7
    assert procent(1, 16) == 6.3  # 6.25 rounds up, not to even
    assert procent(1, 0) is None
    assert groei_procent(12, 10) == 20.0
    assert groei_procent(9, 12) == -25.0
    assert groei_procent(3, 0) is None


class _Invoer(CamelInput):
    datum_voorval: VerledenDatum | None = None
    ontvangen_op: VerledenMoment | None = None
    naam: str = ""


class _Uitvoer(CamelModel):
    datum_voorval: date


def test_invoer_camelcase_strikt_en_getrimd() -> None:
    body = _Invoer.model_validate({"datumVoorval": vandaag().isoformat(), "naam": "  Jan "})
    assert body.datum_voorval == vandaag() and body.naam == "Jan"
    with pytest.raises(ValidationError) as fout:
        _Invoer.model_validate({"datumVoorvall": "2024-01-01"})
    assert fout.value.errors()[0]["type"] == "extra_forbidden"
    assert _Uitvoer(datum_voorval=date(2024, 1, 2)).model_dump(by_alias=True) == {
        "datumVoorval": date(2024, 1, 2)
    }
    assert issubclass(CamelInput, BaseModel)


def test_niet_in_de_toekomst() -> None:
    morgen = vandaag() + timedelta(days=1)
    straks = datetime.now(UTC) + timedelta(minutes=5)
    for veld, waarde in (("datumVoorval", morgen.isoformat()), ("ontvangenOp", straks.isoformat())):
        with pytest.raises(ValidationError) as fout:
            _Invoer.model_validate({veld: waarde})
        assert fout.value.errors()[0]["msg"] == "Value error, Mag niet in de toekomst liggen."
    with pytest.raises(ValidationError):
        _Invoer.model_validate({"ontvangenOp": "2024-01-01T10:00:00"})  # no offset
    assert _Invoer.model_validate({"ontvangenOp": "2024-01-01T10:00:00Z"}).ontvangen_op
