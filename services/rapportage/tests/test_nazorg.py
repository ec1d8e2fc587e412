"""`nazorg` in GET /jaarverslagen/{jaar}: check-ins done, retaliation reported, and those
overdue (due NAZORG_MAANDEN after the closing of a named melding, not done within 30 days)."""

from __future__ import annotations

import uuid

import pytest

from integriteit_shared.events import models as ev
from rapportage.config import Settings


def uid() -> str:
    return str(uuid.uuid4())


async def gesloten(rap, *, anoniem: bool = False, afgerond: str = "2024-01-10") -> str:
    mid = uid()
    await rap.zet(
        ev.MeldingOntvangen(
            melding_id=mid,
            ontvangen_op="2024-01-02T09:00:00Z",
            kanaal="mid",
            defensieonderdeel="CLAS",
            hoofdcategorie="ongewenst_gedrag",
            subcategorie="pesten",
            anoniem=anoniem,
            vermoeden_misstand=False,
        ),
        "2024-01-02T09:01:00Z",
    )
    await rap.zet(
        ev.MeldingAfgerond(melding_id=mid, conclusie="geen_schending", datum=afgerond),
        f"{afgerond}T15:00:00Z",
    )
    return mid


async def contact(rap, mid: str, datum: str, benadeling: bool = False) -> None:
    await rap.zet(
        ev.NazorgUitgevoerd(melding_id=mid, datum=datum, benadeling_gemeld=benadeling),
        f"{datum}T12:00:00Z",
    )


def y(a: int = 0, b: int = 0, c: int = 0) -> dict[str, int]:
    return {"2024": a, "2023": b, "2022": c}


async def test_check_ins_done_overdue_and_retaliation(rap):
    # closed 10 January: check-ins due 10 April, 10 July (and 10 January 2025)
    mid = await gesloten(rap)
    await contact(rap, mid, "2024-04-25", benadeling=True)  # within 30 days of 10 April
    nz = (await rap.verslag(2024))["nazorg"]
    assert nz["uitgevoerd"] == y(1)
    assert nz["benadelingGemeld"] == y(1)
    assert nz["benadelingProcent"] == {"2024": 100.0, "2023": None, "2022": None}
    # 10 July + 30 days = 9 August: overdue from 10 August
    assert (await rap.verslag(2024, "2024-08-09"))["nazorg"]["verlopen"] == y(0)
    assert (await rap.verslag(2024, "2024-08-10"))["nazorg"]["verlopen"] == y(1)
    # a check-in done late counts for the July one but does not make it in time
    await contact(rap, mid, "2024-08-20")
    nz = (await rap.verslag(2024, "2024-12-31"))["nazorg"]
    assert nz["uitgevoerd"] == y(2)
    assert nz["verlopen"] == y(1)
    assert nz["benadelingProcent"]["2024"] == 50.0
    # a peildatum before the check-in excludes it
    nz = (await rap.verslag(2024, "2024-04-24"))["nazorg"]
    assert nz["uitgevoerd"] == y(0)
    assert nz["benadelingProcent"]["2024"] is None


async def test_a_check_in_counts_for_the_earliest_not_done(rap):
    mid = await gesloten(rap)
    # done early, before the first is due: it is the April one; July then is overdue
    await contact(rap, mid, "2024-03-01")
    assert (await rap.verslag(2024, "2024-05-15"))["nazorg"]["verlopen"] == y(0)
    assert (await rap.verslag(2024, "2024-12-31"))["nazorg"]["verlopen"] == y(1)
    # the 12-month one is due in 2025, overdue from 10 February 2025
    v = await rap.verslag(2025, "2025-02-10")
    assert v["nazorg"]["verlopen"] == {"2025": 1, "2024": 1, "2023": 0}


async def test_anonymous_melders_and_open_meldingen_have_no_check_ins(rap):
    await gesloten(rap, anoniem=True)
    mid = uid()
    await rap.zet(
        ev.MeldingOntvangen(
            melding_id=mid,
            ontvangen_op="2024-01-02T09:00:00Z",
            kanaal="mid",
            defensieonderdeel="CLAS",
            hoofdcategorie="ongewenst_gedrag",
            subcategorie="pesten",
            anoniem=False,
            vermoeden_misstand=False,
        ),
        "2024-01-02T09:01:00Z",
    )
    assert (await rap.verslag(2024, "2024-12-31"))["nazorg"]["verlopen"] == y(0)


def test_the_periods_are_one_shared_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().nazorg_maanden == (3, 6, 12)
    monkeypatch.setenv("NAZORG_MAANDEN", "1,6")
    assert Settings().nazorg_maanden == (1, 6)
    monkeypatch.setenv("NAZORG_MAANDEN", "6,3")
    with pytest.raises(ValueError, match="oplopende"):
        Settings()
