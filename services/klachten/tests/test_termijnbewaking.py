"""GET /termijnbewaking: open klachten past or near their deadline."""

from __future__ import annotations

from datetime import timedelta

from integriteit_shared.kalender import vandaag


async def test_verlopen_en_bijna_verlopen_open_klachten(api):
    verlopen = await api.indienen(ontvangen_op=api.middag(50))  # 42 - 50 = -8 days
    bijna = await api.indienen(ontvangen_op=api.middag(38))  # 4 days left
    ruim = await api.indienen(ontvangen_op=api.middag(10))  # 32 days left
    afgehandeld = await api.indienen(ontvangen_op=api.middag(60))
    await api.stap(
        afgehandeld["id"],
        "afhandeling",
        {
            "datum": (vandaag() - timedelta(days=1)).isoformat(),
            "wijze": "besluit",
            "oordeel": "gegrond",
        },
    )
    verdaagd = await api.indienen(ontvangen_op=api.middag(40))  # 2 days left, +1 week = 9
    await api.stap(verdaagd["id"], "verdaging", {"weken": 1, "reden": api.REDEN})

    r = await api.svc.client.get(api.url("/termijnbewaking"), headers=api.kb)
    assert r.status_code == 200
    rijen = [(k["id"], k["dagenResterend"], k["termijnUiterlijk"]) for k in r.json()]
    assert rijen == [
        (verlopen["id"], -8, (vandaag() - timedelta(days=8)).isoformat()),
        (bijna["id"], 4, (vandaag() + timedelta(days=4)).isoformat()),
    ]
    assert "scheldt" not in r.text

    r = await api.svc.client.get(
        api.url("/termijnbewaking"), params={"binnenDagen": 40}, headers=api.kb
    )
    assert [(k["id"], k["dagenResterend"]) for k in r.json()] == [
        (verlopen["id"], -8),
        (bijna["id"], 4),
        (verdaagd["id"], 9),
        (ruim["id"], 32),
    ]
    r = await api.svc.client.get(
        api.url("/termijnbewaking"), params={"binnenDagen": 40, "pageSize": 1}, headers=api.kb
    )
    assert r.headers["x-total-count"] == "4" and 'rel="last"' in r.headers["link"]

    r = await api.svc.client.get(
        api.url("/termijnbewaking"), params={"binnenDagen": -1}, headers=api.kb
    )
    assert r.status_code == 400


async def test_termijnbewaking_binnen_eigen_onderdeel(api):
    clsk = await api.indienen(ontvangen_op=api.middag(45), defensieonderdeel="CLSK")
    await api.indienen(ontvangen_op=api.middag(45), defensieonderdeel="BS")
    r = await api.svc.client.get(
        api.url("/termijnbewaking"), headers=api.h("klachtbehandelaar", onderdeel="CLSK")
    )
    assert [k["id"] for k in r.json()] == [clsk["id"]]
