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
    onderdruk_kruistabel,
    onderdruk_rijtotalen,
    procent,
    uitsplitsingsdatum,
)
from integriteit_shared.schemas import CamelInput, CamelModel, VerledenDatum, VerledenMoment


def test_kleine_aantallen_worden_onderdrukt_nul_en_defensiebreed_niet() -> None:
    assert [onderdruk(n, drempel=4).waarde for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert onderdruk(3, drempel=4) == Cel(waarde=None, onderdrukt=True)
    assert onderdruk(3, drempel=None) == Cel(waarde=3, onderdrukt=False)
    assert onderdruk(2, drempel=4).als_dict() == {"waarde": None, "onderdrukt": True}


def test_een_verborgen_cel_krijgt_de_kleinste_aanvulling_en_het_totaal_blijft_zichtbaar() -> None:
    # 12 / 2 / 7 with the Defensie total 21 published: 2 alone would be 21 - 19
    cellen = onderdruk_cellen({"CLAS": 12, "BS": 2, "CZSK": 7}, drempel=4)
    assert cellen == {
        "CLAS": Cel(12, False),
        "BS": Cel(None, True),
        "CZSK": Cel(None, True),  # the smallest other cell
    }
    assert list(cellen) == ["CLAS", "BS", "CZSK"]
    # a zero is the cheapest complement: it hides nothing of a count
    cellen = onderdruk_cellen({"a": 10, "b": 2, "c": 0}, drempel=4)
    assert cellen["b"].onderdrukt and cellen["c"].onderdrukt and cellen["a"].waarde == 10
    # with an unpublished remainder (counted at Defensie level only) that is the complement
    cellen = onderdruk_cellen({"a": 10, "b": 2, "c": 0}, drempel=4, verborgen_rest=3)
    assert cellen == {"a": Cel(10, False), "b": Cel(None, True), "c": Cel(0, False)}
    assert onderdruk_cellen({"a": 2}, drempel=None) == {"a": Cel(2, False)}
    assert onderdruk_cellen({"x": 1}, drempel=0) == {"x": Cel(waarde=1, onderdrukt=False)}
    # the same counts give the same cells (deterministic): ties go by the table's order
    assert onderdruk_cellen({"a": 3, "b": 5, "c": 5}, drempel=4) == {
        "a": Cel(None, True),
        "b": Cel(None, True),
        "c": Cel(5, False),
    }


def test_een_onderdeel_met_het_hele_defensiecijfer_wordt_verborgen_in_rijtotalen() -> None:
    assert onderdruk_rijtotalen({"a": 12, "b": 0, "c": 0}, drempel=4) == {
        "a": Cel(None, True),
        "b": Cel(None, True),
        "c": Cel(0, False),
    }
    assert onderdruk_cellen({"a": 12, "b": 0, "c": 0}, drempel=4)["a"] == Cel(12, False)


def test_een_kruistabel_beschermt_ook_over_de_kolommen() -> None:
    """Per onderdeel 6 / 0 / 2 (total 8) and 0 / 5 / 0: the 2 needs a rectangle, and the
    only one whose +1/-1 keeps every count >= 0 runs through the other row's 5."""
    totalen, cellen = onderdruk_kruistabel(
        {("CLAS", "og"): 6, ("CLAS", "ov"): 2, ("BS", "zi"): 5},
        rijen=["BS", "CLAS", "CZSK"],
        kolommen=["og", "zi", "ov"],
        drempel=4,
    )
    assert totalen == {"BS": Cel(5, False), "CLAS": Cel(8, False), "CZSK": Cel(0, False)}
    verborgen = {cel for cel, c in cellen.items() if c.onderdrukt}
    assert verborgen == {("CLAS", "ov"), ("CLAS", "zi"), ("BS", "ov"), ("BS", "zi")}
    assert cellen[("CLAS", "og")] == Cel(6, False)


def test_uitsplitsingen_van_een_lopend_jaar_staan_op_een_voorbij_maandeinde() -> None:
    from datetime import date

    vandaag_ = date(2026, 12, 15)
    # a running year: the last month end before the peildatum, and before today
    assert uitsplitsingsdatum(2026, date(2026, 12, 15), vandaag_) == date(2026, 11, 30)
    assert uitsplitsingsdatum(2026, date(2026, 11, 30), vandaag_) == date(2026, 11, 30)
    assert uitsplitsingsdatum(2026, date(2026, 11, 29), vandaag_) == date(2026, 10, 31)
    assert uitsplitsingsdatum(2026, date(2027, 3, 1), vandaag_) == date(2026, 11, 30)
    # today's month end is not over yet
    assert uitsplitsingsdatum(2026, date(2026, 12, 31), date(2026, 12, 31)) == date(2026, 11, 30)
    assert uitsplitsingsdatum(2024, date(2024, 6, 15), vandaag_) == date(2024, 5, 31)
    assert uitsplitsingsdatum(2024, date(2024, 1, 10), vandaag_) == date(2023, 12, 31)
    assert uitsplitsingsdatum(2000, date(1, 1, 1), vandaag_) == date.min  # nothing before
    # a closed year: the peildatum itself
    assert uitsplitsingsdatum(2024, date(2025, 1, 1), vandaag_) == date(2025, 1, 1)
    assert uitsplitsingsdatum(2025, date(2026, 12, 15), vandaag_) == date(2026, 12, 15)


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
