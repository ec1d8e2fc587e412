"""GET /termijnbewaking: overdue and nearly due legal clocks, with days left."""

from __future__ import annotations

from datetime import timedelta

from meldpunt.termijnen import add_months, vandaag

from .conftest import Api, middag


async def test_overdue_and_nearly_due_clocks(api: Api) -> None:
    te_laat = await api.melden(ontvangenOp=middag(10))  # acknowledgement 3 days overdue
    bijna = await api.melden(ontvangenOp=middag(2))  # acknowledgement due in 5 days
    await api.melden()  # due in 7 days: outside binnenDagen=5
    bevestigd = await api.melden(ontvangenOp=middag(35))  # feedback due in about 2 months
    await api.stap(bevestigd["id"], "ontvangstbevestiging", {"datum": middag(30)[:10]})
    klaar = await api.melden(ontvangenOp=middag(200))
    await api.stap(klaar["id"], "ontvangstbevestiging", {"datum": middag(199)[:10]})
    await api.stap(klaar["id"], "afdoening", {"afdoening": "excuses"})
    await api.stap(klaar["id"], "terugkoppeling")

    r = await api.get("/termijnbewaking", api.adviseur, binnenDagen=5)
    assert r.status_code == 200, r.text
    signalen = [
        (s["meldingId"], s["termijn"], s["dagenResterend"], s["verlopen"]) for s in r.json()
    ]
    assert signalen == [
        (te_laat["id"], "ontvangstbevestiging", -3, True),
        (bijna["id"], "ontvangstbevestiging", 5, False),
    ]
    r = await api.get("/termijnbewaking", api.adviseur, binnenDagen=0)
    assert [s["meldingId"] for s in r.json()] == [te_laat["id"]]


async def test_three_month_clock_is_watched(api: Api) -> None:
    m = await api.melden(ontvangenOp=middag(120))
    await api.stap(m["id"], "ontvangstbevestiging", {"datum": middag(118)[:10]})
    r = await api.get("/termijnbewaking", api.adviseur)
    [signaal] = r.json()
    uiterlijk = add_months(vandaag() - timedelta(days=118), 3)
    assert signaal["termijn"] == "terugkoppeling"
    assert signaal["uiterlijk"] == uiterlijk.isoformat()
    assert signaal["dagenResterend"] == (uiterlijk - vandaag()).days < 0


async def test_scoped_to_the_callers_onderdeel(api: Api) -> None:
    await api.melden(ontvangenOp=middag(10), defensieonderdeel="CZSK")
    r = await api.get("/termijnbewaking", api.h("coid_adviseur", onderdeel="CLSK"))
    assert r.json() == []
    r = await api.get("/termijnbewaking", api.adviseur, binnenDagen=-1)
    assert r.status_code == 400
